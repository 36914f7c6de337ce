// The JSON API of the National Administrator's console (the descriptors join API_ROUTES in ./routes.ts, so they
// are validated, role-checked and published in /api/openapi.json like the others): policy lists and zones,
// accreditation and registrar measures (R9), disputes (R4.6), abuse reports (AZ-CERT), the audit log and the
// statistics. NA staff write; the ministry reads; the statistics (aggregate counts) and abuse intake are public.
import { publicReportAllowed } from '../report-limit.ts';
import { ABUSE_CATEGORIES, closeAbuse, getAbuse, listAbuse, noticeAbuse, publicReporter, referAbuse, reportAbuse, SEVERITIES, suspendForAbuse, triageAbuse } from '../../core/abuse.ts';
import { accredit, fileAccreditation, getAccreditation, listAccreditations, refuseAccreditation, REQUIREMENTS, setChecklistItem, setRegistrarStatus } from '../../core/accreditation.ts';
import { dismissDispute, listDisputes, openDispute, transferToComplainant } from '../../core/disputes.ts';
import { terminateRegistrar } from '../../core/lifecycle/registrar-termination.ts';
import { MANUAL_GROUNDS } from '../../core/lifecycle/suspensions.ts';
import { addListEntry, LIST_NAMES, parseListName, removeListEntry, showList } from '../../core/policy-lists.ts';
import { registryStatistics } from '../../core/statistics.ts';
import { addZone, listZones, setZone } from '../../core/zones.ts';
import { listAudit } from '../../audit/log.ts';
import { verifyChain } from '../../audit/verify.ts';
import type { MatchMode } from '../../policy/types.ts';
import { NA_ROLES, type PortalRole, type Principal } from '../auth/principal.ts';
import type { ApiRoute } from './routes.ts';

const READERS: PortalRole[] = [...NA_ROLES, 'ministry'];
const ID = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } };
const REGISTRAR = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 3, maxLength: 16 } } };
const LIST = { type: 'object', required: ['list'], properties: { list: { enum: LIST_NAMES } } };
const text = (max: number, min = 0) => ({ type: 'string', maxLength: max, ...(min ? { minLength: min } : {}) });
const NOTE = { type: 'object', required: ['note'], additionalProperties: false, properties: { note: text(2000, 1) } };
const STAMP = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?$' };
const actorOf = (p: Principal | null) => p!.actor;
const toDate = (s: string) => new Date(/T/.test(s) ? (s.endsWith('Z') ? s : `${s}Z`) : `${s}T00:00:00Z`);

