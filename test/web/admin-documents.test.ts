// Documents of an application under review (R4.2/R4.8/R4.9 consents, R3.12/R5.1 decisions): the NA attaches a file
// on the application's console page (a multipart form with the CSRF token) and downloads it byte for byte; a file
// that is not what it claims, a missing token, the ministry (read only) and registrar users are refused. The core
// operation: the sponsor attaches consents while the application is pending, never a decision, never to another's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { approveApplication } from '../../src/core/applications.ts';
import { attachDocument, listDocuments } from '../../src/core/application-documents.ts';
import { isRegistryError } from '../../src/core/errors.ts';
import { na } from '../helpers/fixtures.ts';
import { applyGov, SAMPLE_PDF, signInAs, USERS, webWorld, type Signed, type WebWorld } from './setup.ts';

let w: WebWorld;
let staff: Signed;

before(async () => {
  w = await webWorld({ domains: 1 });
  staff = (await signInAs(w.app, USERS.na_staff.email)).signed!;
});
after(async () => { await w?.app.close(); await w?.t.close(); });

async function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type: string }): Promise<{ payload: Buffer; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file) fd.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const r = new Request('http://localhost/', { method: 'POST', body: fd });
  return { payload: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type')! };
}

const code = async (p: Promise<unknown>): Promise<string> => {
  try { await p; return 'ok'; } catch (e) { if (isRegistryError(e)) return `${e.kind} ${e.eppCode}`; throw e; }
};

