// Checks of CLI behaviour shared by the test files: the same commands must behave the same run locally,
// forwarded to a running server, and on PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type CliHarness, type RunOptions, type RunResult, hasOpenssl, oneJsonObject, show } from './harness.ts';

export function ok(r: RunResult): RunResult {
  assert.equal(r.code, 0, `expected success: ${show(r)}`);
  return r;
}

export function fails(r: RunResult, message: RegExp): RunResult {
  assert.notEqual(r.code, 0, `expected a failure: ${show(r)}`);
  assert.equal(r.signal, null, `ended by a signal: ${show(r)}`);
  assert.match(r.stderr, message, show(r));
  return r;
}

export interface Check {
  input: string; ascii: string; unicode: string; zone: string; verdict: string;
  reasons: { clause: string; message: string }[];
}

/** `policy check NAME --json`: exactly one JSON object (on one line) with the documented keys. */
export async function policyCheck(h: CliHarness, name: string, opts: RunOptions = {}): Promise<Check> {
  const r = ok(await h.run(['policy', 'check', name, '--json'], opts));
  assert.equal(r.stdout.trimEnd().split('\n').length, 1, `one line of JSON: ${show(r)}`);
  const c = oneJsonObject(r);
  for (const k of ['input', 'ascii', 'unicode', 'zone', 'verdict', 'reasons']) assert.ok(k in c, `key ${k} in ${r.stdout}`);
  assert.equal(c.input, name);
  assert.ok(Array.isArray(c.reasons));
  for (const reason of c.reasons as unknown[]) {
    const x = reason as Record<string, unknown>;
    assert.equal(typeof x.clause, 'string', r.stdout);
    assert.equal(typeof x.message, 'string', r.stdout);
    assert.ok((x.message as string).length > 0, r.stdout);
  }
  return c as unknown as Check;
}

/** The three names of the policy examples: a geographic IDN for review, a general-use zone, a too-short label. */
export async function checkPolicyExamples(h: CliHarness): Promise<void> {
  const seki = await policyCheck(h, 'Şəki.AZ');
  assert.equal(seki.ascii, 'xn--ki-eta41h.az');
  assert.equal(seki.unicode, 'şəki.az');
  assert.equal(seki.zone, 'az');
  assert.equal(seki.verdict, 'review');
  assert.ok(seki.reasons.some((r) => r.clause === 'R4.2'), JSON.stringify(seki.reasons));

  const kitab = await policyCheck(h, 'kitab.com.az');
  assert.equal(kitab.verdict, 'ok');
  assert.equal(kitab.zone, 'com.az');
  assert.deepEqual(kitab.reasons, []);

  const ab = await policyCheck(h, 'ab.az');
  assert.equal(ab.verdict, 'refused');
  assert.equal(ab.zone, 'az');
  assert.ok(ab.reasons.some((r) => r.clause === 'R4.1.1'), JSON.stringify(ab.reasons));
}

/** A Stop-list word added with --match substring refuses the names containing it; removed, they are ok again. */
export async function stopListFlow(h: CliHarness, word: string): Promise<void> {
  const name = `something-${word}-x.az`;
  assert.equal((await policyCheck(h, name)).verdict, 'ok', `'${word}' must not be on the Stop-list yet`);
  assert.match(ok(await h.run(['policy', 'list', 'add', 'stop', word, '--match', 'substring', '--note', 'test word'])).stdout, new RegExp(`added '${word}' to stop \\(substring\\)`));

  const refused = await policyCheck(h, name);
  assert.equal(refused.verdict, 'refused');
  assert.ok(refused.reasons.some((r) => r.clause === 'R4.3' && r.message.includes(word)), JSON.stringify(refused.reasons));

  const shown = ok(await h.run(['policy', 'list', 'show', 'stop']));
  assert.match(shown.stdout, /^word\s+match\s+note$/m);
  assert.match(shown.stdout, new RegExp(`^${word}\\s+substring\\s+test word$`, 'm'));
  const json = JSON.parse(ok(await h.run(['policy', 'list', 'show', 'stop', '--json'])).stdout) as { word: string; match: string }[];
  assert.ok(Array.isArray(json));
  assert.ok(json.some((e) => e.word === word && e.match === 'substring'));
  assert.ok(json.length > 1, 'the starter Stop-list is there as well');

  ok(await h.run(['policy', 'list', 'remove', 'stop', word]));
  assert.equal((await policyCheck(h, name)).verdict, 'ok');

  fails(await h.run(['policy', 'list', 'show', 'no-such-list']),
    /unknown list 'no-such-list' \(lists: stop, reserved, geographic, person, organisation, grandfathered\)/);
}

/** The key, certificate and CA written by `registrar create --cert-out`; verified with openssl when there is one. */
export function assertCertDir(dir: string): void {
  const key = statSync(path.join(dir, 'client.key'));
  assert.equal(key.mode & 0o777, 0o600, 'client.key is readable by its owner only');
  assert.match(readFileSync(path.join(dir, 'client.key'), 'utf8'), /-----BEGIN (EC |RSA )?PRIVATE KEY-----/);
  assert.match(readFileSync(path.join(dir, 'client.crt'), 'utf8'), /-----BEGIN CERTIFICATE-----/);
  assert.match(readFileSync(path.join(dir, 'ca.crt'), 'utf8'), /-----BEGIN CERTIFICATE-----/);
  if (!hasOpenssl()) return; // openssl is not installed: the chain is checked by test/pki
  const v = spawnSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'client.crt')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(v.status, 0, `openssl verify: ${v.stdout}${v.stderr}`);
  assert.match(v.stdout, /: OK$/m);
}

export function registrarArgs(id: string, extra: string[] = []): string[] {
  return ['registrar', 'create', '--id', id, '--name', `Registrar ${id} MMC`, '--email', `support@${id}.example.az`, '--password', 'Correct-Horse-2026', ...extra];
}

/** The registrar ids `registrar list --json` shows. */
export async function registrarIds(h: CliHarness): Promise<string[]> {
  const rows = JSON.parse(ok(await h.run(['registrar', 'list', '--json'])).stdout) as { id: string }[];
  return rows.map((r) => r.id);
}

/** The days of the brief's example: 16 March to 3 April 2026 (see src/policy/calendar.ts and its tests). */
export async function checkWorkingDays(h: CliHarness): Promise<void> {
  const [r, bad] = await Promise.all([
    h.run(['calendar', 'working-days', '2026-03-16', '2026-04-03', '--json']),
    h.run(['calendar', 'working-days', '2026-3-16', '2026-04-03']),
  ]);
  const out = oneJsonObject(ok(r));
  // Novruz is 20-24 March; Ramazan bayramı 20-21 March falls on it (Art. 105.6 gives a day for the 20th), and the
  // weekend days move: Novruz 21, 22 -> 25, 26 March; Ramazan 20 -> 27, 21 -> 30 March. So from Friday 20 to
  // Monday 30 March nobody works, and the weekdays 16-19 March and 31 March - 3 April remain.
  assert.deepEqual(out.days, ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03']);
  assert.equal(out.count, 8);
  assert.equal(out.from, '2026-03-16');
  assert.equal(out.to, '2026-04-03');
  fails(bad, /dates are YYYY-MM-DD/);
}
