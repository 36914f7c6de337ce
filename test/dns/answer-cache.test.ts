// The UDP answer cache (src/dns/answer-cache.ts) seen from a client: a repeated query gets the same bytes as
// the first one (its own ID and RD bit), the answer follows a publication at once, DO=0, DO=1 and no EDNS
// never share an answer, and an answer too large for the client's UDP size is truncated, then whole over TCP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { handleQuery, handleUdp } from '../../src/dns/server.ts';
import { AnswerCache, keyOf } from '../../src/dns/answer-cache.ts';
import { T, nameWire, readName } from '../../src/dns/wire.ts';
import { seedZoneFixture, testConfig, type Fixture } from './setup.ts';

let t: TestRegistry;
let dns: DnsService;
let fx: Fixture;

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  fx = await seedZoneFixture(t);
  // No poller: publications happen when the test calls publish().
  dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: testConfig('nsec3'), rebuildSeconds: 0, pollMs: 3_600_000 });
});
after(async () => { await dns?.close(); await t?.close(); });

interface Ask { id?: number; rd?: boolean; edns?: { size: number; do: boolean } | null }

function message(name: string, type: number, o: Ask = {}): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(o.id ?? 0x1234, 0); h.writeUInt16BE(o.rd === false ? 0 : 0x0100, 2); h.writeUInt16BE(1, 4);
  const q = Buffer.alloc(4); q.writeUInt16BE(type, 0); q.writeUInt16BE(1, 2);
  const parts = [h, nameWire(name), q];
  if (o.edns) {
    h.writeUInt16BE(1, 10);
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(T.OPT, 1); opt.writeUInt16BE(o.edns.size, 3); opt.writeUInt16BE(o.edns.do ? 0x8000 : 0, 7);
    parts.push(opt);
  }
  const m = Buffer.concat(parts);
  // nameWire lower-cases; put the caller's case back (DNS names compare case-insensitively, RFC 4343).
  m.write(name.split('.').map((l) => String.fromCharCode(l.length) + l).join(''), 12, 'latin1');
  return m;
}

function udp(msg: Buffer): Promise<Buffer> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { s.close(); reject(new Error('no answer')); }, 2000);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(m); });
    s.send(msg, dns.server.port, '127.0.0.1');
  });
}

function tcp(msg: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const c = net.connect(dns.server.port, '127.0.0.1');
    let got = Buffer.alloc(0);
    c.on('error', reject);
    c.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) { c.end(); resolve(got.subarray(2, 2 + got.readUInt16BE(0))); }
    });
    const l = Buffer.alloc(2); l.writeUInt16BE(msg.length, 0);
    c.write(Buffer.concat([l, msg]));
  });
}

/** Header fields and the records of each section as `name TYPE`. */
function parse(m: Buffer) {
  const counts = [4, 6, 8, 10].map((o) => m.readUInt16BE(o));
  const [qname, afterName] = readName(m, 12);
  let o = afterName + 4;
  const sections: string[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const [name, after] = readName(m, o);
      const type = m.readUInt16BE(after);
      sections[s]!.push(`${name} ${type}`);
      o = after + 10 + m.readUInt16BE(after + 8);
    }
  }
  const flags = m.readUInt16BE(2);
  return { id: m.readUInt16BE(0), rd: (flags & 0x0100) !== 0, tc: (flags & 0x0200) !== 0, rcode: flags & 0xf, qname, answer: sections[0]!, authority: sections[1]!, additional: sections[2]! };
}

const policy = { acl: [], tsigKeys: [] };
/** The answer of the full path (no cache) to the same message. */
const uncached = (m: Buffer, transport: 'udp' | 'tcp' = 'udp') => handleQuery(dns.store, m, transport, '127.0.0.1', policy)[0]!;

