// Reads a vitest JSON report into the counts of the closing "N passed, N failed" line.
import { existsSync, readFileSync } from 'node:fs';

export function summarizeVitest(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let failed = report.numFailedTests ?? 0;
  // A suite that fails to load has no failed test of its own; it still has to count as a failure.
  if (failed === 0 && report.success === false) failed = Math.max(1, report.numFailedTestSuites ?? 0);
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}
