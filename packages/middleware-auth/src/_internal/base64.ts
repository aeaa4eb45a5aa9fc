/**
 * @module
 * Strict base64 and base64url codecs over `atob`/`btoa`, which every runtime has (no `Buffer`).
 * `atob` alone is lenient (it skips whitespace and accepts missing padding), so inputs are checked
 * against the exact alphabet first: a malformed credential is refused, never "repaired".
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const BASE64URL = /^[A-Za-z0-9_-]*$/

/** Bytes over a plain `ArrayBuffer`, which WebCrypto's `BufferSource` requires. */
export type Bytes = Uint8Array<ArrayBuffer>

function binaryToBytes(binary: string): Bytes {
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function bytesToBinary(bytes: Uint8Array): string {
  let binary = ''
  // Chunked so huge inputs never hit the argument-count limit of String.fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return binary
}

/** Decodes padded standard base64 (RFC 4648 §4); `null` when malformed. */
export function decodeBase64(input: string): Bytes | null {
  if (!BASE64.test(input)) return null
  return binaryToBytes(atob(input))
}

/** Decodes unpadded base64url (RFC 4648 §5); `null` when malformed. */
export function decodeBase64Url(input: string): Bytes | null {
  // A length of 1 mod 4 can never come from whole bytes.
  if (!BASE64URL.test(input) || input.length % 4 === 1) return null
  return binaryToBytes(atob(input.replace(/-/g, '+').replace(/_/g, '/')))
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(bytesToBinary(bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  return btoa(bytesToBinary(bytes))
}
