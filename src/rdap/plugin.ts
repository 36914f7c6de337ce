// RDAP (RFC 7480, 9082, 9083) as a fastify plugin, mounted under /rdap/ by src/server/http.ts.
// Lookups: domain/NAME (A-label or U-label), nameserver/NAME, entity/HANDLE (registrar id or contact handle), help.
// Searches: domains?name=prefix*, nameservers?name=prefix* and ?ip=ADDRESS, paged (RFC 8977 paging_metadata).
// Redaction of natural persons (RFC 9537, R8.8); bearer tokens show full data to the sponsor and the registry.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { resolveApiToken } from '../core/tokens.ts';
import { ANONYMOUS, loadContact, loadDomainRecord, loadHost, loadRegistrar, resolveDomainName, resolveHostName, viewerOf, type Viewer } from './data.ts';
import { RateLimiter, rateLimitFromEnv, type RateLimitOptions } from './rate-limit.ts';
import {
  DB_UPDATE_MARK, RDAP_TYPE, contactEntity, domainObject, domainSummary, link, nameserverObject, registrarEntity,
  type Json, type Redaction, type RenderContext,
} from './render.ts';

export interface RdapOptions {
  reg: Registry;
  /** Per-address limit; default from DOMEN_RDAP_RATE / DOMEN_RDAP_BURST (20/s, burst 60). */
  rateLimit?: RateLimitOptions | false;
  /** Public base URL for links ('https://rdap.nic.az'); default: from the request's Host. */
  baseUrl?: string;
  /** Results per search page (default 50). */
  pageSize?: number;
  /** Seconds that anonymous answers may be cached (default 60). */
  maxAge?: number;
}

const CONFORMANCE = ['rdap_level_0', 'redacted'];
const PAGING_CONFORMANCE = [...CONFORMANCE, 'paging'];

declare module 'fastify' {
  interface FastifyRequest { rdapViewer?: Viewer }
}

class RdapError extends Error {
  constructor(readonly status: number, readonly title: string, message: string, readonly headers: Record<string, string> = {}) { super(message); }
}

const tidy = (s: string) => s.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, 300);

