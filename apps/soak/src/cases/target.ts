/**
 * @module
 * Hostile request lines and targets: malformed request lines, bad percent-encoding, bad Host,
 * absolute-form and asterisk-form targets, encoded slashes and dot segments.
 */
import { one, raw, type HostileClass } from './types'

export const requestLine: HostileClass = {
  name: 'request-line',
  cases: [
    one('request-line/garbage', () => 'HELLO\r\n\r\n', { expect: [400] }),
    one('request-line/unknown-method', (c) => raw(c, 'FOO', '/'), { expect: [400] }),
    one('request-line/lower-case-method', (c) => raw(c, 'get', '/'), { expect: [400] }),
    one('request-line/bad-version', (c) => raw(c, 'GET', '/', { version: 'HTTP/9.9' }), {
      expect: [400],
    }),
    one('request-line/no-version', () => 'GET /\r\n\r\n', { expect: [400] }),
    // llhttp reads a doubled space as one (RFC 9112 §3 lets a recipient be lenient here).
    one('request-line/double-space', (c) => `GET  / HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`, {
      expect: [200],
    }),
    one('request-line/nul-in-target', (c) => raw(c, 'GET', '/\0x'), { expect: [400] }),
    one('request-line/control-in-target', (c) => raw(c, 'GET', '/a\x7fb'), { expect: [400] }),
    one('request-line/bare-lf', (c) => `GET / HTTP/1.1\nHost: ${c.host}\n\n`, { expect: [400] }),
    one(
      'request-line/binary',
      () => Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0xff, 0x0d]),
      { expect: [400], closeOk: true }
    ),
    one('request-line/long-target', (c) => raw(c, 'GET', `/${'a'.repeat(20_000)}`), {
      expect: [431],
    }),
    // No 'connect' listener: node closes the connection without an answer.
    one('request-line/connect', (c) => raw(c, 'CONNECT', '127.0.0.1:443'), {
      expect: [],
      closeOk: true,
    }),
  ],
}

export const percentEncoding: HostileClass = {
  name: 'percent-encoding',
  cases: [
    one('percent-encoding/not-hex', (c) => raw(c, 'GET', '/%zz'), { expect: [400] }),
    one('percent-encoding/truncated', (c) => raw(c, 'GET', '/items/%E2%82/'), { expect: [400] }),
    one('percent-encoding/lone-percent', (c) => raw(c, 'GET', '/%'), { expect: [400] }),
    one('percent-encoding/overlong-utf8', (c) => raw(c, 'GET', '/%C0%AF'), { expect: [400] }),
    one('percent-encoding/invalid-utf8', (c) => raw(c, 'GET', '/files/%ff%fe'), { expect: [400] }),
    one('percent-encoding/encoded-nul', (c) => raw(c, 'GET', '/files/a%00b'), { expect: [200] }),
    one('percent-encoding/encoded-crlf', (c) => raw(c, 'GET', '/items/1%0D%0ASet-Cookie:x=1/'), {
      expect: [404],
    }),
    one('percent-encoding/raw-latin1', (c) => raw(c, 'GET', '/files/caf\xe9'), { expect: [400] }),
  ],
}

export const badHost: HostileClass = {
  name: 'host',
  cases: [
    one('host/foreign', (c) => raw(c, 'GET', '/', { host: 'evil.example' }), { expect: [400] }),
    one('host/missing', (c) => raw(c, 'GET', '/', { host: null }), { expect: [400] }),
    one('host/empty', (c) => raw(c, 'GET', '/', { host: '' }), { expect: [400] }),
    one('host/two', (c) => raw(c, 'GET', '/', { headers: [['Host', 'evil.example']] }), {
      expect: [400],
    }),
    one('host/userinfo', (c) => raw(c, 'GET', '/', { host: `user@${c.host}` }), { expect: [400] }),
    one('host/port-too-big', (c) => raw(c, 'GET', '/', { host: '127.0.0.1:99999' }), {
      expect: [400],
    }),
    one('host/port-not-numeric', (c) => raw(c, 'GET', '/', { host: '127.0.0.1:abc' }), {
      expect: [400],
    }),
    // The root label's dot: the same host as `localhost` (Django strips it too).
    one('host/trailing-dot', (c) => raw(c, 'GET', '/', { host: 'localhost.' }), { expect: [200] }),
    one('host/space', (c) => raw(c, 'GET', '/', { host: '127.0.0.1 evil' }), { expect: [400] }),
  ],
}

