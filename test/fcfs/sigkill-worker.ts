// Child process of sigkill.test.ts: creates domains on PostgreSQL in a few parallel lanes, each lane one
// create at a time, and prints `committed <name>` only after the create's promise resolved (after COMMIT).
// The test kills it with SIGKILL in the middle; it stops by itself after MAX_CREATES.
// Input (env): DOMEN_SIGKILL_DATABASE_URL, DOMEN_SIGKILL_FIXTURES = JSON { registrarId, registrant, admin, hosts }.
import { openDatabase } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import type { Actor } from '../../src/core/actor.ts';

const MAX_CREATES = 2000;
const LANES = 4;

const url = process.env.DOMEN_SIGKILL_DATABASE_URL;
const fixtures = JSON.parse(process.env.DOMEN_SIGKILL_FIXTURES ?? 'null') as
  { registrarId: string; registrant: string; admin: string; hosts: string[] } | null;
if (!url || !fixtures) {
  console.error('sigkill-worker: set DOMEN_SIGKILL_DATABASE_URL and DOMEN_SIGKILL_FIXTURES');
  process.exit(2);
}

const db = await openDatabase({ databaseUrl: url, poolSize: LANES });
const reg = new Registry(db, { tld: 'az' });
const actor: Actor = { type: 'registrar', registrarId: fixtures.registrarId, source: 'sigkill-worker' };
let issued = 0;

async function lane(n: number): Promise<void> {
  while (issued < MAX_CREATES) {
    const name = `kill-${n}-${String(issued++).padStart(4, '0')}.az`;
    await createDomain(reg, actor, {
      name, registrant: fixtures!.registrant, hosts: fixtures!.hosts,
      contacts: [{ type: 'admin', handle: fixtures!.admin }, { type: 'tech', handle: fixtures!.admin }],
    });
    // Writes to a pipe are synchronous on Linux: the line is out before the next create begins.
    process.stdout.write(`committed ${name}\n`);
  }
}

try {
  await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)));
} catch (err) {
  console.error(`sigkill-worker: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
