// Contacts (RFC 5733) with the person data of R3.7 (natural persons) and R3.8 (legal entities).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addNameServers, addPerson, addRegistrar, na } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createContact, deleteContact, getContact, updateContact, type ContactCreateInput } from '../../src/core/contacts.ts';
import { createDomain } from '../../src/core/domains/create.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const nextName = nameMaker('kontakt');

/** A natural person with the minimum Appendix 2 data and no identity document. */
function person(handle: string, extra: Partial<ContactCreateInput> = {}): ContactCreateInput {
  return {
    handle, kind: 'natural', givenName: 'Elvin', familyName: 'Məmmədov', citizenship: 'AZ',
    street: ['Füzuli küç. 5'], city: 'Bakı', cc: 'AZ', voice: '+994.551112233', email: `${handle}@mail.example.az`, ...extra,
  };
}

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-c1');
  r2 = await addRegistrar(t.reg, 'reg-c2');
  await addNameServers(t.reg, r1, 'contacts-dns.net');
});
after(async () => { await t?.close(); });

describe('contact create', () => {
  test('a natural person with an identity card is created, unverified, with a ROID of the profile', async () => {
    const c = await addPerson(t.reg, r1, 'nat-ok1');
    assert.equal(c.kind, 'natural');
    assert.equal(c.registrarId, 'reg-c1');
    assert.equal(c.verification, 'unverified');
    assert.equal(c.idSeries, 'AZE');
    assert.equal(c.idNumber, '12345678');
    assert.match(c.roid, /^C\d+-AZ$/);
    assert.equal(c.authInfo.length >= 8, true);
    const seen = await getContact(t.reg, 'nat-ok1');
    assert.deepEqual(seen.statuses, ['ok']);
    assert.equal(seen.createdBy, 'reg-c1');
  });

  test('a legal entity is created with its full legal name and TIN', async () => {
    const c = await addCompany(t.reg, r1, 'leg-ok1');
    assert.equal(c.kind, 'legal');
    assert.equal(c.orgName, 'leg-ok1 MMC');
    assert.equal(c.tin, '1700456781');
  });

  test('the kind follows the organisation name when not given', async () => {
    const c = await createContact(t.reg, r1, { ...person('kind-auto1'), kind: undefined, givenName: null, familyName: null, orgName: 'Bakı Çay MMC' });
    assert.equal(c.kind, 'legal');
  });

  test('R3.7: a natural person needs a given name and a family name', async () => {
    await assert.rejects(createContact(t.reg, r1, person('nat-nofam', { familyName: null })),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('nat-nogiven', { givenName: '  ' })),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('nat-org', { orgName: 'Some MMC' })),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R3.7' }));
  });

  test('R3.8: a legal entity needs its full legal name', async () => {
    await assert.rejects(createContact(t.reg, r1, person('leg-noorg', { kind: 'legal' })),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R3.8' }));
  });

  test('R3.7: Azerbaijani identity documents: AZE has 8 digits, AA has 7', async () => {
    await createContact(t.reg, r1, person('id-aze8', { idSeries: 'AZE', idNumber: '87654321' }));
    const aa = await createContact(t.reg, r1, person('id-aa7', { idSeries: 'aa', idNumber: '7654321' }));
    assert.equal(aa.idSeries, 'AA');
    await assert.rejects(createContact(t.reg, r1, person('id-aze7', { idSeries: 'AZE', idNumber: '7654321' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('id-aa8', { idSeries: 'AA', idNumber: '87654321' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('id-series', { idSeries: 'XY', idNumber: '1234567' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('id-letters', { idSeries: 'AZE', idNumber: '1234567A' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('id-half', { idSeries: 'AZE' })),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R3.7' }));
  });

  test('a foreign citizen keeps the passport of their country (no AZ format applies)', async () => {
    const c = await createContact(t.reg, r1, person('id-foreign', { citizenship: 'TR', cc: 'TR', city: 'Ankara', idSeries: 'U', idNumber: '12345' }));
    assert.equal(c.citizenship, 'TR');
    assert.equal(c.idNumber, '12345');
  });

  test('TIN (VÖEN) has 10 digits: R3.7 for a private owner, R3.8 for a legal entity', async () => {
    await assert.rejects(createContact(t.reg, r1, person('tin-nat9', { tin: '123456789' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('tin-leg11', { kind: 'legal', orgName: 'Tin MMC', tin: '12345678901' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.8' }));
    const ok = await createContact(t.reg, r1, person('tin-nat10', { tin: '1234567890' }));
    assert.equal(ok.tin, '1234567890');
  });

  test('e-mail, telephone, country and dates are checked (2005) with the clause', async () => {
    await assert.rejects(createContact(t.reg, r1, person('bad-mail1', { email: 'not-an-address' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'Appendix 2' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-mail2', { email: 'a b@mail.az' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'Appendix 2' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-voice', { voice: '+994501234567' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'Appendix 2' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-fax', { fax: '0501234567' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'Appendix 2' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-cc', { cc: 'XX' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5733 §2.3' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-citiz', { citizenship: 'AZE' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, { ...person('bad-regc'), kind: 'legal', givenName: null, familyName: null, orgName: 'R MMC', regCountry: 'QQ' }),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.8' }));
    await assert.rejects(createContact(t.reg, r1, person('bad-date', { idSeries: 'AZE', idNumber: '12345678', idIssuedOn: '2021-02-30' })),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(createContact(t.reg, r1, person('no-city', { city: '' })),
      registryError({ kind: 'required', eppCode: 2003, clause: 'Appendix 2' }));
    const lower = await createContact(t.reg, r1, person('cc-lower', { cc: 'az', citizenship: 'az' }));
    assert.equal(lower.cc, 'AZ');
    assert.equal(lower.citizenship, 'AZ');
  });

  test('missing identity data does not refuse the contact: it stays unverified (R8.7)', async () => {
    const c = await createContact(t.reg, r1, person('no-ident1'));
    assert.equal(c.idSeries, null);
    assert.equal(c.idNumber, null);
    assert.equal(c.tin, null);
    assert.equal(c.verification, 'unverified');
  });

  test('RFC 5733 §2.1: a contact id has 3 to 16 characters of a restricted set', async () => {
    for (const handle of ['ab', 'a b c', '-abc', 'abcdefghijklmnopq', 'kontakt@1', 'şəki-1']) {
      await assert.rejects(createContact(t.reg, r1, person(handle)),
        registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5733 §2.1' }), handle);
    }
    await createContact(t.reg, r1, person('abcdefghijklmnop'));
    await createContact(t.reg, r1, person('a.b_c-1'));
  });

  test('a contact id is unique in the registry: 2302, also for another registrar', async () => {
    await createContact(t.reg, r1, person('dup-handle'));
    await assert.rejects(createContact(t.reg, r1, person('dup-handle')),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'RFC 5733 §3.2.1' }));
    await assert.rejects(createContact(t.reg, r2, person('dup-handle')),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'RFC 5733 §3.2.1' }));
  });

  test('a weak authInfo is refused', async () => {
    await assert.rejects(createContact(t.reg, r1, person('weak-auth', { authInfo: 'short1' })),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §2.6' }));
  });

  test('the National Administrator creates a contact only for a named registrar', async () => {
    await assert.rejects(createContact(t.reg, na, person('na-nobody')), registryError({ kind: 'required', eppCode: 2003 }));
    const c = await createContact(t.reg, na, { ...person('na-for-c2'), registrarId: 'reg-c2' });
    assert.equal(c.registrarId, 'reg-c2');
    await assert.rejects(createContact(t.reg, r1, { ...person('r1-for-c2'), registrarId: 'reg-c2' }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
  });
});

describe('contact update', () => {
  test('another registrar can neither update nor delete the contact (2201); an unknown one is 2303', async () => {
    await addPerson(t.reg, r1, 'upd-foreign');
    await assert.rejects(updateContact(t.reg, r2, { handle: 'upd-foreign', set: { city: 'Gəncə' } }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5730 §2.9.2' }));
    await assert.rejects(deleteContact(t.reg, r2, 'upd-foreign'), registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'no-such-c', set: { city: 'Gəncə' } }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    assert.equal((await getContact(t.reg, 'upd-foreign')).city, 'Bakı');
  });

  test('an update merges onto the stored data', async () => {
    const c = await addPerson(t.reg, r1, 'upd-merge');
    t.clock.advance(60_000);
    const u = await updateContact(t.reg, r1, { handle: 'upd-merge', set: { city: 'Gəncə', street: ['Cavadxan küç. 3'], voice: '+994.502223344' } });
    assert.equal(u.city, 'Gəncə');
    assert.deepEqual(u.street, ['Cavadxan küç. 3']);
    assert.equal(u.voice, '+994.502223344');
    for (const k of ['givenName', 'familyName', 'patronymic', 'email', 'idSeries', 'idNumber', 'idIssuedOn', 'cc', 'citizenship', 'pc'] as const) {
      assert.equal(u[k], c[k], k);
    }
    assert.equal(u.updatedBy, 'reg-c1');
    assert.equal(u.updatedAt?.toISOString(), t.clock.now().toISOString());
    // A field passed as undefined is absent, not erased.
    const v = await updateContact(t.reg, r1, { handle: 'upd-merge', set: { city: 'Şəki', voice: undefined, givenName: undefined } });
    assert.equal(v.voice, '+994.502223344');
    assert.equal(v.givenName, 'Aysel');
    // null erases an optional field.
    const w = await updateContact(t.reg, r1, { handle: 'upd-merge', set: { fax: null, patronymic: null } });
    assert.equal(w.patronymic, null);
  });

  test('an update with bad data is refused and changes nothing', async () => {
    await addPerson(t.reg, r1, 'upd-bad');
    await assert.rejects(updateContact(t.reg, r1, { handle: 'upd-bad', set: { email: 'nope' } }),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'Appendix 2' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'upd-bad', set: { idNumber: '123' } }),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'R3.7' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'upd-bad', set: { familyName: null } }),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R3.7' }));
    const c = await getContact(t.reg, 'upd-bad');
    assert.equal(c.email, 'upd-bad@mail.example.az');
    assert.equal(c.idNumber, '12345678');
  });

  test('changing identity data resets the verification (R8.5-R8.7); other data keeps it', async () => {
    await addPerson(t.reg, r1, 'upd-verif');
    await t.reg.db.updateTable('contacts').set({ verification: 'verified' }).where('handle', '=', 'upd-verif').execute();
    const kept = await updateContact(t.reg, r1, { handle: 'upd-verif', set: { email: 'new@mail.example.az', city: 'Sumqayıt' } });
    assert.equal(kept.verification, 'verified');
    const reset = await updateContact(t.reg, r1, { handle: 'upd-verif', set: { idSeries: 'AA', idNumber: '1234567' } });
    assert.equal(reset.verification, 'unverified');
    await t.reg.db.updateTable('contacts').set({ verification: 'verified' }).where('handle', '=', 'upd-verif').execute();
    const renamed = await updateContact(t.reg, r1, { handle: 'upd-verif', set: { familyName: 'Həsənova' } });
    assert.equal(renamed.verification, 'unverified');
  });

  test('a contact cannot change between natural person and legal entity (R10.1)', async () => {
    await addPerson(t.reg, r1, 'kind-nat');
    await addCompany(t.reg, r1, 'kind-leg');
    await assert.rejects(updateContact(t.reg, r1, { handle: 'kind-nat', set: { kind: 'legal', orgName: 'Yeni MMC' } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R10.1' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'kind-nat', set: { kind: 'legal' } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R10.1' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'kind-leg', set: { kind: 'natural', givenName: 'Ali', familyName: 'Əliyev' } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R10.1' }));
    // An organisation name on a natural person is refused by R3.7 (it does not silently become legal).
    await assert.rejects(updateContact(t.reg, r1, { handle: 'kind-nat', set: { orgName: 'Yeni MMC' } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R3.7' }));
    assert.equal((await getContact(t.reg, 'kind-nat')).kind, 'natural');
  });

  test('the authInfo changes and must be strong', async () => {
    await addPerson(t.reg, r1, 'upd-auth');
    const u = await updateContact(t.reg, r1, { handle: 'upd-auth', authInfo: 'New-Auth-2026' });
    assert.equal(u.authInfo, 'New-Auth-2026');
    await assert.rejects(updateContact(t.reg, r1, { handle: 'upd-auth', authInfo: 'password' }),
      registryError({ kind: 'policy', eppCode: 2306 }));
  });
});

describe('contact statuses and delete', () => {
  test('a contact linked to a domain cannot be deleted (2305), as registrant or as admin', async () => {
    await addPerson(t.reg, r1, 'del-owner');
    await addPerson(t.reg, r1, 'del-admin');
    await createDomain(t.reg, r1, { name: nextName(), registrant: 'del-owner', contacts: [{ type: 'admin', handle: 'del-admin' }] });
    await assert.rejects(deleteContact(t.reg, r1, 'del-owner'),
      registryError({ kind: 'associationProhibits', eppCode: 2305, clause: 'RFC 5733 §3.2.2' }));
    await assert.rejects(deleteContact(t.reg, r1, 'del-admin'),
      registryError({ kind: 'associationProhibits', eppCode: 2305, clause: 'RFC 5733 §3.2.2' }));
    // RFC 5733 §2.2: 'linked' combines with any status, 'ok' included.
    assert.deepEqual([...(await getContact(t.reg, 'del-owner')).statuses].sort(), ['linked', 'ok']);
  });

  test('a contact that is the registrant of a pending application cannot be deleted (2305)', async () => {
    await addPerson(t.reg, r1, 'del-applicant');
    const res = await createDomain(t.reg, r1, { name: 'whois.az', registrant: 'del-applicant' });
    assert.equal(res.status, 'pending');
    await assert.rejects(deleteContact(t.reg, r1, 'del-applicant'), registryError({ kind: 'associationProhibits', eppCode: 2305 }));
  });

  test('an unlinked contact is deleted; its handle is then free again', async () => {
    await addPerson(t.reg, r1, 'del-free');
    await deleteContact(t.reg, r1, 'del-free');
    await assert.rejects(getContact(t.reg, 'del-free'), registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(deleteContact(t.reg, r1, 'del-free'), registryError({ kind: 'notFound', eppCode: 2303 }));
    const again = await addPerson(t.reg, r2, 'del-free');
    assert.equal(again.registrarId, 'reg-c2');
  });

  test('clientDeleteProhibited blocks delete (2304) until it is removed', async () => {
    await addPerson(t.reg, r1, 'st-cdp');
    const u = await updateContact(t.reg, r1, { handle: 'st-cdp', addStatuses: ['clientDeleteProhibited'] });
    assert.deepEqual(u.statuses, ['clientDeleteProhibited']);
    assert.deepEqual((await getContact(t.reg, 'st-cdp')).statuses, ['clientDeleteProhibited']);
    await assert.rejects(deleteContact(t.reg, r1, 'st-cdp'),
      registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'RFC 5733 §2.2' }));
    await updateContact(t.reg, r1, { handle: 'st-cdp', removeStatuses: ['clientDeleteProhibited'] });
    await deleteContact(t.reg, r1, 'st-cdp');
  });

  test('clientUpdateProhibited blocks updates (2304) except its own removal', async () => {
    await addPerson(t.reg, r1, 'st-cup');
    await updateContact(t.reg, r1, { handle: 'st-cup', addStatuses: ['clientUpdateProhibited'] });
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-cup', set: { city: 'Quba' } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    const u = await updateContact(t.reg, r1, { handle: 'st-cup', removeStatuses: ['clientUpdateProhibited'] });
    assert.deepEqual(u.statuses, []);
    assert.equal((await updateContact(t.reg, r1, { handle: 'st-cup', set: { city: 'Quba' } })).city, 'Quba');
  });

  test('a registrar cannot set or remove server statuses (2201); the National Administrator can', async () => {
    await addPerson(t.reg, r1, 'st-server');
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-server', addStatuses: ['serverDeleteProhibited'] }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5733 §2.2' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-server', addStatuses: ['linked'] }),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5733 §2.2' }));
    await updateContact(t.reg, na, { handle: 'st-server', addStatuses: ['serverDeleteProhibited', 'serverUpdateProhibited'] });
    await assert.rejects(deleteContact(t.reg, r1, 'st-server'), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-server', set: { city: 'Lerik' } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-server', removeStatuses: ['serverDeleteProhibited'] }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    await updateContact(t.reg, na, { handle: 'st-server', removeStatuses: ['serverDeleteProhibited', 'serverUpdateProhibited'] });
    await deleteContact(t.reg, r1, 'st-server');
  });

  test('RFC 5733 §3.2.5: adding a status already set, or removing one not set, is 2306', async () => {
    await addPerson(t.reg, r1, 'st-twice');
    await updateContact(t.reg, r1, { handle: 'st-twice', addStatuses: ['clientTransferProhibited'] });
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-twice', addStatuses: ['clientTransferProhibited'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5733 §3.2.5' }));
    await assert.rejects(updateContact(t.reg, r1, { handle: 'st-twice', removeStatuses: ['clientDeleteProhibited'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5733 §3.2.5' }));
    assert.deepEqual((await getContact(t.reg, 'st-twice')).statuses, ['clientTransferProhibited']);
  });

  test('the National Administrator is not held by client statuses (as for domains and hosts)', async () => {
    await addPerson(t.reg, r1, 'st-na');
    await updateContact(t.reg, r1, { handle: 'st-na', addStatuses: ['clientUpdateProhibited', 'clientDeleteProhibited'] });
    const u = await updateContact(t.reg, na, { handle: 'st-na', set: { city: 'Naftalan' } });
    assert.equal(u.city, 'Naftalan');
    await deleteContact(t.reg, na, 'st-na');
  });
});

describe('contacts and registrars', () => {
  test('a contact for an unknown registrar is 2303; a suspended registrar creates none (R9.8)', async () => {
    await assert.rejects(createContact(t.reg, na, { ...person('for-nobody'), registrarId: 'reg-none' }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    const r3 = await addRegistrar(t.reg, 'reg-c3');
    await t.reg.db.updateTable('registrars').set({ status: 'suspended' }).where('id', '=', 'reg-c3').execute();
    await assert.rejects(createContact(t.reg, r3, person('suspended-c')), registryError({ kind: 'authorization', eppCode: 2201, clause: 'R9.8' }));
  });
});
