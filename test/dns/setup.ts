// A small registry with every kind of name the zone builder must tell apart, and helpers to run the DNS
// tools (kdig, kzonecheck, ldns-verify-zone, knotd) when they are installed.
import { execFile, spawnSync } from 'node:child_process';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { createHost } from '../../src/core/hosts.ts';
import type { DnsConfig } from '../../src/dns/zone-model.ts';
import { dnsConfigFromEnv } from '../../src/dns/zone-model.ts';
import { addNameServers, addPerson, addRegistrar, na } from '../helpers/fixtures.ts';
import type { TestRegistry } from '../helpers/registry.ts';

// DNSSEC private keys are encrypted at rest (src/dns/key-crypto.ts): the tests give the passphrase rather than
// letting a key file be created in ./data.
process.env.DOMEN_KEY_PASSPHRASE ??= 'domen test passphrase';

export const DS_CHILD = { keyTag: 2371, algorithm: 13, digestType: 2, digest: '1F987CC6583E92DF0890718C42A5A3C2F1E3C8B1F4D5E6A7B8C9D0E1F2A3B4C5' };

export interface Fixture { external: string[] }

/**
 * alpha.az: external NS and a DS (signed delegation); beta.az: its own in-bailiwick NS with glue (insecure);
 * held.az: NS but serverHold; bare.az: no NS; shop.com.az: in the general-use zone com.az;
 * 'gov' names in review stay applications.
 */
export async function seedZoneFixture(t: TestRegistry): Promise<Fixture> {
  const r = await addRegistrar(t.reg, 'reg-dns');
  await addPerson(t.reg, r, 'dns-own');
  const external = await addNameServers(t.reg, r, 'dns-ext.net');
  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await createDomain(t.reg, r, { name, registrant: 'dns-own', ...extra });
    if (res.status !== 'created') throw new Error(`${name} was not created`);
  };
  await create('alpha.az', { hosts: external, ds: [DS_CHILD] });
  await create('beta.az');
  await createHost(t.reg, r, { name: 'ns1.beta.az', addresses: ['185.5.10.10', '2a02:6b8::10'] });
  await createHost(t.reg, r, { name: 'ns2.beta.az', addresses: ['185.5.10.11'] });
  await updateDomain(t.reg, r, { name: 'beta.az', add: { hosts: ['ns1.beta.az', 'ns2.beta.az'] } });
  await create('held.az', { hosts: external });
  await updateDomain(t.reg, na, { name: 'held.az', add: { statuses: ['serverHold'] } });
  await create('bare.az');
  await create('shop.com.az', { hosts: external });
  // Uses beta.az's in-bailiwick server from a sibling: glue stays (it is under the zone and under beta.az).
  await create('gamma.az', { hosts: ['ns1.beta.az', 'ns1.dns-ext.net'] });
  return { external };
}

export function testConfig(denial: DnsConfig['denial'] = 'nsec3'): DnsConfig {
  return { ...dnsConfigFromEnv('az', { DOMEN_DNS_NS: 'ns1.nic.az=127.0.0.1|::1,ns2.dns-ext.net' }), denial };
}

export function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** Runs a tool without blocking the event loop (the server under test runs in this process). */
export function run(cmd: string, args: string[], timeout = 20_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export async function kdig(port: number, args: string[]): Promise<string> {
  const r = await run('kdig', ['@127.0.0.1', '-p', String(port), '+noall', '+answer', '+authority', '+additional', '+header', '+time=2', '+retry=0', ...args]);
  return r.stdout + r.stderr;
}

export function missing(tools: string[]): string | false {
  const gone = tools.filter((t) => !has(t));
  return gone.length ? `not installed: ${gone.join(', ')} (apt-get install knot knot-dnsutils knot-dnssecutils ldnsutils)` : false;
}
