import { describe, expect, it } from 'vitest'
import { isToken } from './index'

describe('isToken (RFC 9110 §5.6.2)', () => {
  it('accepts every tchar and refuses everything else, one character at a time', () => {
    const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    for (let c = 0; c < 0x300; c++) {
      const ch = String.fromCharCode(c)
      expect(isToken(ch), JSON.stringify(ch)).toBe(tchars.includes(ch))
      expect(isToken(`X-${ch}-Y`), JSON.stringify(ch)).toBe(tchars.includes(ch))
    }
  })

  it('takes the names the packages check with it, and refuses the empty string', () => {
    for (const ok of ['X-Request-Id', 'GET', 'PROPFIND', 'Bearer', 'sessionid', 'csrftoken', 'db'])
      expect(isToken(ok)).toBe(true)
    for (const bad of ['', 'bad name', 'a:b', 'a\r\nb', 'ä', '"quoted"', 'a,b', '(x)'])
      expect(isToken(bad)).toBe(false)
  })
})
