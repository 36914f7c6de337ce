// An application's page: what was asked, why it is under review, its deadline and decision, and its documents:
// the consents the applicant brought (R4.2, R4.8, R4.9) and the documents of the decision (R3.12, R5.1). In the
// console (/admin/applications/ID) the National Administrator attaches any kind and the reviewers (the ministry
// included) read; in the registrar portal (/registrar/applications/ID) the sponsor attaches its applicant's
// consents while the application is pending (the core refuses the rest). Uploads are multipart forms, parsed only
// in these plugins.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attachDocument, DOCUMENT_KINDS, listDocuments, MAX_DOCUMENT_BYTES, readDocument, type DocumentKind } from '../../core/application-documents.ts';
import { getApplication } from '../../core/applications.ts';
import type { PortalRole } from '../auth/principal.ts';
import { isRegistryError, RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { at, type AdminKey } from './admin-i18n.ts';
import { canWrite, READ, readOnlyNote, subNav, WRITE } from './admin-common.ts';
import { t } from './i18n.ts';
import { csrfField, esc, notice, page, stamp, type PageContext } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';
import { config as REGISTRAR, registrarPage } from './registrar-common.ts';

type Upload = { filename: string; data: Buffer };
const KIND_TEXT: Record<string, AdminKey> = { consent: 'kindConsent', decision: 'kindDecision', other: 'kindOther' };

type Route = { config: { roles: PortalRole[] } };

/** Where the pages live and who may do what there. */
interface Portal {
  base: '/admin' | '/registrar';
  read: Route;
  write: Route;
  canWrite(req: FastifyRequest): boolean;
  /** The kinds the form offers (the core decides what each actor may attach). */
  kinds: readonly DocumentKind[];
  frame(req: FastifyRequest, c: PageContext, title: string, body: string): string;
}

const CONSOLE: Portal = {
  base: '/admin', read: READ, write: WRITE, canWrite, kinds: DOCUMENT_KINDS,
  frame: (req, c, title, body) => page(c, title, subNav(req, c.lang, '/admin') + readOnlyNote(req, c.lang) + body),
};
const REGISTRAR_PORTAL: Portal = {
  base: '/registrar', read: { config: { roles: [...REGISTRAR.roles] } }, write: { config: { roles: [...REGISTRAR.roles] } }, canWrite: () => true,
  kinds: DOCUMENT_KINDS.filter((k) => k !== 'decision'), frame: (_req, c, title, body) => registrarPage(c, title, body),
};

export const adminDocumentPages = (app: FastifyInstance, opts: { reg: Registry }): Promise<void> => documentPages(app, opts.reg, CONSOLE);
export const registrarDocumentPages = (app: FastifyInstance, opts: { reg: Registry }): Promise<void> => documentPages(app, opts.reg, REGISTRAR_PORTAL);

async function documentPages(app: FastifyInstance, reg: Registry, portal: Portal): Promise<void> {
  const { base } = portal;
  // The file arrives as { filename, data }; the other fields as strings, so the CSRF check reads `_csrf` as usual.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 8, fieldSize: 4096, parts: 10 },
    async onFile(part) {
      (part as unknown as { value: Upload }).value = { filename: part.filename, data: await part.toBuffer() };
    },
  });

  async function applicationPage(req: FastifyRequest, reply: FastifyReply, id: number, message = '', code = 200): Promise<FastifyReply> {
    const actor = req.portal.principal!.actor;
    const c = pageContext(req, reg, `${base}/applications/${id}`);
    const L = c.lang;
    let a;
    try { a = await getApplication(reg, actor, id); } catch (e) {
      if (!isRegistryError(e)) throw e;
      return sendHtml(reply, page(c, t(L, 'error'), notice('error', `${e.message} (${e.clause})`)), e.httpStatus);
    }
    const docs = await listDocuments(reg, actor, id);
    const reasons = Array.isArray(a.reasons) ? (a.reasons as { clause?: string; message?: string }[]) : [];
    const facts: [string, string][] = [
      [t(L, 'domain'), `${esc(a.unicodeName)}${a.unicodeName !== a.name ? ` (${esc(a.name)})` : ''}`],
      [t(L, 'registrar'), esc(a.registrarId)], [at(L, 'appStatus'), esc(a.status)],
      [t(L, 'received'), stamp(a.receivedAt)], [t(L, 'due'), stamp(a.dueAt)],
      [t(L, 'identity'), `${esc(a.registrantIdentity.verification)}${a.registrantIdentity.result ? ` (${esc(a.registrantIdentity.result)})` : ''}`],
      ...(a.decidedAt ? [[t(L, 'note'), `${stamp(a.decidedAt)} ${esc(a.refusalGround ?? '')} ${esc(a.decisionNote ?? '')}`] as [string, string]] : []),
    ];
    const dl = `<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
    const why = reasons.length ? `<h2>${esc(at(L, 'reasonsTitle'))}</h2><ul>${reasons.map((r) => `<li>${esc(r.clause ?? '')}: ${esc(r.message ?? '')}</li>`).join('')}</ul>` : '';
    const rows = docs.map((d) => `<tr><td><a href="${base}/applications/${id}/documents/${d.id}">${esc(d.filename)}</a></td><td>${esc(at(L, KIND_TEXT[d.kind]!))}</td>
<td>${esc(d.mediaType)}, ${d.size} B</td><td><code>${esc(d.sha256.slice(0, 16))}…</code></td><td>${esc(d.attachedBy)}, ${stamp(d.attachedAt)}</td><td>${esc(d.note)}</td></tr>`).join('\n');
    const table = docs.length ? `<div class="table"><table><caption>${esc(at(L, 'documents'))}</caption><thead><tr><th scope="col">${esc(at(L, 'docFile'))}</th>
<th scope="col">${esc(at(L, 'docKind'))}</th><th scope="col">MIME</th><th scope="col">SHA-256</th><th scope="col">${esc(at(L, 'attachedBy'))}</th><th scope="col">${esc(t(L, 'note'))}</th></tr></thead>
<tbody>${rows}</tbody></table></div>` : `<p>${esc(at(L, 'noDocuments'))}</p>`;
    // The token goes in the form data as for every other form; the form is multipart because it carries a file.
    const open = portal.base === '/admin' || a.status === 'pending';
    const form = portal.canWrite(req) && open ? `<h2>${esc(at(L, 'attach'))}</h2><form method="post" action="${base}/applications/${id}/documents" enctype="multipart/form-data" class="decide">${csrfField(c)}
<label for="kind">${esc(at(L, 'docKind'))}</label><select id="kind" name="kind">${portal.kinds.map((k) => `<option value="${k}">${esc(at(L, KIND_TEXT[k]!))}</option>`).join('')}</select>
<label for="file">${esc(at(L, 'docFile'))}</label><input id="file" name="file" type="file" accept="application/pdf,image/png,image/jpeg" required>
<label for="dnote">${esc(t(L, 'note'))}</label><input id="dnote" name="note" maxlength="2000">
<button type="submit">${esc(at(L, 'attach'))}</button></form>` : '';
    return sendHtml(reply, portal.frame(req, c, at(L, 'applicationTitle', { n: id }), message + dl + why + `<h2>${esc(at(L, 'documents'))}</h2>` + table + form), code);
  }

  const idOf = (s: string): number => (/^\d{1,15}$/.test(s) ? Number(s) : 0);

  app.get<{ Params: { id: string } }>('/applications/:id', portal.read, async (req, reply) => applicationPage(req, reply, idOf(req.params.id)));

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/applications/:id/documents', portal.write, async (req, reply) => {
    const id = idOf(req.params.id);
    const L = req.portal.lang;
    const b = req.body ?? {};
    const file = b.file as Upload | undefined;
    try {
      if (!file || typeof file !== 'object' || !Buffer.isBuffer(file.data)) throw new RegistryError('required', 'choose the file to attach', 'R3.12');
      const d = await attachDocument(reg, req.portal.principal!.actor, id, {
        kind: String(b.kind ?? ''), filename: file.filename, content: file.data, note: typeof b.note === 'string' ? b.note : null,
      });
      return applicationPage(req, reply, id, notice('ok', at(L, 'attached', { f: d.filename, h: d.sha256.slice(0, 16) })), 201);
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return applicationPage(req, reply, id, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  });

  app.get<{ Params: { id: string; doc: string } }>('/applications/:id/documents/:doc', portal.read, async (req, reply) => {
    try {
      const d = await readDocument(reg, req.portal.principal!.actor, idOf(req.params.id), idOf(req.params.doc));
      // Always a download: the registry never renders an uploaded file in its own origin.
      return reply.header('content-type', d.mediaType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(d.filename)}`)
        .header('x-content-type-options', 'nosniff').send(d.content);
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      const c = pageContext(req, reg, req.url);
      return sendHtml(reply, page(c, t(c.lang, 'error'), notice('error', `${e.message} (${e.clause})`)), e.httpStatus);
    }
  });
}
