// The JSON API of application documents (src/core/application-documents.ts): the sponsoring registrar attaches
// the applicant's consents (R4.2, R4.8, R4.9) while the application is pending; the National Administrator attaches
// consents and the documents of its decisions; reviewers (the ministry included) and the sponsor read them. The
// file travels base64-encoded in JSON; a download is the file itself.
import { attachDocument, listDocuments, MAX_DOCUMENT_BYTES, readDocument } from '../../core/application-documents.ts';
import { RegistryError } from '../../core/errors.ts';
import { NA_ROLES, REGISTRAR_ROLES, type PortalRole } from '../auth/principal.ts';
import type { ApiRoute } from './routes.ts';

const READERS: PortalRole[] = [...REGISTRAR_ROLES, ...NA_ROLES, 'ministry'];
const WRITERS: PortalRole[] = [...REGISTRAR_ROLES, ...NA_ROLES];
const APP = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } };
const DOC = { type: 'object', required: ['id', 'doc'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' }, doc: { type: 'string', pattern: '^[0-9]{1,12}$' } } };
const BASE64_MAX = Math.ceil((MAX_DOCUMENT_BYTES + 1) / 3) * 4;

function decodeBase64(s: string): Buffer {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new RegistryError('syntax', 'content is not base64 (RFC 4648 §4)', 'R3.12');
  return Buffer.from(s, 'base64');
}

export const DOCUMENT_API_ROUTES: ApiRoute[] = [
  {
    method: 'GET', path: '/applications/:id/documents', roles: READERS, summary: "An application's documents (without their content)",
    params: APP,
    handler: async ({ reg, p, params }) => listDocuments(reg, p.actor, Number(params.id)),
  },
  {
    method: 'POST', path: '/applications/:id/documents', roles: WRITERS, bodyLimit: BASE64_MAX + 8192,
    summary: 'Attach a PDF, PNG or JPEG document (at most 5 MiB, base64): a consent (R4.2, R4.8, R4.9), or a decision (National Administrator)',
    params: APP,
    body: {
      type: 'object', required: ['kind', 'filename', 'content'], additionalProperties: false,
      properties: {
        kind: { enum: ['consent', 'decision', 'other'] }, filename: { type: 'string', minLength: 1, maxLength: 255 },
        content: { type: 'string', minLength: 4, maxLength: BASE64_MAX, description: 'the file, base64 (RFC 4648 §4)' }, note: { type: 'string', maxLength: 2000 },
      },
    },
    handler: async ({ reg, p, params, body, reply }) => {
      const b = body as { kind: string; filename: string; content: string; note?: string };
      const d = await attachDocument(reg, p.actor, Number(params.id), { kind: b.kind, filename: b.filename, content: decodeBase64(b.content), note: b.note ?? null });
      reply.code(201);
      return d;
    },
  },
  {
    method: 'GET', path: '/applications/:id/documents/:doc', roles: READERS, summary: 'One document, as the file (Content-Disposition: attachment)',
    params: DOC,
    handler: async ({ reg, p, params, reply }) => {
      const d = await readDocument(reg, p.actor, Number(params.id), Number(params.doc));
      reply.type(d.mediaType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(d.filename)}`);
      return d.content;
    },
  },
];
