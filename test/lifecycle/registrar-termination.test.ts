// R9.8: a terminated registrar's domains, contacts and hosts move in one transaction to a registrar that
// consented; pending transfers end; its EPP login stops; the successor hears of each domain by poll.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { getContact } from '../../src/core/contacts.ts';
import { pollRequest } from '../../src/core/poll.ts';
import { loginRecord } from '../../src/core/registrars.ts';
import { requestTransfer } from '../../src/core/transfers.ts';
import { terminateRegistrar } from '../../src/core/lifecycle/registrar-termination.ts';

let t: TestRegistry;
let old: Actor;
let heir: Actor;
let third: Actor;
const nextName = nameMaker('varis');

before(async () => {
  t = await testRegistry();
  old = await addRegistrar(t.reg, 'reg-old');
  heir = await addRegistrar(t.reg, 'reg-heir');
  third = await addRegistrar(t.reg, 'reg-third');
  await addPerson(t.reg, old, 'v-own1');
  await addPerson(t.reg, third, 'v-own3');
  await addNameServers(t.reg, old, 'old-dns.net');
  await addNameServers(t.reg, third, 'third-dns.net');
});
after(async () => { await t?.close(); });

test('all domains, contacts and hosts move to the consenting registrar; the old one can no longer log in (R9.8)', async () => {
  const names: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await createDomain(t.reg, old, { name: nextName(), registrant: 'v-own1', hosts: ['ns1.old-dns.net', 'ns2.old-dns.net'] });
    assert.equal(res.status, 'created');
    names.push(res.status === 'created' ? res.domain.name : '');
  }
  // One of its domains is being transferred away, and it is itself gaining one.
  const outgoing = await getDomain(t.reg, names[0]!);
  await requestTransfer(t.reg, third, { name: outgoing.name, authInfo: outgoing.authInfo });
  const incoming = await createDomain(t.reg, third, { name: nextName(), registrant: 'v-own3', hosts: ['ns1.third-dns.net', 'ns2.third-dns.net'] });
  if (incoming.status !== 'created') throw new Error('not created');
  await requestTransfer(t.reg, old, { name: incoming.domain.name, authInfo: incoming.domain.authInfo });

  await assert.rejects(terminateRegistrar(t.reg, heir, { registrarId: 'reg-old', successorId: 'reg-heir', consent: 'x', reason: 'y' }), registryError({ kind: 'authorization' }));
  await assert.rejects(terminateRegistrar(t.reg, operator, { registrarId: 'reg-old', successorId: 'reg-heir', consent: ' ', reason: 'y' }), registryError({ kind: 'required' }));
  await assert.rejects(terminateRegistrar(t.reg, operator, { registrarId: 'reg-old', successorId: 'reg-old', consent: 'c', reason: 'y' }), registryError({ kind: 'policy' }));
  await assert.rejects(terminateRegistrar(t.reg, operator, { registrarId: 'reg-old', successorId: 'reg-none', consent: 'c', reason: 'y' }), registryError({ kind: 'notFound' }));

  const r = await terminateRegistrar(t.reg, operator, { registrarId: 'reg-old', successorId: 'reg-heir', consent: 'letter 17/2026', reason: 'accreditation requirements no longer met (R9.3)' });
  assert.equal(r.domains, 5);
  assert.equal(r.transfersCancelled, 2);
  for (const n of names) assert.equal((await getDomain(t.reg, n)).registrarId, 'reg-heir');
  assert.equal((await getDomain(t.reg, incoming.domain.name)).registrarId, 'reg-third');
  assert.equal((await getContact(t.reg, 'v-own1')).registrarId, 'reg-heir');
  const rec = await loginRecord(t.reg, 'reg-old');
  assert.equal(rec?.status, 'terminated');
  const { count } = await pollRequest(t.reg, 'reg-heir');
  assert.ok(count >= 6, `one message per domain and a summary, got ${count}`);
  await assert.rejects(terminateRegistrar(t.reg, operator, { registrarId: 'reg-old', successorId: 'reg-heir', consent: 'c', reason: 'y' }), registryError({ kind: 'statusProhibits' }));
});
