// One RDAP HTTP server process for `npm run bench -- rdap` with --processes N: started by node:cluster from
// bench/rdap.ts, it listens on the port the primary shares (SCHED_NONE: the kernel hands connections out), with its
// own connection pool and its own answer cache kept correct from the outbox, as separate nodes would be.
import { openDatabase } from '../src/db/connect.ts';
import { Registry } from '../src/core/registry.ts';
import { startHttp } from '../src/server/http.ts';
import { warm } from './rdap-warm.ts';

const url = process.env.DOMEN_RDAP_BENCH_URL;
const port = Number(process.env.DOMEN_RDAP_BENCH_PORT);
if (!url || !port) throw new Error('DOMEN_RDAP_BENCH_URL and DOMEN_RDAP_BENCH_PORT are needed');
const db = await openDatabase({ databaseUrl: url, poolSize: 10 });
const reg = new Registry(db, { tld: 'az' });
const app = await startHttp(reg, { host: '127.0.0.1', port, rdap: { rateLimit: false } }, () => true);
// Every name of the bench looked up once in this process, so that its cache holds them all before the measurement.
const names = (process.env.DOMEN_RDAP_BENCH_NAMES ?? '').split(',').filter(Boolean);
await warm(app, names, port);
process.send?.('ready');
process.on('message', (m) => {
  if (m === 'stop') void app.close().then(() => db.close()).then(() => process.exit(0));
});
