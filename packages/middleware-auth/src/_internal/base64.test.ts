import { describe, expect, it } from 'vitest'
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from './base64'

describe('base64 codecs', () => {
  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i)
    expect(decodeBase64(encodeBase64(all))).toEqual(all)
    expect(decodeBase64Url(encodeBase64Url(all))).toEqual(all)
  })

  it('encodes base64url without padding or +/', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
  })

  it('refuses what atob would quietly accept', () => {
    expect(decodeBase64('YWJj ZA==')).toBeNull() // whitespace
    expect(decodeBase64('YWJjZA')).toBeNull() // missing padding
    expect(decodeBase64('YW=jZA==')).toBeNull() // padding in the middle
    expect(decodeBase64('YWJj_A==')).toBeNull() // base64url alphabet
    expect(decodeBase64Url('YWJjZA==')).toBeNull() // padding
    expect(decodeBase64Url('YWJjZ')).toBeNull() // impossible length
    expect(decodeBase64Url('a+b/')).toBeNull() // standard alphabet
  })
})
