// Domains (RFC 5731, secDNS RFC 5910) under the '.az' rules: create, update, renew, delete, statuses and
// who may do what.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addNameServers, addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { addYears } from '../../src/core/clock.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { RegistryError } from '../../src/core/errors.ts';
import { createHost, deleteHost } from '../../src/core/hosts.ts';
import { createDomain, type DomainCreateInput } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { getDomain, type DomainView, type DsData } from '../../src/core/domains/view.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
let ns1: string[];
let ns2: string[];
const nextName = nameMaker('domen');

const DS_OK: DsData = { keyTag: 12345, algorithm: 13, digestType: 2, digest: 'A'.repeat(64) };
const DS_OK2: DsData = { keyTag: 54321, algorithm: 8, digestType: 4, digest: 'b'.repeat(96) };

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-d1');
  r2 = await addRegistrar(t.reg, 'reg-d2');
  await addPerson(t.reg, r1, 'd-own1');
  await addPerson(t.reg, r1, 'd-own1b');
  await addPerson(t.reg, r1, 'd-adm1');
  await addCompany(t.reg, r1, 'd-tech1');
  await addPerson(t.reg, r2, 'd-own2');
  ns1 = await addNameServers(t.reg, r1, 'd1-dns.net');
  ns2 = await addNameServers(t.reg, r2, 'd2-dns.net');
});
after(async () => { await t?.close(); });

async function created(actor: Actor, input: Partial<DomainCreateInput> = {}): Promise<DomainView> {
  const res = await createDomain(t.reg, actor, { name: nextName(), registrant: actor === r2 ? 'd-own2' : 'd-own1', ...input });
  assert.equal(res.status, 'created');
  if (res.status !== 'created') throw new Error('not created');
  return res.domain;
}

async function domainRows(name: string) {
  return t.reg.db.selectFrom('domains').select(['id', 'deleted_at']).where('name', '=', name).execute();
}

