// `domen dnssec status` and `domen dnssec ds`: the DNSSEC keys of the published zones, and the DS records
// to hand to the parent (for 'az': to IANA for the root zone). Rollovers are still to do (docs/dns.md).
import type { Command } from 'commander';
import { publishedZones } from '../../dns/build.ts';
import { dsFor, zoneKeys } from '../../dns/keys.ts';
import { rdataText, T } from '../../dns/wire.ts';
import type { CliContext } from '../context.ts';
import { json, table } from '../output.ts';

export function dnssecCommands(program: Command, ctx: CliContext): void {
  const dnssec = program.command('dnssec').description('DNSSEC keys of the published zones');

  dnssec.command('status').argument('[zones...]', 'zones (default: all)').option('--json', 'print JSON')
    .description('the keys of each zone (generated on first use): role, algorithm, key tag, state')
    .action(async (names: string[], o: { json?: boolean }) => {
      const reg = await ctx.registry();
      const zones = names.length ? names.map((n) => n.toLowerCase().replace(/\.$/, '')) : (await publishedZones(reg.db)).map((z) => z.name);
      const rows: Record<string, unknown>[] = [];
      for (const zone of zones) {
        for (const k of await zoneKeys(reg.db, zone, reg.clock.now())) {
          const row = await reg.db.selectFrom('dns_keys').select(['created_at', 'active_at']).where('id', '=', k.id).executeTakeFirstOrThrow();
          rows.push({ zone, role: k.role, algorithm: k.algorithm, keyTag: k.keyTag, flags: k.flags, state: k.state, created: row.created_at, active: row.active_at });
        }
      }
      ctx.io.out(o.json ? json(rows) : table(rows, ['zone', 'role', 'algorithm', 'keyTag', 'flags', 'state', 'created', 'active']));
    });

  dnssec.command('ds').argument('[zone]', 'the zone (default: the TLD)')
    .description("the DS record (SHA-256) of the zone's active KSK, in zone-file form, for the parent")
    .action(async (zone: string | undefined) => {
      const reg = await ctx.registry();
      const origin = (zone ?? reg.profile.tld).toLowerCase().replace(/\.$/, '');
      for (const k of await zoneKeys(reg.db, origin, reg.clock.now())) {
        if (k.role !== 'ksk' || k.state !== 'active') continue;
        ctx.io.out(`${origin}.\tIN\tDS\t${rdataText(T.DS, dsFor(origin, k.dnskey))}\n`);
        ctx.io.out(`${origin}.\tIN\tDNSKEY\t${rdataText(T.DNSKEY, k.dnskey)}\n`);
      }
    });
}
