// Hostile and broken input over real TLS: each is refused or cut off, and a second session keeps working
// while it happens (RFC 5734 §4 framing, XML hardening of xml.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../src/epp/framing.ts';
import { NS } from '../../src/epp/namespaces.ts';
import { eppCommand, type EppClient } from '../helpers/epp-client.ts';
import { domain } from './commands.ts';
import { harness, type Harness } from './harness.ts';

const header = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EPP under hostile input', () => {
  let h: Harness;
  let good: EppClient;
  before(async () => {
    h = await harness({ frameTimeoutMs: 1500 });
    await h.registrar('reg-good');
    await h.registrar('reg-evil');
    good = await h.client('reg-good');
  });
  after(async () => { await h?.close(); });

  /** The bystander's session answers as usual. */
  async function goodStillWorks(): Promise<void> {
    const r = await good.command(domain.check('saglam.az'));
    assert.equal(r.code, 1000);
  }

  test('a length header below 5 bytes closes the connection at once', async () => {
    const c = await h.client('reg-evil', { login: false });
    c.writeRaw(header(3));
    assert.equal(await c.read(3000), null);
    await goodStillWorks();
  });

  test('a client that forgot the framing (XML where the length should be) is cut off', async () => {
    const c = await h.client('reg-evil', { login: false });
    c.writeRaw(Buffer.from(eppCommand(domain.check('x.az'))));
    assert.equal(await c.read(3000), null);
    await goodStillWorks();
  });

  test('a header of 4 GiB is cut off at once', async () => {
    const c = await h.client('reg-evil', { login: false });
    c.writeRaw(header(0xffffffff));
    assert.equal(await c.read(3000), null);
    await goodStillWorks();
  });

  test('a 10 MB frame gets 2001 naming the limit, then the connection closes', async () => {
    const c = await h.client('reg-evil');
    const size = 10_000_000;
    c.socket.on('error', () => {});
    c.writeRaw(Buffer.concat([header(size), Buffer.alloc(size - 4, 0x20)]));
    const r = await c.read(10_000);
    assert.ok(r, 'a response before the close');
    assert.equal(r.code, 2001);
    assert.match(r.msg, /exceeds the maximum of 1048576 bytes/);
    assert.equal(await c.read(10_000), null);
    await goodStillWorks();
  });

  test('XXE: a DOCTYPE with an external entity is 2001 and nothing is read; the session goes on', async () => {
    const c = await h.client('reg-evil');
    const xxe = `<?xml version="1.0"?><!DOCTYPE epp [<!ENTITY x SYSTEM "file:///etc/passwd">]><epp xmlns="${NS.epp}"><command><check><domain:check xmlns:domain="${NS.domain}"><domain:name>&x;</domain:name></domain:check></check><clTRID>XXE-1</clTRID></command></epp>`;
    const r = await c.send(xxe);
    assert.equal(r.code, 2001);
    assert.match(r.msg, /DOCTYPE/);
    assert.doesNotMatch(r.xml, /root:/);
    const external = await c.send(`<?xml version="1.0"?><!DOCTYPE epp SYSTEM "http://127.0.0.1:9/epp.dtd"><epp xmlns="${NS.epp}"><hello/></epp>`);
    assert.equal(external.code, 2001);
    assert.equal((await c.command(domain.check('sonra.az'))).code, 1000, 'the session survives a 2001');
    await goodStillWorks();
  });

  test('billion laughs is refused at once, without expansion', async () => {
    const c = await h.client('reg-evil');
    let ents = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) ents += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    const doc = `<?xml version="1.0"?><!DOCTYPE epp [${ents}]><epp xmlns="${NS.epp}"><command><check><domain:check xmlns:domain="${NS.domain}"><domain:name>&lol9;</domain:name></domain:check></check></command></epp>`;
    const r = await c.send(doc);
    assert.equal(r.code, 2001);
    assert.ok(r.xml.length < 2000, 'nothing expanded into the answer');
    await goodStillWorks();
  });

  test('invalid UTF-8, another declared encoding, malformed XML and schema errors are 2001 naming the problem', async () => {
    const c = await h.client('reg-evil');
    const valid = Buffer.from(eppCommand(domain.check('utf.az'), { clTRID: 'UTF-1' }));
    const broken = Buffer.concat([valid.subarray(0, 40), Buffer.from([0xc3, 0x28, 0xff]), valid.subarray(40)]);
    c.writeRaw(encodeFrame(broken));
    const r1 = (await c.read())!;
    assert.equal(r1.code, 2001);
    assert.match(r1.msg, /UTF-8/);
    const latin = await c.send(`<?xml version="1.0" encoding="ISO-8859-1"?><epp xmlns="${NS.epp}"><hello/></epp>`);
    assert.equal(latin.code, 2001);
    assert.match(latin.msg, /ISO-8859-1/);
    const malformed = await c.send(`<epp xmlns="${NS.epp}"><command><check></command></epp>`);
    assert.equal(malformed.code, 2001);
    assert.match(malformed.msg, /not well-formed/);
    const invalid = await c.send(eppCommand(`<check><domain:check xmlns:domain="${NS.domain}"><domain:nom>x.az</domain:nom></domain:check></check>`, { clTRID: 'BAD-EL-1' }));
    assert.equal(invalid.code, 2001);
    assert.match(invalid.msg, /domain:nom/);
    assert.equal(invalid.clTRID, 'BAD-EL-1', 'the clTRID is echoed even for a schema error');
    const notEpp = await c.send('<foo/>');
    assert.equal(notEpp.code, 2001);
    const unknownObject = await c.command('<check><w:check xmlns:w="urn:example:widget-1.0"><w:id>1</w:id></w:check></check>');
    assert.equal(unknownObject.code, 2307);
    await goodStillWorks();
  });

  test('a client sending one byte a second is cut off; the other session is served meanwhile', async () => {
    const c = await h.client('reg-evil', { login: false });
    const frame = encodeFrame(eppCommand(domain.check('yavas.az')));
    let i = 0;
    const drip = setInterval(() => {
      if (i < frame.length && !c.ended) c.writeRaw(frame.subarray(i, ++i));
    }, 1000);
    try {
      const served: number[] = [];
      for (let k = 0; k < 10; k++) served.push((await good.command(domain.check(`paralel${k}.az`))).code);
      assert.deepEqual(served, Array(10).fill(1000));
      // null: the server cut the slow client off (read() throws when nothing comes in time).
      assert.equal(await c.read(6000), null);
    } finally {
      clearInterval(drip);
    }
    assert.ok(h.events.some((e) => e.event === 'epp.frame.timeout'));
    await goodStillWorks();
  });

  test('split and coalesced reads: two commands in one write, one command in many small writes (RFC 5734 §4)', async () => {
    const c = await h.client('reg-evil');
    c.writeRaw(Buffer.concat([encodeFrame(eppCommand(domain.check('bir.az'), { clTRID: 'ONE-1' })), encodeFrame(eppCommand(domain.check('iki.az'), { clTRID: 'TWO-2' }))]));
    assert.equal((await c.read())!.clTRID, 'ONE-1');
    assert.equal((await c.read())!.clTRID, 'TWO-2');
    const frame = encodeFrame(eppCommand(domain.check('parca.az'), { clTRID: 'SPLIT-3' }));
    for (let i = 0; i < frame.length; i += 7) {
      c.writeRaw(frame.subarray(i, i + 7));
      if (i < 21) await sleep(5);
    }
    const r = (await c.read())!;
    assert.equal(r.clTRID, 'SPLIT-3');
    assert.equal(r.code, 1000);
  });
});
