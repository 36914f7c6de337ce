// The lifecycle commands as an operator types them, on the embedded database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliHarness, show } from '../cli/harness.ts';

let h: CliHarness;
before(async () => {
  h = await CliHarness.create();
  const m = await h.run(['migrate']);
  assert.equal(m.code, 0, show(m));
});
after(async () => { await h?.cleanup(); });

test('worker once --at runs every timer as of that instant; a malformed time is refused', async () => {
  const r = await h.run(['worker', 'once', '--at', '2027-03-01T09:00:00Z', '--json']);
  assert.equal(r.code, 0, show(r));
  const out = JSON.parse(r.stdout) as { at: string; results: { name: string; clause: string; done: number }[] };
  assert.equal(out.at, '2027-03-01T09:00:00.000Z');
  assert.deepEqual(out.results.map((x) => x.name).slice(0, 3), ['transfer-auto-approval', 'identity-verification', 'accuracy-restoration']);
  const bad = await h.run(['worker', 'once', '--at', 'next tuesday']);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /--at wants an ISO 8601 time/);
});

test('user create reads the password from a file; suspend needs a ground of R7.4', async () => {
  const dir = await h.tempDir();
  const pw = path.join(dir, 'pw');
  writeFileSync(pw, 'Reviewer-Pass-2026\n', { mode: 0o600 });
  const u = await h.run(['user', 'create', 'review@nic.az', '--name', 'NA Reviewer', '--role', 'na_staff', '--password-file', pw]);
  assert.equal(u.code, 0, show(u));
  assert.match(u.stdout, /review@nic\.az \(na_staff\) created/);
  const list = await h.run(['user', 'list']);
  assert.match(list.stdout, /review@nic\.az\s+na_staff/);
  const s = await h.run(['domain', 'suspend', 'kitab.az', '--ground', 'whim']);
  assert.equal(s.code, 1, show(s));
  assert.match(s.stderr, /grounds of R7\.4/);
});
