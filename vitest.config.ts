import { defineConfig } from 'vitest/config'

// In CI a JSON report is written next to the normal output so .ci/run can print exact counts.
const ciReport = process.env['CYCLE_TEST_REPORT']

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: ciReport ? ['default', ['json', { outputFile: ciReport }]] : ['default'],
  },
})
