import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TraceEntry } from '@cycle/core'
import { CHROMIUM_ARGS, ensureChromium } from '../test/chromium'
import { tempDir, testSettings } from '../test/helpers'
import { startNodeDemo, type NodeDemo } from './node'

// The Cycle Inspector in a real browser: Debian's Chromium driven by playwright-core (the vitest
// global setup installs Chromium when it is missing). The page's drawing is compared, entry for
// entry, with the trace the server recorded for the same request (collected here on the server
// side, independently of the page and its event stream).
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url))

let running: NodeDemo
let dir: ReturnType<typeof tempDir>
let browser: Browser
let page: Page
/** Console messages about the Content-Security-Policy (there must be none). */
const cspConsole: string[] = []
/** Server-side traces by request id, from `requestFinished`. */
const serverTraces = new Map<
  string,
  { method: string; target: string; status: number; trace: TraceEntry[] }
>()

beforeAll(async () => {
  dir = tempDir()
  running = await startNodeDemo(testSettings({ CYCLE_DEMO_DATA: dir.path }))
  running.demo.app.on('requestFinished', (req, res) => {
    const id = (req.state as { requestId?: unknown }).requestId
    if (typeof id === 'string' && req.trace) {
      serverTraces.set(id, {
        method: req.method,
        target: req.target,
        status: res.status,
        trace: req.trace.map((t) => ({ ...t })),
      })
    }
  })
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? ensureChromium(),
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  })
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
  page.setDefaultTimeout(15_000)
  // Any CSP violation shows up as a console error and as a securitypolicyviolation event.
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspConsole.push(msg.text())
  })
  await page.addInitScript(`window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', function (e) {
      window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
    });`)
})

afterAll(async () => {
  await browser?.close()
  await running?.close()
  dir?.remove()
})

interface Drawn {
  index: number
  phase: string
  name: string
  outcome: string
  duration: number
}

/** The trace entries the drawing shows for request `id`, read from the SVG's data attributes. */
async function drawn(id: string): Promise<Drawn[]> {
  await page.waitForSelector(`#cycle[data-request-id="${id}"]`)
  // A string, not a function: vitest's transform may add helpers the browser does not have.
  return page.evaluate(`Array.from(document.querySelectorAll('#cycle .node[data-trace-index]')).map(function (n) {
    return { index: Number(n.dataset.traceIndex), phase: n.dataset.phase, name: n.dataset.name,
      outcome: n.dataset.outcome, duration: Number(n.dataset.duration) };
  })`) as Promise<Drawn[]>
}

/** Checks the drawing of `id` against the server's trace; returns the name of the turn node. */
async function expectDrawingMatchesServer(id: string): Promise<string | null> {
  const nodes = (await drawn(id)).sort((a, b) => a.index - b.index)
  const server = serverTraces.get(id)
  expect(server, `the server saw request ${id}`).toBeDefined()
  expect(nodes).toEqual(
    server!.trace.map((t, index) => ({
      index,
      phase: t.phase,
      name: t.name,
      outcome: t.outcome,
      duration: t.duration,
    }))
  )
  const turned = page.locator('#cycle .node[data-state="turned"]')
  const count = await turned.count()
  expect(count).toBeLessThanOrEqual(1)
  return count === 0 ? null : turned.getAttribute('data-name')
}

/**
 * Clicks a button, waits for *its* answer in the response panel, returns its request id. Waiting
 * for the status alone raced when two answers in a row had the same status (404 then 404): the
 * panel still showed the previous one, and the test followed the wrong request.
 */
async function click(selector: string, status: number): Promise<string> {
  const before = await page.getAttribute('#response', 'data-request-id')
  await page.click(selector)
  // A selector, not a function: the page's CSP forbids evaluating strings.
  const previous = before === null || before === '' ? '' : `:not([data-request-id="${before}"])`
  await page.waitForSelector(
    `#response[data-status="${status}"]:not([data-request-id=""])${previous}`
  )
  return (await page.getAttribute('#response', 'data-request-id')) as string
}

async function node(id: string, selector: string): Promise<Record<string, string | null>> {
  await page.waitForSelector(`#cycle[data-request-id="${id}"]`)
  const el = page.locator(`#cycle ${selector}`).first()
  return {
    state: await el.getAttribute('data-state'),
    name: await el.getAttribute('data-name'),
    outcome: await el.getAttribute('data-outcome'),
  }
}

