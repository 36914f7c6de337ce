// R3.20: identity data checked through the e-government adapter by the worker. The e-government service here is
// a test double speaking the adapter's HTTP contract on loopback (src/core/identity/egov.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { getContact, updateContact } from '../../src/core/contacts.ts';
import { httpVerifier } from '../../src/core/identity/egov.ts';
import { verifyContacts } from '../../src/core/identity/verify-contacts.ts';
import { workerActor } from '../../src/worker/timers.ts';

/** The register: ID numbers and TINs it knows, with the names it holds for them. */
const PEOPLE = new Map([['AZE12345678', 'Quliyeva']]);
const COMPANIES = new Map([['1700456781', 'id-co MMC']]);
let t: TestRegistry;
let server: http.Server;
let url = '';
const seen: { auth: string | undefined; body: Record<string, unknown> }[] = [];
let failNext = false;

before(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ auth: req.headers.authorization, body });
      if (failNext) { failNext = false; res.writeHead(503).end(); return; }
      let result = 'unknown';
      if (body.kind === 'natural') {
        const known = PEOPLE.get(`${String(body.idSeries)}${String(body.idNumber)}`);
        if (known) result = known === body.familyName ? 'match' : 'mismatch';
      } else {
        const known = COMPANIES.get(String(body.tin));
        if (known) result = known === body.orgName ? 'match' : 'mismatch';
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`;
  t = await testRegistry();
  const r = await addRegistrar(t.reg, 'reg-id');
  await addPerson(t.reg, r, 'id-match');
  await addCompany(t.reg, r, 'id-co');
});
after(async () => {
  await t?.close();
  await new Promise((resolve) => server.close(resolve));
});

test('a match verifies the contact; an error is retried after an hour; a mismatch is recorded for people to decide; changed data are checked again', async () => {
  const verifier = httpVerifier(url, { token: 'egov-secret' });
  failNext = true;
  assert.equal(await verifyContacts(t.reg, workerActor, verifier), 2);
  const first = await getContact(t.reg, 'id-match');
  assert.equal(first.verification, 'unverified', 'a failed lookup verifies nothing');
  assert.equal((await t.db.db.selectFrom('contacts').select('verification_result').where('handle', '=', 'id-match').executeTakeFirstOrThrow()).verification_result, 'error: the e-government service answered HTTP 503');
  assert.equal(seen[0]!.auth, 'Bearer egov-secret');
  assert.equal((await getContact(t.reg, 'id-co')).verification, 'verified');
  // The failed lookup is tried again an hour later, not at once.
  assert.equal(await verifyContacts(t.reg, workerActor, verifier), 0);
  t.clock.advance(3_600_001);
  assert.equal(await verifyContacts(t.reg, workerActor, verifier), 1);
  assert.equal((await getContact(t.reg, 'id-match')).verification, 'verified');

  const r = { type: 'registrar' as const, registrarId: 'reg-id' };
  await updateContact(t.reg, r, { handle: 'id-match', set: { familyName: 'Məmmədova' } });
  assert.equal(await verifyContacts(t.reg, workerActor, verifier), 1);
  const row = await t.db.db.selectFrom('contacts').select(['verification', 'verification_result']).where('handle', '=', 'id-match').executeTakeFirstOrThrow();
  assert.deepEqual(row, { verification: 'unverified', verification_result: 'mismatch' });

  await updateContact(t.reg, r, { handle: 'id-match', set: { familyName: 'Quliyeva' } });
  assert.equal(await verifyContacts(t.reg, workerActor, verifier), 1);
  assert.equal((await getContact(t.reg, 'id-match')).verification, 'verified');
  assert.deepEqual(seen.at(-1)!.body, { kind: 'natural', citizenship: 'AZ', idSeries: 'AZE', idNumber: '12345678', givenName: 'Aysel', familyName: 'Quliyeva', patronymic: 'Rəşid qızı' });
});

test('without DOMEN_EGOV_URL the timer does nothing', async () => {
  assert.equal(await verifyContacts(t.reg, workerActor, null), 0);
});
