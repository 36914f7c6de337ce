// The tamper-evident audit trail (issue 8): every operation appends chained entries at commit; `verifyChain`
// names any entry edited, deleted or inserted in the database, and anchors catch an insider who rewrites the
// chain from some entry on. Tampering runs in a transaction that is rolled back, so the tests share one registry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { onPostgres, testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { nameMaker } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import type { Database } from '../../src/db/schema.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { GENESIS, entryHash, payloadHash, sealAudit, sealerIdle } from '../../src/audit/chain.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { takeAnchor, verifyChain, type Anchor, type VerifyResult } from '../../src/audit/verify.ts';
import { listAudit } from '../../src/audit/log.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const nextName = nameMaker('chain');
let names: string[] = [];

class Rollback extends Error { constructor(readonly value: unknown) { super('rollback'); } }

/** Runs fn in a transaction and rolls it back: the tampering is seen by fn only. */
async function tampered<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    await t.reg.db.transaction().execute(async (tx) => { throw new Rollback(await fn(tx)); });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
  throw new Error('unreachable');
}

async function seqOf(db: Kysely<Database>, operation: string, objectId: string): Promise<number> {
  const r = await db.selectFrom('audit_log').select('seq').where('operation', '=', operation).where('object_id', '=', objectId).executeTakeFirstOrThrow();
  return r.seq!;
}

function kinds(r: VerifyResult): string[] { return r.problems.map((p) => `${p.kind}@${p.seq ?? 'id'}`); }

/** What an insider with database access would do: rewrite entries from seq on with valid hashes, and the head. */
async function rewriteFrom(tx: Kysely<Database>, seq: number, edit: (after: unknown) => unknown): Promise<void> {
  const rows = await tx.selectFrom('audit_log').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
  let prev = (await tx.selectFrom('audit_log').select('hash').where('seq', '=', seq - 1).executeTakeFirst())?.hash ?? GENESIS;
  for (const r of rows) {
    const afterValue = r.seq === seq ? edit(r.after) : r.after;
    const ph = payloadHash(r.before, afterValue);
    const h = entryHash({ seq: r.seq!, prevHash: prev, at: r.at, actorType: r.actor_type, actorId: r.actor_id, operation: r.operation,
      objectType: r.object_type, objectId: r.object_id, clientTrid: r.client_trid, source: r.source, payloadHash: ph });
    await tx.updateTable('audit_log').set({ after: JSON.stringify(afterValue), payload_hash: ph, prev_hash: prev, hash: h }).where('id', '=', r.id).execute();
    prev = h;
  }
  await tx.updateTable('audit_head').set({ hash: prev }).execute();
}

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-au1');
  r2 = await addRegistrar(t.reg, 'reg-au2');
  await addPerson(t.reg, r1, 'au-own1');
  await addPerson(t.reg, r2, 'au-own2');
  const ns = await addNameServers(t.reg, r1, 'au-dns.net');
  for (let i = 0; i < 4; i++) {
    const name = nextName();
    const res = await createDomain(t.reg, r1, { name, registrant: 'au-own1' });
    assert.equal(res.status, 'created');
    names.push(name);
  }
  await updateDomain(t.reg, r1, { name: names[0]!, add: { hosts: ns } });
  await deleteDomain(t.reg, r1, names[3]!);
  names = names.slice(0, 3);
});
after(async () => { await t?.close(); });

