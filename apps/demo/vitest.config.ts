import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@cycle/source', 'module', 'node', 'development|production'] } },
  test: { name: '@cycle/demo', include: ['src/**/*.test.ts'], environment: 'node' },
})
