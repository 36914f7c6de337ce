// Conformance points a strict client or an independent grader checks against the RFCs, beyond the command
// tests: msgQ only while messages wait (RFC 5730 §2.6), 2300 only for a transfer and 2304 for the other
// commands a pending transfer blocks (RFC 5730 §3), transfer query by an unrelated registrar with a wrong
// authInfo (2202), disclose naming the postalInfo form info answers in (RFC 5733 §2.9), and the hosts
// attribute of domain:info (RFC 5731 §3.1.2). Every response is validated against the schemas (harness).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NS } from '../../src/epp/namespaces.ts';
import { addNameServers, addPerson, registrar } from '../helpers/fixtures.ts';
import type { EppClient, EppResponse } from '../helpers/epp-client.ts';
import { domain, host, poll } from './commands.ts';
import { harness, type Harness } from './harness.ts';

const NS_PAIR = (base: string) => [`ns1.${base}`, `ns2.${base}`];

/** A contact:create with a disclose flag="1" naming the name of the given postalInfo form, and the e-mail. */
function contactCreate(id: string, type: 'int' | 'loc', name: string, city: string): string {
  return `<create><contact:create xmlns:contact="${NS.contact}"><contact:id>${id}</contact:id>`
    + `<contact:postalInfo type="${type}"><contact:name>${name}</contact:name><contact:addr><contact:street>Main 1</contact:street>`
    + `<contact:city>${city}</contact:city><contact:cc>AZ</contact:cc></contact:addr></contact:postalInfo>`
    + `<contact:email>${id}@example.az</contact:email><contact:authInfo><contact:pw>Contact-Auth-1</contact:pw></contact:authInfo>`
    + `<contact:disclose flag="1"><contact:name type="${type}"/><contact:email/></contact:disclose></contact:create></create>`;
}

const contactInfo = (id: string) => `<info><contact:info xmlns:contact="${NS.contact}"><contact:id>${id}</contact:id></contact:info></info>`;

