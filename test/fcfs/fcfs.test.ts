// First come, first served (R4.12) on a real PostgreSQL server: many creates of the same names race from
// four separate connections (as four EPP nodes would); the database lets exactly one win per name, and the
// losers leave nothing behind. Needs DOMEN_TEST_DATABASE_URL; skipped without it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';
import { addCompany, addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { openDatabase, type Db } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { RegistryError } from '../../src/core/errors.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createDomain, type DomainCreateResult } from '../../src/core/domains/create.ts';
import { migrateAndSeedBase } from '../../src/server/bootstrap.ts';

const skip = onPostgres ? false : 'needs DOMEN_TEST_DATABASE_URL';
const NODES = 4;
const REGISTRARS = 5;

interface Race {
  regs: Registry[];
  dbs: Db[];
  registrars: { actor: Actor; id: string; registrant: string; admin: string }[];
  hosts: string[];
  close(): Promise<void>;
}

/** A fresh database, migrated and seeded, with four registries on four single-connection pools. */
async function setupRace(): Promise<Race> {
  const created = await createPgDatabase();
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const dbs: Db[] = [];
  try {
    for (let i = 0; i < NODES; i++) dbs.push(await openDatabase({ databaseUrl: created.url, poolSize: 1 }));
    const regs = dbs.map((db) => new Registry(db, { clock, tld: 'az' }));
    const main = regs[0]!;
    await migrateAndSeedBase(main);
    const registrars: Race['registrars'] = [];
    for (let i = 1; i <= REGISTRARS; i++) {
      const id = `fcfs-reg${i}`;
      const actor = await addRegistrar(main, id);
      await addPerson(main, actor, `own-r${i}`);
      await addCompany(main, actor, `adm-r${i}`);
      registrars.push({ actor, id, registrant: `own-r${i}`, admin: `adm-r${i}` });
    }
    const hosts = await addNameServers(main, registrars[0]!.actor, 'fcfs-dns.net');
    return {
      regs, dbs, registrars, hosts,
      async close() {
        for (const db of dbs) await db.close();
        await created.drop();
      },
    };
  } catch (err) {
    for (const db of dbs) await db.close().catch(() => {});
    await created.drop().catch(() => {});
    throw err;
  }
}

const COUNTED = ['domains', 'domain_contacts', 'domain_hosts', 'domain_ds', 'object_history', 'audit_log', 'outbox',
  'poll_messages', 'applications', 'contacts', 'hosts', 'registrars'] as const;

async function rowCounts(reg: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of COUNTED) {
    const r = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.table(t)}`.execute(reg.db);
    out[t] = r.rows[0]!.n;
  }
  return out;
}

function assertLostRace(reason: unknown, name: string): RegistryError {
  assert.ok(reason instanceof RegistryError, `a losing create of ${name} failed with ${String(reason)} instead of a RegistryError`);
  assert.equal(reason.kind, 'exists', `${name}: ${reason.message}`);
  assert.equal(reason.eppCode, 2302);
  assert.equal(reason.clause, 'R4.12');
  assert.match(reason.message, /not available/, `the refusal says why: ${reason.message}`);
  return reason;
}

/** Every row of the objects that were written must belong to a live domain; the losers wrote nothing. */
async function assertNoOrphans(reg: Registry): Promise<void> {
  const orphans = await sql<{ what: string; n: number }>`
    select 'domain_contacts' as what, count(*)::int8 as n from domain_contacts x
      where not exists (select 1 from domains d where d.id = x.domain_id and d.deleted_at is null)
    union all select 'domain_hosts', count(*)::int8 from domain_hosts x
      where not exists (select 1 from domains d where d.id = x.domain_id and d.deleted_at is null)
    union all select 'object_history', count(*)::int8 from object_history x
      where x.object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id and d.deleted_at is null)
    union all select 'audit_log', count(*)::int8 from audit_log x
      where x.object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id and d.deleted_at is null)
    union all select 'outbox', count(*)::int8 from outbox x
      where x.object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id and d.deleted_at is null)`.execute(reg.db);
  for (const o of orphans.rows) assert.equal(o.n, 0, `${o.what} has ${o.n} rows for domains that do not exist`);
}

test('R4.12: 200 concurrent creates of 20 names from 4 connections register each name exactly once', { skip, timeout: 60_000 },
  async (t: TestContext) => {
    const race = await setupRace();
    try {
      const names = Array.from({ length: 20 }, (_, i) => `fcfs-race-${String(i + 1).padStart(2, '0')}.az`);
      const before = await rowCounts(race.regs[0]!);
      const pids = await Promise.all(race.regs.map(async (r) => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(r.db)).rows[0]!.pid));
      assert.equal(new Set(pids).size, NODES, 'four separate server connections');

      // Attempt i = 20 j + k: name k (so each name's 10 attempts are spread over the whole batch), connection
      // (k + j) % 4, registrar (3 k + j) % 5: each name is wanted by several registrars on every connection.
      const attempts = Array.from({ length: 200 }, (_, i) => ({
        name: names[i % names.length]!,
        node: (i + Math.floor(i / names.length)) % NODES,
        registrar: race.registrars[(i * 3 + Math.floor(i / names.length)) % REGISTRARS]!,
      }));
      for (const n of names) {
        const mine = attempts.filter((a) => a.name === n);
        assert.equal(mine.length, 10);
        assert.equal(new Set(mine.map((a) => a.node)).size, NODES);
        assert.ok(new Set(mine.map((a) => a.registrar.id)).size > 1);
      }

      // All started at once; none awaited before the last has been issued.
      const settled = await Promise.allSettled(attempts.map((a) => createDomain(race.regs[a.node]!, a.registrar.actor, {
        name: a.name, registrant: a.registrar.registrant, hosts: race.hosts,
        contacts: [{ type: 'admin', handle: a.registrar.admin }, { type: 'tech', handle: a.registrar.admin }],
      })));

      const winners = new Map<string, { registrarId: string; node: number; result: DomainCreateResult }>();
      let refused = 0;
      settled.forEach((s, i) => {
        const a = attempts[i]!;
        if (s.status === 'fulfilled') {
          assert.equal(s.value.status, 'created');
          assert.ok(!winners.has(a.name), `${a.name} was registered twice`);
          winners.set(a.name, { registrarId: a.registrar.id, node: a.node, result: s.value });
        } else {
          assertLostRace(s.reason, a.name);
          refused++;
        }
      });
      assert.equal(winners.size, 20, 'every name is registered once');
      assert.equal(refused, 180, 'every other attempt is refused');
      t.diagnostic(`winners per connection: ${[0, 1, 2, 3].map((n) => [...winners.values()].filter((w) => w.node === n).length).join('/')}`);

      // The database agrees with what the callers were told.
      const reg = race.regs[0]!;
      const rows = await reg.db.selectFrom('domains').select(['id', 'name', 'registrar_id', 'deleted_at']).execute();
      assert.equal(rows.length, 20);
      assert.deepEqual(rows.map((r) => r.name).sort(), [...names].sort());
      for (const r of rows) {
        assert.equal(r.deleted_at, null);
        assert.equal(r.registrar_id, winners.get(r.name)!.registrarId, `${r.name} belongs to the registrar that was told it won`);
      }

      const after = await rowCounts(reg);
      const delta = Object.fromEntries(COUNTED.map((k) => [k, after[k]! - before[k]!]));
      assert.deepEqual(delta, {
        domains: 20, domain_contacts: 40, domain_hosts: 40, domain_ds: 0, object_history: 20, audit_log: 20, outbox: 20,
        poll_messages: 0, applications: 0, contacts: 0, hosts: 0, registrars: 0,
      }, 'the winners wrote their rows, the losers nothing');

      const outbox = await reg.db.selectFrom('outbox').select(['topic', 'object_id']).where('object_type', '=', 'domain').execute();
      assert.equal(outbox.length, 20);
      assert.ok(outbox.every((o) => o.topic === 'domain.created'));
      assert.deepEqual(outbox.map((o) => o.object_id).sort(), [...names].sort());
      const history = await reg.db.selectFrom('object_history').select(['object_id', 'version', 'operation'])
        .where('object_type', '=', 'domain').execute();
      assert.equal(history.length, 20);
      assert.ok(history.every((h) => h.version === 1 && h.operation === 'domain.create'));
      assert.deepEqual(history.map((h) => h.object_id).sort(), [...names].sort());
      const audit = await reg.db.selectFrom('audit_log').select(['object_id', 'operation', 'actor_id'])
        .where('object_type', '=', 'domain').execute();
      assert.equal(audit.length, 20);
      for (const a of audit) {
        assert.equal(a.operation, 'domain.create');
        assert.equal(a.actor_id, winners.get(a.object_id)!.registrarId);
      }
      await assertNoOrphans(reg);
    } finally {
      await race.close();
    }
  });

test('R4.12: IDN variants race (çay-evi.az against cay-evi.az): one registrant gets the bundle', { skip, timeout: 60_000 },
  async () => {
    const race = await setupRace();
    try {
      // Each bundle: its variants, each wanted by a different registrant (of a different registrar).
      const bundles = [
        ['çay-evi.az', 'cay-evi.az', 'çay-əvi.az'],
        ['gül-bağı.az', 'gul-bagi.az', 'gül-bagı.az'],
        ['şirin-çörək.az', 'sirin-corek.az'],
        ['kölgəli-ev.az', 'kolgeli-ev.az'],
        ['növbə-yarışı.az', 'novbe-yarisi.az'],
      ];
      const reg = race.regs[0]!;
      for (const variants of bundles) {
        const checks = await Promise.all(variants.map((v) => reg.policy.checkName(v)));
        assert.ok(checks.every((c) => c.verdict === 'ok'), `${variants.join(', ')} may be registered`);
        assert.equal(new Set(checks.map((c) => c.bundleKey)).size, 1, `${variants.join(', ')} are one bundle`);
        assert.equal(new Set(checks.map((c) => c.ascii)).size, variants.length, `${variants.join(', ')} are different names`);
      }
      const before = await rowCounts(reg);

      // 3 attempts per variant, on rotating connections; the U-label and the ASCII form by different
      // registrants. Round-robin, so that the variants of one bundle are issued next to each other.
      const attempts = [0, 1, 2].flatMap((k) => bundles.flatMap((variants, b) => variants.map((name, v) => ({
        bundle: b, name, node: (b + v + k) % NODES, registrar: race.registrars[(b + v) % REGISTRARS]!,
      }))));
      const settled = await Promise.allSettled(attempts.map((a) => createDomain(race.regs[a.node]!, a.registrar.actor, {
        name: a.name, registrant: a.registrar.registrant, hosts: race.hosts,
      })));

      const won = new Map<number, { name: string; registrarId: string }>();
      settled.forEach((s, i) => {
        const a = attempts[i]!;
        if (s.status === 'fulfilled') {
          assert.ok(!won.has(a.bundle), `bundle of ${a.name} went to two requests (${won.get(a.bundle)?.name} and ${a.name})`);
          won.set(a.bundle, { name: a.name, registrarId: a.registrar.id });
        } else {
          const e = assertLostRace(s.reason, a.name);
          assert.match(e.message, /already registered|variant .* is held by another registrant/);
        }
      });
      assert.equal(won.size, bundles.length, 'every bundle has one holder');

      const rows = await reg.db.selectFrom('domains').select(['unicode_name', 'bundle_key', 'registrar_id']).execute();
      assert.equal(rows.length, bundles.length, `one domain per bundle: ${rows.map((r) => r.unicode_name).join(', ')}`);
      assert.equal(new Set(rows.map((r) => r.bundle_key)).size, bundles.length);
      for (const [b, w] of won) {
        const row = rows.find((r) => r.unicode_name === w.name);
        assert.ok(row, `${w.name} (bundle ${b}) is in the database`);
        assert.equal(row.registrar_id, w.registrarId);
      }
      const after = await rowCounts(reg);
      assert.equal(after.object_history! - before.object_history!, bundles.length);
      assert.equal(after.audit_log! - before.audit_log!, bundles.length);
      assert.equal(after.outbox! - before.outbox!, bundles.length);
      assert.equal(after.domain_hosts! - before.domain_hosts!, 2 * bundles.length);
      await assertNoOrphans(reg);
    } finally {
      await race.close();
    }
  });
