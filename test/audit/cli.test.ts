// The tampering test of issue 8, as an operator runs it: `domen audit verify` (once through the real binary, the rest
// in-process through runCli, the same code) after one audit row was edited directly in the database; `audit anchor`
// and `audit log`; `privacy export`.
// On PostgreSQL when DOMEN_TEST_DATABASE_URL is set, else on the embedded database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { CliHarness, show } from '../cli/harness.ts';
import { fails, ok, registrarArgs } from '../cli/flows.ts';
import type { Db } from '../../src/db/connect.ts';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';

describe(`domen audit verify names an audit row edited in the database (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let h: CliHarness;
  let drop = async () => {};
  let url: string | null = null;

  /** The registry's database, as the in-process commands hold it. */
  async function database(): Promise<Db> {
    return (await h.registry()).database;
  }

  before(async () => {
    if (onPostgres) {
      const created = await createPgDatabase();
      url = created.url;
      drop = created.drop;
    }
    h = await CliHarness.create(url ? { databaseUrl: url } : {});
    ok(await h.cli(['migrate']));
    for (const id of ['reg-ca', 'reg-cb', 'reg-cc']) ok(await h.cli(registrarArgs(id)));
  });
  after(async () => { await h?.cleanup(); await drop(); });

  it('verify on an untouched trail: exit 0 and a summary', async () => {
    const r = ok(await h.cli(['audit', 'verify']));
    assert.match(r.stdout, /^ok: \d+ entries, head \d+:[0-9a-f]{64}, 0 redacted \(R8\.8\), 0 anchors checked, 0 problems$/m);
  });

  it('one edited row: exit 1, and the entry is named; restored: ok again; an anchor is checked', async () => {
    const anchor = ok(await h.cli(['audit', 'anchor', '--note', 'test'])).stdout.trim();
    assert.match(anchor, /^\d+:[0-9a-f]{64}$/);
    let db = await database();
    const row = await db.db.selectFrom('audit_log').select(['seq', sql<string>`after::text`.as('after')])
      .where('operation', '=', 'registrar.create').where('object_id', '=', 'reg-cb').executeTakeFirstOrThrow();
    const seq = row.seq!;
    const original = row.after;
    await sql`update audit_log set after = jsonb_set(after, '{name}', '"Someone Else MMC"') where seq = ${seq}`.execute(db.db);

    // As the operator runs it: the binary, in its own process.
    const bad = await h.run(['audit', 'verify']);
    assert.equal(bad.code, 1, show(bad));
    assert.match(bad.stdout, new RegExp(`^EDITED: entry ${seq} \\(id \\d+, registrar\\.create registrar reg-cb\\) was edited`, 'm'));
    assert.match(bad.stdout, /^FAILED: .* 1 problems$/m);
    const asJson = JSON.parse((await h.cli(['audit', 'verify', '--json'])).stdout) as { ok: boolean; problems: { kind: string; seq: number }[] };
    assert.deepEqual(asJson.problems.map((p) => [p.kind, p.seq]), [['edited', seq]]);

    db = await database();
    await sql`update audit_log set after = ${original}::jsonb where seq = ${seq}`.execute(db.db);
    const good = ok(await h.cli(['audit', 'verify', '--anchor', anchor]));
    assert.match(good.stdout, /^ok: .* 2 anchors checked, 0 problems$/m);
    fails(await h.cli(['audit', 'verify', '--anchor', '12:nothex']), /an anchor is SEQ:HASH/);
  });

  it('audit log lists one object, and one actor, oldest first', async () => {
    const r = ok(await h.cli(['audit', 'log', '--object', 'registrar:reg-cb']));
    assert.match(r.stdout, /^seq +at +actorId +operation +object/m);
    assert.match(r.stdout, /system:cli +registrar\.create +registrar:reg-cb/);
    assert.doesNotMatch(r.stdout, /reg-ca/);
    const all = JSON.parse(ok(await h.cli(['audit', 'log', '--actor', 'system:cli', '--since', '2000-01-01', '--json'])).stdout) as { seq: number }[];
    assert.ok(all.length >= 3);
    assert.deepEqual(all.map((e) => e.seq), [...all.map((e) => e.seq)].sort((a, b) => a - b));
    fails(await h.cli(['audit', 'log', '--object', 'registrar']), /--object is TYPE:ID/);
  });

  it('privacy export of an unknown contact fails clearly; purge --dry-run lists nothing on a young registry', async () => {
    fails(await h.cli(['privacy', 'export', '--contact', 'nobody-here']), /there is no contact nobody-here/);
    fails(await h.cli(['privacy', 'export']), /give --contact HANDLE or --user EMAIL/);
    assert.match(ok(await h.cli(['privacy', 'purge', '--dry-run'])).stdout, /^0 contacts deleted before \S+ would be erased$/m);
  });
});
