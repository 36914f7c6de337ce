// An unexpected internal error (here the database losing a table under the server) is 2400 with a message
// that tells nothing of the internals (RFC 5730 §3); it is logged, and the session goes on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { domain, poll } from './commands.ts';
import { harness, type Harness } from './harness.ts';

describe('EPP internal errors', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.registrar('reg-fail');
  });
  after(async () => { await h?.close(); });

  test('a database failure is 2400, logged with the clTRID; the session keeps working once the database is back', async () => {
    const c = await h.client('reg-fail');
    await sql`alter table poll_messages rename to poll_messages_gone`.execute(h.t.reg.db);
    let r;
    try {
      r = await c.command(poll.req(), { clTRID: 'FAIL-1' });
    } finally {
      await sql`alter table poll_messages_gone rename to poll_messages`.execute(h.t.reg.db);
    }
    assert.equal(r.code, 2400);
    assert.equal(r.clTRID, 'FAIL-1');
    assert.match(r.msg, /internal error/);
    assert.doesNotMatch(r.xml, /poll_messages|relation|stack/i);
    const logged = h.events.find((e) => e.event === 'epp.command.failed');
    assert.ok(logged, 'the failure is logged');
    assert.equal(logged.detail.clTRID, 'FAIL-1');
    assert.match(String(logged.detail.error), /poll_messages/);
    assert.equal((await c.command(poll.req())).code, 1300);
    assert.equal((await c.command(domain.check('hele-ok.az'))).code, 1000);
  });
});
