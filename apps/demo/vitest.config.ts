import { defineProject } from 'vitest/config'

export default defineProject({
  // Resolve workspace deps to src/ (see "@cycle/source" in the packages' exports).
  // Vite replaces the default list when this is set, so restate the defaults too.
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: {
    name: '@cycle/demo',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Installs Debian's Chromium for the browser test when it is missing (once per machine).
    globalSetup: ['test/global-setup.ts'],
    // Real sockets, PBKDF2 and a real browser on a shared 2-core machine: generous but bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
