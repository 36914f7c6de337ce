// A second ccTLD is a profile (data), not a fork: the same core, schema and CLI run '.tg' with its own
// rules (ASCII only, 2LD only, two-letter labels, no review queue).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { RegistryError } from '../../src/core/errors.ts';
import type { Actor } from '../../src/core/actor.ts';

let t: TestRegistry;
let r1: Actor;
let ns: string[];

before(async () => {
  t = await testRegistry({ tld: 'tg' });
  r1 = await addRegistrar(t.reg, 'tg-reg');
  await addPerson(t.reg, r1, 'tg-owner');
  ns = await addNameServers(t.reg, r1, 'dns.example.com');
});
after(async () => { await t.close(); });

test('tg: the zones come from the tg profile and a two-letter name registers directly', async () => {
  const zones = await t.reg.db.selectFrom('zones').select('name').execute();
  assert.deepEqual(zones.map((z) => z.name), ['tg']);
  const r = await createDomain(t.reg, r1, { name: 'ab.tg', registrant: 'tg-owner', hosts: ns });
  assert.equal(r.status, 'created');
  assert.ok(r.status === 'created' && r.domain.roid.endsWith('-TG'));
});

test('tg: an IDN is refused (ASCII only) and a reserved name is refused, not queued', async () => {
  await assert.rejects(createDomain(t.reg, r1, { name: 'şəki.tg', registrant: 'tg-owner' }),
    (e) => e instanceof RegistryError && e.eppCode === 2306 && e.clause === 'tg:label');
  await assert.rejects(createDomain(t.reg, r1, { name: 'whois.tg', registrant: 'tg-owner' }),
    (e) => e instanceof RegistryError && e.eppCode === 2306 && e.clause === 'tg:reserved');
  const queued = await t.reg.db.selectFrom('applications').selectAll().execute();
  assert.equal(queued.length, 0);
});

test('tg: an .az name is not a name under this registry', async () => {
  await assert.rejects(createDomain(t.reg, r1, { name: 'kitab.az', registrant: 'tg-owner' }),
    (e) => e instanceof RegistryError && e.eppCode === 2306 && e.clause === 'tg:name');
});

test('tg: deadlines count Togo working days (no Novruz), in UTC', async () => {
  const cal = await t.reg.policy.calendar();
  assert.equal(cal.isWorkingDay('2026-03-20'), true);
  assert.equal(cal.isWorkingDay('2026-04-27'), false);
  assert.equal(cal.deadline(new Date('2026-04-24T10:00:00Z'), 3).toISOString(), '2026-05-01T00:00:00.000Z');
});
