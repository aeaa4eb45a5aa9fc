/**
 * @module
 * The HTML and plain-text representations of a document. Both work on the JSON-safe tree that
 * serialization already produced (no cycles, bounded depth), and the HTML one escapes every
 * string that came from data: keys, values and the title alike.
 */
import { escapeHtml } from '@cycle/core'
import type { PlainValue } from './serialize'

/** Columns shown when a list of objects is drawn as a table; wider lists fall back to a list. */
const MAX_COLUMNS = 12

function isRecord(v: PlainValue): v is { [key: string]: PlainValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function scalarHtml(v: null | boolean | number | string): string {
  if (v === null) return '<span class="null">null</span>'
  if (typeof v === 'string') return escapeHtml(v)
  return `<span class="${typeof v}">${String(v)}</span>`
}

/** Keys of a list of objects, when it reads well as a table (all objects, few columns). */
function columns(items: readonly PlainValue[]): string[] | null {
  if (items.length === 0) return null
  const keys = new Set<string>()
  for (const item of items) {
    if (!isRecord(item)) return null
    for (const k of Object.keys(item)) {
      keys.add(k)
      if (keys.size > MAX_COLUMNS) return null
    }
  }
  return Array.from(keys)
}

/** Renders a value as nested HTML: objects as `<dl>`, lists of objects as tables, lists as `<ol>`. */
export function valueToHtml(v: PlainValue): string {
  if (!(typeof v === 'object' && v !== null)) return scalarHtml(v)
  if (Array.isArray(v)) {
    if (v.length === 0) return '<em>empty list</em>'
    const cols = columns(v)
    if (cols !== null) {
      const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')
      const rows = v
        .map((row) => {
          const rec = row as { [key: string]: PlainValue }
          const cells = cols.map(
            (c) => `<td>${c in rec ? valueToHtml(rec[c] as PlainValue) : ''}</td>`
          )
          return `<tr>${cells.join('')}</tr>`
        })
        .join('')
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
    }
    return `<ol>${v.map((item) => `<li>${valueToHtml(item)}</li>`).join('')}</ol>`
  }
  const keys = Object.keys(v)
  if (keys.length === 0) return '<em>empty</em>'
  const items = keys.map(
    (k) => `<dt>${escapeHtml(k)}</dt><dd>${valueToHtml(v[k] as PlainValue)}</dd>`
  )
  return `<dl>${items.join('')}</dl>`
}

const STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}' +
  'dl{margin:0;padding-left:1rem;border-left:2px solid #ddd}dt{font-weight:600}dd{margin:0 0 .4rem 1rem}' +
  'table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}' +
  '.null{color:#999}.number,.boolean{color:#05a}h1.error{color:#b00}.sub{color:#666}'

/**
 * A complete, escaped HTML page for a document.
 *
 * @param doc the shaped document (envelope or problem)
 * @param title the page heading (`200 OK`, `404 Not Found`), plain text
 * @param subtitle a second line (`GET /notes/`), plain text
 * @param error whether the document is an error (styles the heading)
 */
export function renderHtml(
  doc: PlainValue,
  title: string,
  subtitle: string,
  error: boolean
): string {
  const t = escapeHtml(title)
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${t}</title>` +
    `<style>${STYLE}</style></head><body><h1${error ? ' class="error"' : ''}>${t}</h1>` +
    `<p class="sub">${escapeHtml(subtitle)}</p>${valueToHtml(doc)}</body></html>\n`
  )
}

function scalarText(v: null | boolean | number | string, indent: string): string {
  if (typeof v !== 'string') return String(v)
  // Continuation lines keep the indentation so a multi-line string stays under its key.
  return v.replace(/\r?\n/g, `\n${indent}  `)
}

function textLines(v: PlainValue, indent: string, out: string[], prefix: string): void {
  if (!(typeof v === 'object' && v !== null)) {
    out.push(`${prefix}${scalarText(v, indent)}`)
    return
  }
  const entries: [string, PlainValue][] = Array.isArray(v)
    ? v.map((item) => ['-', item])
    : Object.keys(v).map((k) => [`${k}:`, v[k] as PlainValue])
  if (entries.length === 0) {
    out.push(`${prefix}${Array.isArray(v) ? '[]' : '{}'}`)
    return
  }
  if (prefix !== '') out.push(prefix.trimEnd())
  for (const [label, item] of entries) {
    const nested = typeof item === 'object' && item !== null
    const empty =
      nested && (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)
    if (nested && !empty) textLines(item, `${indent}  `, out, `${indent}${label} `)
    else textLines(item, indent, out, `${indent}${label} `)
  }
}

/**
 * A readable plain-text rendering: `key: value` lines, `- item` for lists, nesting by two spaces.
 *
 * @example
 * ```ts
 * renderText({ data: { id: 1, tags: ['a'] } })
 * // 'data:\n  id: 1\n  tags:\n    - a\n'
 * ```
 */
export function renderText(doc: PlainValue): string {
  const out: string[] = []
  textLines(doc, '', out, '')
  return out.join('\n') + '\n'
}
