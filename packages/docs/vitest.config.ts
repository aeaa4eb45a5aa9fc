import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: '@cycle/docs',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // TypeDoc converts six packages: about 30 s on this machine.
    testTimeout: 180_000,
  },
})
