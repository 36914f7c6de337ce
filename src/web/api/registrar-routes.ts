// The JSON API of the registrar portal's pages (appended to API_ROUTES in routes.ts, so /api/openapi.json
// describes them and the every-route-every-role test tries them): contacts, hosts, bulk actions on domains,
// invoices, poll messages, EPP credentials (password, client certificates, IP allowlist) and users.
import { assertSponsor, type Actor } from '../../core/actor.ts';
import { createContact, deleteContact, getContact, updateContact } from '../../core/contacts.ts';
import { RegistryError } from '../../core/errors.ts';
import { createHost, deleteHost, getHost, updateHost } from '../../core/hosts.ts';
import { pollAck } from '../../core/poll.ts';
import { addCertificate, addRegistrarUser, listRegistrarCertificates, listRegistrarUsers, removeCertificate, updateRegistrarUser } from '../../core/registrar-access.ts';
import { listContacts, listHosts, listPollMessages } from '../../core/registrar-queries.ts';
import { changeRegistrarPassword, getRegistrar, setRegistrarIpAllowlist } from '../../core/registrars.ts';
import type { Registry } from '../../core/registry.ts';
import { getInvoice, listInvoices } from '../../billing/invoices.ts';
import { NA_ROLES, REGISTRAR_ROLES, type PortalRole, type Principal } from '../auth/principal.ts';
import type { ApiRoute } from './routes.ts';
import { BULK_ACTIONS, bulkDomains, CONTACT_FIELDS, contactData, MAX_BULK, REPRESENTATIVE_FIELDS, type BulkAction } from './registrar-ops.ts';

const WRITERS: PortalRole[] = [...REGISTRAR_ROLES, ...NA_ROLES];
const ADMINS: PortalRole[] = ['registrar_admin', ...NA_ROLES];
const REG_Q = { registrar: { type: 'string', maxLength: 64, description: 'the registrar (National Administrator only; a registrar speaks for itself)' } };
const PAGING = { limit: { type: 'integer', minimum: 1, maximum: 200 }, offset: { type: 'integer', minimum: 0 } };
const HANDLE = { type: 'object', required: ['handle'], properties: { handle: { type: 'string', minLength: 1, maxLength: 64 } } };
const HOST = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } };
const ADDRESSES = { type: 'array', maxItems: 13, items: { type: 'string', maxLength: 45 } };
const CONTACT_PROPS = {
  ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f, { type: 'string', maxLength: 255 }])),
  ...Object.fromEntries(REPRESENTATIVE_FIELDS.map(([f]) => [f, { type: 'string', maxLength: 255, description: "R3.8: the legal entity's director or representative" }])),
  kind: { enum: ['natural', 'legal'] }, street: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 255 } },
};

/** A registrar speaks for itself; the National Administrator names one with ?registrar=. */
export function registrarOf(p: Principal, query: Record<string, string | undefined>): string {
  if (p.registrarId) return p.registrarId;
  if (!query.registrar) throw new RegistryError('required', 'name the registrar: ?registrar=ID', 'R9.1');
  return query.registrar;
}
const bool = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : undefined);

export async function contactOf(reg: Registry, actor: Actor, handle: string) {
  const c = await getContact(reg, handle);
  assertSponsor(actor, c.registrarId, `contact ${handle}`);
  return c;
}
export async function hostOf(reg: Registry, actor: Actor, name: string) {
  const h = await getHost(reg, name);
  assertSponsor(actor, h.registrarId, `host ${h.name}`);
  return h;
}

/** Sets a host's glue addresses to exactly this list (RFC 5732 §3.2.5 add/rem, computed). */
export async function setHostAddresses(reg: Registry, actor: Actor, name: string, addresses: string[]) {
  const h = await hostOf(reg, actor, name);
  const want = [...new Set(addresses.map((a) => a.trim()).filter(Boolean))];
  const add = want.filter((a) => !h.addresses.includes(a));
  const remove = h.addresses.filter((a) => !want.includes(a));
  if (!add.length && !remove.length) return h;
  return updateHost(reg, actor, { name: h.name, addAddresses: add, removeAddresses: remove });
}

