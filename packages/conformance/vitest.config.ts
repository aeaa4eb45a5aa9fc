import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: {
    name: '@cycle/conformance',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each suite starts a runtime in beforeAll; startup itself is bounded at 30 s in the launcher.
    hookTimeout: 45_000,
    testTimeout: 15_000,
  },
})
