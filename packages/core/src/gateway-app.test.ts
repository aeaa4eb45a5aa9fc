import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from './app'
import { ImproperlyConfigured } from './codes'
import { assertGatewayApp, compileGatewayOptions, type GatewayOptions } from './gateway-app'
import { DEFAULT_BODY_LIMIT } from './request'
import { text } from './response'
import { path } from './urls/conf'
import { WebRequest } from './web-request'

const request = () => new WebRequest(new Request('http://localhost/x?y=1'))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('assertGatewayApp', () => {
  it('accepts an app and anything with handle()', () => {
    expect(() => assertGatewayApp(createApp({ urls: [] }), 'serve(app)')).not.toThrow()
    expect(() => assertGatewayApp({ handle: () => text('x') }, 'serve(app)')).not.toThrow()
  })

  it('refuses the rest with ImproperlyConfigured naming the caller', () => {
    for (const app of [undefined, null, {}, { handle: 'x' }, 42]) {
      let error: unknown
      try {
        assertGatewayApp(app, 'toFetchHandler(app)')
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(ImproperlyConfigured)
      expect((error as ImproperlyConfigured).code).toBe('ERR_BAD_OPTION')
      expect((error as Error).message).toMatch(/^toFetchHandler\(app\) needs an app with a handle/)
    }
  })
})

describe('compileGatewayOptions', () => {
  it('applies the defaults: 1 MiB, trust nobody, no signal', () => {
    const config = compileGatewayOptions(undefined, {}, 'gw')
    expect(config.bodyLimit).toBe(DEFAULT_BODY_LIMIT)
    expect(config.trust).toBeNull()
    expect(config.signal).toBeUndefined()
  })

  it('compiles trustProxy', () => {
    const config = compileGatewayOptions(undefined, { trustProxy: ['10.0.0.0/8'] }, 'gw')
    expect(config.trust?.('10.0.0.1', 0)).toBe(true)
  })

  it('refuses bad options with the gateway name and what to fix', () => {
    const cases: [unknown, RegExp][] = [
      [{ bodyLimit: -1 }, /^gw: bodyLimit must be a number of bytes ≥ 0, got -1/],
      [{ bodyLimit: '1mb' }, /bodyLimit/],
      [{ onError: 'log' }, /^gw: onError must be a function/],
      [{ signal: {} }, /^gw: signal must be an AbortSignal/],
      [{ signal: { aborted: false } }, /signal must be an AbortSignal/],
      [{ trustProxy: 'yes' }, /^trustProxy: /],
    ]
    for (const [options, message] of cases) {
      expect(() => compileGatewayOptions(undefined, options as GatewayOptions, 'gw')).toThrow(
        message
      )
      expect(() => compileGatewayOptions(undefined, options as GatewayOptions, 'gw')).toThrow(
        ImproperlyConfigured
      )
    }
  })
})

describe('the reporting path', () => {
  it("tells the app's requestException listeners once, then onError", () => {
    const app = createApp({ urls: [path('', () => text('x'))] })
    const calls: string[] = []
    app.on('requestException', (_req, error) => calls.push(`listener ${(error as Error).message}`))
    const { report } = compileGatewayOptions(
      app,
      { onError: (error) => calls.push(`onError ${(error as Error).message}`) },
      'gw'
    )
    report(new Error('broke'), request())
    expect(calls).toEqual(['listener broke', 'onError broke'])
  })

  it('reports server-level errors (no request) to onError only', () => {
    const reportException = vi.fn()
    const onError = vi.fn()
    const { report } = compileGatewayOptions(
      { handle: () => text('x'), reportException },
      { onError },
      'gw'
    )
    const error = new Error('EMFILE')
    report(error, null)
    expect(reportException).not.toHaveBeenCalled()
    expect(onError).toHaveBeenCalledWith(error, null)
  })

  it('never throws, even when the app and onError do', () => {
    const onError = vi.fn(() => {
      throw new Error('broken handler')
    })
    const app = {
      handle: () => text('x'),
      reportException: (): void => {
        throw new Error('broken listener')
      },
    }
    const { report } = compileGatewayOptions(app, { onError }, 'gw')
    expect(() => report(new Error('x'), request())).not.toThrow()
    expect(onError).toHaveBeenCalledOnce()
  })

  it('logs with console.error by default, naming the gateway and the request', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const error = new Error('x')
    compileGatewayOptions(undefined, {}, 'gateway-test').report(error, request())
    expect(log).toHaveBeenCalledWith('[cycle/gateway-test] unhandled error (GET /x?y=1):', error)
  })
})