export async function rdapPlugin(app: FastifyInstance, opts: RdapOptions): Promise<void> {
  const { reg } = opts;
  const pageSize = opts.pageSize ?? 50;
  const maxAge = opts.maxAge ?? 60;
  const limiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit ?? rateLimitFromEnv('DOMEN_RDAP', { ratePerSecond: 20, burst: 60 }));

  const baseOf = (req: FastifyRequest): string => {
    if (opts.baseUrl) return opts.baseUrl.replace(/\/+$/, '');
    const host = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.host) ? req.host : 'localhost';
    return `${req.protocol}://${host}`;
  };
  const ctxOf = (req: FastifyRequest): RenderContext => ({ base: baseOf(req), viewer: req.rdapViewer ?? ANONYMOUS, now: reg.clock.now() });

  const notices = (ctx: RenderContext): Json[] => [
    {
      title: 'Terms of Use',
      description: [
        `Registration data of .${reg.profile.tld} domains, published by the registry for lookups of single objects.`,
        'The personal data of natural persons is not published (R8.8, Law "On Personal Data"); it is disclosed to the sponsoring registrar and the National Administrator.',
        'Automated bulk collection is not permitted and is limited per address.',
      ],
      links: [link(ctx, 'help', 'help')],
    },
  ];

  const stamp = (body: string) => body.split(JSON.stringify(DB_UPDATE_MARK)).join(JSON.stringify(new Date(reg.clock.now().getTime()).toISOString().replace(/\.\d{3}Z$/, 'Z')));

  /** The topmost object: conformance and notices here only; ETag over the content, Cache-Control by who asks. */
  function send(req: FastifyRequest, reply: FastifyReply, object: Json, extra: { redacted?: Redaction[]; conformance?: string[]; noticesExtra?: Json[] } = {}) {
    const ctx = ctxOf(req);
    const top: Json = { rdapConformance: extra.conformance ?? CONFORMANCE, ...object, notices: [...notices(ctx), ...(extra.noticesExtra ?? [])] };
    if (extra.redacted?.length) top.redacted = extra.redacted;
    const raw = JSON.stringify(top);
    const etag = `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
    const anonymous = (req.rdapViewer ?? ANONYMOUS).kind === 'anonymous';
    reply.header('etag', etag);
    reply.header('cache-control', anonymous ? `public, max-age=${maxAge}` : 'private, no-store');
    reply.header('vary', 'Authorization');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').map((s) => s.trim()).some((t) => t === etag || t === '*' || t === etag.slice(2))) {
      return reply.code(304).send();
    }
    return reply.code(200).type(RDAP_TYPE).send(stamp(raw));
  }

  function sendError(reply: FastifyReply, status: number, title: string, description: string, headers: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.header('cache-control', 'no-store');
    return reply.code(status).type(RDAP_TYPE).send(JSON.stringify({ rdapConformance: CONFORMANCE, errorCode: status, title, description: [tidy(description)] }));
  }

  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'ETag, Retry-After');
    if (req.method === 'OPTIONS') return;
    if (limiter) {
      const d = limiter.take(req.ip);
      if (!d.allowed) {
        return sendError(reply, 429, 'Too Many Requests', `query rate limit exceeded for ${req.ip}; retry after ${d.retryAfterSeconds} s`,
          { 'retry-after': String(d.retryAfterSeconds) });
      }
    }
  });

  app.addHook('preHandler', async (req, reply) => {
    const auth = req.headers.authorization;
    if (!auth) return;
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i.exec(auth);
    const principal = m ? await resolveApiToken(reg, m[1]!) : null;
    if (!principal) {
      return sendError(reply, 401, 'Unauthorized', 'the bearer token is not valid', { 'www-authenticate': 'Bearer realm="rdap", error="invalid_token"' });
    }
    req.rdapViewer = viewerOf(principal);
  });

  app.setErrorHandler(async (err, _req, reply) => {
    if (err instanceof RdapError) return sendError(reply, err.status, err.title, err.message, err.headers);
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return sendError(reply, 400, 'Bad Request', (err as Error).message);
    app.log.error(err);
    return sendError(reply, 500, 'Internal Server Error', 'the server could not answer this query');
  });

  app.setNotFoundHandler(async (req, reply) => {
    const type = req.url.replace(/^\/rdap\/?/, '').split(/[/?]/)[0] ?? '';
    if (['autnum', 'ip', 'entities'].includes(type)) return sendError(reply, 501, 'Not Implemented', `${type} queries are not supported by this server`);
    return sendError(reply, 400, 'Bad Request', `'${type}' is not an RDAP query type; see ${baseOf(req)}/rdap/help`);
  });

  // CORS preflight (for a browser sending Authorization).
  app.options('/*', async (_req, reply) => {
    reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS');
    reply.header('access-control-allow-headers', 'Authorization, If-None-Match');
    reply.header('access-control-max-age', '86400');
    return reply.code(204).send();
  });

  const param = (req: FastifyRequest) => (req.params as { '*': string })['*'] ?? '';

  app.get('/domain/*', async (req, reply) => {
    const r = await resolveDomainName(reg, param(req));
    if (!r.ok) throw new RdapError(r.status, r.status === 400 ? 'Bad Request' : 'Not Found', r.message);
    const rec = await loadDomainRecord(reg, r.ascii);
    if (!rec) throw new RdapError(404, 'Not Found', `${r.ascii} is not registered`);
    const { object, redacted } = domainObject(ctxOf(req), rec);
    return send(req, reply, object, { redacted });
  });

  app.get('/nameserver/*', async (req, reply) => {
    const name = resolveHostName(param(req));
    if (!name) throw new RdapError(400, 'Bad Request', `'${param(req)}' is not a valid host name`);
    const h = await loadHost(reg, name);
    if (!h) throw new RdapError(404, 'Not Found', `no name server ${name}`);
    const registrar = await loadRegistrar(reg, h.registrarId);
    return send(req, reply, nameserverObject(ctxOf(req), h, registrar ?? undefined));
  });

  app.get('/entity/*', async (req, reply) => {
    const handle = param(req);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(handle)) throw new RdapError(400, 'Bad Request', `'${handle}' is not an entity handle`);
    const ctx = ctxOf(req);
    const registrar = await loadRegistrar(reg, handle);
    if (registrar) return send(req, reply, registrarEntity(ctx, registrar));
    const contact = await loadContact(reg, handle);
    if (!contact) throw new RdapError(404, 'Not Found', `no entity ${handle}`);
    const { object, redacted } = contactEntity(ctx, contact, [], '$');
    return send(req, reply, object, { redacted });
  });

  app.get('/help', async (req, reply) => {
    const ctx = ctxOf(req);
    const help: Json = {
      title: 'About this RDAP service',
      description: [
        `Lookups: ${ctx.base}/rdap/domain/NAME (A-label or U-label), /rdap/nameserver/NAME, /rdap/entity/HANDLE (a registrar id or a contact handle).`,
        `Searches: /rdap/domains?name=PREFIX* and /rdap/nameservers?name=PREFIX* (a trailing * only) or ?ip=ADDRESS; ${pageSize} results per page, with a 'next' link.`,
        'Send "Authorization: Bearer TOKEN" (a registrar or registry token) to see the full data of the objects you may see.',
      ],
      links: [link(ctx, 'self', 'help')],
    };
    return send(req, reply, {}, { noticesExtra: [help] });
  });

  function pageOf(req: FastifyRequest): { cursor: string | null } {
    const c = (req.query as Record<string, string | undefined>).cursor;
    if (!c) return { cursor: null };
    const decoded = Buffer.from(c, 'base64url').toString('utf8');
    if (!decoded || decoded.length > 300) throw new RdapError(400, 'Bad Request', 'the cursor is not valid');
    return { cursor: decoded };
  }

  /** RFC 9082 §4.1 partial match, limited to a trailing '*': the prefix (at least 2 characters), or an exact name. */
  function pattern(raw: string): { prefix: string } | { exact: string } {
    const v = raw.trim().normalize('NFC').toLowerCase();
    if (!v || v.length > 253) throw new RdapError(400, 'Bad Request', 'a search needs a name pattern');
    const star = v.indexOf('*');
    if (star === -1) return { exact: v.replace(/\.$/, '') };
    if (star !== v.length - 1) throw new RdapError(400, 'Bad Request', 'only a trailing * is supported in a search pattern');
    const prefix = v.slice(0, -1);
    if (prefix.length < 2) throw new RdapError(400, 'Bad Request', 'a search pattern needs at least 2 characters before the *');
    return { prefix };
  }

  function pagedResults(req: FastifyRequest, reply: FastifyReply, key: string, results: Json[], more: boolean, lastKey: string | null, search: string) {
    const ctx = ctxOf(req);
    const q = req.query as Record<string, string | undefined>;
    const paging: Json = { pageSize: results.length };
    const noticesExtra: Json[] = [];
    if (more && lastKey) {
      const cursor = Buffer.from(lastKey, 'utf8').toString('base64url');
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (k !== 'cursor' && v !== undefined) params.set(k, v);
      params.set('cursor', cursor);
      const next = { value: `${ctx.base}/rdap/${search}?${params}`, rel: 'next', href: `${ctx.base}/rdap/${search}?${params}`, type: RDAP_TYPE };
      paging.links = [next];
      noticesExtra.push({
        title: 'Search Policy', type: 'result set truncated due to excessive load',
        description: [`At most ${pageSize} results are returned per query; follow the 'next' link for the following page.`], links: [next],
      });
    }
    return send(req, reply, { [key]: results, paging_metadata: paging }, { conformance: PAGING_CONFORMANCE, noticesExtra });
  }

  app.get('/domains', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const unsupported = ['nsLdhName', 'nsIp'].find((k) => q[k] !== undefined);
    if (unsupported) throw new RdapError(501, 'Not Implemented', `domain search by ${unsupported} is not supported`);
    if (q.name === undefined) throw new RdapError(400, 'Bad Request', 'a domain search needs name=PATTERN');
    const p = pattern(q.name);
    const { cursor } = pageOf(req);
    let query = reg.db.selectFrom('domains').select(['id', 'name', 'unicode_name', 'roid', 'statuses', 'created_at', 'expires_at', 'updated_at'])
      .where('deleted_at', 'is', null);
    if ('exact' in p) {
      const r = await resolveDomainName(reg, p.exact);
      query = query.where('name', '=', r.ok ? r.ascii : p.exact);
    } else {
      const like = p.prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
      query = query.where((eb) => eb.or([eb('name', 'like', like), eb('unicode_name', 'like', like)]));
    }
    if (cursor) query = query.where('name', '>', cursor);
    const rows = await query.orderBy('name').limit(pageSize + 1).execute();
    const more = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    const withHosts = page.length
      ? new Set((await reg.db.selectFrom('domain_hosts').select('domain_id').distinct().where('domain_id', 'in', page.map((r) => r.id)).execute()).map((r) => r.domain_id))
      : new Set<number>();
    const ctx = ctxOf(req);
    const results = page.map((r) => domainSummary(ctx, { ...r, hasHosts: withHosts.has(r.id) }));
    return pagedResults(req, reply, 'domainSearchResults', results, more, page.at(-1)?.name ?? null, 'domains');
  });

  app.get('/nameservers', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const { cursor } = pageOf(req);
    let query = reg.db.selectFrom('hosts').selectAll().where('deleted_at', 'is', null);
    if (q.ip !== undefined) {
      const ip = q.ip.trim();
      const family = isIP(ip);
      if (!family) throw new RdapError(400, 'Bad Request', `'${ip}' is not an IP address`);
      const canonical = family === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
      query = query.where(sql<boolean>`addresses @> array[${canonical}]::text[]`);
    } else if (q.name !== undefined) {
      const p = pattern(q.name);
      if ('exact' in p) {
        query = query.where('name', '=', resolveHostName(p.exact) ?? p.exact);
      } else {
        query = query.where('name', 'like', p.prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
      }
    } else {
      throw new RdapError(400, 'Bad Request', 'a name server search needs name=PATTERN or ip=ADDRESS');
    }
    if (cursor) query = query.where('name', '>', cursor);
    const rows = await query.orderBy('name').limit(pageSize + 1).execute();
    const more = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    const ctx = ctxOf(req);
    const results = page.map((h) => nameserverObject(ctx, {
      name: h.name, roid: h.roid, registrarId: h.registrar_id, addresses: h.addresses, statuses: h.statuses.length ? h.statuses : ['ok'],
      superordinateDomain: null, createdAt: h.created_at, createdBy: h.created_by, updatedAt: h.updated_at, updatedBy: h.updated_by,
    }));
    return pagedResults(req, reply, 'nameserverSearchResults', results, more, page.at(-1)?.name ?? null, 'nameservers');
  });
}
