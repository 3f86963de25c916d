// Sums the jest JSON reports of every stage into one closing line.
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, ...failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests || 0);
  // A suite that failed to run (syntax error, setup failure) counts as a failure.
  failed += report.testResults.filter(
    r => r.status === 'failed' && r.assertionResults.length === 0
  ).length;
}
// A stage that failed without a report of its own (lint, build, a crash) is a failure too.
const reported = new Set(
  (fs.existsSync(dir) ? fs.readdirSync(dir) : []).map(f => path.basename(f, '.json'))
);
for (const stage of failedStages) {
  console.log(`stage failed: ${stage}`);
  const key = stage.split(' ')[0].replace('end-to-end', 'e2e');
  if (!reported.has(key)) {
    failed += 1;
  }
}
// jest's coverage summaries of this run (test-all.sh clears coverage/ first)
for (const part of ['service', 'extension']) {
  const file = path.join(__dirname, '..', 'coverage', part, 'coverage-summary.json');
  if (fs.existsSync(file)) {
    const { total } = JSON.parse(fs.readFileSync(file, 'utf8'));
    console.log(
      `coverage of the ${part}: lines ${total.lines.pct}%, branches ${total.branches.pct}%` +
        (part === 'service' ? ' (at least 90% of lines required)' : '')
    );
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedStages.length > 0 ? 1 : 0);