export const ADMIN_API_ROUTES: ApiRoute[] = [
  {
    method: 'GET', path: '/statistics', roles: 'public', summary: 'Registry statistics: domains by zone per month end, creates/renewals/deletions per month, registrar shares, IDN and DNSSEC shares',
    query: { type: 'object', properties: { months: { type: 'integer', minimum: 1, maximum: 120 } } },
    handler: async ({ reg, query }) => registryStatistics(reg, { months: Number(query.months ?? 12) }),
  },
  {
    method: 'GET', path: '/lists/:list', roles: READERS, summary: 'A policy list: Stop-list (R4.3), reserved (R4.9), consent lists (R4.2, R4.8), grandfathered (R4.13)', params: LIST,
    handler: async ({ reg, params }) => showList(reg, parseListName(params.list!)),
  },
  {
    method: 'POST', path: '/lists/:list', roles: NA_ROLES, summary: 'Add a word to a policy list (takes effect at once on every node)', params: LIST,
    body: { type: 'object', required: ['word'], additionalProperties: false, properties: { word: text(253, 1), match: { enum: ['exact', 'word', 'substring'] }, note: text(500) } },
    handler: async ({ reg, p, params, body }) => addListEntry(reg, actorOf(p), parseListName(params.list!), body.word as string, (body.match ?? 'exact') as MatchMode, (body.note as string | undefined) ?? null),
  },
  {
    method: 'POST', path: '/lists/:list/remove', roles: NA_ROLES, summary: 'Remove a word from a policy list', params: LIST,
    body: { type: 'object', required: ['word'], additionalProperties: false, properties: { word: text(253, 1) } },
    handler: async ({ reg, p, params, body }) => { await removeListEntry(reg, actorOf(p), parseListName(params.list!), body.word as string); return { removed: true }; },
  },
  { method: 'GET', path: '/zones', roles: READERS, summary: 'The zones (R2.2, R4.11) with their restriction (R3.2) and live domain counts', handler: async ({ reg }) => listZones(reg) },
  {
    method: 'POST', path: '/zones', roles: NA_ROLES, summary: 'Add a second-level zone under the TLD (R4.11)',
    body: { type: 'object', required: ['label'], additionalProperties: false, properties: { label: text(63, 1), restricted: { type: 'boolean' } } },
    handler: async ({ reg, p, body }) => addZone(reg, actorOf(p), body.label as string, body.restricted === true),
  },
  {
    method: 'PUT', path: '/zones/:zone', roles: NA_ROLES, summary: 'Restrict or open a zone (R3.2); withdraw it from new registrations or put it back',
    params: { type: 'object', required: ['zone'], properties: { zone: text(253, 1) } },
    body: { type: 'object', additionalProperties: false, properties: { restricted: { type: 'boolean' }, active: { type: 'boolean' } } },
    handler: async ({ reg, p, params, body }) => setZone(reg, actorOf(p), params.zone!, {
      ...(typeof body.restricted === 'boolean' ? { restricted: body.restricted } : {}), ...(typeof body.active === 'boolean' ? { active: body.active } : {}),
    }),
  },
  {
    method: 'GET', path: '/accreditations', roles: READERS, summary: 'Applications for accreditation (R9.1) with their R9.3 checklist and R9.2 due date',
    query: { type: 'object', properties: { status: { enum: ['pending', 'accredited', 'refused'] } } },
    handler: async ({ reg, query }) => listAccreditations(reg, query.status ? { status: query.status } : {}),
  },
  { method: 'GET', path: '/accreditations/:id', roles: READERS, summary: 'One application for accreditation', params: ID, handler: async ({ reg, params }) => getAccreditation(reg, Number(params.id)) },
  {
    method: 'POST', path: '/accreditations', roles: NA_ROLES, summary: 'Record an application for accreditation (R9.1); the 20 working days of R9.2 start',
    body: { type: 'object', required: ['registrarId', 'name', 'email'], additionalProperties: false, properties: {
      registrarId: text(16, 3), name: text(255, 1), email: text(254, 3), legalForm: text(100), phone: text(20), address: text(500), url: text(255),
    } },
    handler: async ({ reg, p, body }) => fileAccreditation(reg, actorOf(p), body as unknown as Parameters<typeof fileAccreditation>[2]),
  },
  {
    method: 'PUT', path: '/accreditations/:id/checklist/:item', roles: NA_ROLES, summary: 'Record the check of one requirement of R9.3',
    params: { type: 'object', required: ['id', 'item'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' }, item: { enum: Object.keys(REQUIREMENTS) } } },
    body: { type: 'object', required: ['state'], additionalProperties: false, properties: { state: { enum: ['pending', 'met', 'not_met'] }, note: text(500) } },
    handler: async ({ reg, p, params, body }) => setChecklistItem(reg, actorOf(p), Number(params.id), params.item!, body.state as string, (body.note as string | undefined) ?? null),
  },
  {
    method: 'POST', path: '/accreditations/:id/accredit', roles: NA_ROLES, summary: 'Accredit (R9.4): the registrar becomes active; the EPP password is in the answer, once', params: ID,
    body: { type: 'object', additionalProperties: false, properties: { note: text(2000) } },
    handler: async ({ reg, p, params, body }) => accredit(reg, actorOf(p), Number(params.id), (body.note as string | undefined) ?? null),
  },
  {
    method: 'POST', path: '/accreditations/:id/refuse', roles: NA_ROLES, summary: 'Refuse accreditation with a ground (R9.2)', params: ID,
    body: { type: 'object', required: ['ground'], additionalProperties: false, properties: { ground: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => refuseAccreditation(reg, actorOf(p), Number(params.id), body.ground as string),
  },
  {
    method: 'POST', path: '/registrars/:id/suspend', roles: NA_ROLES, summary: 'Suspend a registrar (R9.8): no EPP login, no new registrations', params: REGISTRAR,
    body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => setRegistrarStatus(reg, actorOf(p), params.id!, 'suspended', body.reason as string),
  },
  {
    method: 'POST', path: '/registrars/:id/reinstate', roles: NA_ROLES, summary: 'Reinstate a suspended registrar', params: REGISTRAR,
    body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => setRegistrarStatus(reg, actorOf(p), params.id!, 'active', body.reason as string),
  },
  {
    method: 'POST', path: '/registrars/:id/terminate', roles: NA_ROLES, summary: "Terminate a registrar (R9.8): all its domains move to a registrar that consents", params: REGISTRAR,
    body: { type: 'object', required: ['successor', 'consent', 'reason'], additionalProperties: false, properties: { successor: text(16, 3), consent: text(500, 1), reason: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => terminateRegistrar(reg, actorOf(p), { registrarId: params.id!, successorId: body.successor as string, consent: body.consent as string, reason: body.reason as string }),
  },
  {
    method: 'GET', path: '/disputes', roles: READERS, summary: 'Disputes (R4.6), newest first',
    query: { type: 'object', properties: { status: { enum: ['open', 'dismissed', 'transferred'] } } },
    handler: async ({ reg, query }) => listDisputes(reg, query.status ? { status: query.status } : {}),
  },
  {
    method: 'POST', path: '/disputes', roles: NA_ROLES, summary: 'Open a dispute: the domain is locked (serverTransfer/Update/DeleteProhibited) until it is decided',
    body: { type: 'object', required: ['name', 'complainant', 'claim'], additionalProperties: false, properties: { name: text(253, 1), complainant: text(64, 1), claim: text(4000, 1), reference: text(500) } },
    handler: async ({ reg, p, body }) => openDispute(reg, actorOf(p), body as unknown as Parameters<typeof openDispute>[2]),
  },
  {
    method: 'POST', path: '/disputes/:id/dismiss', roles: NA_ROLES, summary: 'Dismiss a dispute: the locks it added are removed', params: ID, body: NOTE,
    handler: async ({ reg, p, params, body }) => dismissDispute(reg, actorOf(p), Number(params.id), body.note as string),
  },
  {
    method: 'POST', path: '/disputes/:id/transfer', roles: NA_ROLES, summary: 'Decide for the complainant: the name goes to them, then is unlocked', params: ID, body: NOTE,
    handler: async ({ reg, p, params, body }) => transferToComplainant(reg, actorOf(p), Number(params.id), body.note as string),
  },
  {
    method: 'GET', path: '/abuse', roles: READERS, summary: 'Abuse and incident reports, newest first',
    query: { type: 'object', properties: { status: { enum: ['new', 'triaged', 'notified', 'referred', 'closed'] } } },
    handler: async ({ reg, query }) => listAbuse(reg, query.status ? { status: query.status } : {}),
  },
  { method: 'GET', path: '/abuse/:id', roles: READERS, summary: 'One abuse report', params: ID, handler: async ({ reg, params }) => getAbuse(reg, Number(params.id)) },
  {
    method: 'POST', path: '/abuse', roles: 'public', summary: 'Report abuse of a domain name (anyone; AZ-CERT intake)',
    body: { type: 'object', required: ['name', 'category', 'description'], additionalProperties: false, properties: {
      name: text(253, 1), category: { enum: ABUSE_CATEGORIES }, description: text(8000, 10), reporterName: text(200), reporterEmail: text(254),
    } },
    handler: async ({ reg, p, body, req, reply }) => {
      if (!p) {
        const d = publicReportAllowed(reg, req.ip);
        if (!d.allowed) {
          reply.code(429).header('retry-after', String(d.retryAfterSeconds));
          return { error: 'rateLimited', message: `too many reports from this address; try again in ${d.retryAfterSeconds} s` };
        }
      }
      return reportAbuse(reg, (p as Principal | null)?.actor ?? publicReporter, {
      name: body.name as string, category: body.category as string, description: body.description as string,
      reporterName: (body.reporterName as string | undefined) ?? null, reporterEmail: (body.reporterEmail as string | undefined) ?? null, source: 'api',
      });
    },
  },
  {
    method: 'POST', path: '/abuse/:id/triage', roles: NA_ROLES, summary: 'Triage a report with a severity', params: ID,
    body: { type: 'object', required: ['severity'], additionalProperties: false, properties: { severity: { enum: SEVERITIES } } },
    handler: async ({ reg, p, params, body }) => triageAbuse(reg, actorOf(p), Number(params.id), body.severity as string),
  },
  {
    method: 'POST', path: '/abuse/:id/notify', roles: NA_ROLES, summary: 'Tell the registrar (e-mail, poll) and the owner (e-mail, inbox) about the report', params: ID,
    handler: async ({ reg, p, params }) => noticeAbuse(reg, actorOf(p), Number(params.id)),
  },
  {
    method: 'POST', path: '/abuse/:id/refer', roles: NA_ROLES, summary: 'Record the referral to a competent body', params: ID,
    body: { type: 'object', required: ['referral'], additionalProperties: false, properties: { referral: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => referAbuse(reg, actorOf(p), Number(params.id), body.referral as string),
  },
  {
    method: 'POST', path: '/abuse/:id/suspend', roles: NA_ROLES, summary: 'Suspend the reported name on a ground of R7.4 (never on a report alone)', params: ID,
    body: { type: 'object', required: ['ground', 'note'], additionalProperties: false, properties: { ground: { enum: MANUAL_GROUNDS }, note: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => suspendForAbuse(reg, actorOf(p), Number(params.id), body.ground as string, body.note as string),
  },
  {
    method: 'POST', path: '/abuse/:id/close', roles: NA_ROLES, summary: 'Close a report with its resolution', params: ID,
    body: { type: 'object', required: ['resolution'], additionalProperties: false, properties: { resolution: text(2000, 1) } },
    handler: async ({ reg, p, params, body }) => closeAbuse(reg, actorOf(p), Number(params.id), body.resolution as string),
  },
  {
    method: 'GET', path: '/audit', roles: NA_ROLES, summary: 'Audit entries filtered by object (type and id), actor and time; the newest `limit`, oldest first',
    query: { type: 'object', properties: { objectType: text(40), objectId: text(300), actor: text(200), since: STAMP, until: STAMP, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
    handler: async ({ reg, query }) => listAudit(reg.db, {
      ...(query.objectType ? { objectType: query.objectType } : {}), ...(query.objectId ? { objectId: query.objectId } : {}), ...(query.actor ? { actorId: query.actor } : {}),
      ...(query.since ? { since: toDate(query.since) } : {}), ...(query.until ? { until: toDate(query.until) } : {}), limit: Number(query.limit ?? 200),
    }),
  },
  { method: 'GET', path: '/audit/verify', roles: NA_ROLES, summary: 'Verify the whole audit hash chain (and its anchors)', handler: async ({ reg }) => verifyChain(reg.db) },
];
