import { PLAN_CSS } from '../html/styles.js';

/*
 * The preview's stylesheet: the plan page's (the changes, the drawings), and the layout of a page
 * that lists files beside their drawings. Every state has its word and symbol beside its colour.
 */

/** The CSS of the preview page. */
export const PREVIEW_CSS = `${PLAN_CSS}
header.bar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; padding: 10px 20px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
header.bar h1 { margin: 0; font-size: 18px; }
main#places > .against { margin: 12px 0 0; color: #424a53; }
.live { padding: 1px 8px; border: 1px solid #d0d7de; border-radius: 10px; font-size: 12px; color: #57606a; }
.live[data-state="live"] { color: #116329; border-color: #1a7f37; }
.layout { display: grid; grid-template-columns: minmax(220px, 300px) 1fr; min-height: calc(100vh - 48px); }
nav#list { position: sticky; top: 48px; align-self: start; max-height: calc(100vh - 48px); overflow: auto; padding: 8px 12px 24px; border-right: 1px solid #d0d7de; }
nav#list h2 { margin: 14px 0 4px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
nav#list ul { margin: 0; padding: 0; list-style: none; }
nav#list li a { display: flex; gap: 6px; align-items: baseline; padding: 2px 4px; border-radius: 4px; color: #1f2328; text-decoration: none; }
nav#list li a:hover { background: #eaeef2; }
nav#list .file { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
main#places { padding: 0 24px 40px; min-width: 0; }
main#places h2.folder { margin: 24px 0 0; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; font-size: 16px; }
section.item { margin: 18px 0 28px; min-height: 80px; scroll-margin-top: 60px; }
section.item > .loading { color: #57606a; font-style: italic; }
section.item h3 { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; margin: 0 0 8px; font-size: 15px; }
.status { flex: none; padding: 0 7px; border: 1px solid; border-radius: 6px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-new { color: #116329; background: #dafbe1; border-color: #1a7f37; }
.s-changed, .s-edited { color: #7d4e00; background: #fff8c5; border-color: #9a6700; }
.s-unchanged, .s-synced, .s-unknown, .s-pending { color: #57606a; background: #ffffff; border-color: #d0d7de; font-weight: 400; }
.s-invalid { color: #a40e26; background: #ffebe9; border-color: #cf222e; }
.problems { margin: 0 0 12px; padding: 8px 12px; border: 1px solid #cf222e; border-left-width: 4px; border-radius: 6px; background: #ffebe9; color: #1f2328; }
.problems p { margin: 0 0 4px; font-weight: 600; color: #a40e26; }
.problems ul { margin: 0; padding-left: 18px; }
.problems code { font-size: 12px; }
.stale { opacity: .55; }
.empty { color: #57606a; font-style: italic; }
`;
