// `domen zone export ZONE` and `domen zone check`: the signed zones built from the database, as RFC 1035
// zone files for BIND/Knot/NSD, and verified with our own code (signatures, chain, delegations);
// `domen zone health`: the DNS health of the delegations (lame servers, DS without a matching DNSKEY).
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildAll, publishedZones } from '../../dns/build.ts';
import { checkZone } from '../../dns/check.ts';
import { zoneFileLines } from '../../dns/export.ts';
import { checkHealth } from '../../dns/health.ts';
import { dnsConfigFromEnv, type Denial } from '../../dns/zone-model.ts';
import { RegistryError } from '../../core/errors.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json } from '../output.ts';

function config(tld: string, denial?: string) {
  const c = dnsConfigFromEnv(tld);
  if (denial) {
    if (!['nsec', 'nsec3', 'nsec3-optout'].includes(denial)) throw new RegistryError('syntax', '--denial is nsec, nsec3 or nsec3-optout', 'RFC 5155');
    c.denial = denial as Denial;
  }
  return c;
}

export function zoneCommands(program: Command, ctx: CliContext): void {
  const zone = program.command('zone').description('the published DNS zones (built from the registry and signed)');

  zone.command('list').option('--json', 'print JSON').description('the zones this registry publishes')
    .action(async (o: { json?: boolean }) => {
      const reg = await ctx.registry();
      const zones = await publishedZones(reg.db);
      ctx.io.out(o.json ? json(zones) : zones.map((z) => `${z.name}${z.parent ? ` (delegated from ${z.parent})` : ''}`).join('\n') + '\n');
    });

  zone.command('export').argument('<zone>', "a zone: 'az', 'com.az', ...")
    .option('-o, --out <file>', 'write to FILE instead of the standard output')
    .option('--denial <mode>', 'nsec3, nsec3-optout or nsec (default: DOMEN_DNS_DENIAL or nsec3)')
    .description('write the signed zone as an RFC 1035 zone file')
    .action(async (name: string, o: { out?: string; denial?: string }) => {
      const reg = await ctx.registry();
      const origin = name.toLowerCase().replace(/\.$/, '');
      const { zones } = await buildAll(reg.db, config(reg.profile.tld, o.denial), reg.clock, [origin]);
      const z = zones.get(origin)!;
      if (o.out) {
        const file = path.resolve(ctx.cwd, o.out);
        const out = createWriteStream(file);
        for (const line of zoneFileLines(z)) if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        ctx.io.out(`wrote ${origin} serial ${z.serial} (${z.cuts.size} delegations) to ${file}\n`);
        return;
      }
      let chunk: string[] = [];
      for (const line of zoneFileLines(z)) {
        chunk.push(line);
        if (chunk.length >= 1000) { ctx.io.out(chunk.join('\n') + '\n'); chunk = []; }
      }
      if (chunk.length) ctx.io.out(chunk.join('\n') + '\n');
    });

  zone.command('check').argument('[zones...]', 'zones to check (default: all)')
    .option('--denial <mode>', 'nsec3, nsec3-optout or nsec (default: DOMEN_DNS_DENIAL or nsec3)')
    .option('--json', 'print JSON')
    .description('build, sign and verify the zones: signatures, DNSKEY by a KSK, NSEC/NSEC3 chain, DS of child zones')
    .action(async (names: string[], o: { denial?: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const { zones } = await buildAll(reg.db, config(reg.profile.tld, o.denial), reg.clock);
      const wanted = names.length ? names.map((n) => n.toLowerCase().replace(/\.$/, '')) : [...zones.keys()];
      const results = wanted.map((n) => {
        const z = zones.get(n);
        if (!z) throw new RegistryError('notFound', `${n} is not a zone of this registry`, 'RFC 1034 §4.2');
        const parentName = [...zones.keys()].filter((p) => p !== n && n.endsWith(`.${p}`)).sort((a, b) => b.length - a.length)[0];
        return { ...checkZone(z, reg.clock.now(), parentName ? zones.get(parentName) : undefined), serial: z.serial, denial: z.denial };
      });
      if (o.json) ctx.io.out(json(results));
      else {
        for (const r of results) {
          ctx.io.out(`${r.zone}: serial ${r.serial}, ${r.denial}, ${r.delegations} delegations, ${r.rrsets} RRsets, ${r.signatures} signatures: ${r.problems.length ? `${r.problems.length} problems` : 'ok'}\n`);
          for (const p of r.problems.slice(0, 50)) ctx.io.out(`  ${p}\n`);
        }
      }
      if (results.some((r) => r.problems.length)) throw new CliExit(1);
    });

  zone.command('health').argument('[domains...]', 'domains (default: every delegation)')
    .option('--run', 'check now (queries each name server of each delegation; default: the last results)')
    .option('--json', 'print JSON')
    .description('DNS health of delegations: lame name servers, DS matching no DNSKEY of the child (src/dns/health.ts)')
    .action(async (names: string[], o: { run?: boolean; json?: boolean }) => {
      const reg = await ctx.registry();
      const domains = names.length ? names.map((n) => n.toLowerCase().replace(/\.$/, '')) : undefined;
      if (o.run) await checkHealth(reg.db, reg.clock.now(), { domains });
      let q = reg.db.selectFrom('dns_health').innerJoin('domains', 'domains.id', 'dns_health.domain_id')
        .select(['domains.name', 'dns_health.status', 'dns_health.checked_at', 'dns_health.problems']).orderBy('domains.name');
      if (domains) q = q.where('domains.name', 'in', domains);
      const rows = await q.execute();
      if (o.json) ctx.io.out(json(rows));
      else {
        if (rows.length === 0) ctx.io.out('no results yet (domen zone health --run)\n');
        for (const r of rows) {
          ctx.io.out(`${r.name}: ${r.status} (checked ${r.checked_at.toISOString()})\n`);
          for (const p of r.problems) ctx.io.out(`  ${p}\n`);
        }
      }
      if (rows.some((r) => r.status === 'problem')) throw new CliExit(1);
    });
}
