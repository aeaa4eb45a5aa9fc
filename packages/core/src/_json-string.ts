/**
 * @module
 * JSON string literals without `JSON.stringify` in the common case: most strings an API sends
 * (names, ids, slugs) need no escaping, so quotes around the text are the literal. Both the
 * interpreter and the generated serializers write strings through {@link quote}; the generated
 * flat path tests {@link plain} itself and folds the quotes into its constants.
 */

// Any character JSON.stringify would escape, and lone surrogates (well-formed JSON.stringify).
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/

/**
 * Whether `s` goes into JSON as is, between quotes. Short strings (names, ids) are checked by a
 * loop, cheaper than entering the regular expression engine; long ones by the expression.
 * @internal
 */
export function plain(s: string): boolean {
  const n = s.length
  if (n > 40) return !NEEDS_ESCAPE.test(s)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false
  }
  return true
}

/**
 * A JSON string literal: the common case is quotes around the text, no escaping.
 * @internal
 */
export function quote(s: string): string {
  return plain(s) ? `"${s}"` : JSON.stringify(s)
}
