// One operation = one transaction: it writes the object rows, one history version, one audit entry and one
// outbox event per changed object (and its poll messages), or nothing at all.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createContact } from '../../src/core/contacts.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { approveApplication } from '../../src/core/applications.ts';
import { approveTransfer, requestTransfer } from '../../src/core/transfers.ts';
import { acceptOwnerChange, requestOwnerChange } from '../../src/core/owner-change.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const nextName = nameMaker('butov');
const nextGov = nameMaker('idare', 'gov.az');

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-x1');
  r2 = await addRegistrar(t.reg, 'reg-x2');
  await addPerson(t.reg, r1, 'x-own1');
  await addPerson(t.reg, r1, 'x-own1b');
  await addPerson(t.reg, r2, 'x-own2');
  await createHost(t.reg, r1, { name: 'ns1.x-dns.net' });
  await createHost(t.reg, r1, { name: 'ns2.x-dns.net' });
  await createHost(t.reg, r1, { name: 'ns3.x-dns.net' });
});
after(async () => { await t?.close(); });

type Row = { object_type: string; object_id: string; operation: string };
interface Written { audit: (Row & { actor_type: string; actor_id: string; before: unknown; after: unknown; client_trid: string | null; source: string | null })[];
  outbox: { topic: string; object_type: string; object_id: string; payload: unknown }[]; history: (Row & { version: number; snapshot: unknown })[];
  polls: { registrar_id: string; kind: string }[] }

async function marks() {
  const max = async (table: 'audit_log' | 'outbox' | 'object_history' | 'poll_messages') =>
    Number((await t.reg.db.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  return { audit: await max('audit_log'), outbox: await max('outbox'), history: await max('object_history'), polls: await max('poll_messages') };
}

/** Runs fn and returns what it wrote to the audit log, the outbox, the history and the poll queues. */
async function written(fn: () => Promise<unknown>): Promise<Written> {
  const m = await marks();
  await fn();
  return writtenSince(m);
}

async function writtenSince(m: Awaited<ReturnType<typeof marks>>): Promise<Written> {
  return {
    audit: await t.reg.db.selectFrom('audit_log').selectAll().where('id', '>', m.audit).orderBy('id').execute(),
    outbox: await t.reg.db.selectFrom('outbox').selectAll().where('id', '>', m.outbox).orderBy('id').execute(),
    history: await t.reg.db.selectFrom('object_history').selectAll().where('id', '>', m.history).orderBy('id').execute(),
    polls: await t.reg.db.selectFrom('poll_messages').selectAll().where('id', '>', m.polls).orderBy('id').execute(),
  };
}

/** A failing operation: the error it gives, and nothing written anywhere. */
async function failsCleanly(p: () => Promise<unknown>, expected: Parameters<typeof registryError>[0]): Promise<void> {
  const m = await marks();
  await assert.rejects(p(), registryError(expected));
  const w = await writtenSince(m);
  assert.deepEqual(w, { audit: [], outbox: [], history: [], polls: [] });
}

/** One audit row, one outbox row and (unless exempt) one history version per changed object, and they agree. */
function assertOnePerObject(w: Written, objects: string[], opts: { history?: string[] } = {}): void {
  const key = (r: { object_type: string; object_id: string }) => `${r.object_type}:${r.object_id}`;
  assert.deepEqual(w.audit.map(key).sort(), [...objects].sort(), 'audit rows');
  assert.deepEqual(w.outbox.map(key).sort(), [...objects].sort(), 'outbox rows');
  assert.deepEqual(w.history.map(key).sort(), [...(opts.history ?? objects)].sort(), 'history versions');
}

describe('a failed operation writes nothing', () => {
  test('domain create with one valid and one unknown host: no domain, no links, no history, audit or outbox', async () => {
    const name = nextName();
    await failsCleanly(() => createDomain(t.reg, r1, { name, registrant: 'x-own1', hosts: ['ns1.x-dns.net', 'ns9.unknown-dns.net'],
      contacts: [{ type: 'admin', handle: 'x-own1' }] }), { kind: 'notFound', eppCode: 2303 });
    assert.equal((await t.reg.db.selectFrom('domains').select('id').where('name', '=', name).execute()).length, 0);
  });

  test('host create under another registrar\'s domain: no host row', async () => {
    const theirs = nextName();
    await createDomain(t.reg, r2, { name: theirs, registrant: 'x-own2' });
    await failsCleanly(() => createHost(t.reg, r1, { name: `ns1.${theirs}`, addresses: ['93.184.216.34'] }), { kind: 'authorization', eppCode: 2201 });
    assert.equal((await t.reg.db.selectFrom('hosts').select('id').where('name', '=', `ns1.${theirs}`).execute()).length, 0);
  });

  test('domain update that fails after writing its name servers (on a contact of another registrar) changes nothing', async () => {
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'x-own1', hosts: ['ns1.x-dns.net', 'ns2.x-dns.net'] });
    const before = await getDomain(t.reg, name);
    await failsCleanly(() => updateDomain(t.reg, r1, {
      name, add: { hosts: ['ns3.x-dns.net'], contacts: [{ type: 'tech', handle: 'x-own2' }], statuses: ['clientHold'] },
      remove: { hosts: ['ns1.x-dns.net'] },
    }), { kind: 'authorization', eppCode: 2201 });
    assert.deepEqual(await getDomain(t.reg, name), before);
  });

  test('domain update that fails at its last check (a DS record not set) changes nothing', async () => {
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'x-own1' });
    const before = await getDomain(t.reg, name);
    await failsCleanly(() => updateDomain(t.reg, r1, {
      name, add: { hosts: ['ns1.x-dns.net', 'ns2.x-dns.net'], contacts: [{ type: 'admin', handle: 'x-own1b' }] },
      remove: { ds: [{ keyTag: 1, algorithm: 13, digestType: 2, digest: 'D'.repeat(64) }] },
    }), { kind: 'policy', eppCode: 2306, clause: 'RFC 5910 §5.2.5' });
    assert.deepEqual(await getDomain(t.reg, name), before);
  });

  test('a unique violation in the database (duplicate contact id) writes nothing and the next operation works', async () => {
    await addPerson(t.reg, r1, 'x-dup');
    await failsCleanly(() => addPerson(t.reg, r2, 'x-dup'), { kind: 'exists', eppCode: 2302 });
    const c = await createContact(t.reg, r2, {
      handle: 'x-after-dup', givenName: 'Leyla', familyName: 'Əlizadə', city: 'Bakı', cc: 'AZ', email: 'leyla@mail.example.az',
    });
    assert.equal(c.registrarId, 'reg-x2');
  });

  test('an approval refused by the lists writes nothing', async () => {
    const res = await createDomain(t.reg, r1, { name: 'lerik.az', registrant: 'x-own1' });
    assert.equal(res.status, 'pending');
    if (res.status !== 'pending') return;
    await addListEntry(t.reg, na, 'stop', 'lerik');
    await failsCleanly(() => approveApplication(t.reg, na, res.application.id), { kind: 'policy', eppCode: 2306, clause: 'R4.3' });
  });
});

