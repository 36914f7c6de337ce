// `domen dnssec status`, `domen dnssec ds` and `domen dnssec rollover zsk|ksk ZONE`: the DNSSEC keys of the
// published zones with their rollover state (RFC 7583, src/dns/rollover.ts), and the DS records to hand to
// the parent (for 'az': to IANA for the root zone).
import type { Command } from 'commander';
import { publishedZones } from '../../dns/build.ts';
import { dsAtParent, dsFor, zoneKeys } from '../../dns/keys.ts';
import { pendingSteps, rolloverTimings, startRollover } from '../../dns/rollover.ts';
import { dnsConfigFromEnv } from '../../dns/zone-model.ts';
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
      const timings = rolloverTimings(dnsConfigFromEnv(reg.profile.tld));
      for (const zone of zones) {
        const steps = await pendingSteps(reg.db, zone, timings);
        for (const k of await zoneKeys(reg.db, zone, reg.clock.now())) {
          const row = await reg.db.selectFrom('dns_keys').select(['created_at', 'active_at']).where('id', '=', k.id).executeTakeFirstOrThrow();
          const step = steps.find((s) => s.keyTag === k.keyTag && s.role === k.role);
          rows.push({ zone, role: k.role, algorithm: k.algorithm, keyTag: k.keyTag, flags: k.flags, state: k.state, created: row.created_at, active: row.active_at,
            next: step ? `${step.to} at ${step.at.toISOString()}` : '' });
        }
      }
      ctx.io.out(o.json ? json(rows) : table(rows, ['zone', 'role', 'algorithm', 'keyTag', 'flags', 'state', 'created', 'active', 'next']));
    });

  dnssec.command('rollover').argument('<role>', 'zsk (pre-publication) or ksk (double-DS)').argument('<zone>', 'the zone')
    .description('starts a key rollover (RFC 7583); the service takes the next steps when their time comes')
    .action(async (role: string, zone: string) => {
      if (role !== 'zsk' && role !== 'ksk') throw new Error(`rollover of '${role}': zsk or ksk`);
      const reg = await ctx.registry();
      const origin = zone.toLowerCase().replace(/\.$/, '');
      const zones = (await publishedZones(reg.db)).map((z) => z.name);
      if (!zones.includes(origin)) throw new Error(`${origin} is not a zone of this registry (zones: ${zones.join(', ')})`);
      const { keyTag } = await startRollover(reg.db, origin, role, reg.clock.now());
      const step = (await pendingSteps(reg.db, origin, rolloverTimings(dnsConfigFromEnv(reg.profile.tld)))).find((s) => s.keyTag === keyTag);
      ctx.io.out(role === 'zsk'
        ? `${origin}: new ZSK ${keyTag} pre-published; it signs from ${step?.at.toISOString()}\n`
        : `${origin}: new KSK ${keyTag}; its DS must be at the parent (domen dnssec ds ${origin}); it replaces the old KSK from ${step?.at.toISOString()}\n`);
    });

  dnssec.command('ds').argument('[zone]', 'the zone (default: the TLD)')
    .description("the DS records (SHA-256) the parent must have for the zone's KSKs (two during a KSK rollover), in zone-file form")
    .action(async (zone: string | undefined) => {
      const reg = await ctx.registry();
      const origin = (zone ?? reg.profile.tld).toLowerCase().replace(/\.$/, '');
      for (const k of await zoneKeys(reg.db, origin, reg.clock.now())) {
        if (!dsAtParent(k)) continue;
        ctx.io.out(`${origin}.\tIN\tDS\t${rdataText(T.DS, dsFor(origin, k.dnskey))}\n`);
        ctx.io.out(`${origin}.\tIN\tDNSKEY\t${rdataText(T.DNSKEY, k.dnskey)}\n`);
      }
    });
}
