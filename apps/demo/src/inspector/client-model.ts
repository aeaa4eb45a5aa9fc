/**
 * @module
 * The browser side of the inspector, part 1: `cycleModel(hello, request)`, which lays core's trace
 * of one request onto the cycle's skeleton. It is plain JavaScript in a string because the page
 * has no build step; the tests evaluate the same string in Node to check it against real traces.
 *
 * The skeleton comes from the `hello` event (the global middlewares and their hooks). Each trace
 * entry is placed exactly once, carrying its index (`traceIndex`), so the drawing can be checked
 * entry for entry against `request.trace`. Skeleton hooks with no entry did not run (`skipped`).
 *
 * - top row, inbound: gateway in → request hooks → URL resolution → view middlewares → view;
 * - bottom row, outbound: exception hooks → core's problem (when it converted an error) →
 *   render hooks (the answer written, e.g. by format) → response hooks → gateway out;
 * - `turn`: the node where the request turned back (an entry that threw or answered, a resolver
 *   miss, a 405), or the view when nothing did.
 */

/** The model's source, defining `cycleModel(hello, request)`. */
export const MODEL_SCRIPT: string = /* js */ `
function cycleModel(hello, ev) {
  var trace = ev.trace || [];
  var used = trace.map(function () { return false; });
  var mws = (hello && hello.middleware) || [];
  var withHook = function (hook) {
    return mws.filter(function (m) { return m.hooks.indexOf(hook) !== -1; }).map(function (m) { return m.name; });
  };
  var take = function (phase, name) {
    for (var i = 0; i < trace.length; i++) {
      if (!used[i] && trace[i].phase === phase && trace[i].name === name) { used[i] = true; return i; }
    }
    return -1;
  };
  var fromTrace = function (group, i) {
    var t = trace[i];
    used[i] = true;
    return { group: group, phase: t.phase, name: t.name, state: 'ran', traceIndex: i,
      start: t.start, duration: t.duration, outcome: t.outcome };
  };
  var hook = function (group, phase, name) {
    var i = take(phase, name);
    if (i === -1) return { group: group, phase: phase, name: name, state: 'skipped', traceIndex: null };
    return fromTrace(group, i);
  };

  var top = [{ group: 'gateway', phase: 'gateway', name: 'in', state: 'gateway', traceIndex: null,
    detail: ev.method + ' ' + ev.target }];
  withHook('request').forEach(function (n) { top.push(hook('request', 'request', n)); });
  var ri = -1;
  for (var r = 0; r < trace.length; r++) if (trace[r].phase === 'resolve') { ri = r; break; }
  if (ri === -1) top.push({ group: 'resolve', phase: 'resolve', name: 'URL resolution', state: 'skipped', traceIndex: null });
  else {
    var rn = fromTrace('resolve', ri);
    if (rn.name === '') rn.label = 'no match';
    top.push(rn);
  }
  withHook('view').forEach(function (n) { top.push(hook('view-mw', 'view', n)); });
  // The view is the last view-phase entry carrying the route's name (view hooks run before it).
  var vi = -1;
  if (ev.view !== null) {
    for (var v = trace.length - 1; v > ri; v--) {
      if (!used[v] && trace[v].phase === 'view' && trace[v].name === ev.view) { vi = v; break; }
    }
  }
  if (vi !== -1) used[vi] = true;
  // Route-scoped middlewares (guards, validation) run after resolution, before the view.
  for (var s = ri + 1; ri !== -1 && s < trace.length; s++) {
    if (!used[s] && (trace[s].phase === 'request' || trace[s].phase === 'view')) top.push(fromTrace('view-mw', s));
  }
  if (vi === -1) top.push({ group: 'view', phase: 'view', name: ev.view || 'view', state: 'skipped', traceIndex: null });
  else { used[vi] = false; top.push(fromTrace('view', vi)); }

  var bottom = [];
  var outward = function (phase) {
    var globals = withHook(phase).reverse();
    for (var k = 0; k < trace.length; k++) {
      if (!used[k] && trace[k].phase === phase && globals.indexOf(trace[k].name) === -1) bottom.push(fromTrace(phase, k));
    }
    globals.forEach(function (n) { bottom.push(hook(phase, phase, n)); });
  };
  outward('exception');
  var failed = trace.some(function (t) { return t.outcome === 'threw' || t.outcome === 'miss'; }) ||
    (ev.route === null && ev.status === 405);
  var handled = trace.some(function (t) { return t.phase === 'exception' && t.outcome.indexOf('handled') === 0; });
  if (failed && !handled) {
    bottom.push({ group: 'core', phase: 'core', name: 'problem ' + ev.status, state: 'core', traceIndex: null,
      detail: ev.problem ? ev.problem.title : '' });
  }
  outward('render');
  outward('response');
  bottom.push({ group: 'gateway', phase: 'gateway', name: 'out', state: 'gateway', traceIndex: null,
    detail: ev.status + ' in ' + ev.total.toFixed(2) + ' ms' });

  // Anything else core traced (onion middlewares) still gets drawn, after gateway in.
  var extra = [];
  for (var x = 0; x < trace.length; x++) if (!used[x]) extra.push(fromTrace('other', x));
  top.splice.apply(top, [1, 0].concat(extra));

  var turn = -1;
  var reason = 'the view answered';
  for (var j = 0; j < top.length && turn === -1; j++) {
    var n = top[j];
    if (n.state !== 'ran') continue;
    if (n.outcome === 'threw') { turn = j; reason = n.name + ' threw'; }
    else if (n.outcome === 'miss') { turn = j; reason = 'no route matched'; }
    else if (n.outcome.indexOf('responded') === 0 && n.group !== 'view') { turn = j; reason = n.name + ' answered'; }
    else if (n.group === 'resolve' && ev.route === null && ev.status === 405) { turn = j; reason = 'method not allowed'; }
  }
  if (turn === -1) {
    for (var w = top.length - 1; w >= 0; w--) if (top[w].state === 'ran') { turn = w; break; }
    if (turn === -1) { turn = 0; reason = 'refused at the gateway'; }
  } else {
    top[turn].state = 'turned';
  }
  return { top: top, bottom: bottom, turn: turn, reason: reason, status: ev.status };
}
`
