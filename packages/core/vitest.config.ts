import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: {
    name: '@cycle/core',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
