import { defineProject } from 'vitest/config'

export default defineProject({
  // Resolve workspace deps to src/ (see "@cycle/source" in the packages' exports).
  // Vite replaces the default list when this is set, so restate the defaults too.
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: {
    name: '@cycle/soak',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // A child server and real sockets on a shared 2-core machine: bounded, with room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