export const REGISTRAR_API_ROUTES: ApiRoute[] = [
  {
    method: 'POST', path: '/domains/bulk', roles: WRITERS,
    summary: `One action on up to ${MAX_BULK} domains: renew, add or remove a client status, set the name servers; each domain is its own operation, with one result each`,
    body: { type: 'object', required: ['names', 'action'], additionalProperties: false, properties: {
      names: { type: 'array', minItems: 1, maxItems: MAX_BULK, items: { type: 'string', minLength: 1, maxLength: 253 } },
      action: { enum: [...BULK_ACTIONS] }, periodYears: { type: 'integer', minimum: 1, maximum: 10 }, status: { type: 'string', maxLength: 40 },
      hosts: { type: 'array', maxItems: 13, items: { type: 'string', minLength: 1, maxLength: 253 } },
    } },
    handler: async ({ reg, p, body }) => ({ results: await bulkDomains(reg, p.actor, body.names as string[], body as unknown as BulkAction) }),
  },
  {
    method: 'GET', path: '/contacts', roles: WRITERS, summary: "The registrar's contacts, with search (handle, name, e-mail) and filters",
    query: { type: 'object', properties: { ...REG_Q, ...PAGING, q: { type: 'string', maxLength: 100 }, kind: { enum: ['natural', 'legal'] },
      verification: { enum: ['unverified', 'verified', 'inaccurate'] }, linked: { enum: ['true', 'false'] } } },
    handler: async ({ reg, p, query }) => listContacts(reg, p.actor, registrarOf(p, query), {
      ...(query.q ? { q: query.q } : {}), ...(query.kind ? { kind: query.kind as 'natural' } : {}),
      ...(query.verification ? { verification: query.verification as 'verified' } : {}), ...(bool(query.linked) !== undefined ? { linked: bool(query.linked)! } : {}),
      limit: Number(query.limit ?? 50), offset: Number(query.offset ?? 0),
    }),
  },
  {
    method: 'POST', path: '/contacts', roles: WRITERS, summary: 'Create a contact with the data of R3.7 (natural person) or R3.8 (legal entity)',
    body: { type: 'object', required: ['handle'], additionalProperties: false, properties: { handle: { type: 'string', maxLength: 64 }, ...CONTACT_PROPS,
      registrarId: { type: 'string', maxLength: 64, description: 'the sponsor, when the National Administrator creates it' } } },
    handler: async ({ reg, p, body }) => createContact(reg, p.actor, { ...contactData(body), handle: String(body.handle), ...(body.registrarId ? { registrarId: String(body.registrarId) } : {}) }),
  },
  {
    method: 'GET', path: '/contacts/:handle', roles: WRITERS, summary: 'One contact (its sponsor or the National Administrator)', params: HANDLE,
    handler: async ({ reg, p, params }) => contactOf(reg, p.actor, params.handle!),
  },
  {
    method: 'PUT', path: '/contacts/:handle', roles: WRITERS, summary: 'Change a contact (fields given are set; an empty string clears an optional one)', params: HANDLE,
    body: { type: 'object', additionalProperties: false, properties: CONTACT_PROPS },
    handler: async ({ reg, p, params, body }) => updateContact(reg, p.actor, { handle: params.handle!, set: contactData(body) }),
  },
  {
    method: 'DELETE', path: '/contacts/:handle', roles: WRITERS, summary: 'Delete a contact that nothing links (RFC 5733 §3.2.2)', params: HANDLE,
    handler: async ({ reg, p, params }) => { await deleteContact(reg, p.actor, params.handle!); return { deleted: params.handle }; },
  },
  {
    method: 'GET', path: '/hosts', roles: WRITERS, summary: "The registrar's hosts (name servers), with search and filters",
    query: { type: 'object', properties: { ...REG_Q, ...PAGING, q: { type: 'string', maxLength: 253 }, zone: { enum: ['internal', 'external'] }, linked: { enum: ['true', 'false'] } } },
    handler: async ({ reg, p, query }) => listHosts(reg, p.actor, registrarOf(p, query), {
      ...(query.q ? { q: query.q } : {}), ...(query.zone ? { zone: query.zone as 'internal' } : {}), ...(bool(query.linked) !== undefined ? { linked: bool(query.linked)! } : {}),
      limit: Number(query.limit ?? 50), offset: Number(query.offset ?? 0),
    }),
  },
  {
    method: 'POST', path: '/hosts', roles: WRITERS, summary: 'Create a host; addresses (glue) only for hosts inside the registry (RFC 5732 §3.2.1)',
    body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 253 }, addresses: ADDRESSES,
      registrarId: { type: 'string', maxLength: 64 } } },
    handler: async ({ reg, p, body }) => createHost(reg, p.actor, { name: String(body.name), addresses: (body.addresses as string[] | undefined) ?? [], ...(body.registrarId ? { registrarId: String(body.registrarId) } : {}) }),
  },
  {
    method: 'GET', path: '/hosts/:name', roles: WRITERS, summary: 'One host', params: HOST,
    handler: async ({ reg, p, params }) => hostOf(reg, p.actor, params.name!),
  },
  {
    method: 'PUT', path: '/hosts/:name', roles: WRITERS, summary: "Set a host's addresses to exactly this list", params: HOST,
    body: { type: 'object', required: ['addresses'], additionalProperties: false, properties: { addresses: ADDRESSES } },
    handler: async ({ reg, p, params, body }) => setHostAddresses(reg, p.actor, params.name!, body.addresses as string[]),
  },
  {
    method: 'DELETE', path: '/hosts/:name', roles: WRITERS, summary: 'Delete a host no domain uses (RFC 5732 §3.2.2)', params: HOST,
    handler: async ({ reg, p, params }) => { const h = await hostOf(reg, p.actor, params.name!); await deleteHost(reg, p.actor, h.name); return { deleted: h.name }; },
  },
  {
    method: 'GET', path: '/registrar/invoices', roles: WRITERS, summary: "The registrar's monthly invoices (A4.1)",
    query: { type: 'object', properties: { ...REG_Q, year: { type: 'integer', minimum: 2000, maximum: 2100 } } },
    handler: async ({ reg, p, query }) => (await listInvoices(reg, p.actor, { registrarId: registrarOf(p, query), ...(query.year ? { year: Number(query.year) } : {}) }))
      .map((i) => ({ ...i, content: undefined })),
  },
  {
    method: 'GET', path: '/registrar/invoices/:number', roles: WRITERS, summary: 'One invoice with its lines',
    params: { type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: '^[0-9]{4}-[0-9]{6}$' } } },
    handler: async ({ reg, p, params }) => getInvoice(reg, p.actor, params.number!),
  },
  {
    method: 'GET', path: '/registrar/invoices/:number/pdf', roles: WRITERS, summary: 'One invoice as PDF (application/pdf)',
    params: { type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: '^[0-9]{4}-[0-9]{6}$' } } },
    handler: async ({ reg, p, params, reply }) => {
      const inv = await getInvoice(reg, p.actor, params.number!);
      const { renderInvoicePdf } = await import('../../billing/pdf.ts');
      const pdf = await renderInvoicePdf(inv);
      reply.type('application/pdf').header('content-disposition', `attachment; filename="invoice-${inv.number}.pdf"`);
      return pdf;
    },
  },
  {
    method: 'GET', path: '/registrar/poll', roles: WRITERS, summary: 'Waiting poll messages, oldest first (RFC 5730 §2.9.2.3)',
    query: { type: 'object', properties: { ...REG_Q, limit: { type: 'integer', minimum: 1, maximum: 500 } } },
    handler: async ({ reg, p, query }) => listPollMessages(reg, p.actor, registrarOf(p, query), { limit: Number(query.limit ?? 100) }),
  },
  {
    method: 'POST', path: '/registrar/poll/:id/ack', roles: REGISTRAR_ROLES, summary: 'Acknowledge (dequeue) a poll message', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } },
    handler: async ({ reg, p, params }) => ({ remaining: await pollAck(reg, p.actor, p.registrarId!, Number(params.id)) }),
  },
  {
    method: 'GET', path: '/registrar/epp', roles: WRITERS, summary: "The registrar's EPP access: IP allowlist and registered client certificates",
    query: { type: 'object', properties: REG_Q },
    handler: async ({ reg, p, query }) => {
      const id = registrarOf(p, query);
      const [r, certificates] = await Promise.all([getRegistrar(reg, id), listRegistrarCertificates(reg, p.actor, id)]);
      return { registrarId: id, ipAllowlist: r.ipAllowlist, certificates };
    },
  },
  {
    method: 'PUT', path: '/registrar/epp/password', roles: ['registrar_admin'], summary: 'A new EPP password (RFC 5730 §2.9.1.1 newPW; 8-128 characters, mixed case and a digit)',
    body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: { type: 'string', minLength: 1, maxLength: 128 } } },
    handler: async ({ reg, p, body }) => { await changeRegistrarPassword(reg, p.actor, p.registrarId!, String(body.password)); return { changed: true }; },
  },
  {
    method: 'PUT', path: '/registrar/epp/allowlist', roles: ADMINS, summary: 'The addresses or CIDR blocks EPP sessions may come from; empty allows any (R9.3.8)',
    query: { type: 'object', properties: REG_Q },
    body: { type: 'object', required: ['entries'], additionalProperties: false, properties: { entries: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 50 } } } },
    handler: async ({ reg, p, query, body }) => ({ ipAllowlist: await setRegistrarIpAllowlist(reg, p.actor, registrarOf(p, query), body.entries as string[]) }),
  },
  {
    method: 'POST', path: '/registrar/epp/certificates', roles: ADMINS, summary: 'Register a client certificate (PEM) for EPP login (RFC 5734 §8)',
    query: { type: 'object', properties: REG_Q },
    body: { type: 'object', required: ['pem'], additionalProperties: false, properties: { pem: { type: 'string', minLength: 1, maxLength: 20000 } } },
    handler: async ({ reg, p, query, body }) => addCertificate(reg, p.actor, registrarOf(p, query), String(body.pem)),
  },
  {
    method: 'DELETE', path: '/registrar/epp/certificates/:fingerprint', roles: ADMINS, summary: 'Unregister a client certificate',
    query: { type: 'object', properties: REG_Q },
    params: { type: 'object', required: ['fingerprint'], properties: { fingerprint: { type: 'string', pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$' } } },
    handler: async ({ reg, p, query, params }) => { await removeCertificate(reg, p.actor, registrarOf(p, query), params.fingerprint!); return { removed: params.fingerprint!.toUpperCase() }; },
  },
  {
    method: 'GET', path: '/registrar/users', roles: ADMINS, summary: "The registrar's portal users and their roles",
    query: { type: 'object', properties: REG_Q },
    handler: async ({ reg, p, query }) => listRegistrarUsers(reg, p.actor, registrarOf(p, query)),
  },
  {
    method: 'POST', path: '/registrar/users', roles: ADMINS, summary: 'Add a user of role registrar_admin or registrar_staff',
    query: { type: 'object', properties: REG_Q },
    body: { type: 'object', required: ['email', 'name', 'role', 'password'], additionalProperties: false, properties: {
      email: { type: 'string', maxLength: 254 }, name: { type: 'string', maxLength: 200 }, role: { enum: ['registrar_admin', 'registrar_staff'] }, password: { type: 'string', maxLength: 128 },
    } },
    handler: async ({ reg, p, query, body }) => addRegistrarUser(reg, p.actor, registrarOf(p, query), body as { email: string; name: string; role: string; password: string }),
  },
  {
    method: 'PATCH', path: '/registrar/users/:id', roles: ADMINS, summary: "Change a user's role, name, or whether it may sign in (a deactivated user is signed out)",
    query: { type: 'object', properties: REG_Q },
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } },
    body: { type: 'object', additionalProperties: false, properties: { role: { enum: ['registrar_admin', 'registrar_staff'] }, active: { type: 'boolean' }, name: { type: 'string', maxLength: 200 } } },
    handler: async ({ reg, p, query, params, body }) => updateRegistrarUser(reg, p.actor, registrarOf(p, query), Number(params.id), body),
  },
];
