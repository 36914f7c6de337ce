// `domen zone export` and `domen zone check`, run in-process against a test registry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { missing, run, seedZoneFixture } from './setup.ts';

let t: TestRegistry;
let tmp: string;

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  await seedZoneFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-dns-cli-'));
});
after(async () => { await t?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = { io: { out: (s) => { out += s; }, err: (s) => { err += s; } }, cwd: tmp, registry: async () => t.reg, inServer: false };
  const code = await runCli(argv, ctx);
  return { code, out, err };
}

describe('domen zone', () => {
  test('export writes a signed RFC 1035 zone file that kzonecheck accepts', async () => {
    const r = await cli('zone', 'export', 'az', '--out', 'az.zone');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote az serial \d+ \(\d+ delegations\)/);
    const text = readFileSync(path.join(tmp, 'az.zone'), 'utf8');
    assert.match(text, /^az\.\t3600\tIN\tSOA\tns1\.nic\.az\. hostmaster\.nic\.az\. \d+ 1800 900 1209600 3600$/m);
    assert.match(text, /^alpha\.az\.\t3600\tIN\tDS\t2371 13 2 /m);
    assert.doesNotMatch(text, /^held\.az\./m);
    const stdout = await cli('zone', 'export', 'com.az.', '--denial', 'nsec');
    assert.match(stdout.out, /^shop\.com\.az\.\t3600\tIN\tNSEC\t/m);
    if (!missing(['kzonecheck'])) {
      const kz = await run('kzonecheck', ['-o', 'az', '-d', 'on', path.join(tmp, 'az.zone')]);
      assert.equal(kz.status, 0, kz.stdout + kz.stderr);
    }
  });

  test('check verifies every zone; an unknown zone is an error', async () => {
    const r = await cli('zone', 'check');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^az: serial \d+, nsec3, \d+ delegations, \d+ RRsets, \d+ signatures: ok$/m);
    assert.match(r.out, /^com\.az: .*: ok$/m);
    const json = await cli('zone', 'check', 'az', '--denial', 'nsec3-optout', '--json');
    assert.equal(json.code, 0);
    assert.deepEqual((JSON.parse(json.out) as { problems: string[] }[])[0]!.problems, []);
    const bad = await cli('zone', 'check', 'example.org');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /example\.org is not a zone/);
  });

  test('dnssec status lists a KSK and a ZSK per zone; dnssec ds gives the DS that az publishes for com.az', async () => {
    const st = await cli('dnssec', 'status', '--json');
    assert.equal(st.code, 0, st.err);
    const rows = JSON.parse(st.out) as { zone: string; role: string; algorithm: number; state: string }[];
    for (const zone of ['az', 'com.az', 'gov.az']) {
      assert.deepEqual(rows.filter((r) => r.zone === zone).map((r) => `${r.role}/${r.algorithm}/${r.state}`).sort(), ['ksk/13/active', 'zsk/13/active']);
    }
    const ds = await cli('dnssec', 'ds', 'com.az');
    assert.equal(ds.code, 0, ds.err);
    const dsLine = /^com\.az\.\tIN\tDS\t(\d+ 13 2 [0-9A-F]{64})$/m.exec(ds.out);
    assert.ok(dsLine, ds.out);
    const exported = await cli('zone', 'export', 'az');
    assert.match(exported.out, new RegExp(`^com\\.az\\.\\t3600\\tIN\\tDS\\t${dsLine[1]}$`, 'm'));
    assert.match((await cli('dnssec', 'ds')).out, /^az\.\tIN\tDNSKEY\t257 3 13 /m);
  });
});