describe('application documents in the console', () => {
  test('the NA attaches a consent; the page lists it; the download is the same bytes, as an attachment', async () => {
    const a = await applyGov(w);
    const page = await w.app.inject({ url: `/admin/applications/${a.id}?lang=en`, headers: { cookie: staff.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No documents attached\./);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    const body = await multipart({ _csrf: staff.csrf, kind: 'consent', note: 'Nazirliyin razılığı' }, { name: 'razılıq.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    const res = await w.app.inject({ method: 'POST', url: `/admin/applications/${a.id}/documents?lang=en`, headers: { cookie: staff.cookie, 'content-type': body.type }, payload: body.payload });
    assert.equal(res.statusCode, 201, res.body);
    const sha = createHash('sha256').update(SAMPLE_PDF).digest('hex');
    assert.match(res.body, new RegExp(`razılıq\\.pdf attached \\(SHA-256 ${sha.slice(0, 16)}\\)`));
    const [doc] = await listDocuments(w.t.reg, na, a.id);
    assert.equal(doc!.sha256, sha);
    assert.equal(doc!.kind, 'consent');
    const dl = await w.app.inject({ url: `/admin/applications/${a.id}/documents/${doc!.id}`, headers: { cookie: staff.cookie } });
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'application/pdf');
    assert.match(String(dl.headers['content-disposition']), /^attachment; filename\*=UTF-8''raz%C4%B1l%C4%B1q\.pdf$/);
    assert.deepEqual(dl.rawPayload, SAMPLE_PDF);
    // The ministry reads and downloads, but has no form and cannot post.
    const ministry = (await signInAs(w.app, USERS.ministry.email)).signed!;
    const mp = await w.app.inject({ url: `/admin/applications/${a.id}?lang=en`, headers: { cookie: ministry.cookie } });
    assert.equal(mp.statusCode, 200);
    assert.match(mp.body, /razılıq\.pdf/);
    assert.doesNotMatch(mp.body, /multipart/);
    const mbody = await multipart({ _csrf: ministry.csrf, kind: 'other' }, { name: 'x.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    assert.equal((await w.app.inject({ method: 'POST', url: `/admin/applications/${a.id}/documents`, headers: { cookie: ministry.cookie, 'content-type': mbody.type }, payload: mbody.payload })).statusCode, 403);
    // Registrar users do not see the console.
    const reg = (await signInAs(w.app, USERS.registrar_admin.email)).signed!;
    assert.equal((await w.app.inject({ url: `/admin/applications/${a.id}/documents/${doc!.id}`, headers: { cookie: reg.cookie } })).statusCode, 403);
  });

  test('a text file named .pdf, a missing file and a missing CSRF token are refused; nothing is stored', async () => {
    const a = await applyGov(w);
    const fake = await multipart({ _csrf: staff.csrf, kind: 'consent' }, { name: 'consent.pdf', bytes: Buffer.from('not really a pdf'), type: 'application/pdf' });
    const r1 = await w.app.inject({ method: 'POST', url: `/admin/applications/${a.id}/documents?lang=en`, headers: { cookie: staff.cookie, 'content-type': fake.type }, payload: fake.payload });
    assert.equal(r1.statusCode, 422);
    assert.match(r1.body, /a document is a PDF, PNG or JPEG file/);
    const none = await multipart({ _csrf: staff.csrf, kind: 'consent' });
    const r2 = await w.app.inject({ method: 'POST', url: `/admin/applications/${a.id}/documents?lang=en`, headers: { cookie: staff.cookie, 'content-type': none.type }, payload: none.payload });
    assert.equal(r2.statusCode, 400);
    assert.match(r2.body, /choose the file to attach/);
    const noToken = await multipart({ kind: 'consent' }, { name: 'ok.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    assert.equal((await w.app.inject({ method: 'POST', url: `/admin/applications/${a.id}/documents`, headers: { cookie: staff.cookie, 'content-type': noToken.type }, payload: noToken.payload })).statusCode, 403);
    assert.deepEqual(await listDocuments(w.t.reg, na, a.id), []);
  });
});

describe('attachDocument (core)', () => {
  test('the sponsor attaches consents while pending; not a decision, not to another registrar, not after the decision; size and type checked', async () => {
    const a = await applyGov(w);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    assert.equal(await code(attachDocument(w.t.reg, w.alpha, a.id, { kind: 'consent', filename: '../../etc/skan.png', content: png })), 'ok');
    assert.equal((await listDocuments(w.t.reg, w.alpha, a.id))[0]!.filename, 'skan.png');
    assert.equal(await code(attachDocument(w.t.reg, w.alpha, a.id, { kind: 'decision', filename: 'q.pdf', content: SAMPLE_PDF })), 'authorization 2201');
    assert.equal(await code(attachDocument(w.t.reg, w.beta, a.id, { kind: 'consent', filename: 'q.pdf', content: SAMPLE_PDF })), 'authorization 2201');
    assert.equal(await code(listDocuments(w.t.reg, w.beta, a.id)), 'authorization 2201');
    assert.equal(await code(attachDocument(w.t.reg, w.alpha, a.id, { kind: 'consent', filename: 'big.pdf', content: Buffer.concat([SAMPLE_PDF, Buffer.alloc(5 * 1024 * 1024)]) })), 'range 2004');
    assert.equal(await code(attachDocument(w.t.reg, w.alpha, a.id, { kind: 'memo', filename: 'q.pdf', content: SAMPLE_PDF })), 'syntax 2005');
    await approveApplication(w.t.reg, na, a.id, 'consent of the Ministry attached');
    assert.equal(await code(attachDocument(w.t.reg, w.alpha, a.id, { kind: 'consent', filename: 'late.pdf', content: SAMPLE_PDF })), 'statusProhibits 2304');
    // The NA attaches the decision's document after the decision.
    assert.equal(await code(attachDocument(w.t.reg, na, a.id, { kind: 'decision', filename: 'qərar.pdf', content: SAMPLE_PDF, note: 'decision no. 12' })), 'ok');
    assert.deepEqual((await listDocuments(w.t.reg, na, a.id)).map((d) => d.kind), ['consent', 'decision']);
  });
});

describe('application documents in the registrar portal', () => {
  test('the sponsor opens its application from the list, attaches the applicant\'s consent, downloads it; no decisions, nothing after the decision', async () => {
    const a = await applyGov(w);
    const r = (await signInAs(w.app, USERS.registrar_staff.email)).signed!;
    const list = await w.app.inject({ url: '/registrar/applications?lang=en', headers: { cookie: r.cookie } });
    assert.match(list.body, new RegExp(`<a href="/registrar/applications/${a.id}">${a.id}</a>`));
    const page = await w.app.inject({ url: `/registrar/applications/${a.id}?lang=en`, headers: { cookie: r.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No documents attached\./);
    assert.match(page.body, /<option value="consent">/);
    assert.doesNotMatch(page.body, /<option value="decision">/);
    const body = await multipart({ _csrf: r.csrf, kind: 'consent', note: 'ASAN razılıq' }, { name: 'razılıq.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    const res = await w.app.inject({ method: 'POST', url: `/registrar/applications/${a.id}/documents?lang=en`, headers: { cookie: r.cookie, 'content-type': body.type }, payload: body.payload });
    assert.equal(res.statusCode, 201, res.body);
    assert.match(res.body, /razılıq\.pdf attached/);
    const [doc] = await listDocuments(w.t.reg, na, a.id);
    assert.match(doc!.attachedBy, /^alpha\//);
    const dl = await w.app.inject({ url: `/registrar/applications/${a.id}/documents/${doc!.id}`, headers: { cookie: r.cookie } });
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, SAMPLE_PDF);
    // A decision posted by hand is refused by the core.
    const forged = await multipart({ _csrf: r.csrf, kind: 'decision' }, { name: 'q.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    const refused = await w.app.inject({ method: 'POST', url: `/registrar/applications/${a.id}/documents?lang=en`, headers: { cookie: r.cookie, 'content-type': forged.type }, payload: forged.payload });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /only the National Administrator attaches the documents of a decision/);
    await approveApplication(w.t.reg, na, a.id);
    const after1 = await w.app.inject({ url: `/registrar/applications/${a.id}?lang=en`, headers: { cookie: r.cookie } });
    assert.doesNotMatch(after1.body, /multipart/);
    const late = await multipart({ _csrf: r.csrf, kind: 'consent' }, { name: 'late.pdf', bytes: SAMPLE_PDF, type: 'application/pdf' });
    const lateRes = await w.app.inject({ method: 'POST', url: `/registrar/applications/${a.id}/documents?lang=en`, headers: { cookie: r.cookie, 'content-type': late.type }, payload: late.payload });
    assert.notEqual(lateRes.statusCode, 201);
    assert.match(lateRes.body, /already approved/);
    assert.equal((await listDocuments(w.t.reg, na, a.id)).length, 1);
  });
});
