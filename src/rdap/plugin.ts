// RDAP (RFC 7480, 9082, 9083) as a fastify plugin, mounted under /rdap/ by src/server/http.ts.
// Lookups: domain/NAME (A-label or U-label), nameserver/NAME, entity/HANDLE (registrar id or contact handle), help.
// Searches: domains?name=prefix*, nameservers?name=prefix* and ?ip=ADDRESS, paged (RFC 8977 paging_metadata).
// Redaction of natural persons (RFC 9537, R8.8); bearer tokens show full data to the sponsor and the registry.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { resolveApiToken } from '../core/tokens.ts';
import { contactView } from '../core/contacts.ts';
import { searchEntities } from './entity-search.ts';
import { ANY_DOMAIN, AnswerCache, type AnswerCacheOptions, type CachedAnswer } from './cache.ts';
import { ANONYMOUS, loadContact, loadDomainRecord, loadHost, loadRegistrar, resolveDomainName, resolveHostName, viewerOf, type Viewer } from './data.ts';
import { RateLimiter, rdapRateFromEnv, type RateLimitOptions } from './rate-limit.ts';
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
  /** The in-process cache of anonymous answers, kept correct from the outbox (src/rdap/cache.ts); false: none. */
  cache?: AnswerCacheOptions | false;
  /** Where to hand the handler of anonymous cache hits that runs in front of fastify (src/server/http.ts). */
  fastPath?: RdapFastPath;
}

/** Answers a request on its own (true), or leaves it to fastify (false) without having touched it. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The server's side of the fast path. Only for a server that takes the client's address, host and protocol from
 * the socket and the Host header (no trustProxy): the fast path reads them there, as fastify does then.
 */
export interface RdapFastPath {
  /** Headers the server's onSend hook adds to every answer: the fast path, which skips the hooks, adds them itself. */
  serverHeaders: Readonly<Record<string, string>>;
  /** Called with the handler once the cache runs, and with null when the server starts closing. */
  install(handler: RawHandler | null): void;
}

