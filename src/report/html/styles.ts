/*
 * The page's one stylesheet, inline: the page loads nothing. Colours follow the wireframes' marks;
 * every mark also has its word, so nothing depends on colour alone.
 */

/** The CSS of the plan page. */
export const PLAN_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #1f2328; background: #ffffff; }
header.page { padding: 20px 32px 12px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
.summary { margin: 0; color: #424a53; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 0; padding: 0; list-style: none; }
.counts li { padding: 2px 10px; border: 1px solid #d0d7de; border-radius: 12px; background: #ffffff; }
nav.toc { padding: 12px 32px; border-bottom: 1px solid #d0d7de; }
nav.toc ol { margin: 0; padding-left: 20px; columns: 2 360px; }
nav.toc a { color: #0969da; text-decoration: none; }
main { padding: 8px 32px 40px; }
section.item { margin: 24px 0 40px; }
section.item h2 { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; margin: 0 0 10px; font-size: 17px; }
section.item h2 code { font-size: 15px; }
.kind { display: inline-block; min-width: 84px; padding: 1px 8px; border-radius: 6px; font-size: 13px; font-weight: 600; text-align: center; border: 1px solid; }
.kind.create { color: #116329; background: #dafbe1; border-color: #1a7f37; }
.kind.update { color: #7d4e00; background: #fff8c5; border-color: #9a6700; }
.kind.delete { color: #a40e26; background: #ffebe9; border-color: #cf222e; }
.kind.zero { color: #57606a; background: #ffffff; border-color: #d0d7de; font-weight: 400; }
.name { color: #424a53; font-weight: 400; }
ul.changes { margin: 0 0 16px; padding: 0; list-style: none; }
ul.changes li { display: flex; gap: 10px; align-items: baseline; padding: 3px 0; border-bottom: 1px solid #eaeef2; }
.word { flex: none; width: 76px; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; text-align: center; }
.word.added { color: #116329; background: #dafbe1; }
.word.removed { color: #a40e26; background: #ffebe9; }
.word.changed { color: #7d4e00; background: #fff8c5; }
.word.moved, .word.resized { color: #0550ae; background: #ddf4ff; }
.none { color: #57606a; font-style: italic; }
.wireframe { overflow-x: auto; padding: 8px; border: 1px solid #d0d7de; border-radius: 6px; background: #ffffff; }
.wireframe svg { display: block; max-width: 100%; min-width: 760px; height: auto; }
footer { padding: 16px 32px; color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; }
`;
