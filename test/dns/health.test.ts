// DNS health of delegations against a real knotd on loopback playing the children: a healthy signed
// delegation, a DS that matches none of the child's keys, and a lame delegation (the server is not
// authoritative for it); the results are kept per domain. Only loopback is ever asked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { checkHealth } from '../../src/dns/health.ts';
import { dsFor, generateKey } from '../../src/dns/keys.ts';
import { rdataText, T } from '../../src/dns/wire.ts';
import { registrar } from '../helpers/fixtures.ts';
import { runCli } from '../../src/cli/program.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { kdig, missing, seedZoneFixture, type Fixture } from './setup.ts';
import { freePort } from '../cli/harness.ts';

const skip = missing(['knotd', 'kdig']);
let t: TestRegistry;
let fx: Fixture;
let knot: ChildProcess | null = null;
let port = 0;
let tmp = '';


const okKey = generateKey('child-ok.az', 'ksk');
const badKey = generateKey('child-bad.az', 'ksk');
const ds = (owner: string, dnskey: Buffer) => { const [tag, alg, type, digest] = rdataText(T.DS, dsFor(owner, dnskey)).split(' '); return { keyTag: Number(tag), algorithm: Number(alg), digestType: Number(type), digest: digest! }; };

describe('DNS health of delegations', { skip }, () => {
  before(async () => {
    t = await testRegistry({ start: new Date().toISOString() });
    fx = await seedZoneFixture(t);
    port = await freePort();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-health-'));
    for (const d of ['run', 'db', 'zones']) mkdirSync(path.join(tmp, d));
    for (const [zone, key] of [['child-ok.az', okKey], ['child-bad.az', badKey]] as const) {
      writeFileSync(path.join(tmp, 'zones', `${zone}.zone`), [
        `${zone}. 3600 IN SOA ns1.dns-ext.net. hostmaster.${zone}. 1 3600 900 604800 300`,
        `${zone}. 3600 IN NS ns1.dns-ext.net.`, `${zone}. 3600 IN NS ns2.dns-ext.net.`,
        `${zone}. 3600 IN DNSKEY ${rdataText(T.DNSKEY, key.dnskey)}`, '',
      ].join('\n'));
    }
    writeFileSync(path.join(tmp, 'knot.conf'), [
      'server:', `    rundir: "${tmp}/run"`, `    listen: 127.0.0.1@${port}`,
      'database:', `    storage: "${tmp}/db"`, 'control:', `    listen: "${tmp}/run/knot.sock"`,
      'log:', '  - target: stderr', '    any: warning',
      'template:', '  - id: default', `    storage: "${tmp}/zones"`, '    journal-content: none',
      'zone:', '  - domain: child-ok.az', '  - domain: child-bad.az', '',
    ].join('\n'));
    knot = spawn('knotd', ['-c', path.join(tmp, 'knot.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !/status: NOERROR/.test(await kdig(port, ['child-bad.az', 'SOA']))) await new Promise((r) => setTimeout(r, 200));
    const r = registrar('reg-dns');
    const create = async (name: string, extra: Record<string, unknown>) => assert.equal((await createDomain(t.reg, r, { name, registrant: 'dns-own', hosts: fx.external, ...extra })).status, 'created');
    await create('child-ok.az', { ds: [ds('child-ok.az', okKey.dnskey)] });
    // The registrar's DS is for the right key tag and algorithm but another digest: it matches no DNSKEY.
    await create('child-bad.az', { ds: [{ ...ds('child-bad.az', badKey.dnskey), digest: 'AB'.repeat(32) }] });
    await create('lame-child.az', {});
  });

  after(async () => {
    if (knot && knot.exitCode === null) {
      const exited = new Promise((r) => knot!.once('exit', r));
      knot.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await t?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('finds lame delegations and DS that match no DNSKEY; results kept per domain', async () => {
    // Every name server "resolves" to the loopback knotd: nothing leaves this machine.
    const results = await checkHealth(t.reg.db, t.clock.now(), { port, resolve: async () => ['127.0.0.1'], timeoutMs: 1500,
      domains: ['child-ok.az', 'child-bad.az', 'lame-child.az', 'held.az'] });
    const by = new Map(results.map((r) => [r.name, r]));
    assert.deepEqual(by.get('child-ok.az')!.problems, []);
    assert.equal(by.get('child-ok.az')!.status, 'ok');
    assert.equal(by.get('child-bad.az')!.status, 'problem');
    assert.match(by.get('child-bad.az')!.problems.join('\n'), /DS \d+ 13 2 matches no DNSKEY of child-bad\.az/);
    assert.doesNotMatch(by.get('child-bad.az')!.problems.join('\n'), /lame/);
    assert.match(by.get('lame-child.az')!.problems.join('\n'), /lame: ns1\.dns-ext\.net \(127\.0\.0\.1\) is not authoritative for lame-child\.az \(REFUSED\)/);
    assert.equal(by.has('held.az'), false, 'a suspended domain is not delegated, so not checked');
    const rows = await t.reg.db.selectFrom('dns_health').innerJoin('domains', 'domains.id', 'dns_health.domain_id')
      .select(['domains.name', 'dns_health.status', 'dns_health.problems']).orderBy('domains.name').execute();
    assert.deepEqual(rows.map((r) => `${r.name} ${r.status}`), ['child-bad.az problem', 'child-ok.az ok', 'lame-child.az problem']);
    // `domen zone health` shows the last results per domain (exit code 1 when one has a problem).
    let out = '';
    const ctx: CliContext = { io: { out: (x) => { out += x; }, err: () => {} }, cwd: tmp, registry: async () => t.reg, inServer: false };
    assert.equal(await runCli(['zone', 'health', 'child-ok.az', 'child-bad.az'], ctx), 1);
    assert.match(out, /^child-bad\.az: problem \(checked .*\)\n {2}DS \d+ 13 2 matches no DNSKEY/m);
    assert.match(out, /^child-ok\.az: ok/m);
    // A server that does not answer at all.
    const silent = await checkHealth(t.reg.db, t.clock.now(), { port: await freePort(), resolve: async () => ['127.0.0.1'], timeoutMs: 300, domains: ['child-ok.az'] });
    assert.match(silent[0]!.problems.join('\n'), /does not answer/);
  });
});
