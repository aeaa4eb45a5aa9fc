/**
 * @module
 * The browser side of the inspector, part 3: the live feed (an `EventSource` on
 * `/inspector/events`), the request buttons, and the details of the selected request. When the
 * page sends a request it remembers the `X-Request-Id` of the answer and selects that request as
 * soon as the feed brings it, so each click draws its own cycle.
 */

/** The page logic's source. Needs `cycleModel` and `drawCycle` defined first. */
export const APP_SCRIPT: string = /* js */ `
var $ = function (id) { return document.getElementById(id); };
var state = { hello: null, events: [], selected: null, waitFor: null, token: sessionStorage.getItem('cycle-token') };
var MISSING_NOTE = '00000000-0000-4000-8000-000000000000';

function h(tag, attrs, children) {
  var node = document.createElement(tag);
  for (var k in attrs) {
    if (k === 'text') node.textContent = attrs[k];
    else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), attrs[k]);
    else if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, attrs[k]);
  }
  (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return node;
}

function statusClass(status) { return 's' + String(status).charAt(0) + 'xx'; }

// ── feed ─────────────────────────────────────────────────────────────────────
function connect() {
  var source = new EventSource('/inspector/events');
  source.onopen = function () { $('live').className = 'live on'; $('live').textContent = 'live'; };
  source.onerror = function () { $('live').className = 'live off'; $('live').textContent = 'reconnecting'; };
  source.addEventListener('hello', function (e) {
    state.hello = JSON.parse(e.data);
    state.events = []; // the backlog follows; a restarted server numbers from 1 again
    $('feed').textContent = '';
    $('stack-info').textContent = 'gateway ' + state.hello.gateway + ' \\u00b7 store ' + state.hello.store +
      ' \\u00b7 middleware ' + state.hello.middleware.map(function (m) { return m.name; }).join(' \\u2192 ');
    $('boom').disabled = !state.hello.debugRoutes;
    if (!state.hello.debugRoutes) $('boom').title = 'Start the demo with CYCLE_DEMO_DEBUG_ROUTES=1';
    if ($('username').value === '') $('username').value = state.hello.demoUser;
  });
  source.addEventListener('request', function (e) { addEvent(JSON.parse(e.data)); });
}

function addEvent(ev) {
  state.events.push(ev);
  if (state.events.length > 200) state.events.shift();
  var item = h('li', {}, [h('button', { type: 'button', 'class': 'feed-item', 'data-request-id': ev.id, 'data-seq': String(ev.seq),
    onclick: function () { select(ev); } }, [
    h('span', { 'class': 'badge ' + statusClass(ev.status), text: String(ev.status) }),
    h('span', { 'class': 'method', text: ev.method }),
    h('span', { 'class': 'target', text: ev.target }),
    h('span', { 'class': 'ms', text: ev.total.toFixed(2) + ' ms' })
  ])]);
  var feed = $('feed');
  feed.insertBefore(item, feed.firstChild);
  while (feed.children.length > 200) feed.removeChild(feed.lastChild);
  if (state.waitFor !== null && ev.id === state.waitFor) { state.waitFor = null; select(ev); }
  else if (state.selected === null) select(ev);
}

function select(ev) {
  state.selected = ev;
  Array.prototype.forEach.call(document.querySelectorAll('.feed-item'), function (b) {
    b.classList.toggle('selected', b.getAttribute('data-seq') === String(ev.seq));
  });
  var svg = $('cycle');
  svg.setAttribute('data-request-id', ev.id);
  drawCycle(svg, cycleModel(state.hello, ev));
  var facts = [
    ['request', ev.method + ' ' + ev.target],
    ['status', String(ev.status) + (ev.problem ? ' ' + ev.problem.title + (ev.problem.detail ? ': ' + ev.problem.detail : '') : '')],
    ['route', ev.route ? ev.route.pattern + (ev.route.qualifiedName ? '  (' + ev.route.qualifiedName + ')' : '') : '\\u2014'],
    ['params', ev.route ? JSON.stringify(ev.route.params) : '\\u2014'],
    ['user', ev.user || 'anonymous'],
    ['request id', ev.id],
    ['total', ev.total.toFixed(3) + ' ms (core\\u2019s trace, ' + ev.trace.length + ' entries)']
  ];
  var dl = $('facts');
  dl.textContent = '';
  facts.forEach(function (f) { dl.appendChild(h('dt', { text: f[0] })); dl.appendChild(h('dd', { text: f[1] })); });
  var body = $('trace-rows');
  body.textContent = '';
  ev.trace.forEach(function (t, i) {
    body.appendChild(h('tr', { 'data-trace-index': String(i) }, [
      h('td', { text: String(i) }), h('td', { text: t.phase }), h('td', { text: t.name || '\\u2014' }),
      h('td', { 'class': 'num', text: t.start.toFixed(3) }), h('td', { 'class': 'num', text: t.duration.toFixed(3) }),
      h('td', { text: t.outcome })
    ]));
  });
}

// ── sending requests ─────────────────────────────────────────────────────────
function send(method, path, options) {
  options = options || {};
  var headers = {};
  var token = options.token === undefined ? state.token : options.token;
  if (token) headers['authorization'] = 'Bearer ' + token;
  var init = { method: method, headers: headers };
  if (options.body !== undefined) {
    headers['content-type'] = options.type || 'application/json';
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  return fetch(path, init).then(function (res) {
    var id = res.headers.get('x-request-id');
    var found = state.events.filter(function (e) { return e.id === id; })[0];
    if (found) select(found); else state.waitFor = id;
    return res.text().then(function (text) {
      showResponse(method, path, res, text, id);
      var json = null;
      try { json = JSON.parse(text); } catch (e) { json = null; }
      return { status: res.status, json: json };
    });
  }).catch(function (error) {
    $('response').setAttribute('data-status', 'error');
    $('response-status').textContent = 'network error: ' + error.message;
  });
}

function showResponse(method, path, res, text, id) {
  var panel = $('response');
  panel.setAttribute('data-status', String(res.status));
  panel.setAttribute('data-request-id', id || '');
  $('response-status').textContent = method + ' ' + path + ' \\u2192 ' + res.status + ' ' + res.statusText;
  $('response-status').className = 'badge-line ' + statusClass(res.status);
  var shown = ['content-type', 'location', 'www-authenticate', 'allow', 'x-request-id', 'etag'];
  $('response-headers').textContent = shown.filter(function (n) { return res.headers.get(n) !== null; })
    .map(function (n) { return n + ': ' + res.headers.get(n); }).join('\\n');
  var pretty = text;
  try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { pretty = text; }
  $('response-body').textContent = pretty;
}

function setToken(token, expiresAt) {
  state.token = token;
  if (token) sessionStorage.setItem('cycle-token', token); else sessionStorage.removeItem('cycle-token');
  $('who').textContent = token ? 'logged in' + (expiresAt ? ' until ' + new Date(expiresAt).toLocaleTimeString() : '') : 'not logged in';
  $('who').className = token ? 'who in' : 'who';
}

function renderNotes(notes) {
  var list = $('notes');
  list.textContent = '';
  notes.forEach(function (n) {
    list.appendChild(h('li', { 'data-note-id': n.id }, [
      h('span', { 'class': 'note-title', text: n.title }),
      h('button', { type: 'button', 'class': 'small', text: 'open', onclick: function () { send('GET', '/api/notes/' + n.id); } }),
      h('button', { type: 'button', 'class': 'small', text: 'delete', onclick: function () {
        send('DELETE', '/api/notes/' + n.id).then(listNotes); } })
    ]));
  });
}

function listNotes() {
  return send('GET', '/api/notes').then(function (r) { if (r && r.status === 200) renderNotes(r.json.data); });
}

function wire() {
  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    send('POST', '/api/auth/token', { token: null, body: { username: $('username').value, password: $('password').value } })
      .then(function (r) { if (r && r.status === 200) setToken(r.json.data.token, r.json.data.expiresAt); });
  });
  $('logout').onclick = function () { setToken(null); };
  $('create').addEventListener('submit', function (e) {
    e.preventDefault();
    send('POST', '/api/notes', { body: { title: $('title').value, body: $('body').value } })
      .then(function (r) { if (r && r.status === 201) { $('title').value = ''; $('body').value = ''; return listNotes(); } });
  });
  var actions = {
    me: function () { send('GET', '/api/me'); },
    list: listNotes,
    health: function () { send('GET', '/healthz'); },
    'no-token': function () { send('GET', '/api/me', { token: null }); },
    'bad-token': function () { send('GET', '/api/me', { token: 'not.a.token' }); },
    'missing-note': function () { send('GET', '/api/notes/' + MISSING_NOTE); },
    'no-route': function () { send('GET', '/api/nowhere'); },
    invalid: function () { send('POST', '/api/notes', { body: { title: '', body: 42 } }); },
    'not-json': function () { send('POST', '/api/notes', { body: 'title=hello', type: 'application/x-www-form-urlencoded' }); },
    'bad-json': function () { send('POST', '/api/notes', { body: '{"title": "unterminated' }); },
    'wrong-method': function () { send('PUT', '/api/notes/' + MISSING_NOTE, { body: {} }); },
    boom: function () { send('GET', '/api/debug/boom'); }
  };
  Array.prototype.forEach.call(document.querySelectorAll('[data-action]'), function (b) {
    b.addEventListener('click', actions[b.getAttribute('data-action')]);
  });
  setToken(state.token);
}

wire();
connect();
`
