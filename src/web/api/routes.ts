// The JSON API under /api: every route is one descriptor (method, path, roles, JSON schemas, handler), which is
// both what fastify validates against and what /api/openapi.json (OpenAPI 3.1) publishes. Writes call the same
// core operations as EPP. Sessions (cookie + X-CSRF-Token) or API tokens (Authorization: Bearer) authenticate.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { approveApplication, getApplication, refuseApplication, reviewQueue, REFUSAL_GROUNDS } from '../../core/applications.ts';
import { createDomain } from '../../core/domains/create.ts';
import { RegistryError } from '../../core/errors.ts';
import { domainSuspensions, MANUAL_GROUNDS, suspendDomain, unsuspendDomain } from '../../core/lifecycle/suspensions.ts';
import type { Registry } from '../../core/registry.ts';
import { getBalance } from '../../billing/accounts.ts';
import { statement } from '../../billing/statement.ts';
import { ALL_ROLES, NA_ROLES, REGISTRAR_ROLES, type ApiRole, type PortalRole, type Principal } from '../auth/principal.ts';
import type { AccountOptions } from '../pages/account.ts';
import { listDomains, renew, setNameServers, viewDomain } from './operations.ts';
import { REGISTRAR_API_ROUTES } from './registrar-routes.ts';
import { ADMIN_API_ROUTES } from './admin-routes.ts';
import { DOCUMENT_API_ROUTES } from './document-routes.ts';
import { ACCOUNT_API_ROUTES } from './account-routes.ts';

type Json = Record<string, unknown>;
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; roles: ApiRole[] | 'public'; summary: string;
  params?: Json; query?: Json; body?: Json;
  /** A larger request body than the server's default (1 MiB), for uploads. */
  bodyLimit?: number;
  handler(ctx: { reg: Registry; account: AccountOptions; p: Principal; params: Record<string, string>; query: Record<string, string | undefined>; body: Json; req: FastifyRequest; reply: FastifyReply }): Promise<unknown>;
}

const NAME = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } };
const ID = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } };
const DATE = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const GROUNDS = Object.keys(REFUSAL_GROUNDS);
const NA_AND_MINISTRY: PortalRole[] = [...NA_ROLES, 'ministry'];
const WRITERS: PortalRole[] = [...REGISTRAR_ROLES, ...NA_ROLES];

/** A registrar speaks for itself; the National Administrator names one with ?registrar=. */
function registrarOf(p: Principal, query: Record<string, string | undefined>): string {
  if (p.registrarId) return p.registrarId;
  if (!query.registrar) throw new RegistryError('required', 'name the registrar: ?registrar=ID', 'R9.1');
  return query.registrar;
}

