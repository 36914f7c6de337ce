// Documents of an application under review: the consents and approvals an applicant brings (R4.2 geographic and
// personal names, R4.8 state bodies and organisations, R4.9 reserved names) and the documents behind a decision
// (R3.12, R5.1.x). The sponsoring registrar attaches the applicant's documents while the application is pending;
// the National Administrator attaches to any application, also after the decision. Files are PDF, PNG or JPEG
// (checked by their first bytes, not only by the name the client gives) up to 5 MiB, kept with their SHA-256 and
// never changed.
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ApplicationDocumentsTable } from '../db/schema.ts';
import { isRegistryOperator, type Actor } from './actor.ts';
import { assertMayReadApplication } from './applications.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import type { Registry } from './registry.ts';

export type DocumentKind = ApplicationDocumentsTable['kind'];
export type DocumentMediaType = ApplicationDocumentsTable['media_type'];
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['consent', 'decision', 'other'];
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export interface DocumentInput { kind: string; filename: string; content: Uint8Array; note?: string | null }
export interface DocumentView {
  id: number; applicationId: number; kind: DocumentKind; filename: string; mediaType: DocumentMediaType; size: number; sha256: string;
  note: string | null; attachedBy: string; attachedAt: Date;
}

/** The media type the content's first bytes show, or null when it is none of the accepted ones. */
export function sniffMediaType(b: Uint8Array): DocumentMediaType | null {
  const starts = (sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  return null;
}

/** A file name safe to store and to send back in Content-Disposition: its last path part, printable, at most 200 characters. */
function cleanFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim().normalize('NFC');
  if (!base) throw new RegistryError('required', 'the document needs a file name', 'R3.12');
  if (base.length > 200) throw new RegistryError('range', 'the file name is longer than 200 characters', 'R3.12');
  return base;
}

function view(r: Omit<Selectable<ApplicationDocumentsTable>, 'content'>): DocumentView {
  return {
    id: r.id, applicationId: r.application_id, kind: r.kind, filename: r.filename, mediaType: r.media_type, size: r.size, sha256: r.sha256,
    note: r.note, attachedBy: r.attached_by, attachedAt: r.attached_at,
  };
}

export async function attachDocument(reg: Registry, actor: Actor, applicationId: number, input: DocumentInput): Promise<DocumentView> {
  if (!(DOCUMENT_KINDS as readonly string[]).includes(input.kind)) throw new RegistryError('syntax', `the kind of document is one of ${DOCUMENT_KINDS.join(', ')}`, 'R3.12');
  const kind = input.kind as DocumentKind;
  const operator = isRegistryOperator(actor);
  if (!operator && actor.type !== 'registrar') throw new RegistryError('authorization', 'documents are attached by the sponsoring registrar or the National Administrator', 'R3.12');
  if (kind === 'decision' && !operator) throw new RegistryError('authorization', 'only the National Administrator attaches the documents of a decision', 'R3.12');
  const filename = cleanFilename(input.filename);
  const size = input.content.byteLength;
  if (size === 0) throw new RegistryError('required', 'the document is empty', 'R3.12');
  if (size > MAX_DOCUMENT_BYTES) throw new RegistryError('range', `a document is at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, 'R3.12');
  const mediaType = sniffMediaType(input.content);
  if (!mediaType) throw new RegistryError('policy', 'a document is a PDF, PNG or JPEG file', 'R3.12');
  const note = input.note?.trim() || null;
  if (note && note.length > 2000) throw new RegistryError('range', 'the note is longer than 2000 characters', 'R3.12');
  const content = Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return runOperation(reg, actor, 'application.document', async (ctx) => {
    const app = await ctx.tx.selectFrom('applications').select(['id', 'registrar_id', 'status']).where('id', '=', applicationId).forUpdate().executeTakeFirst();
    if (!app) throw new RegistryError('notFound', `no application ${applicationId}`, 'R3.12');
    if (!operator) {
      if (actor.type !== 'registrar' || actor.registrarId !== app.registrar_id) throw new RegistryError('authorization', 'this application is sponsored by another registrar', 'RFC 5730 §2.9.2');
      if (app.status !== 'pending') throw new RegistryError('statusProhibits', `application ${applicationId} is already ${app.status}`, 'R3.12');
    }
    const row = await ctx.tx.insertInto('application_documents').values({
      application_id: app.id, kind, filename, media_type: mediaType, size, sha256, content, note, attached_by: ctx.actorId, attached_at: ctx.now,
    }).returning(['id', 'application_id', 'kind', 'filename', 'media_type', 'size', 'sha256', 'note', 'attached_by', 'attached_at']).executeTakeFirstOrThrow();
    const v = view(row);
    // The audit entry names the file and its hash, not its bytes.
    await ctx.record({ objectType: 'application', objectId: String(app.id), before: null, after: { document: v }, topic: 'application.document', history: false });
    return v;
  });
}

/** The documents of an application, without their content: for its reviewers and its sponsor. */
export async function listDocuments(reg: Registry, actor: Actor, applicationId: number): Promise<DocumentView[]> {
  await assertMayReadApplication(reg, actor, applicationId);
  const rows = await reg.db.selectFrom('application_documents')
    .select(['id', 'application_id', 'kind', 'filename', 'media_type', 'size', 'sha256', 'note', 'attached_by', 'attached_at'])
    .where('application_id', '=', applicationId).orderBy('id').execute();
  return rows.map(view);
}

/** One document with its content. */
export async function readDocument(reg: Registry, actor: Actor, applicationId: number, documentId: number): Promise<DocumentView & { content: Buffer }> {
  await assertMayReadApplication(reg, actor, applicationId);
  const r = await reg.db.selectFrom('application_documents').selectAll().where('application_id', '=', applicationId).where('id', '=', documentId).executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `application ${applicationId} has no document ${documentId}`, 'R3.12');
  return { ...view(r), content: r.content };
}
