// What a pending application will link when approved cannot be deleted meanwhile (R3.12): otherwise the
// approval would fail on a missing contact or name server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addNameServers, addPerson, addRegistrar, na } from '../helpers/fixtures.ts';
import { approveApplication, refuseApplication } from '../../src/core/applications.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { RegistryError } from '../../src/core/errors.ts';
import { deleteHost } from '../../src/core/hosts.ts';
import type { Actor } from '../../src/core/actor.ts';

let t: TestRegistry;
let r1: Actor;
before(async () => { t = await testRegistry(); r1 = await addRegistrar(t.reg, 'link-reg'); });
after(async () => { await t.close(); });

test('a tech contact and a name server named in a pending application are linked until it is decided', async () => {
  await addPerson(t.reg, r1, 'link-owner');
  await addCompany(t.reg, r1, 'link-tech');
  const ns = await addNameServers(t.reg, r1, 'link-dns.net');
  const app = await createDomain(t.reg, r1, { name: 'Şəki.az', registrant: 'link-owner', contacts: [{ type: 'tech', handle: 'link-tech' }], hosts: ns.map((h) => h.toUpperCase()) });
  assert.equal(app.status, 'pending');
  const linked = (e: unknown) => e instanceof RegistryError && e.eppCode === 2305;
  await assert.rejects(deleteContact(t.reg, r1, 'link-tech'), linked);
  await assert.rejects(deleteHost(t.reg, r1, ns[0]!), linked);
  assert.ok(app.status === 'pending');
  const { domain } = await approveApplication(t.reg, na, app.application.id);
  assert.deepEqual(domain.hosts, ns);
  assert.deepEqual(domain.contacts, [{ type: 'tech', handle: 'link-tech' }]);
});

test('once the application is refused, its contacts and name servers are free again', async () => {
  await addCompany(t.reg, r1, 'free-tech');
  const ns = await addNameServers(t.reg, r1, 'free-dns.net');
  const app = await createDomain(t.reg, r1, { name: 'gəncə.com.az', registrant: 'link-owner', contacts: [{ type: 'tech', handle: 'free-tech' }], hosts: ns });
  assert.ok(app.status === 'pending');
  await refuseApplication(t.reg, na, app.application.id, 'R5.1.8', 'no consent');
  await deleteContact(t.reg, r1, 'free-tech');
  await deleteHost(t.reg, r1, ns[0]!);
});
