// The HTTP server: health now; the JSON API, portals and RDAP mount here as they land.
import http from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { rdapPlugin, type RawHandler, type RdapOptions } from '../rdap/plugin.ts';
import { billingApi } from '../billing/http.ts';
import { portal } from '../web/portal.ts';
import { accountTlsFromEnv } from '../web/account/certificates.ts';
import type { PaymentProvider } from '../web/account/payments.ts';

export interface HttpOptions {
  host: string; port: number; rdap?: Omit<RdapOptions, 'reg'>;
  /** Where the public reads (RDAP, the whois.az pages) go: a registry on DOMEN_READ_DATABASE_URL (a replica); default reg. */
  readRegistry?: Registry;
  /** The payment provider of registrant orders; default from DOMEN_PAYMENT_URL/SECRET (src/web/account/payments.ts). */
  payments?: PaymentProvider;
}

/** On every answer (the onSend hooks below, and RDAP's fast path, which runs before them). */
const SERVER_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * fastify's own HTTP/1.1 server (lib/server.js: the same timeouts and limits), with RDAP's cache hits answered in
 * front of its routing (src/rdap/plugin.ts). Not behind a trusted proxy: the client's address, host and protocol
 * then come from X-Forwarded-*, which only fastify reads.
 */
function serverWithFastPath(fast: () => RawHandler | null): NonNullable<FastifyServerOptions['serverFactory']> {
  return (handler, options) => {
    // fastify passes its options with the defaults filled in.
    const o = options as { http?: http.ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
    const server = http.createServer(o.http ?? {}, (req, res) => { if (!fast()?.(req, res)) handler(req, res); });
    if (o.keepAliveTimeout !== undefined) server.keepAliveTimeout = o.keepAliveTimeout;
    if (o.requestTimeout !== undefined) server.requestTimeout = o.requestTimeout;
    if (o.connectionTimeout !== undefined) server.setTimeout(o.connectionTimeout);
    if (o.maxRequestsPerSocket) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
    return server;
  };
}

export async function startHttp(reg: Registry, opts: HttpOptions, ready: () => boolean): Promise<FastifyInstance> {
  // Behind a reverse proxy, DOMEN_TRUST_PROXY (its address or CIDR, comma-separated) makes the per-IP limits
  // see the client's address from X-Forwarded-For instead of the proxy's.
  const trustProxy = process.env.DOMEN_TRUST_PROXY?.split(',').map((s) => s.trim()).filter(Boolean);
  let fast: RawHandler | null = null;
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, ...(trustProxy?.length ? { trustProxy } : { serverFactory: serverWithFastPath(() => fast) }) });
  const rdapFastPath = trustProxy?.length ? {} : { fastPath: { serverHeaders: SERVER_HEADERS, install: (h: RawHandler | null) => { fast = h; } } };

  // A callback hook (not async): it runs on every answer but RDAP's fast path, which adds the same headers.
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.headers(SERVER_HEADERS);
    done(null, payload);
  });

  // 200 only when the database answers and start-up is complete (load balancers and `npm start` scripts poll it).
  app.get('/healthz', async (_req, reply) => {
    if (!ready()) return reply.code(503).send({ status: 'starting' });
    try {
      await sql`select 1`.execute(reg.db);
      return { status: 'ok', database: reg.database.kind, tld: reg.profile.tld };
    } catch (e) {
      return reply.code(503).send({ status: 'database unavailable', error: (e as Error).message });
    }
  });

  await app.register(rdapPlugin, { prefix: '/rdap', reg: opts.readRegistry ?? reg, ...rdapFastPath, ...opts.rdap });
  await app.register(billingApi, { prefix: '/api/billing', reg });
  // The portals: sign-in, /api (JSON, /api/openapi.json), /registrar and /admin, and the public site (/, /whois/*,
  // /statistics) reading from the replica when there is one (src/web/portal.ts, src/web/whois-site.ts).
  const portalOptions = { reg, ...(opts.readRegistry ? { readRegistry: opts.readRegistry } : {}), ...(opts.payments ? { payments: opts.payments } : {}) };
  await app.register(portal, portalOptions);

  // R3.9: e-signature sign-in of registrants needs TLS client authentication, so the portal also listens on HTTPS
  // when DOMEN_ACCOUNT_TLS_KEY/_CERT/DOMEN_ACCOUNT_CLIENT_CA are set (src/web/account/certificates.ts), on
  // DOMEN_ACCOUNT_TLS_PORT (default 8443); closing the main server closes it.
  const accountTls = accountTlsFromEnv();
  let tlsApp: FastifyInstance | null = null;
  if (accountTls) {
    tlsApp = Fastify({ logger: false, bodyLimit: 1 << 20, https: accountTls, ...(trustProxy?.length ? { trustProxy } : {}) });
    tlsApp.addHook('onSend', (_req, reply, payload, done) => { reply.headers(SERVER_HEADERS); done(null, payload); });
    await tlsApp.register(portal, portalOptions);
    app.addHook('onClose', async () => { await tlsApp?.close(); });
  }

  await app.listen({ host: opts.host, port: opts.port });
  if (tlsApp) await tlsApp.listen({ host: opts.host, port: Number(process.env.DOMEN_ACCOUNT_TLS_PORT || 8443) });
  return app;
}
