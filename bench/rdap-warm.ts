// Looks every bench name up once through the server's own routes (fastify inject), 16 at a time: the answer cache
// of that process then holds them all.
import type { FastifyInstance } from 'fastify';

export async function warm(app: FastifyInstance, names: string[], port: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < names.length) {
      const name = names[next++]!;
      // The Host wrk sends: links, and so the cache key, follow it.
      const r = await app.inject({ url: `/rdap/domain/${name}`, headers: { host: `127.0.0.1:${port}` } });
      if (r.statusCode !== 200) throw new Error(`warm-up lookup of ${name}: ${r.statusCode}`);
    }
  }));
}
