/**
 * @module
 * The browser side of the inspector, part 2: `drawCycle(svg, model)` turns a `cycleModel()` into
 * inline SVG. Every node carries its trace entry as data attributes (`data-trace-index`,
 * `data-phase`, `data-name`, `data-outcome`, `data-duration`), which the browser test compares
 * with the server's `request.trace`. Text is set with `textContent` only: names and targets come
 * from requests and are never parsed as markup.
 */

/** The drawing's source, defining `drawCycle(svg, model)`. */
export const DRAW_SCRIPT: string = /* js */ `
var SVG_NS = 'http://www.w3.org/2000/svg';
var NODE_W = 150, NODE_H = 62, GAP = 22, PAD = 16, TOP_Y = 34, BOTTOM_Y = 178;
var CAPTIONS = { gateway: 'gateway', request: 'request mw', resolve: 'URL resolution', 'view-mw': 'view mw',
  view: 'view', exception: 'exception mw', core: 'core', response: 'response mw', other: 'middleware' };

function el(name, attrs, text) {
  var node = document.createElementNS(SVG_NS, name);
  for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
  if (text !== undefined) node.textContent = text;
  return node;
}

function clip(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '\\u2026' : text;
}

function ms(d) {
  return d >= 100 ? d.toFixed(0) : d >= 10 ? d.toFixed(1) : d >= 0.1 ? d.toFixed(2) : d.toFixed(3);
}

function nodeBox(n, x, y) {
  var g = el('g', { 'class': 'node ' + n.state + ' group-' + n.group, transform: 'translate(' + x + ',' + y + ')',
    'data-group': n.group, 'data-state': n.state, 'data-phase': n.phase, 'data-name': n.name,
    'data-trace-index': n.traceIndex === null ? undefined : n.traceIndex,
    'data-outcome': n.outcome, 'data-duration': n.duration, 'data-start': n.start });
  var label = n.label || n.name;
  var title = CAPTIONS[n.group] + ': ' + label;
  if (n.state === 'ran' || n.state === 'turned') title += ' \\u2014 ' + n.outcome + ', ' + n.duration + ' ms at +' + n.start + ' ms';
  if (n.state === 'skipped') title += ' \\u2014 did not run';
  if (n.detail) title += ' \\u2014 ' + n.detail;
  g.appendChild(el('title', {}, title));
  g.appendChild(el('rect', { width: NODE_W, height: NODE_H, rx: 8 }));
  g.appendChild(el('text', { x: 10, y: 16, 'class': 'caption' }, CAPTIONS[n.group]));
  g.appendChild(el('text', { x: 10, y: 34, 'class': 'name' }, clip(label, 19)));
  var foot = n.detail || '';
  if (n.state === 'ran' || n.state === 'turned') foot = ms(n.duration) + ' ms \\u00b7 ' + n.outcome;
  if (n.state === 'skipped') foot = 'skipped';
  g.appendChild(el('text', { x: 10, y: 52, 'class': 'foot' }, clip(foot, 24)));
  return g;
}

function drawCycle(svg, model) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  var cols = Math.max(model.top.length, model.bottom.length);
  var width = PAD * 2 + cols * NODE_W + (cols - 1) * GAP;
  var height = BOTTOM_Y + NODE_H + PAD + 8;
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  svg.setAttribute('data-status', String(model.status));
  var defs = el('defs', {});
  ['in', 'out', 'off', 'err'].forEach(function (kind) {
    var m = el('marker', { id: 'arrow-' + kind, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', 'class': 'arrowhead ' + kind }));
    defs.appendChild(m);
  });
  svg.appendChild(defs);
  svg.appendChild(el('text', { x: PAD, y: 20, 'class': 'lane' }, 'in \\u2192'));
  svg.appendChild(el('text', { x: PAD, y: BOTTOM_Y - 10, 'class': 'lane' }, '\\u2190 out'));
  var xOf = function (c) { return PAD + c * (NODE_W + GAP); };
  var links = el('g', { 'class': 'links' });
  svg.appendChild(links);
  var line = function (x1, y1, x2, y2, kind) {
    links.appendChild(el('line', { x1: x1, y1: y1, x2: x2, y2: y2, 'class': 'link ' + kind, 'marker-end': 'url(#arrow-' + kind + ')' }));
  };
  model.top.forEach(function (n, c) {
    if (c > 0) line(xOf(c - 1) + NODE_W, TOP_Y + NODE_H / 2, xOf(c) - 2, TOP_Y + NODE_H / 2, c <= model.turn ? 'in' : 'off');
    svg.appendChild(nodeBox(n, xOf(c), TOP_Y));
  });
  var last = model.bottom.length - 1;
  var target = -1;
  model.bottom.forEach(function (n, k) {
    var c = last - k;
    if (k > 0) {
      var off = n.state === 'skipped' || model.bottom[k - 1].state === 'skipped';
      line(xOf(c + 1) - 2, BOTTOM_Y + NODE_H / 2, xOf(c) + NODE_W + 2, BOTTOM_Y + NODE_H / 2, off ? 'off' : 'out');
    }
    if (target === -1 && n.state !== 'skipped') target = c;
    svg.appendChild(nodeBox(n, xOf(c), BOTTOM_Y));
  });
  // The turn: from the node where the request turned back down to the first hook that ran on the
  // way out (exception hooks that did not run stay to the side).
  if (target === -1) target = last;
  var error = model.status >= 400;
  var tx = xOf(model.turn) + NODE_W / 2, bx = xOf(target) + NODE_W / 2;
  var y1 = TOP_Y + NODE_H, y2 = BOTTOM_Y - 2, mid = (y1 + y2) / 2;
  links.appendChild(el('path', { d: 'M' + tx + ',' + y1 + ' C' + tx + ',' + mid + ' ' + bx + ',' + mid + ' ' + bx + ',' + y2,
    'class': 'link turn' + (error ? ' error' : ''), 'marker-end': 'url(#arrow-' + (error ? 'err' : 'out') + ')' }));
  // The label sits on the curve, on a white plate, kept inside the picture.
  var text = model.status + ' \u00b7 ' + model.reason;
  var plate = el('rect', { 'class': 'turn-plate', rx: 4 });
  svg.appendChild(plate);
  var label = el('text', { x: (tx + bx) / 2, y: mid + 4, 'class': 'turn-label' + (error ? ' error' : ''),
    'text-anchor': 'middle', 'data-turn': model.top[model.turn].label || model.top[model.turn].name }, text);
  svg.appendChild(label);
  var box = label.getBBox();
  var x = Math.min(Math.max((tx + bx) / 2, PAD + box.width / 2), width - PAD - box.width / 2);
  label.setAttribute('x', String(x));
  plate.setAttribute('x', String(x - box.width / 2 - 6));
  plate.setAttribute('y', String(box.y - 3));
  plate.setAttribute('width', String(box.width + 12));
  plate.setAttribute('height', String(box.height + 6));
}
`
