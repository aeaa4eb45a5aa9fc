import { defineProject } from 'vitest/config'

export default defineProject({
  // Resolve workspace deps to src/ (see "@cycle/source" in package.json exports).
  // Vite replaces the default list when this is set, so restate the defaults too.
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: {
    name: '@cycle/middleware-compress',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
  },
})
