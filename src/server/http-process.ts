// One of the DOMEN_HTTP_PROCESSES HTTP processes of `domen serve` (src/server/http-processes.ts, node:cluster): the
// HTTP service of src/server/http.ts on the shared DOMEN_HTTP_HOST:DOMEN_HTTP_PORT, with its own pool (and replica
// pool) and RDAP cache. The primary has migrated the database and started everything else before forking.
import { configFromEnv } from '../db/connect.ts';
import { rdapRateFromEnv, rdapRateLimitShare } from '../rdap/rate-limit.ts';
import { openReadRegistry, openRegistry } from './bootstrap.ts';
import { startHttp } from './http.ts';
import type { HttpProcessMessage } from './http-processes.ts';

const send = (m: HttpProcessMessage) => process.send?.(m);
const closers: (() => Promise<void>)[] = [];
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const c of closers.reverse()) await c().catch(() => {});
  process.exit(code);
}
// Ctrl-C reaches every process of the terminal's group; systemd's SIGTERM may reach only the primary, which
// then sends 'stop'; a primary that is gone closes the channel.
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
process.on('message', (m) => { if (m === 'stop') void stop(0); });
process.once('disconnect', () => void stop(0));

try {
  const reg = await openRegistry(configFromEnv());
  closers.push(() => reg.database.close());
  const replica = await openReadRegistry(reg);
  if (replica) closers.push(() => replica.database.close());
  const readReg = replica ?? reg;
  const host = process.env.DOMEN_HTTP_HOST || '127.0.0.1';
  const port = Number(process.env.DOMEN_HTTP_PORT || 8080);
  const share = rdapRateLimitShare(rdapRateFromEnv(), Number(process.env.DOMEN_HTTP_PROCESSES) || 1);
  const app = await startHttp(reg, { host, port, readRegistry: readReg, rdap: { rateLimit: share } }, () => true);
  closers.push(() => app.close());
  send('ready');
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  send({ error: err.code === 'EADDRINUSE' ? 'the HTTP port is in use by another program: set DOMEN_HTTP_PORT (and DOMEN_HTTP_HOST)' : err.message });
  await stop(1);
}
