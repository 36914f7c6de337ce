// Random registry changes through the core, of every kind that changes a zone: delegations created and
// deleted, DS added and removed, holds set and lifted, in-bailiwick name servers with glue created,
// re-addressed, renamed, and used by sibling domains. Seeded, so a failure can be replayed.
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { createHost, updateHost } from '../../src/core/hosts.ts';
import { RegistryError } from '../../src/core/errors.ts';
import type { Registry } from '../../src/core/registry.ts';
import { registrar } from '../helpers/fixtures.ts';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

export interface ChangeDriver { step(): Promise<string>; created: string[] }

/** One random change per step(); returns what it did ('' when the core refused it, which is part of the game). */
export function changeDriver(reg: Registry, opts: { registrarId: string; registrant: string; external: string[]; prefix: string; seed: number }): ChangeDriver {
  const r = registrar(opts.registrarId);
  const rnd = prng(opts.seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const live: string[] = [];
  const withHost = new Map<string, string>(); // domain -> its in-bailiwick host
  let n = 0;
  const ds = () => ({ keyTag: Math.floor(rnd() * 65535), algorithm: 13, digestType: 2, digest: [...Array(32)].map(() => Math.floor(rnd() * 256).toString(16).padStart(2, '0')).join('').toUpperCase() });
  const addr = () => `185.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}.${1 + Math.floor(rnd() * 250)}`;
  const ops: [number, () => Promise<string>][] = [
    [5, async () => {
      const name = `${opts.prefix}${n++}.${rnd() < 0.8 ? 'az' : 'com.az'}`;
      await createDomain(reg, r, { name, registrant: opts.registrant, hosts: opts.external, ...(rnd() < 0.3 ? { ds: [ds()] } : {}) });
      live.push(name);
      return `create ${name}`;
    }],
    [2, async () => {
      const name = `${opts.prefix}${n++}.az`;
      await createDomain(reg, r, { name, registrant: opts.registrant });
      live.push(name);
      const host = `ns.${name}`;
      await createHost(reg, r, { name: host, addresses: rnd() < 0.5 ? [addr()] : [addr(), '2a02:6b8::' + Math.floor(rnd() * 999)] });
      await updateDomain(reg, r, { name, add: { hosts: [host, opts.external[0]!] } });
      withHost.set(name, host);
      return `create ${name} with glue`;
    }],
    [2, async () => {
      if (!live.length) return '';
      const name = pick(live);
      if (rnd() < 0.5) await updateDomain(reg, r, { name, add: { ds: [ds()] } });
      else await updateDomain(reg, r, { name, remove: { allDs: true } });
      return `ds ${name}`;
    }],
    [2, async () => {
      if (!live.length) return '';
      const name = pick(live);
      if (rnd() < 0.5) await updateDomain(reg, r, { name, add: { statuses: ['clientHold'] } });
      else await updateDomain(reg, r, { name, remove: { statuses: ['clientHold'] } });
      return `hold ${name}`;
    }],
    [1, async () => {
      const candidates = live.filter((d) => !withHost.has(d));
      if (!candidates.length) return '';
      const name = pick(candidates);
      await deleteDomain(reg, r, name);
      live.splice(live.indexOf(name), 1);
      return `delete ${name}`;
    }],
    [1, async () => {
      if (!withHost.size) return '';
      const host = pick([...withHost.values()]);
      await updateHost(reg, r, { name: host, addAddresses: [addr()] });
      return `readdress ${host}`;
    }],
    [1, async () => {
      if (!withHost.size || !live.length) return '';
      const host = pick([...withHost.values()]);
      const name = pick(live);
      await updateDomain(reg, r, { name, add: { hosts: [host] } });
      return `${name} uses ${host}`;
    }],
    [1, async () => {
      if (!withHost.size) return '';
      const [domain, host] = pick([...withHost.entries()]);
      const renamed = `ns${n++}.${domain}`;
      await updateHost(reg, r, { name: host, newName: renamed });
      withHost.set(domain, renamed);
      return `rename ${host} ${renamed}`;
    }],
  ];
  const total = ops.reduce((s, [w]) => s + w, 0);
  return {
    created: live,
    async step() {
      let x = rnd() * total;
      const op = ops.find(([w]) => (x -= w) < 0)![1];
      try { return await op(); } catch (e) { if (e instanceof RegistryError) return ''; throw e; }
    },
  };
}