describe('domain create', () => {
  test('without name servers: created, inactive, one year, a fresh authInfo', async () => {
    const d = await created(r1);
    assert.deepEqual(d.hosts, []);
    assert.deepEqual(d.statuses, ['inactive', 'ok']);
    assert.equal(d.registrarId, 'reg-d1');
    assert.equal(d.registrant, 'd-own1');
    assert.equal(d.createdBy, 'reg-d1');
    assert.match(d.roid, /^D\d+-AZ$/);
    assert.equal(d.expiresAt.getTime(), addYears(t.clock.now(), 1).getTime());
    assert.ok(d.authInfo.length >= 8);
  });

  test('with two name servers, contacts, DS and a period: all as asked', async () => {
    const name = nextName();
    const res = await createDomain(t.reg, r1, {
      name: name.toUpperCase() + '.', registrant: 'd-own1', periodYears: 3, hosts: ns1, authInfo: 'Domain-Auth-123',
      contacts: [{ type: 'admin', handle: 'd-adm1' }, { type: 'tech', handle: 'd-tech1' }, { type: 'billing', handle: 'd-adm1' }],
      ds: [{ ...DS_OK, digest: DS_OK.digest.toLowerCase() }],
    });
    assert.equal(res.status, 'created');
    const d = await getDomain(t.reg, name);
    assert.equal(d.name, name);
    assert.deepEqual(d.hosts, ns1);
    assert.deepEqual(d.statuses, ['ok']);
    assert.deepEqual(d.contacts, [{ type: 'admin', handle: 'd-adm1' }, { type: 'billing', handle: 'd-adm1' }, { type: 'tech', handle: 'd-tech1' }]);
    assert.deepEqual(d.ds, [DS_OK]);
    assert.equal(d.authInfo, 'Domain-Auth-123');
    assert.equal(d.expiresAt.getTime(), addYears(t.clock.now(), 3).getTime());
  });

  test('an IDN name is stored as A-label and U-label and found by either', async () => {
    const res = await createDomain(t.reg, r1, { name: 'ərik.az', registrant: 'd-own1' });
    assert.equal(res.status, 'created');
    const d = await getDomain(t.reg, 'xn--rik-ctb.az');
    assert.equal(d.name, 'xn--rik-ctb.az');
    assert.equal(d.unicodeName, 'ərik.az');
    assert.equal((await getDomain(t.reg, 'ərik.az')).roid, d.roid);
  });

  test('a third-level name in a general-use zone', async () => {
    const res = await createDomain(t.reg, r1, { name: 'ərik.com.az', registrant: 'd-own1' });
    assert.equal(res.status, 'created');
    if (res.status === 'created') assert.equal(res.domain.zone, 'com.az');
  });

  test('Appendix 2: one name server is refused (2306); 14 is out of range (2004); a repeated one is 2005', async () => {
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', hosts: [ns1[0]!] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'Appendix 2' }));
    const many = Array.from({ length: 14 }, (_, i) => `ns${i}.d1-dns.net`);
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', hosts: many }),
      registryError({ kind: 'range', eppCode: 2004, clause: 'RFC 5731 §3.2.1' }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', hosts: [ns1[0]!, ns1[0]!.toUpperCase()] }),
      registryError({ kind: 'syntax', eppCode: 2005 }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', hosts: [...ns1, `${ns1[0]!}.`] }),
      registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5731 §3.2.1' }));
  });

  test('R3.16: the period is 1 to 10 years (2004)', async () => {
    for (const periodYears of [0, 11, -1, 1.5]) {
      await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', periodYears }),
        registryError({ kind: 'range', eppCode: 2004, clause: 'R3.16' }), String(periodYears));
    }
    const d = await created(r1, { periodYears: 10 });
    assert.equal(d.expiresAt.getTime(), addYears(t.clock.now(), 10).getTime());
  });

  test('refused names: 2306 with the policy clause and every reason', async () => {
    const cases: [string, string, string][] = [
      ['fuckit.az', 'R4.3', 'R5.1.5'],      // Stop-list (R4.3, R4.4)
      ['-abc.az', 'R4.1.3', 'R5.1.3'],      // hyphen first
      ['ab.az', 'R4.1.1', 'R5.1.3'],        // too short
      ['ki_tab.az', 'R4.1.2', 'R5.1.3'],    // character outside the repertoire
      ['com.az', 'R4.11', 'R5.1.4'],        // allocated: a general-use zone
      ['kitab.olmayan.az', 'R4.11', 'R5.1.3'], // third level under a name that is not a zone
      ['kitab.com', 'R2.2', 'R5.1.3'],      // not under .az
    ];
    for (const [name, clause, ground] of cases) {
      await assert.rejects(createDomain(t.reg, r1, { name, registrant: 'd-own1', hosts: ns1 }), (e: unknown) => {
        registryError({ kind: 'policy', eppCode: 2306, clause, ground })(e);
        const err = e as RegistryError;
        assert.ok(err.reasons.length >= 1, name);
        assert.equal(err.reasons[0]!.clause, clause, name);
        assert.ok(err.reasons.every((r) => r.message.length > 0), name);
        return true;
      }, name);
      assert.equal((await domainRows(name)).length, 0, name);
    }
  });

  test('names that need consent go to review: status pending, an application, no domain', async () => {
    const cases: [string, string, string][] = [
      ['şəki.az', 'R4.2', 'xn--ki-eta41h.az'],   // geographic name (R4.2)
      ['whois.az', 'R4.9', 'whois.az'],          // reserved (R4.9)
      ['nazirlik.gov.az', 'R3.2', 'nazirlik.gov.az'], // restricted zone gov.az (R3.2)
    ];
    for (const [name, clause, ascii] of cases) {
      const res = await createDomain(t.reg, r1, { name, registrant: 'd-own1', hosts: ns1, periodYears: 2 });
      assert.equal(res.status, 'pending', name);
      if (res.status !== 'pending') continue;
      const app = res.application;
      assert.equal(app.name, ascii);
      assert.equal(app.status, 'pending');
      assert.equal(app.registrarId, 'reg-d1');
      assert.equal(app.registrant, 'd-own1');
      assert.equal(app.periodYears, 2);
      assert.deepEqual(app.request.hosts, ns1);
      const reasons = app.reasons as { clause: string; documents?: string[] }[];
      assert.equal(reasons[0]!.clause, clause, name);
      assert.ok((reasons[0]!.documents ?? []).length > 0, `${name}: the documents to attach are named`);
      assert.ok(app.dueAt > app.receivedAt);
      assert.equal((await domainRows(ascii)).length, 0, name);
      await assert.rejects(getDomain(t.reg, name), registryError({ kind: 'notFound', eppCode: 2303 }));
    }
  });

  test('R4.12: a registered name is not available (2302), whoever asks and however it is written', async () => {
    const d = await created(r1);
    await assert.rejects(createDomain(t.reg, r2, { name: d.name, registrant: 'd-own2' }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'R4.12', ground: 'R5.1.1' }));
    await assert.rejects(createDomain(t.reg, r1, { name: `${d.name.toUpperCase()}.`, registrant: 'd-own1' }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'R4.12' }));
  });

  test('IDN variants are one bundle: the same registrant may hold them, another gets 2302', async () => {
    const res = await createDomain(t.reg, r1, { name: 'kitabçı.az', registrant: 'd-own1' });
    assert.equal(res.status, 'created');
    await assert.rejects(createDomain(t.reg, r1, { name: 'kitabci.az', registrant: 'd-own1b' }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'R4.12', ground: 'R5.1.1' }));
    await assert.rejects(createDomain(t.reg, r2, { name: 'kitabcı.az', registrant: 'd-own2' }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'R4.12' }));
    const same = await createDomain(t.reg, r1, { name: 'kitabci.az', registrant: 'd-own1' });
    assert.equal(same.status, 'created');
  });

  test('contacts must be sponsored by the registrar (2201) and exist (2303)', async () => {
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own2' }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R8.8' }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', contacts: [{ type: 'admin', handle: 'd-own2' }] }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R8.8' }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'no-such-owner' }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', contacts: [{ type: 'owner' as 'admin', handle: 'd-adm1' }] }),
      registryError({ kind: 'syntax', eppCode: 2005 }));
  });

  test('name servers must exist (2303); another registrar\'s hosts may be used', async () => {
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', hosts: [ns1[0]!, 'ns9.unknown-dns.net'] }),
      registryError({ kind: 'notFound', eppCode: 2303, clause: 'RFC 5731 §3.2.1' }));
    const d = await created(r1, { hosts: ns2 });
    assert.deepEqual(d.hosts, ns2);
  });

  test('RFC 5910 / RFC 8624: DS data is checked', async () => {
    const bad: [DsData, string, number][] = [
      [{ ...DS_OK, algorithm: 5 }, 'policy', 2306],                     // RSASHA1: not for new delegations
      [{ ...DS_OK, algorithm: 7 }, 'policy', 2306],
      [{ ...DS_OK, digestType: 1, digest: 'A'.repeat(40) }, 'policy', 2306], // SHA-1 digest
      [{ ...DS_OK, digest: 'A'.repeat(63) }, 'syntax', 2005],           // SHA-256 is 64 hex digits
      [{ ...DS_OK, digestType: 4, digest: 'A'.repeat(64) }, 'syntax', 2005], // SHA-384 is 96
      [{ ...DS_OK, digest: 'G'.repeat(64) }, 'syntax', 2005],
      [{ ...DS_OK, keyTag: 65536 }, 'range', 2004],
    ];
    for (const [ds, kind, eppCode] of bad) {
      await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', ds: [ds] }),
        registryError({ kind: kind as RegistryError['kind'], eppCode }), JSON.stringify(ds));
    }
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', ds: [DS_OK, DS_OK] }),
      registryError({ kind: 'syntax', eppCode: 2005 }));
    const nine = Array.from({ length: 9 }, (_, i) => ({ ...DS_OK, keyTag: i }));
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', ds: nine }),
      registryError({ kind: 'range', eppCode: 2004 }));
    const d = await created(r1, { ds: [DS_OK, DS_OK2] });
    assert.deepEqual(d.ds, [DS_OK, { ...DS_OK2, digest: DS_OK2.digest.toUpperCase() }]);
  });

  test('a weak authInfo is refused (RFC 5731 §2.6)', async () => {
    await assert.rejects(createDomain(t.reg, r1, { name: nextName(), registrant: 'd-own1', authInfo: 'abc' }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §2.6' }));
  });

  test('the National Administrator creates for a named registrar; only it imports grandfathered names (R4.13)', async () => {
    await assert.rejects(createDomain(t.reg, na, { name: nextName(), registrant: 'd-own1' }), registryError({ kind: 'required', eppCode: 2003 }));
    const res = await createDomain(t.reg, na, { name: nextName(), registrant: 'd-own1', registrarId: 'reg-d1' });
    assert.equal(res.status, 'created');
    if (res.status === 'created') assert.equal(res.domain.registrarId, 'reg-d1');
    await assert.rejects(createDomain(t.reg, r1, { name: 'az1.az', registrant: 'd-own1', grandfathered: true }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R4.13' }));
    const old = await createDomain(t.reg, operator, { name: 'ab.az', registrant: 'd-own1', registrarId: 'reg-d1', grandfathered: true });
    assert.equal(old.status, 'created');
    if (old.status === 'created') assert.equal(old.domain.grandfathered, true);
  });

  test('a suspended registrar cannot register (R9.8)', async () => {
    const r3 = await addRegistrar(t.reg, 'reg-d3');
    await addPerson(t.reg, r3, 'd-own3');
    await t.reg.db.updateTable('registrars').set({ status: 'suspended' }).where('id', '=', 'reg-d3').execute();
    await assert.rejects(createDomain(t.reg, r3, { name: nextName(), registrant: 'd-own3' }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R9.8' }));
  });
});

describe('domain update', () => {
  test('name servers are added and removed; never just one (Appendix 2)', async () => {
    const d = await created(r1);
    const u = await updateDomain(t.reg, r1, { name: d.name, add: { hosts: ns1 } });
    assert.deepEqual(u.hosts, ns1);
    assert.deepEqual(u.statuses, ['ok']);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { hosts: [ns1[0]!] } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'Appendix 2' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { hosts: [ns1[0]!] } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §3.2.5' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { hosts: ['ns1.not-on-it.net'] } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §3.2.5' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { hosts: ['ns3.not-created.net'] } }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    const swapped = await updateDomain(t.reg, r1, { name: d.name, add: { hosts: [ns2[0]!] }, remove: { hosts: [ns1[0]!] } });
    assert.deepEqual(swapped.hosts, [ns1[1]!, ns2[0]!].sort());
    const none = await updateDomain(t.reg, r1, { name: d.name, remove: { hosts: swapped.hosts } });
    assert.deepEqual(none.hosts, []);
    assert.deepEqual(none.statuses, ['inactive', 'ok']);
  });

  test('contacts are added and removed under RFC 5731 §3.2.5', async () => {
    const d = await created(r1, { contacts: [{ type: 'admin', handle: 'd-adm1' }] });
    const u = await updateDomain(t.reg, r1, { name: d.name, add: { contacts: [{ type: 'tech', handle: 'd-tech1' }] }, remove: { contacts: [{ type: 'admin', handle: 'd-adm1' }] } });
    assert.deepEqual(u.contacts, [{ type: 'tech', handle: 'd-tech1' }]);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { contacts: [{ type: 'admin', handle: 'd-adm1' }] } }),
      registryError({ kind: 'policy', eppCode: 2306 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { contacts: [{ type: 'tech', handle: 'd-tech1' }] } }),
      registryError({ kind: 'policy', eppCode: 2306 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { contacts: [{ type: 'admin', handle: 'd-own2' }] } }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { contacts: [{ type: 'admin', handle: 'nobody-here' }] } }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('DS data is added and removed (RFC 5910 §5.2.5)', async () => {
    const d = await created(r1);
    const u = await updateDomain(t.reg, r1, { name: d.name, add: { ds: [DS_OK, DS_OK2] } });
    assert.equal(u.ds.length, 2);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { ds: [DS_OK] } }), registryError({ kind: 'policy', eppCode: 2306 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { ds: [{ ...DS_OK, algorithm: 5 }] } }), registryError({ kind: 'policy', eppCode: 2306 }));
    const v = await updateDomain(t.reg, r1, { name: d.name, remove: { ds: [{ ...DS_OK, digest: DS_OK.digest.toLowerCase() }] } });
    assert.deepEqual(v.ds, [{ ...DS_OK2, digest: DS_OK2.digest.toUpperCase() }]);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { ds: [DS_OK] } }), registryError({ kind: 'policy', eppCode: 2306 }));
    const w = await updateDomain(t.reg, r1, { name: d.name, remove: { allDs: true }, add: { ds: [DS_OK] } });
    assert.deepEqual(w.ds, [DS_OK]);
  });

  test('statuses: adding one already set or removing one not set is 2306; the registry\'s are not settable', async () => {
    const d = await created(r1, { hosts: ns1 });
    const u = await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientHold', 'clientTransferProhibited'] } });
    assert.deepEqual(u.statuses, ['clientHold', 'clientTransferProhibited']);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientHold'] } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §3.2.5' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientRenewProhibited'] } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §3.2.5' }));
    for (const s of ['pendingTransfer', 'ok', 'inactive', 'linked']) {
      await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: [s] } }),
        registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §2.3' }), s);
    }
    const v = await updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientHold', 'clientTransferProhibited'] } });
    assert.deepEqual(v.statuses, ['ok']);
  });

  test('a registrar cannot set or remove serverHold (2201); the National Administrator can', async () => {
    const d = await created(r1, { hosts: ns1 });
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['serverHold'] } }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5731 §2.3' }));
    const held = await updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverHold'] } });
    assert.deepEqual(held.statuses, ['serverHold']);
    assert.equal(held.updatedBy, 'staff:1');
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['serverHold'] } }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    // serverHold does not block the registrar's other updates.
    await updateDomain(t.reg, r1, { name: d.name, add: { contacts: [{ type: 'admin', handle: 'd-adm1' }] } });
    await updateDomain(t.reg, na, { name: d.name, remove: { statuses: ['serverHold'] } });
  });

  test('clientUpdateProhibited blocks every update (2304) except its own removal', async () => {
    const d = await created(r1);
    await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientUpdateProhibited'] } });
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { hosts: ns1 } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'RFC 5731 §2.3' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, change: { authInfo: 'Other-Auth-99' } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientHold'] } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    const free = await updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientUpdateProhibited'] } });
    assert.deepEqual(free.statuses, ['inactive', 'ok']);
    await updateDomain(t.reg, r1, { name: d.name, add: { hosts: ns1 } });
  });

  test('serverUpdateProhibited holds the registrar (2304), not the National Administrator', async () => {
    const d = await created(r1);
    await updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverUpdateProhibited'] } });
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { hosts: ns1 } }), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientUpdateProhibited'] } }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    const u = await updateDomain(t.reg, na, { name: d.name, add: { hosts: ns1 } });
    assert.deepEqual(u.hosts, ns1);
  });

  test('R10.1: a registrar cannot change the registrant by update (2306)', async () => {
    const d = await created(r1);
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, change: { registrant: 'd-own1b' } }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R10.1' }));
    assert.equal((await getDomain(t.reg, d.name)).registrant, 'd-own1');
  });

  test('the authInfo is changed by the sponsor', async () => {
    const d = await created(r1);
    const u = await updateDomain(t.reg, r1, { name: d.name, change: { authInfo: 'Changed-Auth-7' } });
    assert.equal(u.authInfo, 'Changed-Auth-7');
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, change: { authInfo: 'weak' } }), registryError({ kind: 'policy', eppCode: 2306 }));
  });

  test('another registrar cannot update (2201); an unknown name is 2303; the National Administrator acts on any', async () => {
    const d = await created(r1);
    await assert.rejects(updateDomain(t.reg, r2, { name: d.name, add: { hosts: ns2 } }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5730 §2.9.2' }));
    await assert.rejects(updateDomain(t.reg, r1, { name: 'hec-kimin-deyil.az', add: { hosts: ns1 } }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    const u = await updateDomain(t.reg, na, { name: d.name, add: { hosts: ns2 } });
    assert.deepEqual(u.hosts, ns2);
  });
});

describe('domain renew', () => {
  test('renew extends the expiry by the period from the current expiry', async () => {
    const d = await created(r1);
    const cur = d.expiresAt.toISOString().slice(0, 10);
    const r = await renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur, periodYears: 2 });
    assert.equal(r.expiresAt.getTime(), addYears(d.expiresAt, 2).getTime());
    const again = await renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: r.expiresAt.toISOString().slice(0, 10) });
    assert.equal(again.expiresAt.getTime(), addYears(d.expiresAt, 3).getTime());
  });

  test('a wrong curExpDate is refused (2306, RFC 5731 §3.2.3)', async () => {
    const d = await created(r1);
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: '2020-01-01' }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5731 §3.2.3' }));
  });

  test('R3.16: never more than 10 years ahead (2306); the period is 1..10 (2004)', async () => {
    const d = await created(r1);
    const cur = d.expiresAt.toISOString().slice(0, 10);
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur, periodYears: 10 }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R3.16' }));
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur, periodYears: 11 }),
      registryError({ kind: 'range', eppCode: 2004, clause: 'R3.16' }));
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur, periodYears: 0 }),
      registryError({ kind: 'range', eppCode: 2004, clause: 'R3.16' }));
    const r = await renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur, periodYears: 9 });
    assert.equal(r.expiresAt.getTime(), addYears(t.clock.now(), 10).getTime());
  });

  test('clientRenewProhibited blocks renew (2304); serverRenewProhibited holds the registrar only', async () => {
    const d = await created(r1);
    const cur = d.expiresAt.toISOString().slice(0, 10);
    await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientRenewProhibited'] } });
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur }),
      registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'RFC 5731 §2.3' }));
    await updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientRenewProhibited'] } });
    await updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverRenewProhibited'] } });
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: cur }), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    const r = await renewDomain(t.reg, na, { name: d.name, currentExpiryDate: cur });
    assert.equal(r.expiresAt.getTime(), addYears(d.expiresAt, 1).getTime());
  });

  test('another registrar cannot renew (2201)', async () => {
    const d = await created(r1);
    await assert.rejects(renewDomain(t.reg, r2, { name: d.name, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10) }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
  });
});

