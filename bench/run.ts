// `npm run bench -- <name> [options]`: runs one benchmark. Results go to bench/results/<name>.md.
const BENCHES: Record<string, { about: string; run: (args: string[]) => Promise<void> }> = {
  core: {
    about: 'core domain creates/s on PostgreSQL (1, 4, 16 workers) beside pgbench running the same SQL, and on PGlite',
    run: async (args) => (await import('./core.ts')).main(args),
  },
  epp: {
    about: 'EPP domain:check, info and create per second over TLS with 1, 8, 32 sessions on PostgreSQL, beside pgbench running the same SQL',
    run: async (args) => (await import('./epp.ts')).main(args),
  },
  dns: {
    about: 'DNS: the 1M-delegation build and sign beside kzonesign and dnssec-signzone, queries/s beside knotd (dnsperf), commit-to-knotd-answer latency over 200 creates at 20/s, 1,000 changes as one difference',
    run: async (args) => (await import('./dns.ts')).main(args),
  },
  escrow: {
    about: 'FULL escrow deposit (XML, encrypted, signed) time and peak RSS at 100k and 1M domains on PostgreSQL, beside pg_dump and gpg --encrypt',
    run: async (args) => (await import('./escrow.ts')).main(args),
  },
  rdap: {
    about: 'RDAP domain lookups/s and p99 over HTTP keep-alive (wrk), beside nginx serving the same JSON, at 10k and 1M domains',
    run: async (args) => (await import('./rdap.ts')).main(args),
  },
};

function usage(): string {
  return ['usage: npm run bench -- <benchmark> [options]', '', 'benchmarks:',
    ...Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(8)} ${b.about}`)].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  if (name && name !== '--help' && name !== '-h') console.error(`unknown benchmark '${name}'\n`);
  console.error(usage());
  process.exit(name && name !== '--help' && name !== '-h' ? 1 : 0);
}
try {
  await bench.run(rest);
} catch (err) {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
}
