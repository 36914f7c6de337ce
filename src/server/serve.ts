// `domen serve` / `domen start`: one process running the registry's services against one database.
import { unlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { configFromEnv, redactUrl } from '../db/connect.ts';
import type { Registry } from '../core/registry.ts';
import { listenForCli, runningServer, writeServeInfo } from '../cli/forward.ts';
import { openReadRegistry, openRegistryWhenFree, migrateAndSeedBase } from './bootstrap.ts';
import { startHttp } from './http.ts';
import { startEpp } from '../epp/server.ts';
import { startWhois } from '../whois/server.ts';
import { startDnsService } from '../dns/index.ts';
import type { PaymentProvider } from '../web/account/payments.ts';

export interface ServeOptions { only: string[] | null; demo: boolean }

const SERVICES = ['http', 'epp', 'whois', 'dns', 'notify', 'worker'];

export async function serve(opts: ServeOptions): Promise<void> {
  const config = configFromEnv();
  const only = opts.only ?? SERVICES;
  const unknown = only.filter((s) => !SERVICES.includes(s));
  if (unknown.length) throw new Error(`unknown service(s): ${unknown.join(', ')} (available now: ${SERVICES.join(', ')})`);

  // A CLI command may hold the embedded database for a moment: wait for it (not for another server).
  const dataDir = path.resolve(config.dataDir ?? './data');
  const reg = await openRegistryWhenFree(config, 60_000, {
    waiting: (pid) => process.stderr.write(`waiting for process ${pid}, which has the embedded database in ${dataDir} open...\n`),
    interrupt: () => {
      const other = runningServer(dataDir);
      return other ? new Error(`domen serve is already running on ${dataDir} (process ${other.pid})`) : null;
    },
  });
  let ready = false;
  const host = process.env.DOMEN_HTTP_HOST || '127.0.0.1';
  const port = Number(process.env.DOMEN_HTTP_PORT || 8080);
  const eppHost = process.env.DOMEN_EPP_HOST || '127.0.0.1';
  const eppPort = Number(process.env.DOMEN_EPP_PORT || 7000);
  const whoisHost = process.env.DOMEN_WHOIS_HOST || '127.0.0.1';
  const whoisPort = Number(process.env.DOMEN_WHOIS_PORT || 4343);
  const dnsHost = process.env.DOMEN_DNS_HOST || '127.0.0.1';
  const dnsPort = Number(process.env.DOMEN_DNS_PORT || 5353);
  let dnsSummary = '';
  let notifySummary = '';
  let workerSummary = '';
  let notifySending = false;
  const closers: (() => Promise<void>)[] = [];
  let infoFile: string | null = null;
  let applied: string[];
  const demoLines: string[] = [];
  let paymentsLine: string | null = null;
  let payments: PaymentProvider | undefined;
  /** The demo provider, for HTTP processes of their own (DOMEN_HTTP_PROCESSES), which read it from the environment. */
  let paymentsEnv: Record<string, string> = {};
  const httpProcesses = Math.max(1, Math.floor(Number(process.env.DOMEN_HTTP_PROCESSES) || 1));
  // RDAP, WHOIS and the whois.az pages may read a streaming replica (architecture: "Scale beyond one machine").
  const readUrl = process.env.DOMEN_READ_DATABASE_URL || '';
  let readReg: Registry = reg;
  try {
    const replica = only.includes('http') || only.includes('whois') ? await openReadRegistry(reg, readUrl) : null;
    if (replica) {
      closers.push(() => replica.database.close());
      readReg = replica;
    }
    applied = await migrateAndSeedBase(reg);
    if (opts.demo) {
      const { seedDemo, demoStatus, demoCredentialLines } = await import('../seed/demo.ts');
      // `npm start` on a registry that has data of its own just serves it.
      if (await demoStatus(reg) === 'other') {
        demoLines.push('  demo data  not loaded: this registry has data of its own');
      } else {
        const demo = await seedDemo(reg);
        demoLines.push(demo.created ? `  demo data  loaded: ${demo.domains} domains` : `  demo data  present: ${demo.domains} domains`, ...demoCredentialLines(demo));
      }
    }
    if (only.includes('http') && opts.demo && !process.env.DOMEN_PAYMENT_URL) {
      // The demo's registrants pay through the test double of the payment interface (loopback, nothing charged);
      // a real registry names its provider in DOMEN_PAYMENT_URL and DOMEN_PAYMENT_SECRET.
      const { startTestProvider } = await import('../web/account/test-provider.ts');
      const { hmacProvider } = await import('../web/account/payments.ts');
      const provider = await startTestProvider({ host });
      payments = hmacProvider({ apiUrl: provider.url, secret: provider.secret });
      paymentsEnv = { DOMEN_PAYMENT_URL: provider.url, DOMEN_PAYMENT_SECRET: provider.secret };
      closers.push(() => provider.close());
      paymentsLine = `  payments   demo provider at ${provider.url} (a test double: nothing is charged)`;
    }
    if (only.includes('http') && httpProcesses > 1) {
      // src/server/http-processes.ts: N processes on one port, each with its own pool and RDAP cache.
      if (reg.database.kind === 'pglite') throw new Error('DOMEN_HTTP_PROCESSES above 1 needs PostgreSQL (DOMEN_DATABASE_URL): the embedded database is open in one process only');
      const { startHttpProcesses } = await import('./http-processes.ts');
      const group = await startHttpProcesses({ count: httpProcesses, env: paymentsEnv });
      closers.push(() => group.close());
    } else if (only.includes('http')) {
      const app = await startHttp(reg, { host, port, readRegistry: readReg, ...(payments ? { payments } : {}) }, () => ready).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE' ? new Error(`${host}:${port} is in use by another program: set DOMEN_HTTP_PORT (and DOMEN_HTTP_HOST)`) : e;
      });
      closers.push(() => app.close());
    }
    if (only.includes('epp')) {
      const epp = await startEpp(reg, {
        host: eppHost, port: eppPort,
        log: (event, detail) => { if (process.env.DOMEN_EPP_LOG) process.stderr.write(`epp ${event} ${JSON.stringify(detail)}\n`); },
      }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE' ? new Error(`${eppHost}:${eppPort} is in use by another program: set DOMEN_EPP_PORT (and DOMEN_EPP_HOST)`) : e;
      });
      closers.push(() => epp.close());
    }
    if (only.includes('whois')) {
      const whois = await startWhois(readReg, { host: whoisHost, port: whoisPort }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE' ? new Error(`${whoisHost}:${whoisPort} is in use by another program: set DOMEN_WHOIS_PORT (and DOMEN_WHOIS_HOST)`) : e;
      });
      closers.push(() => whois.close());
    }
    if (only.includes('dns')) {
      // Built and signed from the database once here; served from memory (docs/dns.md).
      const dns = await startDnsService(reg, { host: dnsHost, port: dnsPort }).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EADDRINUSE' ? new Error(`${dnsHost}:${dnsPort} is in use by another program: set DOMEN_DNS_PORT (and DOMEN_DNS_HOST)`) : e;
      });
      closers.push(() => dns.close());
      const zones = dns.store.list();
      dnsSummary = `${zones.length} signed zones, ${zones.reduce((n, z) => n + z.cuts.size, 0)} delegations`;
    }
    if (only.includes('notify')) {
      // E-mail from the notification queue (docs/notifications.md); inbox and poll notices are written at once.
      const { startNotifySender, mailConfigFromEnv } = await import('../notify/index.ts');
      const mail = mailConfigFromEnv();
      if (mail.smtpUrl) {
        const sender = startNotifySender(reg, { ...mail, smtpUrl: mail.smtpUrl, log: (l) => process.stderr.write(`${l}\n`) });
        closers.push(() => sender.close());
        notifySending = true;
      }
      notifySummary = mail.smtpUrl ? `e-mail through ${redactUrl(mail.smtpUrl)} from ${mail.from}, every ${mail.intervalMs / 1000} s`
        : 'DOMEN_SMTP_URL is not set: e-mail waits in the queue (npx domen notify list)';
    }
    if (only.includes('worker')) {
      // The lifecycle timers (src/worker): safe beside other nodes' workers.
      const intervalS = Number(process.env.DOMEN_WORKER_INTERVAL || 60);
      const { startWorkerLoop } = await import('../worker/loop.ts');
      // The notify service's sender already sends e-mail continuously: the worker leaves that timer to it.
      const skip = notifySending ? ['notification-delivery'] : [];
      const loop = startWorkerLoop(reg, Math.max(1, intervalS) * 1000, (l) => process.stderr.write(`${l}\n`), { skip });
      closers.push(() => loop.stop());
      workerSummary = `timers every ${Math.max(1, intervalS)} s (R6.1, R6.2, R7.6, R8.7, R3.12, transfers)   run now: npx domen worker once`;
    }
    if (reg.database.kind === 'pglite') {
      mkdirSync(dataDir, { recursive: true });
      const cli = await listenForCli(dataDir, reg);
      closers.push(() => cli.close());
      infoFile = writeServeInfo(dataDir, { pid: process.pid, socket: cli.socket, http: `http://${host}:${port}`, startedAt: new Date().toISOString() });
    }
  } catch (err) {
    // Let go of the database cleanly before the error ends the process.
    for (const c of closers.reverse()) await c().catch(() => {});
    await reg.database.close().catch(() => {});
    throw err;
  }
  ready = true;

  const lines = [
    `domen: the .${reg.profile.tld} registry is running`,
    `  database   ${reg.database.kind === 'pglite' ? `embedded PGlite in ${reg.database.location}` : `PostgreSQL ${reg.database.location}`}${applied.length ? ` (migrated: ${applied.join(', ')})` : ''}`,
    only.includes('http') ? `  http       http://${host}:${port}/   health: http://${host}:${port}/healthz${httpProcesses > 1 ? `   (${httpProcesses} processes)` : ''}` : null,
    only.includes('http') ? `  rdap       http://${host}:${port}/rdap/help   whois.az pages: http://${host}:${port}/whois/` : null,
    only.includes('http') ? `  portals    registrants http://${host}:${port}/account/   registrars http://${host}:${port}/registrar   National Administrator http://${host}:${port}/admin   API http://${host}:${port}/api/openapi.json` : null,
    readUrl ? `  reads      RDAP, WHOIS and pages from ${redactUrl(readUrl)}` : null,
    `  cli        npx domen --help${reg.database.kind === 'pglite' ? '   (commands are forwarded to this server while it runs)' : ''}`,
    only.includes('epp') ? `  epp        ${eppHost}:${eppPort} (TLS; client certificates from the registry CA: npx domen registrar create ... --cert-out DIR)` : null,
    only.includes('whois') ? `  whois      ${whoisHost}:${whoisPort}   try: whois -h ${whoisHost} -p ${whoisPort} NAME.${reg.profile.tld}` : null,
    notifySummary ? `  notify     ${notifySummary}` : null,
    workerSummary ? `  worker     ${workerSummary}` : null,
    only.includes('dns') ? `  dns        ${dnsHost}:${dnsPort} UDP/TCP, ${dnsSummary}   try: kdig @${dnsHost} -p ${dnsPort} +dnssec ${reg.profile.tld} SOA` : null,
  ];
  lines.push(paymentsLine, ...demoLines);
  process.stdout.write(lines.filter(Boolean).join('\n') + '\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // serve.json first: from here on, CLI commands wait for the lock instead of forwarding.
    if (infoFile) { try { unlinkSync(infoFile); } catch { /* gone */ } }
    let code = 0;
    for (const c of closers.reverse()) await c().catch(() => {});
    try {
      await reg.database.close();
    } catch (e) {
      process.stderr.write(`error: closing the database: ${(e as Error).message}\n`);
      code = 1;
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export type { DemoCredential } from '../seed/demo.ts';