describe('domain delete', () => {
  test('a deleted name is released at once and can be registered again', async () => {
    const d = await created(r1, { hosts: ns1, contacts: [{ type: 'admin', handle: 'd-adm1' }] });
    await deleteDomain(t.reg, r1, d.name);
    await assert.rejects(getDomain(t.reg, d.name), registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(deleteDomain(t.reg, r1, d.name), registryError({ kind: 'notFound', eppCode: 2303 }));
    const again = await createDomain(t.reg, r2, { name: d.name, registrant: 'd-own2' });
    assert.equal(again.status, 'created');
    if (again.status === 'created') assert.notEqual(again.domain.roid, d.roid);
    const rows = await domainRows(d.name);
    assert.equal(rows.length, 2);
    assert.equal(rows.filter((r) => r.deleted_at === null).length, 1);
  });

  test('clientDeleteProhibited blocks delete (2304); the National Administrator is not held by it', async () => {
    const d = await created(r1);
    await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientDeleteProhibited'] } });
    await assert.rejects(deleteDomain(t.reg, r1, d.name), registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'RFC 5731 §2.3' }));
    await updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverDeleteProhibited'] } });
    await updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientDeleteProhibited'] } });
    await assert.rejects(deleteDomain(t.reg, r1, d.name), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await deleteDomain(t.reg, na, d.name);
    await assert.rejects(getDomain(t.reg, d.name), registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('subordinate hosts block delete (2305) until they are gone', async () => {
    const d = await created(r1);
    await createHost(t.reg, r1, { name: `ns1.${d.name}`, addresses: ['93.184.216.34'] });
    await assert.rejects(deleteDomain(t.reg, r1, d.name),
      registryError({ kind: 'associationProhibits', eppCode: 2305, clause: 'RFC 5731 §3.2.2' }));
    await deleteHost(t.reg, r1, `ns1.${d.name}`);
    await deleteDomain(t.reg, r1, d.name);
  });

  test('after delete its contacts and name servers are no longer linked', async () => {
    await addPerson(t.reg, r1, 'd-gone-own');
    const hosts = await addNameServers(t.reg, r1, 'gone-dns.net');
    const d = await created(r1, { registrant: 'd-gone-own', hosts });
    await deleteDomain(t.reg, r1, d.name);
    await deleteContact(t.reg, r1, 'd-gone-own');
    await deleteHost(t.reg, r1, hosts[0]!);
  });

  test('another registrar cannot delete (2201); the National Administrator can', async () => {
    const d = await created(r1);
    await assert.rejects(deleteDomain(t.reg, r2, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    await deleteDomain(t.reg, na, d.name);
  });
});
