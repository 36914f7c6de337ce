// Documents attached to an application (consents, identity papers) are the applicant's personal data (R8.8): the
// subject export lists them, and the retention purge deletes the files with the rest of the person's data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import type { Actor } from '../../src/core/actor.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';
import { withdrawApplication } from '../../src/core/applications.ts';
import { attachDocument, listDocuments } from '../../src/core/application-documents.ts';
import { exportSubject } from '../../src/privacy/export.ts';
import { DEFAULT_RETENTION_DAYS, purgePersonalData } from '../../src/privacy/purge.ts';

let t: TestRegistry;
let r1: Actor;
let appId = 0;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-pd');
  await addPerson(t.reg, r1, 'pd-person');
  await addPerson(t.reg, r1, 'pd-keeper');
  await addListEntry(t.reg, operator, 'reserved', 'pd-rezerv', 'exact', null);
  await addListEntry(t.reg, operator, 'reserved', 'pd-saxla', 'exact', null);
  const app = await createDomain(t.reg, r1, { name: 'pd-rezerv.az', registrant: 'pd-person' });
  assert.equal(app.status, 'pending');
  appId = app.status === 'pending' ? app.application.id : 0;
  await attachDocument(t.reg, r1, appId, { kind: 'consent', filename: 'razılıq.pdf', content: PDF, note: 'şəxsiyyət vəsiqəsi' });
  // Another person's application and document, which the purge must leave alone.
  const kept = await createDomain(t.reg, r1, { name: 'pd-saxla.az', registrant: 'pd-keeper' });
  if (kept.status === 'pending') await attachDocument(t.reg, r1, kept.application.id, { kind: 'consent', filename: 'keep.pdf', content: PDF });
  await withdrawApplication(t.reg, r1, appId);
});
after(async () => { await t?.close(); });

test('the subject export lists the documents of the person\'s applications, without the files', async () => {
  const x = await exportSubject(t.reg.db, { contact: 'pd-person' }, t.clock.now());
  assert.equal(x.applicationDocuments.length, 1);
  const d = x.applicationDocuments[0]!;
  assert.equal(d.filename, 'razılıq.pdf');
  assert.equal(d.kind, 'consent');
  assert.equal(d.sha256, (await listDocuments(t.reg, operator, appId))[0]!.sha256);
  assert.ok(!('content' in d), 'the file itself is not in the export');
});

test('the retention purge deletes the person\'s application documents and counts them; others stay', async () => {
  await deleteContact(t.reg, r1, 'pd-person');
  t.clock.advanceDays(DEFAULT_RETENTION_DAYS + 1);
  const r = await purgePersonalData(t.reg);
  assert.deepEqual(r.contacts, ['pd-person']);
  assert.deepEqual(await listDocuments(t.reg, operator, appId), []);
  const remaining = await t.reg.db.selectFrom('application_documents').select('filename').execute();
  assert.deepEqual(remaining.map((x) => x.filename), ['keep.pdf']);
  const entry = await t.reg.db.selectFrom('audit_log').select('after').where('operation', '=', 'privacy.purge').orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.equal((entry.after as { applicationDocuments?: number }).applicationDocuments, 1);
  // The attachment's audit entry keeps its place and the file's digest, not its name or note.
  const attached = await t.reg.db.selectFrom('audit_log').select(['after', 'redacted_at']).where('operation', '=', 'application.document')
    .where('object_id', '=', String(appId)).executeTakeFirstOrThrow();
  const doc = (attached.after as { document: Record<string, unknown> }).document;
  assert.equal(doc.filename, null);
  assert.equal(doc.note, null);
  assert.match(String(doc.sha256), /^[0-9a-f]{64}$/);
  assert.ok(attached.redacted_at);
});
