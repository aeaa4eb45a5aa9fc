import { describe, expect, it } from 'vitest'
import { loadSettings, LOOPBACK_HOSTS } from './settings'

describe('loadSettings()', () => {
  it('has the documented defaults', () => {
    const s = loadSettings({})
    expect(s).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: null,
      store: 'sqlite',
      demoUser: 'demo',
      demoPassword: 'cycle-demo',
      jwtSecretFromEnv: false,
      tokenTtl: 3600,
      allowedHosts: [...LOOPBACK_HOSTS],
      debugRoutes: true,
      debug: false,
      passwordIterations: 100_000,
      quiet: false,
      bodyLimit: 65536,
      corsOrigins: [],
    })
    expect(s.jwtSecret).toMatch(/^[0-9a-f]{64}$/)
    expect(loadSettings({}).jwtSecret).not.toBe(s.jwtSecret)
  })

  it('reads the environment', () => {
    const s = loadSettings({
      HOST: '0.0.0.0',
      PORT: '8080',
      CYCLE_DEMO_DATA: '/tmp/x',
      CYCLE_DEMO_STORE: 'memory',
      CYCLE_DEMO_USER: 'ada',
      CYCLE_DEMO_PASSWORD: 'pw',
      CYCLE_DEMO_JWT_SECRET: 's'.repeat(32),
      CYCLE_DEMO_ALLOWED_HOSTS: ' Notes.Example , .local ',
      CYCLE_DEMO_QUIET: 'yes',
    })
    expect(s).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/tmp/x',
      store: 'memory',
      demoUser: 'ada',
      demoPassword: 'pw',
    })
    expect(s.jwtSecret).toBe('s'.repeat(32))
    expect(s.allowedHosts).toEqual([...LOOPBACK_HOSTS, 'notes.example', '.local'])
    // Off a loopback address the deliberate 500 is opt-in.
    expect(s.debugRoutes).toBe(false)
    expect(s.quiet).toBe(true)
    expect(loadSettings({ HOST: '0.0.0.0', CYCLE_DEMO_DEBUG_ROUTES: '1' }).debugRoutes).toBe(true)
  })

  it('names the variable of a bad value', () => {
    expect(() => loadSettings({ PORT: 'http' })).toThrow(/PORT must be an integer/)
    expect(() => loadSettings({ PORT: '70000' })).toThrow(/PORT/)
    expect(() => loadSettings({ CYCLE_DEMO_JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/)
    expect(() => loadSettings({ CYCLE_DEMO_STORE: 'postgres' })).toThrow(/CYCLE_DEMO_STORE/)
    expect(() => loadSettings({ CYCLE_DEMO_DEBUG: 'maybe' })).toThrow(
      /CYCLE_DEMO_DEBUG must be 1 or 0/
    )
    expect(() => loadSettings({ CYCLE_DEMO_USER: 'no spaces' })).toThrow(/CYCLE_DEMO_USER/)
    for (const bad of ['localhost:5173', 'http://a.example/path', 'ftp://a.example', '*']) {
      expect(() => loadSettings({ CYCLE_DEMO_CORS_ORIGINS: bad }), bad).toThrow(
        /CYCLE_DEMO_CORS_ORIGINS/
      )
    }
    expect(
      loadSettings({ CYCLE_DEMO_CORS_ORIGINS: 'http://localhost:5173, https://app.example/' })
        .corsOrigins
    ).toEqual(['http://localhost:5173', 'https://app.example'])
    expect(() => loadSettings({ CYCLE_DEMO_TOKEN_TTL: '1' })).toThrow(/CYCLE_DEMO_TOKEN_TTL/)
  })
})