export const API_ROUTES: ApiRoute[] = [
  {
    method: 'GET', path: '/session', roles: ALL_ROLES, summary: 'Who is signed in, and the CSRF token that writes must carry in X-CSRF-Token',
    handler: async ({ p, req }) => ({ role: p.role, userId: p.userId, registrarId: p.registrarId, via: p.via, csrfToken: req.portal.session?.csrfToken ?? null,
      user: req.portal.session ? { email: req.portal.session.user.email, name: req.portal.session.user.name } : null }),
  },
  {
    method: 'GET', path: '/domains', roles: WRITERS, summary: 'Live domains (a registrar: its own), with search and filters',
    query: { type: 'object', properties: {
      q: { type: 'string', maxLength: 253 }, status: { type: 'string', maxLength: 40 }, expiresBefore: DATE, registrar: { type: 'string', maxLength: 64 },
      limit: { type: 'integer', minimum: 1, maximum: 200 }, offset: { type: 'integer', minimum: 0 },
    } },
    handler: async ({ reg, p, query }) => listDomains(reg, p.actor, {
      ...(query.q ? { q: query.q } : {}), ...(query.status ? { status: query.status } : {}), ...(query.expiresBefore ? { expiresBefore: query.expiresBefore } : {}),
      ...(query.registrar ? { registrarId: query.registrar } : {}), limit: Number(query.limit ?? 50), offset: Number(query.offset ?? 0),
    }),
  },
  {
    method: 'POST', path: '/domains', roles: WRITERS, summary: 'Register a domain (or file an application where review is needed, R3.12)',
    body: { type: 'object', required: ['name', 'registrant'], additionalProperties: false, properties: {
      name: { type: 'string', maxLength: 253 }, registrant: { type: 'string', maxLength: 64 }, periodYears: { type: 'integer', minimum: 1, maximum: 10 },
      hosts: { type: 'array', maxItems: 13, items: { type: 'string', maxLength: 253 } },
      contacts: { type: 'array', maxItems: 9, items: { type: 'object', required: ['type', 'handle'], properties: { type: { enum: ['admin', 'tech', 'billing'] }, handle: { type: 'string' } } } },
      registrarId: { type: 'string', description: 'the sponsor, when the National Administrator registers for a registrar' },
    } },
    handler: async ({ reg, p, body }) => createDomain(reg, p.actor, body as unknown as Parameters<typeof createDomain>[2]),
  },
  {
    method: 'GET', path: '/domains/:name', roles: WRITERS, summary: 'One domain: status, expiry, contacts, name servers, DS', params: NAME,
    handler: async ({ reg, p, params }) => viewDomain(reg, p.actor, params.name!),
  },
  {
    method: 'POST', path: '/domains/:name/renew', roles: WRITERS, summary: 'Renew (R6.1); charged to the sponsor', params: NAME,
    body: { type: 'object', additionalProperties: false, properties: { periodYears: { type: 'integer', minimum: 1, maximum: 10 }, currentExpiryDate: DATE } },
    handler: async ({ reg, p, params, body }) => renew(reg, p.actor, params.name!, Number(body.periodYears ?? 1), body.currentExpiryDate as string | undefined),
  },
  {
    method: 'PUT', path: '/domains/:name/nameservers', roles: WRITERS, summary: 'Set the name servers to exactly this list', params: NAME,
    body: { type: 'object', required: ['hosts'], additionalProperties: false, properties: { hosts: { type: 'array', maxItems: 13, items: { type: 'string', minLength: 1, maxLength: 253 } } } },
    handler: async ({ reg, p, params, body }) => setNameServers(reg, p.actor, params.name!, body.hosts as string[]),
  },
  {
    method: 'GET', path: '/domains/:name/suspensions', roles: NA_AND_MINISTRY, summary: 'Suspensions of a domain, newest first (R7.4, R7.6)', params: NAME,
    handler: async ({ reg, params }) => domainSuspensions(reg, params.name!),
  },
  {
    method: 'POST', path: '/domains/:name/suspend', roles: NA_ROLES, summary: 'Suspend on a ground of R7.4', params: NAME,
    body: { type: 'object', required: ['ground'], additionalProperties: false, properties: { ground: { enum: MANUAL_GROUNDS }, note: { type: 'string', maxLength: 2000 } } },
    handler: async ({ reg, p, params, body }) => suspendDomain(reg, p.actor, params.name!, body.ground as string, body.note as string | undefined),
  },
  {
    method: 'POST', path: '/domains/:name/unsuspend', roles: NA_ROLES, summary: 'Lift the suspension on a ground once its cause is gone (R7.6)', params: NAME,
    body: { type: 'object', required: ['ground', 'reason'], additionalProperties: false, properties: { ground: { enum: MANUAL_GROUNDS }, reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
    handler: async ({ reg, p, params, body }) => unsuspendDomain(reg, p.actor, params.name!, body.ground as string, body.reason as string),
  },
  {
    method: 'GET', path: '/applications', roles: [...NA_AND_MINISTRY, ...REGISTRAR_ROLES], summary: 'Pending applications, oldest first, each with its due date (R3.12); a registrar sees its own',
    query: { type: 'object', properties: { registrar: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 500 } } },
    handler: async ({ reg, p, query }) => reviewQueue(reg, p.actor, { ...(query.registrar ? { registrarId: query.registrar } : {}), limit: Number(query.limit ?? 100) }),
  },
  {
    method: 'GET', path: '/applications/:id', roles: [...NA_AND_MINISTRY, ...REGISTRAR_ROLES], summary: 'One application', params: ID,
    handler: async ({ reg, p, params }) => getApplication(reg, p.actor, Number(params.id)),
  },
  {
    method: 'POST', path: '/applications/:id/approve', roles: NA_ROLES, summary: 'Approve: the domain is registered (R3.12, R3.14)', params: ID,
    body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } },
    handler: async ({ reg, p, params, body }) => approveApplication(reg, p.actor, Number(params.id), body.note as string | undefined),
  },
  {
    method: 'POST', path: '/applications/:id/refuse', roles: NA_ROLES, summary: 'Refuse on a ground of R5.1', params: ID,
    body: { type: 'object', required: ['ground'], additionalProperties: false, properties: { ground: { enum: GROUNDS }, note: { type: 'string', maxLength: 2000 } } },
    handler: async ({ reg, p, params, body }) => refuseApplication(reg, p.actor, Number(params.id), body.ground as string, body.note as string | undefined),
  },
  {
    method: 'GET', path: '/registrar/balance', roles: [...REGISTRAR_ROLES, ...NA_ROLES], summary: "The registrar's balance (the National Administrator names one with ?registrar=)",
    query: { type: 'object', properties: { registrar: { type: 'string', maxLength: 64 } } },
    handler: async ({ reg, p, query }) => getBalance(reg, p.actor, registrarOf(p, query)),
  },
  {
    method: 'GET', path: '/registrar/statement', roles: [...REGISTRAR_ROLES, ...NA_ROLES], summary: 'The statement of a period [from, to)',
    query: { type: 'object', properties: { registrar: { type: 'string', maxLength: 64 }, from: DATE, to: DATE } },
    handler: async ({ reg, p, query }) => statement(reg, p.actor, registrarOf(p, query), {
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : null, to: query.to ? new Date(`${query.to}T00:00:00Z`) : null,
    }),
  },
  // The registrar portal's contacts, hosts, bulk actions, invoices, poll, EPP access and users (registrar-routes.ts).
  ...REGISTRAR_API_ROUTES,
  // The National Administrator's console: lists, zones, accreditation, disputes, abuse, audit, statistics (admin-routes.ts).
  ...ADMIN_API_ROUTES,
  // Documents of applications under review: consents and decisions (document-routes.ts).
  ...DOCUMENT_API_ROUTES,
  // The registrant's own account, domains, orders and inbox, the only routes of the role 'registrant' (account-routes.ts).
  ...ACCOUNT_API_ROUTES,
];

