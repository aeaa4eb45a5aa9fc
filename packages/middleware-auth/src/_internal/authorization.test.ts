import { describe, expect, it } from 'vitest'
import { credentialsFor } from './authorization'
import { challenge, description, extendChallenge } from './challenge'

describe('credentialsFor', () => {
  it('matches the scheme case-insensitively and trims', () => {
    expect(credentialsFor('Bearer abc', 'Bearer')).toBe('abc')
    expect(credentialsFor('bEaReR   abc  ', 'Bearer')).toBe('abc')
    expect(credentialsFor('Bearer\tabc', 'Bearer')).toBe('abc')
  })

  it('returns null for another scheme and "" for a bare scheme', () => {
    expect(credentialsFor('Basic abc', 'Bearer')).toBeNull()
    expect(credentialsFor('BearerX abc', 'Bearer')).toBeNull()
    expect(credentialsFor('Bearer', 'Bearer')).toBe('')
    expect(credentialsFor('  Bearer  ', 'Bearer')).toBe('')
    expect(credentialsFor('', 'Bearer')).toBeNull()
  })
})

describe('challenges', () => {
  it('quotes parameters and leaves undefined ones out', () => {
    expect(challenge('Basic', { realm: 'a "b" \\c', charset: 'UTF-8', x: undefined })).toBe(
      'Basic realm="a \\"b\\" \\\\c", charset="UTF-8"'
    )
    expect(challenge('Bearer', {})).toBe('Bearer')
  })

  it('extends a bare and a parameterised challenge', () => {
    expect(extendChallenge('Bearer', { error: 'invalid_token' })).toBe(
      'Bearer error="invalid_token"'
    )
    expect(extendChallenge('Bearer realm="api"', { error: 'invalid_token' })).toBe(
      'Bearer realm="api", error="invalid_token"'
    )
  })

  it('keeps error_description inside the RFC 6750 character set', () => {
    expect(description('bad "claim" \\ é\r\n')).toBe("bad 'claim' ' '''")
  })
})