describe('UDP answer cache', () => {
  test('a repeated query gets the bytes of the full path, with its own ID and RD bit, whatever the case of the name', async () => {
    const edns = { size: 1232, do: true };
    const first = await udp(message('alpha.az', T.A, { id: 1, edns }));
    const mixed = message('AlPhA.Az', T.A, { id: 2, rd: false, edns });
    const again = await udp(mixed);
    assert.deepEqual(again, uncached(mixed));
    // The question is echoed as the client spelled it (resolvers that randomize case check it), cached or not.
    assert.deepEqual(again.subarray(12, 12 + 10), mixed.subarray(12, 12 + 10));
    assert.deepEqual(uncached(mixed, 'tcp').subarray(12, 12 + 10), mixed.subarray(12, 12 + 10));
    assert.equal(first.subarray(12, 22).toString('latin1'), '\x05alpha\x02az\x00');
    assert.equal(parse(first).id, 1);
    assert.equal(parse(again).id, 2);
    assert.equal(parse(first).rd, true);
    assert.equal(parse(again).rd, false);
    assert.equal(parse(again).qname.toLowerCase(), 'alpha.az');
    assert.ok(parse(again).authority.includes(`alpha.az ${T.DS}`), 'a signed referral with its DS');
    assert.deepEqual(first.subarray(2), uncached(message('alpha.az', T.A, { id: 1, edns })).subarray(2));
  });

  test('DO=1, DO=0 and no EDNS do not share an answer', async () => {
    const name = 'nothere.az';
    const withDo = parse(await udp(message(name, T.A, { edns: { size: 1232, do: true } })));
    const withoutDo = parse(await udp(message(name, T.A, { edns: { size: 1232, do: false } })));
    const plain = parse(await udp(message(name, T.A, { edns: null })));
    // Asked again in the other order: each from its own entry.
    const withDo2 = parse(await udp(message(name, T.A, { edns: { size: 1232, do: true } })));
    const plain2 = parse(await udp(message(name, T.A, { edns: null })));
    for (const r of [withDo, withoutDo, plain, withDo2, plain2]) assert.equal(r.rcode, 3, 'NXDOMAIN');
    assert.ok(withDo.authority.some((rr) => rr.endsWith(` ${T.NSEC3}`)), 'the NSEC3 proof with DO');
    assert.ok(withDo.authority.some((rr) => rr.endsWith(` ${T.RRSIG}`)));
    assert.deepEqual(withDo2, withDo);
    assert.deepEqual(withoutDo.authority, [`az ${T.SOA}`], 'no DNSSEC records without DO');
    assert.deepEqual(withoutDo.additional, [` ${T.OPT}`], 'an OPT record (root owner) for an EDNS query');
    assert.deepEqual(plain.additional, [], 'no OPT record without EDNS');
    assert.deepEqual(plain2, plain);
  });

  test('an answer changes with the publication that changes it, and the SOA serial with every publication', async () => {
    const edns = { size: 1232, do: true };
    const soaSerial = async () => {
      const m = await udp(message('az', T.SOA, { edns }));
      const [, o] = readName(m, 12);
      const [, rdata] = readName(m, o + 4); // the SOA owner (compressed)
      const [, afterM] = readName(m, rdata + 10);
      const [, afterR] = readName(m, afterM);
      return m.readUInt32BE(afterR);
    };
    const before0 = parse(await udp(message('cached.az', T.A, { edns })));
    const before1 = parse(await udp(message('cached.az', T.A, { edns })));
    assert.equal(before0.rcode, 3);
    assert.deepEqual(before1, before0);
    const serial0 = await soaSerial();
    assert.equal(await soaSerial(), serial0, 'asked twice, same serial');
    const res = await createDomain(t.reg, { type: 'registrar', registrarId: 'reg-dns', source: 'test' }, { name: 'cached.az', registrant: 'dns-own', hosts: fx.external });
    assert.equal(res.status, 'created');
    const rebuilds = dns.stats.fullRebuilds;
    await dns.publish();
    assert.notEqual(dns.store.get('az')!.serial, serial0, 'a new serial');
    assert.equal(dns.stats.fullRebuilds, rebuilds, 'published as a difference to the served zone, in place');
    const after = parse(await udp(message('cached.az', T.A, { edns })));
    assert.equal(after.rcode, 0);
    assert.ok(after.authority.includes(`cached.az ${T.NS}`), 'the referral to the new delegation');
    assert.equal(await soaSerial(), dns.store.get('az')!.serial);
  });

  test('too large for the UDP size: truncated (also when asked again), whole over TCP and with a larger UDP size', async () => {
    const small = { size: 512, do: true };
    const tc1 = parse(await udp(message('az', T.ANY, { edns: small })));
    const tc2 = parse(await udp(message('az', T.ANY, { edns: small })));
    for (const r of [tc1, tc2]) {
      assert.equal(r.tc, true);
      assert.deepEqual([r.answer, r.authority], [[], []]);
    }
    const whole = await tcp(message('az', T.ANY, { edns: small }));
    assert.equal(parse(whole).tc, false);
    assert.ok(parse(whole).answer.includes(`az ${T.DNSKEY}`));
    // Over UDP with room for it: the same message as over TCP (the cached complete answer).
    const large = { size: 4096, do: true };
    const viaUdp = await udp(message('az', T.ANY, { edns: large }));
    assert.deepEqual(viaUdp, await tcp(message('az', T.ANY, { edns: large })));
    assert.deepEqual(parse(await udp(message('az', T.ANY, { edns: small }))).tc, true, 'the small size still gets TC');
    assert.deepEqual(await udp(message('az', T.ANY, { edns: large })), viaUdp);
  });

  test('garbage and damaged queries never throw out of the cached path', () => {
    const cache = new AnswerCache(100, () => dns.store.generation());
    const valid = message('alpha.az', T.A, { edns: { size: 1232, do: true } });
    for (let i = 0; i < 3000; i++) {
      const m = i % 2 ? randomBytes(Math.floor(Math.random() * 60)) : Buffer.from(valid);
      if (i % 2 === 0) for (let j = 0; j < 3; j++) m[Math.floor(Math.random() * m.length)] = Math.floor(Math.random() * 256);
      assert.doesNotThrow(() => handleUdp(dns.store, cache, m, '192.0.2.1', policy));
    }
    // A label with a dot in it (no LDH name has one; our names are dotted strings): FORMERR, cached path or not.
    const dotted = message('x.az', T.A, { edns: { size: 1232, do: true } });
    dotted[12] = 1; dotted[13] = 0x2e;
    for (const r of [handleUdp(dns.store, cache, dotted, '192.0.2.1', policy)[0]!, uncached(dotted)]) assert.equal(r.readUInt16BE(2) & 0xf, 1);
  });

  test('only plain queries are keyed: transfers, TSIG, other classes, EDNS versions and compressed questions are not', () => {
    assert.ok(keyOf(message('az', T.SOA)));
    assert.equal(keyOf(message('az', T.AXFR)), null);
    assert.equal(keyOf(message('az', T.IXFR)), null);
    const ch = message('az', T.SOA); ch.writeUInt16BE(3, ch.length - 2);
    assert.equal(keyOf(ch), null, 'class CH');
    const v1 = message('az', T.SOA, { edns: { size: 1232, do: false } }); v1[v1.length - 5] = 1;
    assert.equal(keyOf(v1), null, 'EDNS version 1');
    const resp = message('az', T.SOA); resp[2] = 0x80;
    assert.equal(keyOf(resp), null, 'a response');
    const pointer = Buffer.concat([message('az', T.SOA).subarray(0, 12), Buffer.from([0xc0, 12, 0, 6, 0, 1])]);
    assert.equal(keyOf(pointer), null, 'a compression pointer');
    const trailing = Buffer.concat([message('az', T.SOA), Buffer.from([0])]);
    assert.equal(keyOf(trailing), null, 'trailing bytes');
    // Type 65 is 'A' as a latin1 octet: lower-casing the key must not turn it into type 97.
    assert.notEqual(keyOf(message('az', 65))!.key, keyOf(message('az', 97))!.key);
    assert.equal(keyOf(message('AZ', T.SOA))!.key, keyOf(message('az', T.SOA))!.key);
  });
});