describe('the Cycle Inspector in Chromium', () => {
  it('logs in, creates a note, breaks things, and draws each cycle as the server traced it', async () => {
    mkdirSync(RESULTS, { recursive: true })
    const served = await page.goto(`${running.url}/`)
    // The policy comes from securityHeaders(); the page's inline code carries its nonce.
    const csp = (await served?.headerValue('content-security-policy')) ?? ''
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*'/)
    expect(csp).toContain("default-src 'none'")
    await page.waitForSelector('#live.on')
    expect(await page.inputValue('#username')).toBe('demo')

    // Log in.
    await page.fill('#password', 'cycle-demo')
    const login = await click('#login-button', 200)
    await page.waitForSelector('#who.in')
    await expectDrawingMatchesServer(login)

    // Create a note: the list refreshes with it, and its POST is drawn through the whole cycle.
    await page.fill('#title', 'Seen in the browser')
    await page.fill('#body', 'drawn by the inspector')
    await page.click('#create-button')
    await page.waitForSelector('#notes li .note-title:text("Seen in the browser")')
    const post = [...serverTraces].find(
      ([, t]) => t.method === 'POST' && t.target === '/api/notes' && t.status === 201
    )
    expect(post).toBeDefined()
    await page.click(`.feed-item[data-request-id="${post![0]}"]`)
    expect(await expectDrawingMatchesServer(post![0])).toBeNull() // nothing turned it back
    expect(await node(post![0], '.node[data-group="view"]')).toEqual({
      state: 'ran',
      name: 'api:note-create',
      outcome: 'returned 201',
    })
    expect(await page.getAttribute('#cycle', 'data-status')).toBe('201')
    await page.screenshot({ path: `${RESULTS}inspector-201.png`, fullPage: true })

    // A bad token: authentication turns it back; format (listed before it) ran, so it renders core's 401.
    const badToken = await click('#bad-token', 401)
    expect(await expectDrawingMatchesServer(badToken)).toBe('authenticate')
    expect(await node(badToken, '.node[data-phase="render"][data-name="format"]')).toMatchObject({
      state: 'ran',
    })
    // The new middlewares are drawn like any other.
    for (const name of ['observe', 'securityHeaders', 'cors', 'csrf']) {
      expect(
        await node(badToken, `.node[data-phase="request"][data-name="${name}"]`)
      ).toMatchObject({
        state: 'ran',
      })
    }
    expect(
      await node(badToken, '.node[data-phase="response"][data-name="conditional"]')
    ).toMatchObject({ state: 'ran' })
    expect(await node(badToken, '.node[data-group="resolve"]')).toMatchObject({ state: 'skipped' })
    expect(await page.textContent('#cycle .turn-label')).toContain('401')

    // No token: resolution matched, the route's guard turned it back.
    const noToken = await click('#no-token', 401)
    expect(await expectDrawingMatchesServer(noToken)).toBe('requireAuth')

    // 404 from resolution, and 404 from the view.
    const noRoute = await click('#no-route', 404)
    await expectDrawingMatchesServer(noRoute)
    expect(await node(noRoute, '.node[data-group="resolve"]')).toMatchObject({
      state: 'turned',
      outcome: 'miss',
    })
    const missing = await click('#missing-note', 404)
    expect(await expectDrawingMatchesServer(missing)).toBe('api:note')

    // 422 from validation, 500 from a view.
    const invalid = await click('#invalid', 422)
    expect(await expectDrawingMatchesServer(invalid)).toBe('validate')
    const boom = await click('#boom', 500)
    expect(await expectDrawingMatchesServer(boom)).toBe('api:boom')
    expect(await node(boom, '.node[data-group="core"]')).toMatchObject({ state: 'core' })

    await page.click(`.feed-item[data-request-id="${badToken}"]`)
    await page.waitForSelector(`#cycle[data-request-id="${badToken}"]`)
    await page.screenshot({ path: `${RESULTS}inspector.png`, fullPage: true })
    // The feed never shows the page's own traffic (the page load and the event stream).
    const targets = await page.$$eval('.feed-item .target', (els) => els.map((e) => e.textContent))
    expect(targets).not.toContain('/')
    expect(targets).not.toContain('/inspector/events')

    // Nothing the page did was blocked by its Content-Security-Policy.
    expect(await page.evaluate('window.__cspViolations')).toEqual([])
    expect(cspConsole).toEqual([])
  })
})
