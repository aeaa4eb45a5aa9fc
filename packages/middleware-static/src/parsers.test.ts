/** The small parsers on their own: Range, Accept-Encoding, media types, path segments. */
import { BadRequest } from '@cycle/core'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acceptedCodings } from './encoding'
import { contentTypeFor, DEFAULT_TYPE } from './mime'
import { parseRange } from './range'
import { safeSegments } from './safe-path'
import { serveStatic, staticView } from './serve'

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', 1000, [{ start: 0, end: 99 }]],
    ['bytes=0-0', 1000, [{ start: 0, end: 0 }]],
    ['bytes=990-', 1000, [{ start: 990, end: 999 }]],
    ['bytes=-100', 1000, [{ start: 900, end: 999 }]],
    ['bytes=-5000', 1000, [{ start: 0, end: 999 }]],
    ['bytes=500-5000', 1000, [{ start: 500, end: 999 }]],
    ['Bytes = 1 - 2 ', 1000, [{ start: 1, end: 2 }]],
    [
      'bytes=0-1,3-4',
      1000,
      [
        { start: 0, end: 1 },
        { start: 3, end: 4 },
      ],
    ],
    [
      'bytes=0-1, ,5-6',
      1000,
      [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
      ],
    ],
    ['bytes=0-1,2000-3000', 1000, [{ start: 0, end: 1 }]],
    ['bytes=1000-', 1000, 'unsatisfiable'],
    ['bytes=1000-2000', 1000, 'unsatisfiable'],
    ['bytes=2000-,3000-', 1000, 'unsatisfiable'],
    ['bytes=-0', 1000, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=-1', 0, 'unsatisfiable'],
    ['bytes=5-2', 1000, undefined],
    ['bytes=-', 1000, undefined],
    ['bytes=0-5,3-8', 1000, undefined],
    ['bytes=5-6,0-1', 1000, undefined],
    ['bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16', 1000, undefined],
    ['bytes=0-1,x', 1000, undefined],
    ['bytes=1.5-2', 1000, undefined],
    ['items=0-1', 1000, undefined],
    ['bytes 0-1', 1000, undefined],
    ['', 1000, undefined],
  ] as const)('%s of %d bytes → %j', (field, size, want) => {
    expect(parseRange(field, size)).toEqual(want)
  })
})

describe('acceptedCodings', () => {
  it.each([
    [null, []],
    ['', []],
    ['gzip, deflate, br', ['br', 'gzip']],
    ['gzip', ['gzip']],
    ['x-gzip', ['gzip']],
    ['br;q=0, gzip', ['gzip']],
    ['gzip;q=1, br;q=0.5', ['gzip', 'br']],
    ['*', ['br', 'gzip']],
    ['br;q=0, *', ['gzip']],
    ['*;q=0', []],
    ['identity', []],
    ['BR ; Q=0.9', ['br']],
    ['gzip;q=nonsense', []],
    ['gzip;q=2', []],
  ] as const)('%j → %j', (field, want) => {
    expect(acceptedCodings(field)).toEqual(want)
    // The cached answer is the same.
    expect(acceptedCodings(field)).toEqual(want)
  })
})

describe('contentTypeFor', () => {
  it('by extension, case-insensitively, charset on text types only', () => {
    expect(contentTypeFor('a/b/app.JS')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('photo.webp')).toBe('image/webp')
    expect(contentTypeFor('font.woff2')).toBe('font/woff2')
    expect(contentTypeFor('icon.svg')).toBe('image/svg+xml; charset=utf-8')
  })

  it('unknown, absent, or a dot only in a folder name: octet-stream', () => {
    expect(contentTypeFor('README')).toBe(DEFAULT_TYPE)
    expect(contentTypeFor('v1.2/README')).toBe(DEFAULT_TYPE)
    expect(contentTypeFor('x.unknownext')).toBe(DEFAULT_TYPE)
    // Not fooled by Object.prototype members.
    expect(contentTypeFor('x.constructor')).toBe(DEFAULT_TYPE)
    expect(contentTypeFor('x.__proto__')).toBe(DEFAULT_TYPE)
  })

  it('extra entries win over the table', () => {
    expect(contentTypeFor('m.glb', { glb: 'model/gltf-binary' })).toBe('model/gltf-binary')
    expect(contentTypeFor('a.js', { js: 'application/javascript' })).toBe('application/javascript')
  })
})

describe('safeSegments', () => {
  it('splits a clean path; a trailing slash leaves an empty last segment', () => {
    expect(safeSegments('a/b.txt')).toEqual(['a', 'b.txt'])
    expect(safeSegments('docs/')).toEqual(['docs', ''])
    expect(safeSegments('')).toEqual([''])
    expect(safeSegments('%2e%2e')).toEqual(['%2e%2e'])
    expect(safeSegments('100%25.txt')).toEqual(['100%25.txt'])
  })

  it('a ":" (drive letter, alternate data stream) is refused on Windows only', () => {
    expect(() => safeSegments('C:/Windows/win.ini', true)).toThrow(BadRequest)
    expect(() => safeSegments('report.txt::$DATA', true)).toThrow(BadRequest)
    expect(safeSegments('a:b.txt', false)).toEqual(['a:b.txt'])
  })

  it.each([
    '..',
    'a/../b',
    '.',
    'a/./b',
    'a\\b',
    '..\\x',
    'a\0b',
    '/etc/passwd',
    'a//b',
    'a%2Fb',
    'a%2fb',
    '..%2F',
  ])('refuses %j with a 400', (rel) => {
    expect(() => safeSegments(rel)).toThrow(BadRequest)
  })
})

describe('options are checked at startup', () => {
  it('a missing root, a bad prefix, a bad policy throw a TypeError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycle-static-opt-'))
    try {
      expect(() => serveStatic({ root: join(dir, 'nope') })).toThrow(/does not exist/)
      expect(() => staticView({ root: join(dir, 'nope') })).toThrow(TypeError)
      expect(() => serveStatic({ root: dir, prefix: 'static' })).toThrow(/prefix/)
      expect(() => serveStatic({ root: dir, prefix: '/static' })).toThrow(/prefix/)
      // @ts-expect-error: not a policy
      expect(() => serveStatic({ root: dir, dotfiles: 'maybe' })).toThrow(/dotfiles/)
      // @ts-expect-error: not a policy
      expect(() => serveStatic({ root: dir, symlinks: 'always' })).toThrow(/symlinks/)
      expect(() => serveStatic({ root: dir, index: '../x.html' })).toThrow(/index/)
      expect(() => serveStatic({ root: dir, cacheControl: [['', 'x']] })).toThrow(/pattern/)
      expect(serveStatic({ root: dir }).name).toBe('serveStatic')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
