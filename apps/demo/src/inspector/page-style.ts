/**
 * @module
 * The inspector's stylesheet (inline in the page: no build step, no extra request).
 */

/** CSS of the inspector page. */
export const PAGE_STYLE: string = /* css */ `
:root { --bg: #f6f7f9; --panel: #fff; --ink: #1d2430; --muted: #6b7585; --line: #d9dee6;
  --in: #2f6fde; --out: #13906b; --err: #d64545; --warn: #c77d0a; --skip: #b8c0cc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, 'DejaVu Sans', sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 12px 20px; background: #1d2430; color: #fff; }
header h1 { font-size: 18px; margin: 0; }
header .sub { color: #aab4c3; font-size: 13px; flex: 1; }
.live { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #555; }
.live.on { background: var(--out); } .live.off { background: var(--warn); }
main { display: grid; grid-template-columns: 340px 1fr; gap: 16px; padding: 16px 20px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; margin-bottom: 16px; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 10px; }
form { display: grid; gap: 6px; margin-bottom: 10px; }
input, textarea { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; }
textarea { min-height: 44px; resize: vertical; }
button { font: inherit; padding: 5px 10px; border: 1px solid var(--line); border-radius: 6px; background: #eef2f8; cursor: pointer; }
button:hover { background: #e2e8f2; } button:disabled { opacity: .45; cursor: not-allowed; }
button.primary { background: var(--in); border-color: var(--in); color: #fff; }
button.small { padding: 1px 6px; font-size: 12px; }
.row { display: flex; flex-wrap: wrap; gap: 6px; }
.break button { background: #fdf0f0; border-color: #f0caca; }
.who { font-size: 12px; color: var(--muted); } .who.in { color: var(--out); }
#notes { list-style: none; margin: 8px 0 0; padding: 0; }
#notes li { display: flex; gap: 6px; align-items: center; padding: 3px 0; border-top: 1px solid var(--line); }
.note-title { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
pre { margin: 6px 0 0; padding: 8px; background: #f3f5f8; border-radius: 6px; overflow: auto; max-height: 220px; font-size: 12px; }
.badge-line { font-weight: 600; }
.s2xx { color: var(--out); } .s3xx { color: var(--in); } .s4xx { color: var(--warn); } .s5xx { color: var(--err); }
.badge.s2xx { background: var(--out); } .badge.s3xx { background: var(--in); } .badge.s4xx { background: var(--warn); } .badge.s5xx { background: var(--err); }
.badge { color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px; font-weight: 600; }
#feed { list-style: none; margin: 0; padding: 0; max-height: 180px; overflow: auto; }
.feed-item { display: grid; grid-template-columns: 44px 60px 1fr 80px; gap: 8px; width: 100%; text-align: left;
  background: none; border: 0; border-bottom: 1px solid var(--line); border-radius: 0; padding: 4px 2px; font-size: 13px; }
.feed-item.selected { background: #e8f0fe; }
.feed-item .method { font-weight: 600; } .feed-item .ms { color: var(--muted); text-align: right; }
.feed-item .target { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: monospace; }
#cycle { width: 100%; height: auto; display: block; }
.node rect { fill: #fff; stroke: var(--in); stroke-width: 1.5; }
.node.gateway rect { fill: #1d2430; stroke: #1d2430; } .node.gateway text { fill: #fff; }
.node.core rect { fill: #fff4e5; stroke: var(--warn); }
.node.skipped rect { fill: #f4f6f9; stroke: var(--skip); stroke-dasharray: 5 4; } .node.skipped text { fill: #98a2b3; }
.node.turned rect { fill: #fdecec; stroke: var(--err); stroke-width: 2.5; }
.node.group-exception.ran rect, .node.group-response.ran rect { stroke: var(--out); }
.node .caption { font-size: 10px; text-transform: uppercase; letter-spacing: .05em; fill: var(--muted); }
.node.gateway .caption { fill: #aab4c3; }
.node .name { font-size: 13px; font-weight: 600; fill: var(--ink); }
.node .foot { font-size: 10.5px; fill: var(--muted); font-family: monospace; }
.link { stroke-width: 2; fill: none; } .link.in { stroke: var(--in); } .link.out { stroke: var(--out); }
.link.off { stroke: var(--skip); stroke-dasharray: 4 4; } .link.turn { stroke: var(--out); stroke-width: 2.5; }
.link.turn.error { stroke: var(--err); }
.arrowhead.in { fill: var(--in); } .arrowhead.err { fill: var(--err); } .arrowhead.out { fill: var(--out); } .arrowhead.off { fill: var(--skip); }
.lane { font-size: 11px; fill: var(--muted); text-transform: uppercase; letter-spacing: .08em; }
.turn-label { font-size: 13px; font-weight: 700; fill: var(--out); }
.turn-label.error { fill: var(--err); }
.turn-plate { fill: #fff; stroke: var(--line); }
dl { display: grid; grid-template-columns: 90px 1fr; gap: 2px 10px; margin: 10px 0; font-size: 13px; }
dt { color: var(--muted); } dd { margin: 0; font-family: monospace; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); }
td.num { text-align: right; font-family: monospace; }
.hint { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
`
