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
  // A change published between the page being drawn and its stream opening would be missed: the
  // stream's hello names the server's count, and a page behind it catches up as after a change.
  events.addEventListener('hello', (event) => {
    const { version } = JSON.parse(event.data);
    if (version > Number(document.body.dataset.version || 0)) update({ version, paths: [], structure: true });
  });
  events.addEventListener('change', (event) => update(JSON.parse(event.data)));
  function update(change) {
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
  }
})();
`;
