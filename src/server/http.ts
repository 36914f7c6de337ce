// The HTTP server: health now; the JSON API, portals and RDAP mount here as they land.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';

export interface HttpOptions { host: string; port: number }

export async function startHttp(reg: Registry, opts: HttpOptions, ready: () => boolean): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });

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