describe('EPP conformance', () => {
  let h: Harness;
  let a: EppClient;
  let b: EppClient;
  let c: EppClient;
  before(async () => {
    h = await harness();
    for (const r of ['reg-a', 'reg-b', 'reg-c']) await h.registrar(r);
    await addPerson(h.t.reg, registrar('reg-a'), 'owner-a');
    await addNameServers(h.t.reg, registrar('reg-a'), 'dns-a.net');
    a = await h.client('reg-a');
    b = await h.client('reg-b');
    c = await h.client('reg-c');
  });
  after(async () => { await h?.close(); });

  async function create(name: string): Promise<EppResponse> {
    const r = await a.command(domain.create({ name, registrant: 'owner-a', ns: NS_PAIR('dns-a.net'), authInfo: 'Xfer-Auth-123' }));
    assert.equal(r.code, 1000, r.msg);
    return r;
  }

  test('RFC 5730 §2.6: an ack names the message while others wait; the ack of the last one has no msgQ', async () => {
    await create('sorgu.az');
    assert.equal((await b.command(domain.transfer('request', 'sorgu.az', 'Xfer-Auth-123'))).code, 1001);
    assert.equal((await a.command(domain.transfer('reject', 'sorgu.az'))).code, 1000);
    // reg-b was told of its request and of the rejection.
    const first = await b.command(poll.req());
    assert.equal(first.code, 1301);
    assert.equal(first.first('epp:msgQ')?.attrs.count, '2');
    const id1 = first.first('epp:msgQ')!.attrs.id!;
    const ack1 = await b.command(poll.ack(id1));
    assert.equal(ack1.code, 1000);
    assert.deepEqual([ack1.first('epp:msgQ')?.attrs.count, ack1.first('epp:msgQ')?.attrs.id], ['1', id1]);

    const second = await b.command(poll.req());
    assert.equal(second.code, 1301);
    assert.equal(second.text('domain:trStatus'), 'clientRejected');
    const ack2 = await b.command(poll.ack(second.first('epp:msgQ')!.attrs.id!));
    assert.equal(ack2.code, 1000);
    assert.equal(ack2.first('epp:msgQ'), undefined, `no msgQ when no message is queued: ${ack2.xml}`);
    const none = await b.command(poll.req());
    assert.equal(none.code, 1300);
    assert.equal(none.first('epp:msgQ'), undefined);
  });

  test('RFC 5730 §3: a domain pending transfer refuses update, renew and delete with 2304; another transfer request is 2300', async () => {
    const exDate = (await create('gozle.az')).text('domain:exDate')!.slice(0, 10);
    assert.equal((await b.command(domain.transfer('request', 'gozle.az', 'Xfer-Auth-123'))).code, 1001);
    const upd = await a.command(domain.update('gozle.az', { addStatus: ['clientHold'] }));
    assert.equal(upd.code, 2304, upd.msg);
    assert.match(upd.msg, /pending transfer/);
    assert.equal((await a.command(domain.renew('gozle.az', exDate, 1))).code, 2304);
    assert.equal((await a.command(domain.delete('gozle.az'))).code, 2304);
    assert.equal((await c.command(domain.transfer('request', 'gozle.az', 'Xfer-Auth-123'))).code, 2300);
  });

  test('RFC 5731 §3.1.3: transfer query by an unrelated registrar: 2201 without authInfo, 2202 with a wrong one, the record with the right one', async () => {
    assert.equal((await c.command(domain.transfer('query', 'gozle.az'))).code, 2201);
    assert.equal((await c.command(domain.transfer('query', 'gozle.az', 'Wrong-Auth-123'))).code, 2202);
    const ok = await c.command(domain.transfer('query', 'gozle.az', 'Xfer-Auth-123'));
    assert.equal(ok.code, 1000, ok.msg);
    assert.deepEqual([ok.text('domain:trStatus'), ok.text('domain:reID'), ok.text('domain:acID')], ['pending', 'reg-b', 'reg-a']);
    // The gaining and the losing registrar need no authInfo.
    assert.equal((await a.command(domain.transfer('query', 'gozle.az'))).code, 1000);
    assert.equal((await b.command(domain.transfer('query', 'gozle.az'))).code, 1000);
  });

  test('RFC 5733 §2.9: disclose names the postalInfo form info answers in (int for ASCII data, loc otherwise)', async () => {
    assert.equal((await a.command(contactCreate('ascii-1', 'int', 'John Smith', 'Baku'))).code, 1000);
    const int = await a.command(contactInfo('ascii-1'));
    assert.equal(int.first('contact:postalInfo')?.attrs.type, 'int');
    assert.equal(int.first('contact:disclose')?.attrs.flag, '1');
    assert.equal(int.first('contact:disclose')?.first('contact:name')?.attrs.type, 'int', int.xml);
    assert.ok(int.first('contact:disclose')?.first('contact:email'));

    assert.equal((await a.command(contactCreate('yerli-1', 'loc', 'Aysel Quliyeva', 'Bakı'))).code, 1000);
    const loc = await a.command(contactInfo('yerli-1'));
    assert.equal(loc.first('contact:postalInfo')?.attrs.type, 'loc');
    assert.equal(loc.first('contact:disclose')?.first('contact:name')?.attrs.type, 'loc');
  });

  test('RFC 5733 §2.3: postalInfo type="int" is 7-bit ASCII; Azerbaijani letters there are 2005 and nothing is created', async () => {
    const r = await a.command(contactCreate('int-az', 'int', 'Aysel Quliyeva', 'Bakı'));
    assert.equal(r.code, 2005, r.xml);
    assert.match(r.msg, /type="int" holds only 7-bit ASCII/);
    assert.equal((await a.command(contactInfo('int-az'))).code, 2303);
  });

  test('RFC 5731 §3.1.2: hosts="all" (default), "del", "sub" and "none" for the sponsor; another registrar sees no subordinate hosts', async () => {
    await create('evim.az');
    assert.equal((await a.command(host.create('ns1.evim.az', ['195.24.2.1']))).code, 1000);
    const shape = async (client: EppClient, hosts?: string) => {
      const r = await client.command(domain.info('evim.az', hosts ? { hosts } : {}));
      assert.equal(r.code, 1000, r.msg);
      return { ns: r.texts('domain:hostObj'), sub: r.texts('domain:host') };
    };
    const ns = NS_PAIR('dns-a.net');
    assert.deepEqual(await shape(a), { ns, sub: ['ns1.evim.az'] });
    assert.deepEqual(await shape(a, 'all'), { ns, sub: ['ns1.evim.az'] });
    assert.deepEqual(await shape(a, 'del'), { ns, sub: [] });
    assert.deepEqual(await shape(a, 'sub'), { ns: [], sub: ['ns1.evim.az'] });
    assert.deepEqual(await shape(a, 'none'), { ns: [], sub: [] });
    assert.deepEqual(await shape(b), { ns, sub: [] });
  });
});