/** RFC 7480 §5.6: on every answer, errors included. */
const CORS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag, Retry-After' };

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
  const limiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit ?? rdapRateFromEnv());

  const fixedBase = opts.baseUrl?.replace(/\/+$/, '');
  const baseFrom = (protocol: string, host: string): string => {
    if (fixedBase) return fixedBase;
    return `${protocol}://${/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? host : 'localhost'}`;
  };
  const baseOf = (req: FastifyRequest): string => baseFrom(req.protocol, req.host);
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

  const cache = opts.cache === false ? null : new AnswerCache(reg, opts.cache);
  if (cache) {
    await cache.start();
    app.addHook('onClose', async () => { await cache.stop(); });
  }
  const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const MARK = JSON.stringify(DB_UPDATE_MARK);

  /** An answer ready to send: the topmost object with conformance and notices here only, its ETag over the content. */
  function prepare(req: FastifyRequest, object: Json, extra: { redacted?: Redaction[]; conformance?: string[]; noticesExtra?: Json[] } = {}, deps: string[] = []): Omit<CachedAnswer, 'expiresAt'> {
    const ctx = ctxOf(req);
    const top: Json = { rdapConformance: extra.conformance ?? CONFORMANCE, ...object, notices: [...notices(ctx), ...(extra.noticesExtra ?? [])] };
    if (extra.redacted?.length) top.redacted = extra.redacted;
    const raw = JSON.stringify(top);
    // The 'last update of RDAP database' time is left out of the ETag: it is not the content.
    const etag = `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
    const at = raw.indexOf(MARK);
    const parts: CachedAnswer['parts'] = at === -1 ? [raw] : [raw.slice(0, at), raw.slice(at + MARK.length)];
    return { etag, parts, deps };
  }

  // What an answer looks like on the wire, in one place for fastify's routes and for the fast path in front of them.

  /** Cache-Control by who asks; the ETag. */
  const answerHeaders = (a: Omit<CachedAnswer, 'expiresAt'>, anonymous: boolean): Record<string, string> => ({
    etag: a.etag, 'cache-control': anonymous ? `public, max-age=${maxAge}` : 'private, no-store', vary: 'Authorization',
  });

  /** If-None-Match (RFC 9110 §13.1.2, weak comparison) -> 304. */
  const notModified = (inm: string | undefined, etag: string): boolean =>
    !!inm && inm.split(',').map((s) => s.trim()).some((t) => t === etag || t === '*' || t === etag.slice(2));

  /** The body, built once per answer and stamp second. */
  function bodyOf(a: Omit<CachedAnswer, 'expiresAt'>): Buffer {
    if (a.parts.length === 1) return (a.body ??= Buffer.from(a.parts[0]));
    // How fresh the data is: the last outbox read (with the cache), else now. Always 20 ASCII characters, so it is
    // written over the previous one in the same bytes: no new body per second (a 6 kB buffer per request costs
    // more than the rest of a cache hit). An answer still queued on a slow socket may go out one second newer.
    const stamp = isoSeconds(cache ? cache.freshAt : reg.clock.now());
    if (!a.body) {
      const pre = Buffer.from(a.parts[0] + '"');
      a.body = Buffer.concat([pre, Buffer.from(stamp, 'latin1'), Buffer.from('"' + a.parts[1])]);
      a.stampOffset = pre.length;
    } else if (a.stampedAt !== stamp) {
      a.body.write(stamp, a.stampOffset!, 'latin1');
    }
    a.stampedAt = stamp;
    return a.body;
  }

  const errorHeaders = (extra: Record<string, string>): Record<string, string> => ({ ...extra, 'cache-control': 'no-store' });
  // Bytes, as answers are: fastify would add '; charset=utf-8' to the media type of a string.
  const errorBody = (status: number, title: string, description: string): Buffer =>
    Buffer.from(JSON.stringify({ rdapConformance: CONFORMANCE, errorCode: status, title, description: [tidy(description)] }));

  /** The per-address limit: null while the address is within it, else what the 429 says. */
  function overLimit(ip: string): { description: string; headers: Record<string, string> } | null {
    const d = limiter?.take(ip);
    if (!d || d.allowed) return null;
    return { description: `query rate limit exceeded for ${ip}; retry after ${d.retryAfterSeconds} s`, headers: { 'retry-after': String(d.retryAfterSeconds) } };
  }

  function deliver(req: FastifyRequest, reply: FastifyReply, a: Omit<CachedAnswer, 'expiresAt'>, anonymous: boolean) {
    reply.headers(answerHeaders(a, anonymous));
    if (notModified(req.headers['if-none-match'], a.etag)) return reply.code(304).send();
    return reply.code(200).type(RDAP_TYPE).send(bodyOf(a));
  }

  function send(req: FastifyRequest, reply: FastifyReply, object: Json, extra: { redacted?: Redaction[]; conformance?: string[]; noticesExtra?: Json[] } = {}) {
    return deliver(req, reply, prepare(req, object, extra), (req.rdapViewer ?? ANONYMOUS).kind === 'anonymous');
  }

  interface Answer { object: Json; redacted?: Redaction[]; noticesExtra?: Json[]; deps: string[] }

  /**
   * A lookup: anonymous answers from the cache, keyed by base URL and path (each spelling of a name is its own
   * entry); the others rendered for their viewer each time.
   */
  async function lookup(req: FastifyRequest, reply: FastifyReply, load: () => Promise<Answer>) {
    if (!cache || req.rdapViewer) {
      const a = await load();
      return send(req, reply, a.object, a);
    }
    const q = req.url.indexOf('?');
    const key = baseOf(req) + (q === -1 ? req.url : req.url.slice(0, q));
    const nowMs = Date.now();
    const hit = cache.get(key, nowMs);
    if (hit) return deliver(req, reply, hit, true);
    const generation = cache.generation;
    const a = await load();
    const prepared = prepare(req, a.object, a, a.deps);
    cache.put(key, prepared, generation, nowMs);
    return deliver(req, reply, prepared, true);
  }

  function sendError(reply: FastifyReply, status: number, title: string, description: string, headers: Record<string, string> = {}) {
    reply.headers(errorHeaders(headers));
    return reply.code(status).type(RDAP_TYPE).send(errorBody(status, title, description));
  }

  // Callback hooks, not async ones: they run on every request that the fast path below leaves to fastify.
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(CORS);
    const limited = req.method === 'OPTIONS' ? null : overLimit(req.ip);
    if (limited) {
      sendError(reply, 429, 'Too Many Requests', limited.description, limited.headers);
      return;
    }
    done();
  });

  // The fast path: an anonymous GET or HEAD whose answer is in the cache is answered from the server's request
  // event, before fastify builds its request and reply, routes and runs the hooks above (in a CPU profile of hits,
  // the JavaScript around the socket write fell from about a third of a request's time to about a tenth; the rest
  // is the kernel's writev). The same answer as through the routes: the cache key of lookup() (base URL
  // and path), the limit (taken only on a hit, so a miss is counted once, by onRequest), CORS, the answer's headers
  // and body, and the server's own headers. Everything else (authenticated requests, misses, OPTIONS, searches)
  // goes to fastify untouched.
  if (cache && opts.fastPath) {
    const hook = opts.fastPath;
    const fixed = { ...hook.serverHeaders, ...CORS };
    const prefix = `${app.prefix}/`;
    const fast: RawHandler = (req, res) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.authorization) return false;
      const url = req.url ?? '';
      const ip = req.socket.remoteAddress;
      if (!url.startsWith(prefix) || !ip) return false;
      const q = url.indexOf('?');
      const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const hit = cache.get(baseFrom(protocol, req.headers.host ?? '') + (q === -1 ? url : url.slice(0, q)), Date.now());
      if (!hit) return false;
      const limited = overLimit(ip);
      if (limited) {
        const body = errorBody(429, 'Too Many Requests', limited.description);
        res.writeHead(429, { ...fixed, ...errorHeaders(limited.headers), 'content-type': RDAP_TYPE, 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      }
      const body = bodyOf(hit);
      // Made once per answer (the body's length does not change with its stamp): a flat array is what Node's
      // writeHead takes with the least work per request.
      const wire = hit.wire ??= (() => {
        const headers = { ...fixed, ...answerHeaders(hit, true) };
        return { ok: Object.entries({ ...headers, 'content-type': RDAP_TYPE, 'content-length': String(body.length) }).flat(), notModified: Object.entries(headers).flat() };
      })();
      if (notModified(req.headers['if-none-match'], hit.etag)) {
        res.writeHead(304, wire.notModified);
        res.end();
        return true;
      }
      res.writeHead(200, wire.ok);
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    };
    hook.install(fast);
    // From here on every request goes through fastify, which answers 503 while it closes.
    app.addHook('preClose', (done) => { hook.install(null); done(); });
  }

  app.addHook('preHandler', (req, reply, done) => {
    const auth = req.headers.authorization;
    if (!auth) { done(); return; }
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i.exec(auth);
    (m ? resolveApiToken(reg, m[1]!) : Promise.resolve(null)).then((principal) => {
      if (!principal) {
        sendError(reply, 401, 'Unauthorized', 'the bearer token is not valid', { 'www-authenticate': 'Bearer realm="rdap", error="invalid_token"' });
        return;
      }
      req.rdapViewer = viewerOf(principal);
      done();
    }, (e: Error) => done(e));
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
    if (['autnum', 'ip'].includes(type)) return sendError(reply, 501, 'Not Implemented', `${type} queries are not supported by this server`);
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

  app.get('/domain/*', (req, reply) => lookup(req, reply, async () => {
    const r = await resolveDomainName(reg, param(req));
    if (!r.ok) throw new RdapError(r.status, r.status === 400 ? 'Bad Request' : 'Not Found', r.message);
    const rec = await loadDomainRecord(reg, r.ascii);
    if (!rec) throw new RdapError(404, 'Not Found', `${r.ascii} is not registered`);
    const { object, redacted } = domainObject(ctxOf(req), rec);
    const deps = [`domain:${rec.domain.name}`, `bundle:${rec.bundleKey}`, `registrar:${rec.registrar.id}`,
      ...[...rec.contacts.keys()].map((h) => `contact:${h}`), ...rec.nameservers.map((h) => `host:${h.name}`)];
    return { object, redacted, deps };
  }));

  // A host's and a contact's 'associated' status follows the domains that use them: any domain change drops these.
  app.get('/nameserver/*', (req, reply) => lookup(req, reply, async () => {
    const name = resolveHostName(param(req));
    if (!name) throw new RdapError(400, 'Bad Request', `'${param(req)}' is not a valid host name`);
    const h = await loadHost(reg, name);
    if (!h) throw new RdapError(404, 'Not Found', `no name server ${name}`);
    const registrar = await loadRegistrar(reg, h.registrarId);
    return { object: nameserverObject(ctxOf(req), h, registrar ?? undefined), deps: [`host:${h.name}`, `registrar:${h.registrarId}`, ANY_DOMAIN] };
  }));

  app.get('/entity/*', (req, reply) => lookup(req, reply, async () => {
    const handle = param(req);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(handle)) throw new RdapError(400, 'Bad Request', `'${handle}' is not an entity handle`);
    const ctx = ctxOf(req);
    const registrar = await loadRegistrar(reg, handle);
    if (registrar) return { object: registrarEntity(ctx, registrar), deps: [`registrar:${handle}`] };
    const contact = await loadContact(reg, handle);
    if (!contact) throw new RdapError(404, 'Not Found', `no entity ${handle}`);
    const { object, redacted } = contactEntity(ctx, contact, [], '$');
    return { object, redacted, deps: [`contact:${handle}`, `registrar:${handle}`, ANY_DOMAIN] };
  }));

  app.get('/help', (req, reply) => lookup(req, reply, async () => {
    const ctx = ctxOf(req);
    const help: Json = {
      title: 'About this RDAP service',
      description: [
        `Lookups: ${ctx.base}/rdap/domain/NAME (A-label or U-label), /rdap/nameserver/NAME, /rdap/entity/HANDLE (a registrar id or a contact handle).`,
        `Searches: /rdap/domains?name=PREFIX* and /rdap/nameservers?name=PREFIX* (a trailing * only) or ?ip=ADDRESS; ${pageSize} results per page, with a 'next' link.`,
        'Entity searches /rdap/entities?fn=NAME* and ?handle=HANDLE* find registrars, legal entities and the natural persons who chose to publish their name; no one else.',
        'Send "Authorization: Bearer TOKEN" (a registrar or registry token) to see the full data of the objects you may see.',
      ],
      links: [link(ctx, 'self', 'help')],
    };
    return { object: {}, noticesExtra: [help], deps: [] };
  }));

  function pageOf(req: FastifyRequest): { cursor: string | null } {
    const c = (req.query as Record<string, string | undefined>).cursor;
    if (!c) return { cursor: null };
    const decoded = Buffer.from(c, 'base64url').toString('utf8');
    if (!decoded || decoded.length > 300) throw new RdapError(400, 'Bad Request', 'the cursor is not valid');
    return { cursor: decoded };
  }

  /** RFC 9082 §4.1 partial match, limited to a trailing '*': the prefix (at least 2 characters), or an exact name. */
  function pattern(raw: string, lower = true): { prefix: string } | { exact: string } {
    const t = raw.trim().normalize('NFC');
    const v = lower ? t.toLowerCase() : t;
    if (!v || v.length > 253) throw new RdapError(400, 'Bad Request', 'a search needs a name pattern');
    const star = v.indexOf('*');
    if (star === -1) return { exact: lower ? v.replace(/\.$/, '') : v };
    if (star !== v.length - 1) throw new RdapError(400, 'Bad Request', 'only a trailing * is supported in a search pattern');
    const prefix = v.slice(0, -1);
    if (prefix.length < 2) throw new RdapError(400, 'Bad Request', 'a search pattern needs at least 2 characters before the *');
    return { prefix };
  }

  function pagedResults(req: FastifyRequest, reply: FastifyReply, key: string, results: Json[], more: boolean, lastKey: string | null, search: string, redacted?: Redaction[]) {
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
    return send(req, reply, { [key]: results, paging_metadata: paging }, { conformance: PAGING_CONFORMANCE, noticesExtra, redacted });
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

  // RFC 9082 §3.2.3. Only what is public is searched (registrars, legal entities, persons who published their name):
  // a search never tells whether a natural person is in the registry.
  app.get('/entities', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.fn !== undefined && q.handle !== undefined) throw new RdapError(400, 'Bad Request', 'an entity search takes fn= or handle=, not both');
    const by = q.fn !== undefined ? 'fn' : q.handle !== undefined ? 'handle' : null;
    if (!by) throw new RdapError(400, 'Bad Request', 'an entity search needs fn=PATTERN or handle=PATTERN');
    const raw = (q[by] ?? '').trim().normalize('NFC');
    // jCard names match case-insensitively (src/rdap/entity-search.ts); handles are tokens and match as given.
    const p = pattern(raw, false);
    const { cursor } = pageOf(req);
    let after: [string, string] | null = null;
    if (cursor) {
      try {
        const v = JSON.parse(cursor) as unknown;
        if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) after = v as [string, string];
      } catch { /* refused below */ }
      if (!after) throw new RdapError(400, 'Bad Request', 'the cursor is not valid');
    }
    const hits = await searchEntities(reg, by, p, after, pageSize);
    const more = hits.length > pageSize;
    const page = hits.slice(0, pageSize);
    const ctx = ctxOf(req);
    const redacted: Redaction[] = [];
    const results = page.map((h, i) => {
      if (h.registrar) return registrarEntity(ctx, h.registrar);
      const e = contactEntity(ctx, contactView(h.contact!), [], `$.entitySearchResults[${i}]`);
      redacted.push(...e.redacted);
      return e.object;
    });
    const last = page.at(-1);
    return pagedResults(req, reply, 'entitySearchResults', results, more, last ? JSON.stringify([last.key, last.handle]) : null, 'entities', redacted);
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
