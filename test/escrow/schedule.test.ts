// Scheduled deposits: the worker's daily deposit (FULL on the configured weekday, DIFF otherwise), made once per
// day however many workers run, handed to the agent by HTTPS PUT (retried) and to a drop directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runScheduledEscrow, type ScheduleConfig } from '../../src/escrow/schedule.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { operator } from '../helpers/fixtures.ts';
import { makeKeys, type KeyFiles } from './keys.ts';
import { seedEscrowFixture } from './setup.ts';

let t: TestRegistry;
let tmp: string;
let keys: KeyFiles;
let server: Server;
let base: string;
const received = new Map<string, Buffer>();
let failNext = 0;

before(async () => {
  t = await testRegistry();
  await seedEscrowFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-escrow-schedule-'));
  keys = await makeKeys(tmp);
  // The agent: answers 503 to the first `failNext` requests, then stores what is PUT.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'PUT' || req.headers.authorization !== 'Bearer s3cret') { res.statusCode = 403; res.end(); return; }
      if (failNext > 0) { failNext--; res.statusCode = 503; res.end(); return; }
      received.set(decodeURIComponent(req.url!.split('/').pop()!), Buffer.concat(chunks));
      res.statusCode = 201; res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deposits`;
});
after(async () => {
  await t?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('scheduled escrow deposits', () => {
  test('one deposit a day for two workers, FULL on its weekday then DIFF, uploaded with retries and dropped', async () => {
    const dir = path.join(tmp, 'deposits'); const drop = path.join(tmp, 'drop'); mkdirSync(drop);
    const cfg: ScheduleConfig = { dir, fullWeekday: 0, uploadUrl: base, uploadToken: 's3cret', dropDir: drop, attempts: 3, backoffMs: 10,
      agentKey: keys.agentPublic, signingKey: keys.registryPrivate };
    t.clock.set(new Date('2026-03-08T01:00:00Z')); // a Sunday
    failNext = 2; // the agent fails twice: the third attempt goes through
    const [a, b] = await Promise.all([runScheduledEscrow(t.reg, operator, cfg), runScheduledEscrow(t.reg, operator, cfg)]);
    const made = [a.deposit, b.deposit].filter(Boolean);
    assert.equal(made.length, 1, 'two workers, one deposit');
    const deps = await t.reg.db.selectFrom('escrow_deposits').select(['id', 'type']).execute();
    assert.deepEqual(deps.map((d) => d.type), ['FULL']);
    const names = ['az_2026-03-08_full_S1_R0.ryde', 'az_2026-03-08_full_S1_R0.sig', 'az_2026-03-08_full_R0.rep'];
    assert.deepEqual([...received.keys()].sort(), [...names].sort());
    assert.deepEqual(readdirSync(drop).sort(), [...names].sort());
    for (const n of names) assert.ok(received.get(n)!.equals(readFileSync(path.join(dir, n))), `${n} arrived whole`);
    assert.match(received.get('az_2026-03-08_full_R0.rep')!.toString(), /<rdeReport:kind>FULL<\/rdeReport:kind>/);

    // Later the same day: nothing new. Next day: a DIFF.
    t.clock.set(new Date('2026-03-08T13:00:00Z'));
    assert.deepEqual(await runScheduledEscrow(t.reg, operator, cfg), { deposit: null, uploaded: [] });
    t.clock.set(new Date('2026-03-09T01:00:00Z'));
    const c = await runScheduledEscrow(t.reg, operator, cfg);
    assert.ok(c.deposit);
    assert.deepEqual(c.uploaded, [c.deposit]);
    assert.ok(received.has('az_2026-03-09_diff_R0.rep'));

    // The agent down for longer than the retries: the deposit stays owed and goes on the next pass.
    t.clock.set(new Date('2026-03-10T01:00:00Z'));
    failNext = 10;
    await assert.rejects(runScheduledEscrow(t.reg, operator, cfg), /the agent answered 503 .*after 3 attempts/);
    failNext = 0;
    const d = await runScheduledEscrow(t.reg, operator, cfg);
    assert.equal(d.deposit, null, 'the day\'s deposit was made before the upload failed');
    assert.equal(d.uploaded.length, 1);
    assert.ok(received.has('az_2026-03-10_diff_R0.rep'));
  });
});
