// One RDAP HTTP server process for `npm run bench -- rdap` with --processes N: started by src/server/http-processes.ts
// (node:cluster) from bench/rdap.ts as `domen serve` starts its HTTP processes, on the port the primary shares, with its
// own connection pool and its own answer cache kept correct from the outbox, as separate nodes would be.
import { openDatabase } from '../src/db/connect.ts';
import { Registry } from '../src/core/registry.ts';
import { startHttp } from '../src/server/http.ts';
import { warm } from './rdap-warm.ts';
import type { HttpProcessMessage } from '../src/server/http-processes.ts';

const url = process.env.DOMEN_RDAP_BENCH_URL;
const port = Number(process.env.DOMEN_RDAP_BENCH_PORT);
if (!url || !port) throw new Error('DOMEN_RDAP_BENCH_URL and DOMEN_RDAP_BENCH_PORT are needed');
const send = (m: HttpProcessMessage) => process.send?.(m);
const db = await openDatabase({ databaseUrl: url, poolSize: 10 });
try {
  const reg = new Registry(db, { tld: 'az' });
  const app = await startHttp(reg, { host: '127.0.0.1', port, rdap: { rateLimit: false } }, () => true);
  // Every name of the bench looked up once in this process, so that its cache holds them all before the measurement.
  const names = (process.env.DOMEN_RDAP_BENCH_NAMES ?? '').split(',').filter(Boolean);
  await warm(app, names, port);
  const stop = () => void app.close().then(() => db.close()).then(() => process.exit(0));
  process.on('message', (m) => { if (m === 'stop') stop(); });
  process.once('disconnect', stop);
  send('ready');
} catch (e) {
  send({ error: (e as Error).message });
  await db.close();
  process.exit(1);
}
