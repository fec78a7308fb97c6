/**
 * Adds one plain closing line after Jest's own summary, e.g.
 * "Tests: 664 passed, 0 failed", so CI systems that read a runner-neutral
 * "N passed, N failed" line get the real counts. Counts come from Jest's
 * aggregated results; a suite that fails to load counts as failed.
 */
const { writeSync } = require('node:fs');

class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed${tail}\n`;
    // Jest prints its own summary after custom reporters; writing at exit keeps this line last.
    process.once('exit', () => writeSync(1, line));
  }
}
module.exports = ClosingLineReporter;
