/*
 * The preview page's script, served from the preview's own address (the page's policy allows no
 * other): drawings load as they scroll into view, and each server-sent event says which files to
 * fetch again. It carries no data of its own and asks the server for nothing but its fragments.
 */

/** The script of the preview page. */
export const PREVIEW_SCRIPT = `'use strict';
(() => {
  const list = document.getElementById('list');
  const places = document.getElementById('places');
  const live = document.getElementById('live');
  const fetchText = async (url) => {
    const res = await fetch(url, { cache: 'no-store' });
    return res.ok ? res.text() : undefined;
  };
  const load = async (section) => {
    section.dataset.state = 'loading';
    const html = await fetchText('/item?path=' + encodeURIComponent(section.dataset.path));
    if (html === undefined) {
      section.dataset.state = 'gone';
      return;
    }
    section.innerHTML = html;
    const file = section.querySelector('[data-version]');
    section.dataset.version = file ? file.dataset.version : '';
    section.dataset.state = 'loaded';
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries)
        if (entry.isIntersecting && !entry.target.dataset.state) load(entry.target);
    },
    { rootMargin: '800px 0px' },
  );
  const watchPlaces = () => {
    for (const section of places.querySelectorAll('section.item')) observer.observe(section);
  };
  const sectionOf = (path) => {
    for (const section of places.querySelectorAll('section.item')) if (section.dataset.path === path) return section;
    return undefined;
  };
  watchPlaces();
  // One change at a time, in the order they come.
  let queue = Promise.resolve();
  const events = new EventSource('/events');
  events.addEventListener('hello', () => {
    live.textContent = 'live';
    live.dataset.state = 'live';
  });
  events.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    live.dataset.state = 'reconnecting';
  });
  events.addEventListener('change', (event) => {
    const change = JSON.parse(event.data);
    queue = queue.then(async () => {
      const listed = await fetchText('/list');
      if (listed !== undefined) list.innerHTML = listed;
      if (change.structure) {
        const placed = await fetchText('/places');
        if (placed !== undefined) {
          observer.disconnect();
          places.innerHTML = placed;
          watchPlaces();
        }
      }
      for (const path of change.paths) {
        const section = sectionOf(path);
        if (section && section.dataset.state) await load(section);
      }
      document.body.dataset.version = String(change.version);
    });
  });
})();
`;