describe('the audit chain', () => {
  test('every operation leaves chained entries with contiguous seq; verify says ok', async () => {
    const r = await verifyChain(t.reg.db);
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    const rows = await t.reg.db.selectFrom('audit_log').select(['seq', 'hash', 'prev_hash']).orderBy('seq').execute();
    assert.equal(r.entries, rows.length);
    assert.ok(rows.length >= 12, `${rows.length} entries`);
    rows.forEach((row, i) => {
      assert.equal(row.seq, i + 1);
      assert.equal(row.prev_hash, i === 0 ? GENESIS : rows[i - 1]!.hash);
      assert.match(row.hash!, /^[0-9a-f]{64}$/);
    });
    const head = await t.reg.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual({ seq: head.seq, hash: head.hash }, { seq: rows.length, hash: rows.at(-1)!.hash });
    assert.deepEqual(r.head, { seq: head.seq, hash: head.hash });
  });

  test('an entry whose before/after was edited in the database is named', async () => {
    const seq = await seqOf(t.reg.db, 'domain.create', names[1]!);
    const r = await tampered(async (tx) => {
      await sql`update audit_log set after = jsonb_set(after, '{registrarId}', '"reg-au2"') where seq = ${seq}`.execute(tx);
      return verifyChain(tx);
    });
    assert.equal(r.ok, false);
    assert.deepEqual(kinds(r), [`edited@${seq}`]);
    assert.match(r.problems[0]!.message, new RegExp(`entry ${seq} \\(id \\d+, domain.create domain ${names[1]!.replace('.', '\\.')}\\) was edited`));
    assert.equal((await verifyChain(t.reg.db)).ok, true, 'the rollback left the chain intact');
  });

  test('an entry whose actor or time was edited is named', async () => {
    const seq = await seqOf(t.reg.db, 'domain.update', names[0]!);
    const r = await tampered(async (tx) => {
      await tx.updateTable('audit_log').set({ actor_id: 'reg-au2' }).where('seq', '=', seq).execute();
      return verifyChain(tx);
    });
    assert.deepEqual(kinds(r), [`edited@${seq}`]);
    const r2 = await tampered(async (tx) => {
      await sql`update audit_log set at = at - interval '1 day' where seq = ${seq}`.execute(tx);
      return verifyChain(tx);
    });
    assert.deepEqual(kinds(r2), [`edited@${seq}`]);
  });

  test('a deleted entry is named, in the middle and at the end', async () => {
    const seq = await seqOf(t.reg.db, 'domain.create', names[2]!);
    const mid = await tampered(async (tx) => {
      await tx.deleteFrom('audit_log').where('seq', '=', seq).execute();
      return verifyChain(tx);
    });
    assert.deepEqual(kinds(mid), [`deleted@${seq}`]);
    assert.match(mid.problems[0]!.message, new RegExp(`entry ${seq} is missing: it was deleted`));
    const head = (await verifyChain(t.reg.db)).head.seq;
    const tail = await tampered(async (tx) => {
      await tx.deleteFrom('audit_log').where('seq', '>=', head - 1).execute();
      return verifyChain(tx);
    });
    assert.deepEqual(kinds(tail), [`deleted@${head - 1}`]);
  });

  test('an entry written without a place is sealed by verify as the next entry; one appended with a place is named', async () => {
    const loose = await tampered(async (tx) => {
      await sealAudit(tx);
      const head = await tx.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      const row = await tx.insertInto('audit_log').values({ at: t.clock.now(), actor_type: 'registrar', actor_id: 'reg-au1', operation: 'domain.delete',
        object_type: 'domain', object_id: names[0]!, before: null, after: null, client_trid: null, source: null }).returning('id').executeTakeFirstOrThrow();
      const r = await verifyChain(tx);
      const sealed = await tx.selectFrom('audit_log').select(['seq', 'prev_hash']).where('id', '=', row.id).executeTakeFirstOrThrow();
      return { r, head, sealed };
    });
    // Operations write their entries like this (unsealed); the sealer gives them their places after commit.
    assert.deepEqual(loose.r.problems, []);
    assert.equal(loose.r.sealed, 1);
    assert.deepEqual(loose.sealed, { seq: loose.head.seq + 1, prev_hash: loose.head.hash });
    // Appended at the end with a correct hash, but the head (advanced only by the writer, under its lock) disagrees.
    const forged = await tampered(async (tx) => {
      const head = await tx.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      const at = t.clock.now();
      const f = { seq: head.seq + 1, prevHash: head.hash, at, actorType: 'system', actorId: 'system:cli', operation: 'domain.delete',
        objectType: 'domain', objectId: names[0]!, clientTrid: null, source: null, payloadHash: payloadHash(null, null) };
      await tx.insertInto('audit_log').values({ at, actor_type: f.actorType, actor_id: f.actorId, operation: f.operation, object_type: f.objectType,
        object_id: f.objectId, before: null, after: null, client_trid: null, source: null, seq: f.seq, prev_hash: f.prevHash, payload_hash: f.payloadHash, hash: entryHash(f) }).execute();
      return verifyChain(tx);
    });
    assert.equal(forged.ok, false);
    assert.match(forged.problems.map((p) => p.message).join('\n'), /entries were appended outside the audit writer/);
  });

  test('a rewritten entry with recomputed hashes and head passes the chain alone, and is caught by an anchor taken before', async () => {
    const anchor: Anchor = (await verifyChain(t.reg.db)).head;
    const seq = await seqOf(t.reg.db, 'domain.create', names[1]!);
    const r = await tampered(async (tx) => {
      await rewriteFrom(tx, seq, (a) => ({ ...(a as object), registrarId: 'reg-au2' }));
      return { alone: await verifyChain(tx), anchored: await verifyChain(tx, { anchors: [anchor] }) };
    });
    assert.equal(r.alone.ok, true, 'a full rewrite is internally consistent: this is what anchors are for');
    assert.deepEqual(kinds(r.anchored), [`anchor@${anchor.seq}`]);
    assert.match(r.anchored.problems[0]!.message, new RegExp(`the anchor says ${anchor.hash}: the chain up to ${anchor.seq} was rewritten`));
  });

  test('an anchor that no longer exists (the chain was truncated) fails; stored anchors are checked too', async () => {
    const a = await takeAnchor(t.reg.db, t.clock.now(), 'test');
    const ok = await verifyChain(t.reg.db, { anchors: [{ seq: a.seq, hash: a.hash }] });
    assert.equal(ok.ok, true);
    assert.equal(ok.anchorsChecked, 2, 'the given one and the stored one');
    const r = await tampered(async (tx) => {
      const seq = await seqOf(tx, 'domain.update', names[0]!);
      await rewriteFrom(tx, seq, (x) => ({ ...(x as object), authInfo: 'changed' }));
      return verifyChain(tx);
    });
    assert.deepEqual(kinds(r), [`anchor@${a.seq}`], 'the stored anchor catches the rewrite');
    const truncated = await tampered(async (tx) => {
      await tx.deleteFrom('audit_log').where('seq', '>=', a.seq).execute();
      await tx.deleteFrom('audit_anchors').execute();
      await tx.updateTable('audit_head').set({ seq: a.seq - 1, hash: (await tx.selectFrom('audit_log').select('hash').where('seq', '=', a.seq - 1).executeTakeFirstOrThrow()).hash! }).execute();
      return verifyChain(tx, { anchors: [{ seq: a.seq, hash: a.hash }] });
    });
    assert.deepEqual(kinds(truncated), [`anchor@${a.seq}`]);
    assert.match(truncated.problems[0]!.message, /there is no entry \d+: the chain was truncated/);
  });

  test('entries written before the chain existed are chained in id order by the first run after the migration', async () => {
    const before = await t.reg.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('seq').execute();
    const r = await tampered(async (tx) => {
      await tx.deleteFrom('audit_anchors').execute();
      await tx.updateTable('audit_log').set({ seq: null, prev_hash: null, payload_hash: null, hash: null }).execute();
      await tx.updateTable('audit_head').set({ seq: 0, hash: GENESIS, legacy_chained: false }).execute();
      const v = await verifyChain(tx);
      return { v, rows: await tx.selectFrom('audit_log').select(['id', 'hash']).orderBy('seq').execute() };
    });
    assert.deepEqual(r.v.problems, []);
    assert.equal(r.v.entries, before.length);
    assert.deepEqual(r.rows, before, 'the same hashes as when they were written');
  });

  test('30 domain creates at once through the core keep one valid chain', async () => {
    const actors = [r1, r2];
    const batch = Array.from({ length: 30 }, (_, i) => ({ name: nextName(), actor: actors[i % 2]! }));
    const started = Date.now();
    const results = await Promise.all(batch.map((b) => createDomain(t.reg, b.actor, { name: b.name, registrant: b.actor === r1 ? 'au-own1' : 'au-own2' })));
    const ms = Date.now() - started;
    assert.ok(results.every((x) => x.status === 'created'));
    // The sealer that runs after the commits has chained them all: verify has nothing left to seal.
    await sealerIdle(t.reg.db);
    const unsealed = await t.reg.db.selectFrom('audit_log').select('id').where('seq', 'is', null).execute();
    assert.deepEqual(unsealed, []);
    const r = await verifyChain(t.reg.db);
    assert.deepEqual(r.problems, []);
    assert.equal(r.sealed, 0);
    const creates = await t.reg.db.selectFrom('audit_log').select(['seq', 'object_id']).where('operation', '=', 'domain.create')
      .where('object_id', 'in', batch.map((b) => b.name)).execute();
    assert.equal(creates.length, 30);
    assert.equal(new Set(creates.map((c) => c.seq)).size, 30);
    const count = await t.reg.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), r.head.seq, 'no gaps, no duplicates');
    console.log(`# 30 parallel domain creates in ${ms} ms on ${t.db.kind}; chain of ${r.head.seq} entries verified`);
  });

  test('two processes writing and sealing at once on PostgreSQL: every entry sealed once, seq gap-free, tampering still named', { skip: !onPostgres, timeout: 60_000 }, async () => {
    // A second server process on the same database: its own pool and its own sealer.
    const other = await openDatabase({ databaseUrl: t.url!, poolSize: 8 });
    try {
      const reg2 = new Registry(other, { clock: t.clock, tld: 'az' });
      const regs = [t.reg, reg2];
      const batch = Array.from({ length: 40 }, (_, i) => ({ name: nextName(), actor: i % 2 ? r2 : r1, reg: regs[Math.floor(i / 2) % 2]! }));
      const seals: Promise<number>[] = [];
      const results = await Promise.all(batch.map(async (b, i) => {
        // Explicit seals from both processes in the middle of the writes, besides the ones after each commit.
        if (i % 10 === 0) seals.push(sealAudit(b.reg.db));
        return createDomain(b.reg, b.actor, { name: b.name, registrant: b.actor === r1 ? 'au-own1' : 'au-own2' });
      }));
      assert.ok(results.every((x) => x.status === 'created'));
      await Promise.all(seals);
      await Promise.all([sealerIdle(t.reg.db), sealerIdle(reg2.db)]);
      const rows = await t.reg.db.selectFrom('audit_log').select(['seq', 'object_id']).orderBy('seq').execute();
      assert.equal(rows.filter((x) => x.seq === null).length, 0, 'nothing left unsealed');
      assert.deepEqual(rows.map((x) => x.seq), rows.map((_, i) => i + 1), 'seq is 1..n without gaps');
      const created = new Set(batch.map((b) => b.name));
      assert.equal(rows.filter((x) => created.has(x.object_id)).length, 40);
      const r = await verifyChain(reg2.db);
      assert.deepEqual(r.problems, []);
      assert.equal(r.sealed, 0);
      const seq = await seqOf(t.reg.db, 'domain.create', batch[7]!.name);
      const edited = await tampered(async (tx) => {
        await sql`update audit_log set after = jsonb_set(after, '{registrarId}', '"reg-au1"') where seq = ${seq}`.execute(tx);
        return verifyChain(tx);
      });
      assert.deepEqual(kinds(edited), [`edited@${seq}`]);
    } finally {
      await other.close();
    }
  });

  test('audit log lists by object, actor and time, oldest first', async () => {
    const byObject = await listAudit(t.reg.db, { objectType: 'domain', objectId: names[0]! });
    assert.deepEqual(byObject.map((e) => e.operation), ['domain.create', 'domain.update']);
    assert.ok(byObject[0]!.seq! < byObject[1]!.seq!);
    const byActor = await listAudit(t.reg.db, { actorId: 'reg-au2' });
    assert.ok(byActor.length >= 16 && byActor.every((e) => e.actorId === 'reg-au2'));
    const future = await listAudit(t.reg.db, { since: new Date(t.clock.now().getTime() + 1000) });
    assert.deepEqual(future, []);
  });
});
