// DNS health of delegations (issue 5; feeds the abuse / AZ-CERT work): for each published delegation, ask
// each of its name servers for the domain's SOA without recursion — a server that does not answer, or
// answers without authority (REFUSED, SERVFAIL, no AA), is a lame delegation — and, when the registry holds
// DS records, fetch the child's DNSKEY RRset and report the DS that match none of its keys (the chain of
// trust is then broken for validating resolvers). The last result of each domain is kept in dns_health.
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { isIPv6 } from 'node:net';
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { UNPUBLISHED_STATUSES } from './build.ts';
import { keyTag } from './keys.ts';
import { T, nameWire, readName } from './wire.ts';

export interface HealthOptions {
  /** Addresses of a name server without glue (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Port of the name servers (53; tests use a loopback port). */
  port?: number;
  timeoutMs?: number;
}

interface Reply { rcode: number; aa: boolean; answers: { type: number; rdata: Buffer }[] }

/** One UDP query without recursion (RD=0), EDNS0 with a 1232-byte buffer; null when no answer comes. */
function ask(address: string, port: number, name: string, type: number, timeoutMs: number): Promise<Reply | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const id = randomInt(0, 65536);
    const h = Buffer.alloc(12); h.writeUInt16BE(id, 0); h.writeUInt16BE(1, 4); h.writeUInt16BE(1, 10);
    const q = Buffer.alloc(4); q.writeUInt16BE(type, 0); q.writeUInt16BE(1, 2);
    const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    const done = (r: Reply | null) => { clearTimeout(timer); s.close(); resolve(r); };
    const timer = setTimeout(() => done(null), timeoutMs);
    s.on('error', () => done(null));
    s.on('message', (m) => {
      if (m.length < 12 || m.readUInt16BE(0) !== id) return;
      try {
        const flags = m.readUInt16BE(2);
        const an = m.readUInt16BE(6);
        let p = readName(m, 12)[1] + 4;
        const answers: Reply['answers'] = [];
        for (let i = 0; i < an; i++) {
          const [, after] = readName(m, p);
          const t = m.readUInt16BE(after);
          const len = m.readUInt16BE(after + 8);
          answers.push({ type: t, rdata: m.subarray(after + 10, after + 10 + len) });
          p = after + 10 + len;
        }
        done({ rcode: flags & 0xf, aa: (flags & 0x0400) !== 0, answers });
      } catch { done(null); }
    });
    s.send(Buffer.concat([h, nameWire(name), q, opt]), port, address);
  });
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export interface DsData { keyTag: number; algorithm: number; digestType: number; digest: string }

/** The problems of one delegation (empty: healthy). */
export async function checkDelegation(name: string, servers: { name: string; addresses: string[] }[], ds: DsData[], opts: HealthOptions = {}): Promise<string[]> {
  const port = opts.port ?? 53;
  const timeout = opts.timeoutMs ?? 2000;
  const resolve = opts.resolve ?? (async (h: string) => [
    ...await dnsPromises.resolve4(h).catch(() => [] as string[]), ...await dnsPromises.resolve6(h).catch(() => [] as string[])]);
  const problems: string[] = [];
  let good: string | null = null;
  for (const ns of servers) {
    const addresses = ns.addresses.length ? ns.addresses : await resolve(ns.name);
    if (addresses.length === 0) { problems.push(`lame: name server ${ns.name} has no address`); continue; }
    for (const a of addresses) {
      const r = await ask(a, port, name, T.SOA, timeout);
      if (!r) problems.push(`lame: ${ns.name} (${a}) does not answer`);
      else if (r.rcode !== 0 || !r.aa || !r.answers.some((x) => x.type === T.SOA)) {
        problems.push(`lame: ${ns.name} (${a}) is not authoritative for ${name} (${RCODES[r.rcode] ?? r.rcode}${r.rcode === 0 ? r.aa ? ', no SOA' : ', no AA flag' : ''})`);
      } else good ??= a;
    }
  }
  if (ds.length && good) {
    const r = await ask(good, port, name, T.DNSKEY, timeout);
    const keys = (r?.answers ?? []).filter((x) => x.type === T.DNSKEY).map((x) => Buffer.from(x.rdata));
    if (keys.length === 0) problems.push(`DS published but ${name} has no DNSKEY: validating resolvers will fail (SERVFAIL)`);
    else {
      for (const d of ds) {
        const match = keys.some((k) => {
          if (keyTag(k) !== d.keyTag || k[3] !== d.algorithm) return false;
          const alg = d.digestType === 1 ? 'sha1' : d.digestType === 2 ? 'sha256' : d.digestType === 4 ? 'sha384' : null;
          return alg !== null && createHash(alg).update(Buffer.concat([nameWire(name), k])).digest('hex').toUpperCase() === d.digest.toUpperCase();
        });
        if (!match) problems.push(`DS ${d.keyTag} ${d.algorithm} ${d.digestType} matches no DNSKEY of ${name} (key tags ${keys.map(keyTag).join(', ')}): the chain of trust is broken`);
      }
    }
  }
  return problems;
}

/** Checks the published delegations (all, or the named domains) and records each result in dns_health. */
export async function checkHealth(db: Kysely<Database>, now: Date, opts: HealthOptions & { domains?: string[] } = {}): Promise<{ name: string; status: 'ok' | 'problem'; problems: string[] }[]> {
  let q = db.selectFrom('domains').select(['id', 'name', 'statuses']).where('deleted_at', 'is', null);
  if (opts.domains) q = q.where('name', 'in', opts.domains.length ? opts.domains : ['']);
  const domains = (await q.orderBy('id').execute()).filter((d) => !d.statuses.some((s) => UNPUBLISHED_STATUSES.includes(s)));
  const out: { name: string; status: 'ok' | 'problem'; problems: string[] }[] = [];
  for (const d of domains) {
    const [hosts, ds] = await Promise.all([
      db.selectFrom('domain_hosts').innerJoin('hosts', 'hosts.id', 'domain_hosts.host_id').select(['hosts.name', 'hosts.addresses']).where('domain_hosts.domain_id', '=', d.id).execute(),
      db.selectFrom('domain_ds').select(['key_tag', 'algorithm', 'digest_type', 'digest']).where('domain_id', '=', d.id).execute(),
    ]);
    if (hosts.length === 0) continue; // not delegated
    const problems = await checkDelegation(d.name, hosts, ds.map((r) => ({ keyTag: r.key_tag, algorithm: r.algorithm, digestType: r.digest_type, digest: r.digest })), opts);
    const status = problems.length ? 'problem' as const : 'ok' as const;
    await db.insertInto('dns_health').values({ domain_id: d.id, checked_at: now, status, problems: JSON.stringify(problems) })
      .onConflict((oc) => oc.column('domain_id').doUpdateSet({ checked_at: now, status, problems: JSON.stringify(problems) })).execute();
    out.push({ name: d.name, status, problems });
  }
  return out;
}
