// The HTTP server: health now; the JSON API, portals and RDAP mount here as they land.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { rdapPlugin, type RdapOptions } from '../rdap/plugin.ts';
import { whoisSite } from '../web/whois-site.ts';
import { billingApi } from '../billing/http.ts';
import { portal } from '../web/portal.ts';

export interface HttpOptions {
  host: string; port: number; rdap?: Omit<RdapOptions, 'reg'>;
  /** Where the public reads (RDAP, the whois.az pages) go: a registry on DOMEN_READ_DATABASE_URL (a replica); default reg. */
  readRegistry?: Registry;
}

export async function startHttp(reg: Registry, opts: HttpOptions, ready: () => boolean): Promise<FastifyInstance> {
  // Behind a reverse proxy, DOMEN_TRUST_PROXY (its address or CIDR, comma-separated) makes the per-IP limits
  // see the client's address from X-Forwarded-For instead of the proxy's.
  const trustProxy = process.env.DOMEN_TRUST_PROXY?.split(',').map((s) => s.trim()).filter(Boolean);
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, ...(trustProxy?.length ? { trustProxy } : {}) });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
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

  await app.register(rdapPlugin, { prefix: '/rdap', reg: opts.readRegistry ?? reg, ...opts.rdap });
  await app.register(whoisSite, { prefix: '/whois', reg: opts.readRegistry ?? reg });
  await app.register(billingApi, { prefix: '/api/billing', reg });
  // The portals: sign-in, /api (JSON, /api/openapi.json), /registrar and /admin (src/web/portal.ts).
  await app.register(portal, { reg });

  app.get('/', async (_req, reply) => {
    const [domains, registrars] = await Promise.all([
      reg.db.selectFrom('domains').select(sql<number>`count(*)::int`.as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
      reg.db.selectFrom('registrars').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>domen: .${reg.profile.tld} registry</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>domen: the .${reg.profile.tld} registry</h1>
<p>${domains.n} domains, ${registrars.n} registrars, on ${reg.database.kind === 'pglite' ? 'the embedded database' : 'PostgreSQL'}.</p>
<p>Health: <a href="/healthz">/healthz</a>. The command line: <code>npx domen --help</code>.</p>
</body></html>`;
  });

  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
