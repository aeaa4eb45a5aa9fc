import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: '@cycle/docs',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // TypeDoc converts seven packages: 30 to 70 s on this machine.
    testTimeout: 180_000,
  },
})
