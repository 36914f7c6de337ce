// The public abuse form and API need no account, so one address may file only a few reports before it is told to
// wait (429 with Retry-After); another address is still served, and the National Administrator is never limited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { signInAs, USERS, webWorld, type Signed, type WebWorld } from './setup.ts';

let w: WebWorld;
let staff: Signed;
const saved = process.env.DOMEN_ABUSE_BURST;

before(async () => {
  process.env.DOMEN_ABUSE_BURST = '2';
  w = await webWorld({ domains: 1 });
  staff = (await signInAs(w.app, USERS.na_staff.email)).signed!;
});
after(async () => {
  if (saved === undefined) delete process.env.DOMEN_ABUSE_BURST; else process.env.DOMEN_ABUSE_BURST = saved;
  await w?.app.close(); await w?.t.close();
});

const report = { name: 'kitab0.az', category: 'spam', description: 'Unsolicited mail advertising this site' };
const form = (ip: string) => w.app.inject({
  method: 'POST', url: '/abuse?lang=en', remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(report).toString(),
});

test('a third anonymous report from one address waits; another address and the NA are served', async () => {
  assert.equal((await form('203.0.113.5')).statusCode, 200);
  assert.equal((await form('203.0.113.5')).statusCode, 200);
  const third = await form('203.0.113.5');
  assert.equal(third.statusCode, 429);
  assert.ok(Number(third.headers['retry-after']) > 0);
  assert.match(third.body, /Too many reports from this address\. Try again in \d+ minutes\./);
  assert.match(third.body, /value="kitab0\.az"/, 'what was typed is kept');
  // The API shares the address's bucket.
  const api = await w.app.inject({ method: 'POST', url: '/api/abuse', remoteAddress: '203.0.113.5', payload: report });
  assert.equal(api.statusCode, 429);
  assert.equal((api.json() as { error: string }).error, 'rateLimited');
  assert.equal((await form('203.0.113.6')).statusCode, 200);
  const byStaff = await w.app.inject({
    method: 'POST', url: '/api/abuse', remoteAddress: '203.0.113.5', headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf }, payload: report,
  });
  assert.ok(byStaff.statusCode < 300, byStaff.body);
  const filed = await w.t.reg.db.selectFrom('abuse_reports').select('id').execute();
  assert.equal(filed.length, 4);
});
