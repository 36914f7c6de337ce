// Hosts (RFC 5732): external hosts carry no addresses; in-zone hosts hang under a registered domain of the
// same registrar and may carry glue; linked hosts stay; subordinate hosts follow their domain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createHost, deleteHost, getHost, updateHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { approveTransfer, requestTransfer } from '../../src/core/transfers.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const nextName = nameMaker('hostlar');

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-h1');
  r2 = await addRegistrar(t.reg, 'reg-h2');
  await addPerson(t.reg, r1, 'h-owner1');
  await addPerson(t.reg, r2, 'h-owner2');
});
after(async () => { await t?.close(); });

/** A domain of r1 (or the given registrar) without name servers. */
async function domainOf(actor: Actor, registrant = 'h-owner1'): Promise<string> {
  const name = nextName();
  const res = await createDomain(t.reg, actor, { name, registrant });
  assert.equal(res.status, 'created');
  return name;
}

describe('host create', () => {
  test('an external host is created without addresses; its name is normalised', async () => {
    const h = await createHost(t.reg, r1, { name: 'NS1.Example-DNS.net.' });
    assert.equal(h.name, 'ns1.example-dns.net');
    assert.deepEqual(h.addresses, []);
    assert.equal(h.superordinateDomain, null);
    assert.match(h.roid, /^H\d+-AZ$/);
    assert.deepEqual((await getHost(t.reg, 'ns1.example-dns.net')).statuses, ['ok']);
  });

  test('RFC 5732 §3.2.1: an external host with addresses is refused (2306)', async () => {
    await assert.rejects(createHost(t.reg, r1, { name: 'ns1.glue-elsewhere.net', addresses: ['93.184.216.34'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §3.2.1' }));
    await assert.rejects(getHost(t.reg, 'ns1.glue-elsewhere.net'), registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('a host name must be a valid host name (2005)', async () => {
    for (const name of ['localhost', '-ns.example.net', 'ns_1.example.net', 'ns1.example.123', `${'a'.repeat(64)}.example.net`]) {
      await assert.rejects(createHost(t.reg, r1, { name }), registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5732 §2.1' }), name);
    }
  });

  test('a host name is unique (2302)', async () => {
    await createHost(t.reg, r1, { name: 'ns1.unique-host.net' });
    await assert.rejects(createHost(t.reg, r2, { name: 'ns1.unique-host.net' }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'RFC 5732 §3.2.1' }));
  });

  test('an in-zone host needs its superordinate domain registered (2303)', async () => {
    await assert.rejects(createHost(t.reg, r1, { name: 'ns1.nowhere-registered.az', addresses: ['93.184.216.34'] }),
      registryError({ kind: 'notFound', eppCode: 2303, clause: 'RFC 5732 §3.2.1' }));
    await assert.rejects(createHost(t.reg, r1, { name: 'ns1.nowhere-registered.com.az' }),
      registryError({ kind: 'notFound', eppCode: 2303, clause: 'RFC 5732 §3.2.1' }));
  });

  test('an in-zone host needs its superordinate domain sponsored by the same registrar (2201)', async () => {
    const d = await domainOf(r2, 'h-owner2');
    await assert.rejects(createHost(t.reg, r1, { name: `ns1.${d}`, addresses: ['93.184.216.34'] }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5732 §3.2.1' }));
    const h = await createHost(t.reg, r2, { name: `ns1.${d}`, addresses: ['93.184.216.34'] });
    assert.equal(h.superordinateDomain, d);
    assert.deepEqual((await getDomain(t.reg, d)).subordinateHosts, [`ns1.${d}`]);
  });

  test('a host deeper under the domain has the domain as superordinate', async () => {
    const d = await domainOf(r1);
    const h = await createHost(t.reg, r1, { name: `a.ns.${d}`, addresses: ['2a01:4f8:c17:1::53'] });
    assert.equal(h.superordinateDomain, d);
  });

  test('glue: global unicast IPv4 and IPv6 are kept; private, loopback and special ranges are refused', async () => {
    const d = await domainOf(r1);
    const h = await createHost(t.reg, r1, { name: `ns1.${d}`, addresses: ['93.184.216.34', '2A01:4F8:C17:1::53'] });
    assert.deepEqual(h.addresses, ['93.184.216.34', '2a01:4f8:c17:1::53']);
    const refused = ['10.0.0.1', '127.0.0.1', '192.168.1.1', '172.16.5.4', '169.254.1.1', '100.64.0.1', '0.1.2.3', '224.0.0.1',
      '192.0.2.1', '198.51.100.1', '203.0.113.5', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '2001:db8::1',
      // The same, spelled otherwise (RFC 5952 has one text form; RFC 4291 allows many).
      '0:0:0:0:0:0:0:1', '0000::1', 'FE80:0000::1', '2001:0DB8::53', '::ffff:10.0.0.1', '::ffff:93.184.216.34'];
    for (const [i, a] of refused.entries()) {
      await assert.rejects(createHost(t.reg, r1, { name: `ns${i + 10}.${d}`, addresses: [a] }),
        registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §2.5' }), a);
    }
    for (const a of ['300.1.1.1', '010.0.0.1', 'fe80::1%eth0', '2a01::4f8::1']) {
      await assert.rejects(createHost(t.reg, r1, { name: `ns3.${d}`, addresses: [a] }),
        registryError({ kind: 'syntax', eppCode: 2005, clause: 'RFC 5732 §2.5' }), a);
    }
    // One address in two spellings is one address.
    await assert.rejects(createHost(t.reg, r1, { name: `ns3.${d}`, addresses: ['2a01:4f8:0:0::53', '2A01:4F8::53'] }),
      registryError({ kind: 'syntax', eppCode: 2005 }));
    const spelled = await createHost(t.reg, r1, { name: `ns4.${d}`, addresses: ['2a01:04f8:0000:0000:0000:0000:0000:0053', '192.0.1.7'] });
    assert.deepEqual(spelled.addresses, ['2a01:4f8::53', '192.0.1.7']);
    const removed = await updateHost(t.reg, r1, { name: `ns4.${d}`, removeAddresses: ['2A01:4F8:0::53'] });
    assert.deepEqual(removed.addresses, ['192.0.1.7']);
    await assert.rejects(createHost(t.reg, r1, { name: `ns3.${d}`, addresses: ['93.184.216.34', '93.184.216.34'] }),
      registryError({ kind: 'syntax', eppCode: 2005 }));
    const many = Array.from({ length: 14 }, (_, i) => `93.184.216.${i + 1}`);
    await assert.rejects(createHost(t.reg, r1, { name: `ns3.${d}`, addresses: many }), registryError({ kind: 'range', eppCode: 2004 }));
  });

  test('a host for an unknown registrar is 2303; a suspended registrar creates none (R9.8)', async () => {
    await assert.rejects(createHost(t.reg, na, { name: 'ns1.for-nobody.net', registrarId: 'reg-none' }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    const r3 = await addRegistrar(t.reg, 'reg-h3');
    await t.reg.db.updateTable('registrars').set({ status: 'suspended' }).where('id', '=', 'reg-h3').execute();
    await assert.rejects(createHost(t.reg, r3, { name: 'ns1.suspended-reg.net' }), registryError({ kind: 'authorization', eppCode: 2201, clause: 'R9.8' }));
  });

  test('an in-zone host without glue is accepted', async () => {
    const d = await domainOf(r1);
    const h = await createHost(t.reg, r1, { name: `ns1.${d}` });
    assert.deepEqual(h.addresses, []);
    assert.equal(h.superordinateDomain, d);
  });
});

describe('host update and delete', () => {
  test('addresses are added and removed (RFC 5732 §3.2.5)', async () => {
    const d = await domainOf(r1);
    await createHost(t.reg, r1, { name: `ns1.${d}`, addresses: ['93.184.216.34'] });
    const u = await updateHost(t.reg, r1, { name: `ns1.${d}`, addAddresses: ['2a01:4f8::1'], removeAddresses: ['93.184.216.34'] });
    assert.deepEqual(u.addresses, ['2a01:4f8::1']);
    await assert.rejects(updateHost(t.reg, r1, { name: `ns1.${d}`, removeAddresses: ['93.184.216.34'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §3.2.5' }));
    await assert.rejects(updateHost(t.reg, r1, { name: `ns1.${d}`, addAddresses: ['2a01:4f8::1'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §3.2.5' }));
    await assert.rejects(updateHost(t.reg, r1, { name: `ns1.${d}`, addAddresses: ['10.1.1.1'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §2.5' }));
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns1.example-dns.net', addAddresses: ['93.184.216.34'] }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'RFC 5732 §3.2.1' }));
  });

  test('another registrar cannot update or delete the host (2201)', async () => {
    await createHost(t.reg, r1, { name: 'ns1.not-yours.net' });
    await assert.rejects(updateHost(t.reg, r2, { name: 'ns1.not-yours.net', newName: 'ns1.mine-now.net' }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(deleteHost(t.reg, r2, 'ns1.not-yours.net'), registryError({ kind: 'authorization', eppCode: 2201 }));
  });

  test('a host that is a name server of a domain cannot be deleted (2305)', async () => {
    const ns = await addNameServers(t.reg, r1, 'linked-hosts.net');
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'h-owner1', hosts: ns });
    await assert.rejects(deleteHost(t.reg, r1, ns[0]!), registryError({ kind: 'associationProhibits', eppCode: 2305, clause: 'RFC 5732 §3.2.2' }));
    assert.deepEqual((await getHost(t.reg, ns[0]!)).statuses, ['linked', 'ok']);
    // Another registrar's domain may use the host too (RFC 5731 §3.2.1); that link also holds it.
    const other = nextName();
    await createDomain(t.reg, r2, { name: other, registrant: 'h-owner2', hosts: ns });
    await updateDomain(t.reg, r1, { name, remove: { hosts: ns } });
    await assert.rejects(deleteHost(t.reg, r1, ns[0]!), registryError({ kind: 'associationProhibits', eppCode: 2305 }));
    await updateDomain(t.reg, r2, { name: other, remove: { hosts: ns } });
    await deleteHost(t.reg, r1, ns[0]!);
    await assert.rejects(getHost(t.reg, ns[0]!), registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('statuses: clientDeleteProhibited blocks delete (2304); server statuses are the registry\'s (2201)', async () => {
    await createHost(t.reg, r1, { name: 'ns1.locked-host.net' });
    await updateHost(t.reg, r1, { name: 'ns1.locked-host.net', addStatuses: ['clientDeleteProhibited'] });
    await assert.rejects(deleteHost(t.reg, r1, 'ns1.locked-host.net'), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns1.locked-host.net', addStatuses: ['serverUpdateProhibited'] }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns1.locked-host.net', addStatuses: ['clientHold'] }),
      registryError({ kind: 'policy', eppCode: 2306 }));
    await updateHost(t.reg, na, { name: 'ns1.locked-host.net', addStatuses: ['serverUpdateProhibited'] });
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns1.locked-host.net', removeStatuses: ['clientDeleteProhibited'] }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
  });

  test('rename: an external host gets a new name and the domains that use it follow', async () => {
    const ns = await addNameServers(t.reg, r1, 'rename-from.net');
    const name = nextName();
    await createDomain(t.reg, r1, { name, registrant: 'h-owner1', hosts: ns });
    const h = await updateHost(t.reg, r1, { name: ns[0]!, newName: 'ns1.rename-to.net' });
    assert.equal(h.name, 'ns1.rename-to.net');
    assert.deepEqual((await getDomain(t.reg, name)).hosts, ['ns1.rename-to.net', ns[1]!]);
    await assert.rejects(getHost(t.reg, ns[0]!), registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns1.rename-to.net', newName: ns[1]! }),
      registryError({ kind: 'exists', eppCode: 2302 }));
  });

  test('rename into the zone needs a superordinate domain of the same registrar', async () => {
    await createHost(t.reg, r1, { name: 'ns9.moving-in.net' });
    const mine = await domainOf(r1);
    const theirs = await domainOf(r2, 'h-owner2');
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns9.moving-in.net', newName: `ns9.${theirs}` }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5732 §3.2.1' }));
    await assert.rejects(updateHost(t.reg, r1, { name: 'ns9.moving-in.net', newName: 'ns9.unregistered-name.az' }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    const h = await updateHost(t.reg, r1, { name: 'ns9.moving-in.net', newName: `ns9.${mine}`, addAddresses: ['93.184.216.34'] });
    assert.equal(h.superordinateDomain, mine);
    assert.deepEqual(h.addresses, ['93.184.216.34']);
  });

  test('rename out of the zone drops the glue or is refused', async () => {
    const d = await domainOf(r1);
    await createHost(t.reg, r1, { name: `ns5.${d}`, addresses: ['93.184.216.34'] });
    await assert.rejects(updateHost(t.reg, r1, { name: `ns5.${d}`, newName: 'ns5.moved-out.net' }),
      registryError({ kind: 'policy', eppCode: 2306 }));
    const h = await updateHost(t.reg, r1, { name: `ns5.${d}`, newName: 'ns5.moved-out.net', removeAddresses: ['93.184.216.34'] });
    assert.equal(h.superordinateDomain, null);
    assert.deepEqual(h.addresses, []);
    assert.deepEqual((await getDomain(t.reg, d)).subordinateHosts, []);
  });

  test('subordinate hosts move with their domain to the gaining registrar (RFC 5732 §3.2.4)', async () => {
    const d = await domainOf(r1);
    await createHost(t.reg, r1, { name: `ns1.${d}`, addresses: ['93.184.216.34'] });
    await createHost(t.reg, r1, { name: `ns2.${d}`, addresses: ['93.184.216.35'] });
    const auth = (await getDomain(t.reg, d)).authInfo;
    await requestTransfer(t.reg, r2, { name: d, authInfo: auth });
    await approveTransfer(t.reg, r1, d);
    for (const n of [`ns1.${d}`, `ns2.${d}`]) {
      const h = await getHost(t.reg, n);
      assert.equal(h.registrarId, 'reg-h2', n);
      assert.equal(h.updatedBy, 'reg-h1');
    }
    // The gaining registrar now manages them; the losing one no longer can.
    await updateHost(t.reg, r2, { name: `ns1.${d}`, addAddresses: ['93.184.216.36'] });
    await assert.rejects(updateHost(t.reg, r1, { name: `ns2.${d}`, addAddresses: ['93.184.216.36'] }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    // Each moved host has a history version and an audit entry of the transfer.
    const hist = await t.reg.db.selectFrom('object_history').innerJoin('hosts', 'hosts.roid', 'object_history.object_id')
      .select(['hosts.name', 'object_history.version', 'object_history.operation'])
      .where('object_history.object_type', '=', 'host').where('hosts.name', '=', `ns2.${d}`).orderBy('version').execute();
    assert.deepEqual(hist.map((h) => [h.version, h.operation]), [[1, 'host.create'], [2, 'domain.transfer.approve']]);
  });

  test('the operator acts on any host', async () => {
    await createHost(t.reg, r1, { name: 'ns1.operator-host.net' });
    await updateHost(t.reg, operator, { name: 'ns1.operator-host.net', addStatuses: ['clientDeleteProhibited'] });
    await deleteHost(t.reg, operator, 'ns1.operator-host.net');
    await assert.rejects(getHost(t.reg, 'ns1.operator-host.net'), registryError({ kind: 'notFound', eppCode: 2303 }));
  });
});
