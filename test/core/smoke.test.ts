import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { getDomain } from '../../src/core/domains/view.ts';

test('a registrar registers a name with two name servers and sees it', async () => {
  const t = await testRegistry();
  try {
    const r1 = await addRegistrar(t.reg, 'reg-one');
    await addPerson(t.reg, r1, 'owner1');
    const ns = await addNameServers(t.reg, r1);
    const res = await createDomain(t.reg, r1, { name: 'Kitab.AZ', registrant: 'owner1', hosts: ns, periodYears: 2 });
    assert.equal(res.status, 'created');
    const d = await getDomain(t.reg, 'kitab.az');
    assert.equal(d.registrarId, 'reg-one');
    assert.deepEqual(d.hosts, ns);
    assert.equal(d.expiresAt.toISOString(), '2028-03-02T09:00:00.000Z');
    const hist = await t.reg.db.selectFrom('object_history').selectAll().where('object_type', '=', 'domain').execute();
    assert.equal(hist.length, 1);
    const outbox = await t.reg.db.selectFrom('outbox').selectAll().where('topic', '=', 'domain.created').execute();
    assert.equal(outbox.length, 1);
  } finally {
    await t.close();
  }
});
