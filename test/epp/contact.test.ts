// Contact commands over EPP (RFC 5733) with the identity extension (docs/epp.md): natural persons (R3.7)
// and legal entities (R3.8), and what other registrars may see of them (R8.8).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getContact } from '../../src/core/contacts.ts';
import { EXTENSION_URIS, NS } from '../../src/epp/namespaces.ts';
import { addNameServers, registrar } from '../helpers/fixtures.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { contact, domain, identity } from './commands.ts';
import { harness, PASSWORD, type Harness } from './harness.ts';

describe('EPP contact commands', () => {
  let h: Harness;
  let a: EppClient;
  let b: EppClient;
  before(async () => {
    h = await harness();
    await h.registrar('reg-a');
    await h.registrar('reg-b');
    a = await h.client('reg-a');
    b = await h.client('reg-b');
  });
  after(async () => { await h?.close(); });

  test('create a natural person with the identity extension; info returns it all (R3.7)', async () => {
    const r = await a.command(contact.create({ id: 'aysel-1', name: 'Aysel Quliyeva', voice: '+994.501234567' }), { extension: identity.create(identity.person) });
    assert.equal(r.code, 1000, r.msg);
    assert.equal(r.text('contact:id'), 'aysel-1');
    const stored = await getContact(h.t.reg, 'aysel-1');
    assert.equal(stored.kind, 'natural');
    assert.equal(stored.givenName, 'Aysel');
    assert.equal(stored.familyName, 'Quliyeva');
    assert.equal(stored.patronymic, 'Rəşid qızı');
    assert.equal(stored.idNumber, '12345678');
    const info = await a.command(contact.info('aysel-1'));
    assert.equal(info.code, 1000);
    assert.equal(info.text('contact:name'), 'Aysel Quliyeva');
    assert.equal(info.first('contact:postalInfo')?.attrs.type, 'loc');
    assert.equal(info.text('contact:city'), 'Bakı');
    assert.equal(info.text('contact:voice'), '+994.501234567');
    assert.equal(info.text('contact:pw'), 'Contact-Auth-1');
    assert.deepEqual(info.find('contact:status').map((s) => s.attrs.s), ['ok']);
    assert.equal(info.text('identity:patronymic'), 'Rəşid qızı');
    assert.equal(info.text('identity:series'), 'AZE');
    assert.equal(info.text('identity:issued'), '2020-01-15');
    assert.equal(info.text('identity:kind'), 'natural');
    assert.equal(info.text('identity:verification'), 'unverified');
  });

  test('the name splits on its last space; givenName/familyName in the extension win', async () => {
    await a.command(contact.create({ id: 'memmed-1', name: 'Məmməd Əli Hüseynov' }));
    const c = await getContact(h.t.reg, 'memmed-1');
    assert.deepEqual([c.givenName, c.familyName], ['Məmməd Əli', 'Hüseynov']);
    await a.command(contact.create({ id: 'memmed-2', name: 'Məmməd Əli Hüseynov' }), {
      extension: identity.create('<identity:givenName>Məmməd</identity:givenName><identity:familyName>Əli Hüseynov</identity:familyName>'),
    });
    const d = await getContact(h.t.reg, 'memmed-2');
    assert.deepEqual([d.givenName, d.familyName], ['Məmməd', 'Əli Hüseynov']);
  });

  test('a contact with org is a legal entity (R3.8); its name is the representative', async () => {
    const r = await a.command(contact.create({ id: 'sirket-1', name: 'Elçin Məmmədov', org: 'Kitab Evi MMC', type: 'loc', street: ['Neftcilar 2'], city: 'Baku', pc: 'AZ1000' }), {
      extension: identity.create('<identity:tin>1700456781</identity:tin><identity:regCountry>AZ</identity:regCountry>'),
    });
    assert.equal(r.code, 1000, r.msg);
    const c = await getContact(h.t.reg, 'sirket-1');
    assert.equal(c.kind, 'legal');
    assert.equal(c.orgName, 'Kitab Evi MMC');
    assert.equal(c.representative?.name, 'Elçin Məmmədov');
    const info = await a.command(contact.info('sirket-1'));
    assert.equal(info.text('contact:org'), 'Kitab Evi MMC');
    assert.equal(info.text('contact:name'), 'Elçin Məmmədov');
    assert.equal(info.text('identity:tin'), '1700456781');
    assert.equal(info.text('identity:kind'), 'legal');
  });

  test("a legal entity asking to withhold its data (disclose flag 0) is refused with 2308, and nothing is stored (R8.8)", async () => {
    const r = await a.command(contact.create({ id: 'gizli-mmc', name: 'Elçin Məmmədov', org: 'Gizli MMC', discloseHidden: ['voice', 'email'] }), {
      extension: identity.create('<identity:tin>1700456781</identity:tin><identity:regCountry>AZ</identity:regCountry>'),
    });
    assert.equal(r.code, 2308, r.msg);
    assert.match(r.msg, /public \(R8\.8\): it cannot withhold voice, email/);
    assert.equal((await a.command(contact.info('gizli-mmc'))).code, 2303);
    // The same for a natural person is what R8.8 does anyway, and is accepted.
    assert.equal((await a.command(contact.create({ id: 'gizli-sexs', name: 'Nigar Əliyeva', discloseHidden: ['voice', 'email'] }))).code, 1000);
  });

  test('a contact without identity data is accepted and enters the accuracy procedure (R8.7)', async () => {
    assert.equal((await a.command(contact.create({ id: 'sade-1', name: 'Nigar Əliyeva' }))).code, 1000);
    assert.equal((await getContact(h.t.reg, 'sade-1')).verification, 'unverified');
  });

  test('create refusals: 2302, 2003, 2005, 2001, 2306', async () => {
    assert.equal((await a.command(contact.create({ id: 'aysel-1' }))).code, 2302);
    assert.equal((await a.command(contact.create({ id: 'tekad-1', name: 'Aysel' }))).code, 2003, 'R3.7: given and family name');
    assert.equal((await a.command(contact.create({ id: 'bademail', email: 'not-an-address' }))).code, 2005);
    const badPhone = await a.command(contact.create({ id: 'badphone', voice: '+994.12345678901234' }));
    assert.equal(badPhone.code, 2001, 'the schema already refuses it');
    assert.match(badPhone.msg, /contact:voice/);
    assert.equal((await a.command(contact.create({ id: 'badcc', cc: 'QQ' }))).code, 2005);
    const badId = await a.command(contact.create({ id: 'badid-1' }), { extension: identity.create('<identity:document><identity:series>AZE</identity:series><identity:number>12</identity:number></identity:document>') });
    assert.equal(badId.code, 2005);
    assert.equal((await a.command(contact.create({ id: 'weakauth', authInfo: 'password' }))).code, 2306);
  });

  test('check tells which ids are taken', async () => {
    const r = await a.command(contact.check('aysel-1', 'free-id-9'));
    assert.deepEqual(r.find('contact:id').map((i) => [i.text, i.attrs.avail]), [['aysel-1', '0'], ['free-id-9', '1']]);
  });

  test("other registrars: a natural person's data is not disclosed without authInfo (R8.8), a company's is", async () => {
    const person = await b.command(contact.info('aysel-1'));
    assert.equal(person.code, 2201);
    assert.match(person.msg, /R8\.8/);
    const withAuth = await b.command(contact.info('aysel-1', 'Contact-Auth-1'));
    assert.equal(withAuth.code, 1000);
    assert.equal(withAuth.text('contact:name'), 'Aysel Quliyeva');
    assert.equal((await b.command(contact.info('aysel-1', 'Wrong-Auth-1'))).code, 2202);
    const company = await b.command(contact.info('sirket-1'));
    assert.equal(company.code, 1000);
    assert.equal(company.text('contact:name'), 'Kitab Evi MMC', "the representative's name is personal data");
    assert.equal(company.first('contact:authInfo'), undefined);
    assert.equal(company.first('identity:infData'), undefined);
    assert.equal((await b.command(contact.info('nobody-9'))).code, 2303);
  });

  test('update: address, e-mail, identity data, statuses; refusals 2201, 2304, 2306', async () => {
    const r = await a.command(contact.update('aysel-1', { postal: { name: 'Aysel Məmmədova', city: 'Gəncə', street: ['Atatürk pr. 5'] }, email: 'aysel@new.example.az' }), {
      extension: identity.update('<identity:tin>1234567890</identity:tin>'),
    });
    assert.equal(r.code, 1000, r.msg);
    const c = await getContact(h.t.reg, 'aysel-1');
    assert.equal(c.familyName, 'Məmmədova');
    assert.equal(c.city, 'Gəncə');
    assert.equal(c.email, 'aysel@new.example.az');
    assert.equal(c.tin, '1234567890');
    assert.equal(c.patronymic, 'Rəşid qızı', 'untouched fields stay');
    assert.equal((await b.command(contact.update('aysel-1', { email: 'x@y.az' }))).code, 2201);
    assert.equal((await a.command(contact.update('aysel-1', { postal: { name: 'Aysel Q', org: 'Now A Company' } }))).code, 2306);
    assert.equal((await a.command(contact.update('aysel-1', { addStatus: ['clientUpdateProhibited'] }))).code, 1000);
    assert.equal((await a.command(contact.update('aysel-1', { email: 'again@x.az' }))).code, 2304);
    assert.equal((await a.command(contact.update('aysel-1', { remStatus: ['clientUpdateProhibited'] }))).code, 1000);
    assert.equal((await a.command(contact.update('aysel-1', { addStatus: ['serverUpdateProhibited'] }))).code, 2201);
    assert.equal((await a.command(contact.update('aysel-1', { voice: '' }))).code, 1000);
    assert.equal((await getContact(h.t.reg, 'aysel-1')).voice, null);
  });

  test('delete: linked 2305, prohibited 2304, another sponsor 2201, unknown 2303', async () => {
    const ns = await addNameServers(h.t.reg, registrar('reg-a'), 'dns-k.net');
    assert.equal((await a.command(domain.create({ name: 'baglı.az', registrant: 'sade-1', ns }))).code, 1000);
    assert.equal((await a.command(contact.delete('sade-1'))).code, 2305);
    assert.equal((await b.command(contact.delete('memmed-1'))).code, 2201);
    await a.command(contact.update('memmed-1', { addStatus: ['clientDeleteProhibited'] }));
    assert.equal((await a.command(contact.delete('memmed-1'))).code, 2304);
    assert.equal((await a.command(contact.delete('memmed-2'))).code, 1000);
    assert.equal((await a.command(contact.info('memmed-2'))).code, 2303);
    assert.equal((await a.command(contact.delete('memmed-2'))).code, 2303);
  });

  test('contact transfer is not offered: 2101', async () => {
    assert.equal((await b.command(contact.transfer('request', 'memmed-1'))).code, 2101);
    assert.equal((await b.command(contact.transfer('query', 'nobody-9'))).code, 2303);
  });

  test('the identity extension is not returned to a client that did not announce it', async () => {
    const c = await h.client('reg-a', { login: false });
    assert.equal((await c.login('reg-a', PASSWORD, { extURIs: EXTENSION_URIS.filter((u) => u !== NS.identity) })).code, 1000);
    const info = await c.command(contact.info('sirket-1'));
    assert.equal(info.code, 1000);
    assert.equal(info.first('identity:infData'), undefined);
  });
});
