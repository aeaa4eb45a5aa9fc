/**
 * The README's examples are code users copy: each ```ts block is type-checked against this
 * package's source and core's, with the repository's compiler options, so an example that no
 * longer compiles (a renamed option, a wrong import) fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'

const PKG = resolve(import.meta.dirname, '..')
const readme = readFileSync(join(PKG, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
// Inside the package, so that '@cycle/core' and 'pino' resolve as they do for its sources.
const dir = mkdtempSync(join(PKG, 'src', '.readme-'))

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('README examples', () => {
  it('has examples, each importing what it uses', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const b of blocks) expect(b).toMatch(/^import .* from '@cycle\/middleware-observe'$/m)
  })

  it('type-checks every example', () => {
    const files = blocks.map((code, i) => {
      const file = join(dir, `example${i}.ts`)
      // The package itself resolves to this source tree, as a user's import resolves to dist.
      writeFileSync(
        file,
        `${code.replaceAll("'@cycle/middleware-observe'", "'../index'")}\nexport {}\n`
      )
      return file
    })
    const config = ts.getParsedCommandLineOfConfigFile(
      join(PKG, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      }
    ) as ts.ParsedCommandLine
    const program = ts.createProgram(files, { ...config.options, noEmit: true })
    const messages = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(resolve(d.file.fileName)))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(messages).toEqual([])
    // A whole program with core's types: slow on a shared machine, hence the timeout.
  }, 60_000)
})