describe('a successful operation writes one audit row and one outbox event per changed object', () => {
  test('create, update, renew, delete: history versions 1, 2, 3, 4', async () => {
    const name = nextName();
    const trid = { ...r1, clientTrid: 'TRID-1' } as Actor;
    const c = await written(() => createDomain(t.reg, trid, { name, registrant: 'x-own1', hosts: ['ns1.x-dns.net', 'ns2.x-dns.net'] }));
    assertOnePerObject(c, [`domain:${name}`]);
    assert.equal(c.audit[0]!.operation, 'domain.create');
    assert.equal(c.audit[0]!.actor_type, 'registrar');
    assert.equal(c.audit[0]!.actor_id, 'reg-x1');
    assert.equal(c.audit[0]!.client_trid, 'TRID-1');
    assert.equal(c.audit[0]!.source, 'test');
    assert.equal(c.audit[0]!.before, null);
    assert.equal((c.audit[0]!.after as { name: string }).name, name);
    assert.equal(c.outbox[0]!.topic, 'domain.created');
    assert.deepEqual(c.outbox[0]!.payload, { ...(c.outbox[0]!.payload as object), actor: 'reg-x1', operation: 'domain.create' });

    const u = await written(() => updateDomain(t.reg, r1, { name, add: { statuses: ['clientTransferProhibited'] } }));
    assertOnePerObject(u, [`domain:${name}`]);
    assert.equal(u.outbox[0]!.topic, 'domain.updated');
    assert.deepEqual((u.audit[0]!.before as { statuses: string[] }).statuses, ['ok']);
    assert.deepEqual((u.audit[0]!.after as { statuses: string[] }).statuses, ['clientTransferProhibited']);

    const expiry = (await getDomain(t.reg, name)).expiresAt.toISOString().slice(0, 10);
    const r = await written(() => renewDomain(t.reg, r1, { name, currentExpiryDate: expiry }));
    assertOnePerObject(r, [`domain:${name}`]);
    assert.equal(r.outbox[0]!.topic, 'domain.renewed');

    const d = await written(() => deleteDomain(t.reg, r1, name));
    assertOnePerObject(d, [`domain:${name}`]);
    assert.equal(d.outbox[0]!.topic, 'domain.deleted');
    assert.equal(d.history[0]!.snapshot, null);

    const hist = await t.reg.db.selectFrom('object_history').select(['version', 'operation'])
      .where('object_type', '=', 'domain').where('object_id', '=', name).orderBy('version').execute();
    assert.deepEqual(hist.map((h) => [h.version, h.operation]),
      [[1, 'domain.create'], [2, 'domain.update'], [3, 'domain.renew'], [4, 'domain.delete']]);
  });

  test('contact and host create and update', async () => {
    const c = await written(() => addPerson(t.reg, r1, 'x-count'));
    assertOnePerObject(c, ['contact:x-count']);
    const h = await written(() => createHost(t.reg, r1, { name: 'ns7.x-dns.net' }));
    assert.equal(h.audit.length, 1);
    assertOnePerObject(h, [`host:${h.audit[0]!.object_id}`]);
    assert.equal(h.outbox[0]!.topic, 'host.created');
  });

  test('a refused request writes nothing even after a successful one', async () => {
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'x-own1' });
    await failsCleanly(() => updateDomain(t.reg, r2, { name, add: { statuses: ['clientHold'] } }), { kind: 'authorization', eppCode: 2201 });
  });

  test('an application: received, then approved with a competitor refused: one row per application and one for the domain', async () => {
    const name = nextGov();
    let firstId = 0;
    const a = await written(async () => {
      const res = await createDomain(t.reg, r1, { name, registrant: 'x-own1' });
      if (res.status === 'pending') firstId = res.application.id;
    });
    assertOnePerObject(a, [`application:${firstId}`]);
    assert.equal(a.outbox[0]!.topic, 'application.received');
    const res2 = await createDomain(t.reg, r2, { name, registrant: 'x-own2' });
    assert.equal(res2.status, 'pending');
    const secondId = res2.status === 'pending' ? res2.application.id : 0;
    const w = await written(() => approveApplication(t.reg, na, firstId));
    assertOnePerObject(w, [`domain:${name}`, `application:${firstId}`, `application:${secondId}`]);
    assert.deepEqual(w.outbox.map((o) => o.topic).sort(), ['application.approved', 'application.refused', 'domain.created']);
    assert.deepEqual(w.polls.map((p) => [p.registrar_id, p.kind]).sort(), [['reg-x1', 'domain.pan'], ['reg-x2', 'domain.pan']]);
  });

  test('a transfer: the domain and each subordinate host, each once', async () => {
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'x-own1' });
    const h1 = await createHost(t.reg, r1, { name: `ns1.${name}`, addresses: ['93.184.216.34'] });
    const h2 = await createHost(t.reg, r1, { name: `ns2.${name}`, addresses: ['93.184.216.35'] });
    const req = await written(async () => requestTransfer(t.reg, r2, { name, authInfo: (await getDomain(t.reg, name)).authInfo }));
    assertOnePerObject(req, [`domain:${name}`]);
    assert.equal(req.polls.length, 2);
    const w = await written(() => approveTransfer(t.reg, r1, name));
    assertOnePerObject(w, [`domain:${name}`, `host:${h1.roid}`, `host:${h2.roid}`]);
    assert.deepEqual(w.outbox.map((o) => o.topic).sort(), ['domain.transfer.clientApproved', 'host.transferred', 'host.transferred']);
    assert.equal(w.polls.length, 2);
  });

  test('a change of owner: the domain and the change of owner, each once', async () => {
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'x-own1' });
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'x-own1b', requestDocument: 'signed request' });
    const w = await written(() => acceptOwnerChange(t.reg, operator, { id: oc.id, agreementVersion: 'RA-1' }));
    assertOnePerObject(w, [`domain:${name}`, `owner_change:${oc.id}`]);
    assert.equal(w.polls.length, 1);
  });
});
