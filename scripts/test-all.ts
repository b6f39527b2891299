/**
 * `npm test`: every tier, one after another, then one line `N passed, N failed`.
 *   types   tsc --noEmit
 *   unit    pure functions
 *   db, api on the embedded engine, and again on real PostgreSQL + PostGIS when DATABASE_URL is set
 *   e2e     the app in Debian's Chromium
 * A tier that cannot run (no DATABASE_URL, no Chromium) is skipped with a note, or counted as a
 * failure when REQUIRE_ALL_TIERS=1 (CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const requireAll = process.env.REQUIRE_ALL_TIERS === '1';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'remap-test-results-'));
const vitest = 'node_modules/vitest/vitest.mjs';

interface Tier {
  name: string;
  run?: () => { passed: number; failed: number };
  missing?: string;
}

function vitestTier(project: string, engine?: 'embedded' | 'postgres'): () => { passed: number; failed: number } {
  return () => {
    const file = join(out, `${project}-${engine ?? 'none'}.json`);
    const env = { ...process.env, ...(engine ? { TEST_ENGINE: engine } : {}) };
    const r = spawnSync(process.execPath, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], { stdio: 'inherit', env });
    if (!existsSync(file)) return { passed: 0, failed: 1 }; // vitest itself failed to run
    const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; testResults: { status: string }[] };
    // A file that fails to load (syntax error, failing beforeAll) has no failed tests but a failed suite.
    const brokenFiles = report.testResults.filter((t) => t.status === 'failed').length;
    const failed = Math.max(report.numFailedTests, r.status === 0 ? 0 : 1, report.numFailedTests ? 0 : brokenFiles);
    return { passed: report.numPassedTests, failed };
  };
}

const tiers: Tier[] = [
  {
    name: 'types',
    run: () => {
      const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' });
      return r.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
    },
  },
  { name: 'unit', run: vitestTier('unit') },
  { name: 'db (embedded)', run: vitestTier('db', 'embedded') },
  { name: 'api (embedded)', run: vitestTier('api', 'embedded') },
  process.env.DATABASE_URL
    ? { name: 'db (postgres)', run: vitestTier('db', 'postgres') }
    : { name: 'db (postgres)', missing: 'DATABASE_URL is not set' },
  process.env.DATABASE_URL
    ? { name: 'api (postgres)', run: vitestTier('api', 'postgres') }
    : { name: 'api (postgres)', missing: 'DATABASE_URL is not set' },
  existsSync(chromium)
    ? { name: 'e2e', run: vitestTier('e2e') }
    : { name: 'e2e', missing: `no Chromium at ${chromium} (apt-get install chromium)` },
];

let passed = 0;
let failed = 0;
const lines: string[] = [];
for (const tier of tiers) {
  if (!tier.run) {
    if (requireAll) failed++;
    lines.push(`${tier.name}: ${requireAll ? 'FAILED' : 'skipped'} (${tier.missing})`);
    continue;
  }
  console.log(`\n=== ${tier.name} ===`);
  const started = Date.now();
  const r = tier.run();
  passed += r.passed;
  failed += r.failed;
  lines.push(`${tier.name}: ${r.passed} passed, ${r.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
console.log(`\n${lines.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
