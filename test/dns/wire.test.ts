// Wire-format pieces and hostile input: no message, however malformed, throws out of the server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { ZoneStore, handleQuery, parseQuery } from '../../src/dns/server.ts';
import { Zone } from '../../src/dns/zone-model.ts';
import { T, base32hex, bitmapTypes, fromBase32hex, nameWire, rdataAAAA, rdataName, rdataSoa, rdataText, readName, typeBitmap } from '../../src/dns/wire.ts';
import { appendTsig, parseTsigKeys, readTsig, verifyRequest, TSIG_ERR } from '../../src/dns/tsig.ts';
import { keyTag } from '../../src/dns/keys.ts';

function store(): ZoneStore {
  const z = new Zone('az');
  z.add('az', T.SOA, 3600, rdataSoa({ mname: 'ns1.nic.az', rname: 'hostmaster.nic.az', serial: 7, refresh: 1800, retry: 900, expire: 1209600, minimum: 3600 }));
  z.add('az', T.NS, 3600, rdataName('ns1.nic.az'));
  const s = new ZoneStore();
  s.set(z);
  return s;
}

function query(name: string, type: number, id = 0x1234): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0); h.writeUInt16BE(0x0100, 2); h.writeUInt16BE(1, 4);
  const q = Buffer.alloc(4); q.writeUInt16BE(type, 0); q.writeUInt16BE(1, 2);
  return Buffer.concat([h, nameWire(name), q]);
}

const policy = { acl: [], tsigKeys: [] };

describe('wire format', () => {
  test('base32hex, type bitmaps, AAAA and names round-trip', () => {
    for (let i = 0; i < 50; i++) { const b = randomBytes(20); assert.deepEqual(fromBase32hex(base32hex(b)), b); }
    const types = [T.A, T.NS, T.SOA, T.RRSIG, T.NSEC3PARAM, T.CDNSKEY, 256, 1234];
    assert.deepEqual(bitmapTypes(typeBitmap(types)), [...types].sort((a, b) => a - b));
    assert.equal(rdataText(T.AAAA, rdataAAAA('2a02:6b8::10')), '2a02:6b8:0:0:0:0:0:10');
    assert.deepEqual(readName(nameWire('WWW.Example.AZ.'), 0), ['www.example.az', 16]);
  });

  test('key tag of the RFC 4034 §5.4 example DNSKEY is 60485', () => {
    const key = Buffer.from('AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==', 'base64');
    const rdata = Buffer.concat([Buffer.from([0x01, 0x00, 3, 5]), key]);
    assert.equal(keyTag(rdata), 60485);
  });
});

describe('hostile input', () => {
  test('garbage, short messages, compression loops and responses never throw', () => {
    const s = store();
    for (let i = 0; i < 2000; i++) assert.doesNotThrow(() => handleQuery(s, randomBytes(Math.floor(Math.random() * 80)), 'udp', '192.0.2.1', policy));
    const loop = Buffer.concat([query('az', T.SOA).subarray(0, 12), Buffer.from([0xc0, 12, 0, 6, 0, 1])]);
    const [r] = handleQuery(s, loop, 'udp', '192.0.2.1', policy);
    assert.equal(r!.readUInt16BE(2) & 0xf, 1, 'FORMERR');
    const resp = query('az', T.SOA); resp.writeUInt16BE(0x8000, 2);
    assert.deepEqual(handleQuery(s, resp, 'udp', '192.0.2.1', policy), [], 'responses are not answered');
  });

  test('AXFR is refused from outside the ACL and over UDP', () => {
    const s = store();
    const [r1] = handleQuery(s, query('az', T.AXFR), 'tcp', '192.0.2.1', policy);
    assert.equal(r1!.readUInt16BE(2) & 0xf, 5);
    const [r2] = handleQuery(s, query('az', T.AXFR), 'udp', '127.0.0.1', policy);
    assert.equal(r2!.readUInt16BE(2) & 0xf, 5);
    const [r3] = handleQuery(s, query('az', T.AXFR), 'tcp', '192.0.2.1', { acl: ['192.0.2.1'], tsigKeys: [] });
    assert.equal(r3!.readUInt16BE(2) & 0xf, 0);
  });
});

describe('TSIG (RFC 8945)', () => {
  const [key] = parseTsigKeys(`hmac-sha256:xfr.:${Buffer.alloc(32, 1).toString('base64')}`);
  const now = 1_800_000_000;

  function signedQuery(k = key!, t = now): Buffer {
    // The request MAC (RFC 8945 §4.3.3), computed by hand here rather than with our signer.
    const q = query('az', T.AXFR, 0x4242);
    const mac = createMac(q, k.secret, t);
    return appendTsig(q, k.name, t, 300, mac, 0);
  }

  test('a request signed with the key verifies; a changed byte, another key or a stale time do not', () => {
    const q = signedQuery();
    const parsed = parseQuery(q);
    assert.ok(parsed.tsig);
    assert.equal(verifyRequest(q, parsed.tsig, [key!], now).ok, true);
    const tampered = Buffer.from(q); tampered[14]! ^= 1;
    const t2 = readTsig(tampered, parsed.tsig.start);
    assert.deepEqual(verifyRequest(tampered, t2, [key!], now), { ok: false, error: TSIG_ERR.BADSIG, keyName: 'xfr' });
    assert.equal((verifyRequest(q, parsed.tsig, [], now) as { error: number }).error, TSIG_ERR.BADKEY);
    assert.equal((verifyRequest(q, parsed.tsig, [key!], now + 1000) as { error: number }).error, TSIG_ERR.BADTIME);
  });

  test('a signed AXFR is answered with signed messages; an unsigned one is refused when keys are set', () => {
    const s = store();
    const keyed = { acl: [], tsigKeys: [key!], now: () => now };
    const answer = handleQuery(s, signedQuery(), 'tcp', '127.0.0.1', keyed);
    assert.ok(answer.length >= 1);
    for (const m of answer) assert.equal(m.readUInt16BE(2) & 0xf, 0);
    assert.equal(parseQuery(Buffer.concat([answer[0]!.subarray(0, 2), Buffer.from([0, 0]), answer[0]!.subarray(4)])).tsig?.keyName, 'xfr');
    const [refused] = handleQuery(s, query('az', T.AXFR), 'tcp', '127.0.0.1', keyed);
    assert.equal(refused!.readUInt16BE(2) & 0xf, 5);
  });
});

function createMac(msg: Buffer, secret: Buffer, t: number): Buffer {
  const vars = Buffer.concat([nameWire('xfr'), Buffer.from([0, 255, 0, 0, 0, 0]), nameWire('hmac-sha256'),
    Buffer.from([0, 0, (t >>> 24) & 0xff, (t >>> 16) & 0xff, (t >>> 8) & 0xff, t & 0xff]), Buffer.from([1, 44, 0, 0, 0, 0])]);
  return createHmac('sha256', secret).update(msg).update(vars).digest();
}
