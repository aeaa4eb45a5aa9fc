import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
  // Keep `node:` specifiers: Deno and Bun resolve them, and they cannot be shadowed by npm packages.
  removeNodeProtocol: false,
})
