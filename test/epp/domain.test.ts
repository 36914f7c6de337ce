// Domain commands over EPP (RFC 5731, 5910) against the '.az' rules: success paths and the result code
// of each refusal the core produces.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addNameServers, addPerson, registrar } from '../helpers/fixtures.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { DIGEST, domain, host, secDNS } from './commands.ts';
import { harness, type Harness } from './harness.ts';

describe('EPP domain commands', () => {
  let h: Harness;
  let a: EppClient;
  let b: EppClient;
  let ns: string[];
  before(async () => {
    h = await harness();
    await h.registrar('reg-a');
    await h.registrar('reg-b');
    await addPerson(h.t.reg, registrar('reg-a'), 'owner-a');
    await addPerson(h.t.reg, registrar('reg-a'), 'tech-a');
    await addPerson(h.t.reg, registrar('reg-b'), 'owner-b');
    ns = await addNameServers(h.t.reg, registrar('reg-a'), 'dns-a.net');
    await addNameServers(h.t.reg, registrar('reg-b'), 'dns-b.net');
    a = await h.client('reg-a');
    b = await h.client('reg-b');
  });
  after(async () => { await h?.close(); });

  test('check: available, taken, refused with the clause, needing review (RFC 5731 §3.1.1)', async () => {
    assert.equal((await a.command(domain.create({ name: 'kitab.az', registrant: 'owner-a', ns }))).code, 1000);
    const r = await a.command(domain.check('yenisoz.az', 'kitab.az', 'ab.az', 'baku.az', 'example.com'));
    assert.equal(r.code, 1000);
    const cds = r.find('domain:cd').map((cd) => ({ name: cd.need('domain:name').text, avail: cd.need('domain:name').attrs.avail, reason: cd.textOf('domain:reason') }));
    assert.deepEqual(cds, [
      { name: 'yenisoz.az', avail: '1', reason: undefined },
      { name: 'kitab.az', avail: '0', reason: 'In use' },
      { name: 'ab.az', avail: '0', reason: 'Invalid length (R4.1.1)' },
      { name: 'baku.az', avail: '1', reason: 'Needs review (R4.2)' },
      { name: 'example.com', avail: '0', reason: 'Not a name under .az (R2.2)' },
    ]);
    const many = Array.from({ length: 51 }, (_, i) => `n${i}x.az`);
    assert.equal((await a.command(domain.check(...many))).code, 2306);
  });

  test('create: 1000 with creData; the period counts in years (R3.16)', async () => {
    const r = await a.command(domain.create({ name: 'Çay.az', period: 2, registrant: 'owner-a', contacts: [['tech', 'tech-a'], ['admin', 'owner-a']], ns }));
    assert.equal(r.code, 1000, r.msg);
    assert.equal(r.text('domain:name'), 'xn--ay-3ia.az');
    assert.equal(r.text('domain:crDate'), '2026-03-02T09:00:00.000Z');
    assert.equal(r.text('domain:exDate'), '2028-03-02T09:00:00.000Z');
    const m = await a.command(domain.create({ name: 'aylar.az', period: 24, unit: 'm', registrant: 'owner-a', ns }));
    assert.equal(m.text('domain:exDate'), '2028-03-02T09:00:00.000Z');
  });

  test('create refusals: 2302, 2303, 2003, 2306 with every reason, 2004, 2201, 2102, 2005', async () => {
    const dup = await a.command(domain.create({ name: 'kitab.az', registrant: 'owner-a', ns }));
    assert.equal(dup.code, 2302);
    assert.ok(dup.reasons.some((r) => r.startsWith('R4.12')), dup.reasons.join('|'));
    assert.equal((await a.command(domain.create({ name: 'nocontact.az', registrant: 'nobody', ns }))).code, 2303);
    assert.equal((await a.command(domain.create({ name: 'nohost.az', registrant: 'owner-a', ns: ['ns9.nowhere.net', ns[0]!] }))).code, 2303);
    assert.equal((await a.command(domain.create({ name: 'noowner.az', ns }))).code, 2003);
    const bad = await a.command(domain.create({ name: '-ab.az', registrant: 'owner-a', ns }));
    assert.equal(bad.code, 2306);
    assert.ok(bad.reasons.some((r) => /^R4\.1\.\d .*refusal ground R5\.1\.3/.test(r)), bad.reasons.join('|'));
    assert.equal((await a.command(domain.create({ name: 'tekns.az', registrant: 'owner-a', ns: [ns[0]!] }))).code, 2306);
    assert.equal((await a.command(domain.create({ name: 'uzun.az', period: 11, registrant: 'owner-a', ns }))).code, 2004);
    assert.equal((await a.command(domain.create({ name: 'ayliq.az', period: 18, unit: 'm', registrant: 'owner-a', ns }))).code, 2004);
    const foreign = await a.command(domain.create({ name: 'yadowner.az', registrant: 'owner-b', ns }));
    assert.equal(foreign.code, 2201);
    assert.match(foreign.reasons.join(' '), /R8\.8/);
    const attr = '<create><domain:create xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>attr.az</domain:name><domain:ns><domain:hostAttr><domain:hostName>ns1.attr.az</domain:hostName></domain:hostAttr></domain:ns><domain:registrant>owner-a</domain:registrant><domain:authInfo><domain:pw>Auth-Info-123</domain:pw></domain:authInfo></domain:create></create>';
    assert.equal((await a.command(attr)).code, 2102);
    const shortDigest = await a.command(domain.create({ name: 'dsbad.az', registrant: 'owner-a', ns }), { extension: secDNS.create([{ keyTag: 1, alg: 13, digestType: 2, digest: 'ABCD' }]) });
    assert.equal(shortDigest.code, 2005);
    const weakAuth = await a.command(domain.create({ name: 'weakauth.az', registrant: 'owner-a', ns, authInfo: 'short' }));
    assert.equal(weakAuth.code, 2306);
  });

  test('secDNS dsData on create and in info; keyData is 2306 (RFC 5910)', async () => {
    const ds = { keyTag: 12345, alg: 13, digestType: 2, digest: DIGEST };
    const r = await a.command(domain.create({ name: 'imzali.az', registrant: 'owner-a', ns }), { extension: secDNS.create([ds]) });
    assert.equal(r.code, 1000, r.msg);
    const info = await a.command(domain.info('imzali.az'));
    assert.equal(info.text('secDNS:keyTag'), '12345');
    assert.equal(info.text('secDNS:digest'), DIGEST);
    const key = await a.command(domain.create({ name: 'acarli.az', registrant: 'owner-a', ns }), { extension: secDNS.createKeyData() });
    assert.equal(key.code, 2306);
    const ds2 = { keyTag: 222, alg: 8, digestType: 2, digest: DIGEST.replace(/^8/, '9') };
    assert.equal((await a.command(domain.update('imzali.az'), { extension: secDNS.update({ add: [ds2] }) })).code, 1000);
    assert.deepEqual((await a.command(domain.info('imzali.az'))).texts('secDNS:keyTag'), ['222', '12345']);
    assert.equal((await a.command(domain.update('imzali.az'), { extension: secDNS.update({ rem: [ds] }) })).code, 1000);
    assert.deepEqual((await a.command(domain.info('imzali.az'))).texts('secDNS:keyTag'), ['222']);
    assert.equal((await a.command(domain.update('imzali.az'), { extension: secDNS.update({ rem: [ds] }) })).code, 2306);
    assert.equal((await a.command(domain.update('imzali.az'), { extension: secDNS.update({ remAll: true }) })).code, 1000);
    assert.equal((await a.command(domain.info('imzali.az'))).first('secDNS:infData'), undefined);
  });

  test('a name that needs review answers 1001 with creData and the application (R3.12, R4.2)', async () => {
    const r = await a.command(domain.create({ name: 'baku.az', registrant: 'owner-a', ns }));
    assert.equal(r.code, 1001);
    assert.equal(r.text('domain:name'), 'baku.az');
    assert.equal(r.text('domain:crDate'), '2026-03-02T09:00:00.000Z');
    assert.match(r.msg, /application \d+ for baku\.az is under review \(R4\.2\)/);
    assert.match(r.svTRID ?? '', /^DMN-[0-9a-z]{9}-[0-9a-f]{6}-[0-9a-z]{4}$/);
    const again = await b.command(domain.create({ name: 'baku.az', registrant: 'owner-b', ns: ['ns1.dns-b.net', 'ns2.dns-b.net'] }));
    assert.equal(again.code, 1001, 'a second application queues behind the first (R4.12)');
    // The applicant's info answers its pending application; another registrar's is not shown.
    const mine = await a.command(domain.info('baku.az'));
    assert.equal(mine.code, 1000, mine.msg);
    assert.deepEqual(mine.find('domain:status').map((s) => s.attrs.s), ['pendingCreate']);
    assert.equal(mine.text('domain:registrant'), 'owner-a');
    assert.equal(mine.text('domain:clID'), 'reg-a');
    assert.equal(mine.first('domain:exDate'), undefined);
    assert.deepEqual(mine.texts('domain:hostObj'), ns);
    const theirs = await b.command(domain.info('baku.az'));
    assert.equal(theirs.text('domain:registrant'), 'owner-b');
    assert.equal((await a.command(domain.info('nobody-applied.az'))).code, 2303);
  });

  test('info: the sponsor sees everything; others see less unless they give the authInfo (RFC 5731 §3.1.2)', async () => {
    await a.command(domain.create({ name: 'melumat.az', registrant: 'owner-a', contacts: [['tech', 'tech-a']], ns, authInfo: 'Melumat-Pass-9' }));
    const own = await a.command(domain.info('melumat.az'));
    assert.equal(own.code, 1000);
    assert.equal(own.text('domain:registrant'), 'owner-a');
    assert.deepEqual(own.texts('domain:contact'), ['tech-a']);
    assert.deepEqual(own.texts('domain:hostObj'), ns);
    assert.equal(own.text('domain:pw'), 'Melumat-Pass-9');
    assert.equal(own.text('domain:clID'), 'reg-a');
    assert.equal(own.text('domain:crID'), 'reg-a');
    assert.deepEqual(own.find('domain:status').map((s) => s.attrs.s), ['ok']);
    assert.equal((await a.command(domain.info('melumat.az', { hosts: 'none' }))).first('domain:ns'), undefined);

    const other = await b.command(domain.info('melumat.az'));
    assert.equal(other.code, 1000);
    assert.equal(other.first('domain:registrant'), undefined);
    assert.equal(other.first('domain:contact'), undefined);
    assert.equal(other.first('domain:authInfo'), undefined);
    assert.equal(other.text('domain:clID'), 'reg-a');
    const withAuth = await b.command(domain.info('melumat.az', { authInfo: 'Melumat-Pass-9' }));
    assert.equal(withAuth.text('domain:registrant'), 'owner-a');
    assert.equal((await b.command(domain.info('melumat.az', { authInfo: 'Wrong-Pass-99' }))).code, 2202);
    assert.equal((await a.command(domain.info('yoxdur.az'))).code, 2303);
  });

  test('update: statuses, name servers, contacts; refusals 2306, 2201, 2304, 2303', async () => {
    await a.command(domain.create({ name: 'deyisen.az', registrant: 'owner-a', ns }));
    await addNameServers(h.t.reg, registrar('reg-a'), 'dns-c.net');
    assert.equal((await a.command(domain.update('deyisen.az', { addStatus: ['clientHold'], addNs: ['ns1.dns-c.net'], addContacts: [['admin', 'tech-a']] }))).code, 1000);
    const info = await a.command(domain.info('deyisen.az'));
    assert.deepEqual(info.find('domain:status').map((s) => s.attrs.s), ['clientHold']);
    assert.equal(info.texts('domain:hostObj').length, 3);
    assert.equal(info.text('domain:upID'), 'reg-a');
    assert.equal((await a.command(domain.update('deyisen.az', { addStatus: ['clientHold'] }))).code, 2306);
    assert.equal((await a.command(domain.update('deyisen.az', { remNs: ['ns1.dns-c.net', ns[0]!] }))).code, 2306, 'one name server is too few');
    assert.equal((await a.command(domain.update('deyisen.az', { registrant: 'tech-a' }))).code, 2306, 'R10.1');
    assert.equal((await a.command(domain.update('deyisen.az', { addStatus: ['serverHold'] }))).code, 2201);
    assert.equal((await b.command(domain.update('deyisen.az', { remStatus: ['clientHold'] }))).code, 2201);
    assert.equal((await a.command(domain.update('deyisen.az', { addNs: ['ns7.nowhere.net'] }))).code, 2303);
    assert.equal((await a.command(domain.update('deyisen.az', { addStatus: ['clientUpdateProhibited'] }))).code, 1000);
    assert.equal((await a.command(domain.update('deyisen.az', { remStatus: ['clientHold'] }))).code, 2304);
    assert.equal((await a.command(domain.update('deyisen.az', { remStatus: ['clientUpdateProhibited', 'clientHold'] }))).code, 1000);
    assert.equal((await a.command(domain.update('deyisen.az', { authInfo: 'New-Auth-777' }))).code, 1000);
    assert.equal((await a.command(domain.info('deyisen.az'))).text('domain:pw'), 'New-Auth-777');
  });

  test('renew: curExpDate must match; never beyond 10 years (R3.16); only the sponsor', async () => {
    await a.command(domain.create({ name: 'uzadilan.az', registrant: 'owner-a', ns }));
    const r = await a.command(domain.renew('uzadilan.az', '2027-03-02', 2));
    assert.equal(r.code, 1000, r.msg);
    assert.equal(r.text('domain:exDate'), '2029-03-02T09:00:00.000Z');
    assert.equal((await a.command(domain.renew('uzadilan.az', '2027-03-02'))).code, 2306);
    assert.equal((await a.command(domain.renew('uzadilan.az', '2029-03-02', 8))).code, 2306);
    assert.equal((await b.command(domain.renew('uzadilan.az', '2029-03-02'))).code, 2201);
    assert.equal((await a.command(domain.update('uzadilan.az', { addStatus: ['clientRenewProhibited'] }))).code, 1000);
    assert.equal((await a.command(domain.renew('uzadilan.az', '2029-03-02'))).code, 2304);
  });

  test('delete: subordinate hosts 2305, a prohibiting status 2304, another sponsor 2201, then gone', async () => {
    await a.command(domain.create({ name: 'silinen.az', registrant: 'owner-a', ns }));
    assert.equal((await a.command(host.create('ns1.silinen.az', ['195.24.2.1']))).code, 1000);
    assert.equal((await a.command(domain.delete('silinen.az'))).code, 2305);
    assert.equal((await a.command(host.delete('ns1.silinen.az'))).code, 1000);
    assert.equal((await b.command(domain.delete('silinen.az'))).code, 2201);
    await a.command(domain.update('silinen.az', { addStatus: ['clientDeleteProhibited'] }));
    assert.equal((await a.command(domain.delete('silinen.az'))).code, 2304);
    await a.command(domain.update('silinen.az', { remStatus: ['clientDeleteProhibited'] }));
    assert.equal((await a.command(domain.delete('silinen.az'))).code, 1000);
    assert.equal((await a.command(domain.info('silinen.az'))).code, 2303);
    assert.equal((await a.command(domain.delete('silinen.az'))).code, 2303);
  });

  test('rgp restore: 2304 for a live name that is not in the redemption period (RFC 3915)', async () => {
    const restore = '<rgp:update xmlns:rgp="urn:ietf:params:xml:ns:rgp-1.0"><rgp:restore op="request"/></rgp:update>';
    assert.equal((await a.command(domain.update('kitab.az'), { extension: restore })).code, 2304);
    assert.equal((await a.command(domain.update('heckim.az'), { extension: restore })).code, 2303);
  });
});