const ERROR = { type: 'object', required: ['error', 'message'], properties: {
  error: { type: 'string' }, code: { type: 'integer', description: 'the EPP result code of the same failure' }, message: { type: 'string' },
  clause: { type: 'string' }, reasons: { type: 'array' },
} };

/** OpenAPI 3.1 from the descriptors. */
export function openApi(tld: string): Json {
  const paths: Record<string, Json> = {};
  for (const r of API_ROUTES) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...Object.entries((r.params?.properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries((r.query?.properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    const roles = r.roles === 'public' ? [] : r.roles;
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        summary: r.summary, 'x-roles': roles,
        ...(parameters.length ? { parameters } : {}),
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
        ...(r.roles === 'public' ? { security: [] } : {}),
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
          ...(r.roles === 'public' ? {} : { 401: { $ref: '#/components/responses/Error' }, 403: { $ref: '#/components/responses/Error' } }),
          400: { $ref: '#/components/responses/Error' },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `domen: the .${tld} registry API`, version: '1', description: 'Writes with a session cookie must carry the session\'s CSRF token in X-CSRF-Token (GET /api/session gives it). Errors carry the EPP code and the clause enforced.' },
    servers: [{ url: '/api' }],
    security: [{ session: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'domen_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'a token of `domen token create`' },
      },
      schemas: { Error: ERROR },
      responses: { Error: { description: 'A failure', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
    paths,
  };
}

export async function apiRoutes(app: FastifyInstance, opts: { reg: Registry; account?: AccountOptions }): Promise<void> {
  const { reg } = opts;
  const account = opts.account ?? {};
  app.get('/openapi.json', { config: { roles: 'public' } }, async () => openApi(reg.profile.tld));
  for (const r of API_ROUTES) {
    const handler: RouteHandlerMethod = async (req, reply) => {
      const result = await r.handler({
        reg, account, p: req.portal.principal!, req, reply,
        params: req.params as Record<string, string>, query: req.query as Record<string, string | undefined>, body: (req.body ?? {}) as Json,
      });
      reply.header('cache-control', 'no-store');
      return result;
    };
    app.route({
      method: r.method, url: r.path, config: { roles: r.roles }, handler, ...(r.bodyLimit ? { bodyLimit: r.bodyLimit } : {}),
      schema: { ...(r.params ? { params: r.params } : {}), ...(r.query ? { querystring: r.query } : {}), ...(r.body ? { body: r.body } : {}) },
    });
  }
  app.setNotFoundHandler(async (req, reply) => reply.code(404).send({ error: 'notFound', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
}
