// `domen serve` / `domen start`: one process running the registry's services against one database.
import { writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { configFromEnv } from '../db/connect.ts';
import { listenForCli, serveInfoPath } from '../cli/forward.ts';
import { openRegistry, migrateAndSeedBase } from './bootstrap.ts';
import { startHttp } from './http.ts';

export interface ServeOptions { only: string[] | null; demo: boolean }

const SERVICES = ['http'];

export async function serve(opts: ServeOptions): Promise<void> {
  const config = configFromEnv();
  const only = opts.only ?? SERVICES;
  const unknown = only.filter((s) => !SERVICES.includes(s));
  if (unknown.length) throw new Error(`unknown service(s): ${unknown.join(', ')} (available now: ${SERVICES.join(', ')})`);

  const reg = await openRegistry(config);
  let ready = false;
  const applied = await migrateAndSeedBase(reg);
  let demo: { created: boolean; domains: number; credentials: DemoCredential[] } | null = null;
  if (opts.demo) {
    const { seedDemo } = await import('../seed/demo.ts');
    demo = await seedDemo(reg);
  }

  const host = process.env.DOMEN_HTTP_HOST || '127.0.0.1';
  const port = Number(process.env.DOMEN_HTTP_PORT || 8080);
  const closers: (() => Promise<void>)[] = [];
  if (only.includes('http')) {
    const app = await startHttp(reg, { host, port }, () => ready);
    closers.push(() => app.close());
  }
  let infoFile: string | null = null;
  if (reg.database.kind === 'pglite') {
    const dataDir = path.resolve(config.dataDir ?? './data');
    mkdirSync(dataDir, { recursive: true });
    const cli = await listenForCli(dataDir, reg);
    closers.push(() => cli.close());
    infoFile = serveInfoPath(dataDir);
    writeFileSync(infoFile, JSON.stringify({ pid: process.pid, socket: cli.socket, http: `http://${host}:${port}`, startedAt: new Date().toISOString() }));
  }
  ready = true;

  const lines = [
    `domen: the .${reg.profile.tld} registry is running`,
    `  database   ${reg.database.kind === 'pglite' ? `embedded PGlite in ${reg.database.location}` : `PostgreSQL ${reg.database.location}`}${applied.length ? ` (migrated: ${applied.join(', ')})` : ''}`,
    only.includes('http') ? `  http       http://${host}:${port}/   health: http://${host}:${port}/healthz` : null,
    `  cli        npx domen --help${reg.database.kind === 'pglite' ? '   (commands are forwarded to this server while it runs)' : ''}`,
    `  not yet    EPP :${process.env.DOMEN_EPP_PORT || 7000}, WHOIS :${process.env.DOMEN_WHOIS_PORT || 4343}, DNS :${process.env.DOMEN_DNS_PORT || 5353}, RDAP /rdap/ land with their issues`,
  ];
  if (demo) {
    lines.push(demo.created ? `  demo data  loaded: ${demo.domains} domains` : `  demo data  present: ${demo.domains} domains`);
    lines.push('  demo credentials:');
    for (const c of demo.credentials) lines.push(`    ${c.role.padEnd(18)} ${c.login.padEnd(26)} ${c.password}`);
    lines.push('  try: npx domen domain info ' + (demo.credentials.find((c) => c.example)?.example ?? 'example.az'));
  }
  process.stdout.write(lines.filter(Boolean).join('\n') + '\n');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const c of closers.reverse()) await c().catch(() => {});
    if (infoFile) { try { unlinkSync(infoFile); } catch { /* gone */ } }
    await reg.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export interface DemoCredential { role: string; login: string; password: string; example?: string }
