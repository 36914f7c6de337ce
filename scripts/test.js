#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts under node's test runner (TypeScript through tsx).
// Core and policy tests run on the embedded PGlite, or on PostgreSQL when DOMEN_TEST_DATABASE_URL is set
// (.ci/run does both). Pass file or folder names to run a subset: `npm test -- test/core`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const f of readdirSync(p).sort()) collect(path.join(p, f), out);
  } else if (p.endsWith('.test.ts')) out.push(p);
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const files = roots.flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const where = process.env.DOMEN_TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)';
console.log(`# domen tests on ${where}: ${files.length} files`);
// Migrated, seeded PGlite snapshots shared by the test files of this run only (test/helpers/registry.ts).
const templates = mkdtempSync(path.join(os.tmpdir(), 'domen-test-templates-'));
// Two files at a time: much of the suite waits on child processes (the CLI, knotd, chromium) and sockets, so a
// second file uses the time; DOMEN_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = Math.max(1, Number(process.env.DOMEN_TEST_CONCURRENCY) || 2);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, DOMEN_TEST_TEMPLATE_DIR: templates },
});
rmSync(templates, { recursive: true, force: true });
process.exit(r.status ?? 1);
