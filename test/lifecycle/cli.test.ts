// The lifecycle commands as an operator types them, on the embedded database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliHarness, show } from '../cli/harness.ts';
import { registrarArgs } from '../cli/flows.ts';

let h: CliHarness;
before(async () => {
  h = await CliHarness.create();
  const m = await h.cli(['migrate']);
  assert.equal(m.code, 0, show(m));
});
after(async () => { await h?.cleanup(); });

test('worker once --at runs every timer as of that instant; a malformed time is refused', async () => {
  const r = await h.cli(['worker', 'once', '--at', '2027-03-01T09:00:00Z', '--json']);
  assert.equal(r.code, 0, show(r));
  const out = JSON.parse(r.stdout) as { at: string; results: { name: string; clause: string; done: number }[] };
  assert.equal(out.at, '2027-03-01T09:00:00.000Z');
  assert.deepEqual(out.results.map((x) => x.name).slice(0, 3), ['transfer-auto-approval', 'identity-verification', 'accuracy-restoration']);
  const bad = await h.cli(['worker', 'once', '--at', 'next tuesday']);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /--at wants an ISO 8601 time/);
});

test('user create reads the password from a file; suspend needs a ground of R7.4', async () => {
  const dir = await h.tempDir();
  const pw = path.join(dir, 'pw');
  writeFileSync(pw, 'Reviewer-Pass-2026\n', { mode: 0o600 });
  const u = await h.cli(['user', 'create', 'review@nic.az', '--name', 'NA Reviewer', '--role', 'na_staff', '--password-file', pw]);
  assert.equal(u.code, 0, show(u));
  assert.match(u.stdout, /review@nic\.az \(na_staff\) created/);
  const list = await h.cli(['user', 'list']);
  assert.match(list.stdout, /review@nic\.az\s+na_staff/);
  const s = await h.cli(['domain', 'suspend', 'kitab.az', '--ground', 'whim']);
  assert.equal(s.code, 1, show(s));
  assert.match(s.stderr, /grounds of R7\.4/);
});

test('user lang and registrar lang set the language of notices; bad values and unknown names are refused', async () => {
  const ok = await h.cli(['user', 'lang', 'REVIEW@nic.az', 'ru']);
  assert.equal(ok.code, 0, show(ok));
  assert.match(ok.stdout, /review@nic\.az: language ru/);
  const rows = JSON.parse((await h.cli(['user', 'list', '--json'])).stdout) as { email: string; lang: string }[];
  assert.equal(rows.find((r) => r.email === 'review@nic.az')?.lang, 'ru');
  const bad = await h.cli(['user', 'lang', 'review@nic.az', 'fr']);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /the language is one of az, en, ru/);
  const nobody = await h.cli(['user', 'lang', 'nobody@nic.az', 'en']);
  assert.match(nobody.stderr, /no user with the e-mail address nobody@nic\.az/);
  assert.equal((await h.cli(registrarArgs('reg-lang'))).code, 0);
  assert.match((await h.cli(['registrar', 'lang', 'reg-lang', 'en'])).stdout, /registrar reg-lang: language en/);
  const reg = await h.cli(['registrar', 'lang', 'no-such-registrar', 'en']);
  assert.equal(reg.code, 1, show(reg));
  assert.match(reg.stderr, /there is no registrar no-such-registrar/);
});
