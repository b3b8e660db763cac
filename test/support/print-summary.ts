// Prints the plain closing line CI reads ("<label>: N passed, N failed") from a vitest or Playwright JSON report.
import { readFileSync } from 'node:fs'

const [file = 'test-results/vitest.json', label = 'tests'] = process.argv.slice(2)
const report = JSON.parse(readFileSync(file, 'utf8')) as {
  numPassedTests?: number
  numFailedTests?: number
  numPendingTests?: number
  stats?: { expected: number; unexpected: number; flaky: number; skipped: number }
}
const passed = report.stats ? report.stats.expected + report.stats.flaky : (report.numPassedTests ?? 0)
const failed = report.stats ? report.stats.unexpected : (report.numFailedTests ?? 0)
const skipped = report.stats ? report.stats.skipped : (report.numPendingTests ?? 0)
console.log(`${label}: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
