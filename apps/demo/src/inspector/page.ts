/**
 * @module
 * `GET /`: the Cycle Inspector, one HTML page with inline CSS and JavaScript (no build step, no
 * framework). Its scripts run under the strict Content-Security-Policy of `securityHeaders()`,
 * with a fresh nonce per response: nothing but the page's own inline code runs, and it talks only
 * to this origin.
 */
import { html, type CycleRequest, type CycleResponse } from '@cycle/core'
import { APP_SCRIPT } from './client-app'
import { DRAW_SCRIPT } from './client-draw'
import { MODEL_SCRIPT } from './client-model'
import { PAGE_STYLE } from './page-style'

const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='none' stroke='%232f6fde' stroke-width='3'/%3E%3C/svg%3E"

const BODY = /* html */ `
<header>
  <h1>Cycle Inspector</h1>
  <span class="sub" id="stack-info">connecting…</span>
  <span class="live" id="live">connecting</span>
</header>
<main>
  <div>
    <section>
      <h2>1 · Log in</h2>
      <form id="login">
        <input id="username" name="username" autocomplete="username" placeholder="username">
        <input id="password" name="password" type="password" autocomplete="current-password" placeholder="password">
        <div class="row"><button class="primary" type="submit" id="login-button">Log in</button>
          <button type="button" id="logout">Forget token</button></div>
      </form>
      <span class="who" id="who">not logged in</span>
      <p class="hint">The demo user and password are printed where the server started.</p>
    </section>
    <section>
      <h2>2 · Notes</h2>
      <form id="create">
        <input id="title" name="title" placeholder="title (1–200 characters)">
        <textarea id="body" name="body" placeholder="body"></textarea>
        <div class="row"><button class="primary" type="submit" id="create-button">Create note</button>
          <button type="button" data-action="list" id="list-button">List notes</button>
          <button type="button" data-action="me">GET /api/me</button>
          <button type="button" data-action="health">GET /healthz</button></div>
      </form>
      <ul id="notes"></ul>
    </section>
    <section class="break">
      <h2>3 · Break things</h2>
      <div class="row">
        <button type="button" data-action="no-token" id="no-token">No token → 401</button>
        <button type="button" data-action="bad-token" id="bad-token">Bad token → 401</button>
        <button type="button" data-action="missing-note" id="missing-note">Unknown note → 404</button>
        <button type="button" data-action="no-route" id="no-route">Unknown path → 404</button>
        <button type="button" data-action="wrong-method" id="wrong-method">PUT → 405</button>
        <button type="button" data-action="not-json" id="not-json">Form body → 415</button>
        <button type="button" data-action="bad-json" id="bad-json">Broken JSON → 400</button>
        <button type="button" data-action="invalid" id="invalid">Invalid note → 422</button>
        <button type="button" data-action="boom" id="boom">View throws → 500</button>
      </div>
    </section>
    <section id="response" data-status="">
      <h2>Last response</h2>
      <div id="response-status" class="badge-line">nothing sent yet</div>
      <pre id="response-headers"></pre>
      <pre id="response-body"></pre>
    </section>
  </div>
  <div>
    <section>
      <h2>The cycle of the selected request</h2>
      <svg id="cycle" role="img" aria-label="The request's path through the cycle" viewBox="0 0 800 260"></svg>
      <dl id="facts"></dl>
      <table>
        <thead><tr><th>#</th><th>phase</th><th>name</th><th>start ms</th><th>ms</th><th>outcome</th></tr></thead>
        <tbody id="trace-rows"></tbody>
      </table>
    </section>
    <section>
      <h2>Live traffic</h2>
      <ul id="feed"></ul>
      <p class="hint">Every request to the API shows up here (from this page, curl, anything), straight from core's trace.</p>
    </section>
  </div>
</main>`

/** The whole page, with `nonce` on its inline style and script. */
export function inspectorPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cycle Inspector</title>
<link rel="icon" href="${ICON}">
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>${BODY}
<script nonce="${nonce}">
'use strict';
${MODEL_SCRIPT}
${DRAW_SCRIPT}
${APP_SCRIPT}
</script>
</body>
</html>`
}

/**
 * The inspector view: the page, its inline code tagged with this request's CSP nonce. The
 * policy itself (and `nosniff`, `Referrer-Policy`, framing) comes from `securityHeaders()` in
 * the middleware stack (`settings.ts`), which makes a fresh nonce per request.
 */
export function inspectorView() {
  return function inspector(request: CycleRequest<{ cspNonce: string }>): CycleResponse {
    const res = html(inspectorPage(request.state.cspNonce))
    res.headers.set('cache-control', 'no-store')
    return res
  }
}