export const absoluteForm: HostileClass = {
  name: 'absolute-form',
  cases: [
    // The target's authority is the request's host (RFC 9112 §3.2.2), checked by allowedHosts.
    one('absolute-form/other-host', (c) => raw(c, 'GET', 'http://evil.example/items/1/'), {
      expect: [400],
    }),
    one('absolute-form/same-host', (c) => raw(c, 'GET', `http://${c.host}/items/1/`), {
      expect: [200],
    }),
    // An allowed host in the target wins over a foreign Host field (the target is the host).
    one(
      'absolute-form/target-host-wins',
      (c) => raw(c, 'GET', `http://${c.host}/items/1/`, { host: 'evil.example' }),
      { expect: [200] }
    ),
    one('absolute-form/https-other-host', (c) => raw(c, 'GET', 'https://evil.example:8443/'), {
      expect: [400],
    }),
    one('absolute-form/bad-port', (c) => raw(c, 'GET', 'http://127.0.0.1:99999/'), {
      expect: [400],
    }),
    one('absolute-form/asterisk-get', (c) => raw(c, 'GET', '*'), { expect: [400] }),
    // The server's options: 204 with Allow, no body.
    one('absolute-form/asterisk-options', (c) => raw(c, 'OPTIONS', '*'), { expect: [204] }),
    // A fragment is never part of the path: `/items/1/` is served.
    one('absolute-form/fragment', (c) => raw(c, 'GET', '/items/1/#frag'), { expect: [200] }),
  ],
}

export const encodedSlash: HostileClass = {
  name: 'encoded-slash',
  cases: [
    one('encoded-slash/in-path-param', (c) => raw(c, 'GET', '/files/a%2Fb'), { expect: [200] }),
    one('encoded-slash/lower-case', (c) => raw(c, 'GET', '/files/a%2fb'), { expect: [200] }),
    // `%2F` never separates segments: no route has a segment `items/7/`.
    one('encoded-slash/as-separator', (c) => raw(c, 'GET', '/items%2F7%2F'), { expect: [404] }),
    one('encoded-slash/as-separator-lower-case', (c) => raw(c, 'GET', '/items%2f7%2f'), {
      expect: [404],
    }),
    one('encoded-slash/post-route', (c) => raw(c, 'GET', '/echo%2F'), { expect: [404] }),
    // Dot segments, raw or encoded in any case, are refused rather than resolved.
    one('encoded-slash/dot-segment', (c) => raw(c, 'GET', '/items/7/%2e%2e/'), { expect: [400] }),
    one('encoded-slash/dot-segment-mixed', (c) => raw(c, 'GET', '/items/7/.%2E/'), {
      expect: [400],
    }),
    one('encoded-slash/single-dot', (c) => raw(c, 'GET', '/items/%2e/7/'), { expect: [400] }),
    one('encoded-slash/raw-dot-segments', (c) => raw(c, 'GET', '/files/../../etc/passwd'), {
      expect: [400],
    }),
    one('encoded-slash/encoded-traversal', (c) => raw(c, 'GET', '/files/..%2F..%2Fetc%2Fpasswd'), {
      expect: [200],
    }),
    one('encoded-slash/backslash', (c) => raw(c, 'GET', '/files/..\\..\\etc'), { expect: [200] }),
  ],
}
