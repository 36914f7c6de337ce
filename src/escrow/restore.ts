// Restoring a deposit into an empty registry, and importing one made by another registry system.
//
// The files are read as streams (reader.ts); every object is mapped to rows in a staging table of the restore
// transaction, and the registry tables are filled from it with set-based SQL at the end, in dependency order
// (registrars, contacts, domains, hosts, then links), so that objects may come in any order and memory stays
// one batch deep. Whatever cannot be mapped (an unknown status, a sponsor that is not in the deposit nor in
// the registry, a registrant that is missing, a name outside our zones) is left out and listed in the report,
// with the reason; the rest is restored. Our own deposits carry the domen:* extension, so nothing is lost.
import { sql } from 'kysely';
import punycode from 'punycode';
import type { Readable } from 'node:stream';
import type { Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation, type Tx } from '../core/operation.ts';
import { randomSecret } from '../core/passwords.ts';
import { PolicyService } from '../core/policy-service.ts';
import type { Registry } from '../core/registry.ts';
import { zoneOf } from '../dns/build.ts';
import { fold } from '../policy/fold.ts';
import { RDE_NS } from './namespaces.ts';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { child, children, readDepositStream, textOf, type FileSummary, type XNode } from './reader.ts';
import type { RdeSchema } from './schema.ts';

export interface RestoreSource { name: string; open(): Promise<Readable> }

export interface Unmapped { object: string; key: string; reason: string }

export interface RestoreReport {
  depositId: string; type: string; watermark: string; files: FileSummary[];
  restored: { registrars: number; contacts: number; domains: number; hosts: number; listEntries: number; ds: number; transfers: number };
  /** What could not be mapped, one line each (the first `limit`), and totals per reason. */
  unmapped: Unmapped[];
  unmappedTotals: Record<string, number>;
  notes: string[];
  /** The DIFF deposits applied after it, in order. */
  diffs: AppliedDiff[];
}

export interface AppliedDiff {
  id: string; prevId: string | null; watermark: string;
  added: RestoreReport['restored']; changed: Record<string, number>; deleted: Record<string, number>;
}

const DOMAIN_STATUSES = new Set(['clientDeleteProhibited', 'clientHold', 'clientRenewProhibited', 'clientTransferProhibited', 'clientUpdateProhibited',
  'serverDeleteProhibited', 'serverHold', 'serverRenewProhibited', 'serverTransferProhibited', 'serverUpdateProhibited',
  'pendingCreate', 'pendingDelete', 'pendingRenew', 'pendingTransfer', 'pendingUpdate']);
const OBJECT_STATUSES = new Set(['clientDeleteProhibited', 'clientTransferProhibited', 'clientUpdateProhibited',
  'serverDeleteProhibited', 'serverTransferProhibited', 'serverUpdateProhibited', 'pendingCreate', 'pendingDelete', 'pendingTransfer', 'pendingUpdate']);
// Derived by the registry, never stored.
const DERIVED = new Set(['ok', 'inactive', 'linked']);
const RAR_STATUS: Record<string, string> = { ok: 'active', readonly: 'suspended', terminated: 'terminated' };
const LIST_OF_STATE: Record<string, string> = { blocked: 'stop', withheld: 'reserved', mirrored: 'reserved' };

interface StageRow { kind: string; key: string; data: Record<string, unknown> }

class Mapper {
  rows: StageRow[] = [];
  unmapped: Unmapped[] = [];
  totals: Record<string, number> = {};
  notes = new Set<string>();
  constructor(private readonly zones: string[], private readonly foldTable: Parameters<typeof fold>[1], private readonly tld: string, private readonly limit: number) {}

  miss(object: string, key: string, reason: string, group = reason): void {
    this.totals[group] = (this.totals[group] ?? 0) + 1;
    if (this.unmapped.length < this.limit) this.unmapped.push({ object, key, reason });
  }

  private statuses(object: string, key: string, n: XNode, allowed: Set<string>): string[] {
    const out: string[] = [];
    for (const s of children(n, 'status')) {
      const v = s.attrs.s ?? '';
      if (DERIVED.has(v)) continue;
      if (allowed.has(v)) out.push(v);
      else this.miss(object, key, `status '${v}' is not one we support: left out`, 'unknown status');
    }
    return [...new Set(out)].sort();
  }

  private rr(n: XNode, name: string): string | null { return textOf(n, name); }

  /** rde:deletes of a DIFF (RFC 8909 §5.1, RFC 9022 §5.1.2 ...): domains by name, hosts by ROID, contacts by id, NNDN by aName. */
  private mapDelete(n: XNode): void {
    const k = `${n.uri} ${n.local}`;
    const keys = (local: string) => children(n, local).map((c) => c.text.trim());
    if (k === `${RDE_NS.rdeDomain} delete`) for (const name of keys('name')) this.rows.push({ kind: 'del_domain', key: name.toLowerCase().replace(/\.$/, ''), data: {} });
    else if (k === `${RDE_NS.rdeHost} delete`) for (const roid of keys('roid')) this.rows.push({ kind: 'del_host', key: roid, data: {} });
    else if (k === `${RDE_NS.rdeContact} delete`) for (const id of keys('id')) this.rows.push({ kind: 'del_contact', key: id, data: {} });
    else if (k === `${RDE_NS.rdeNNDN} delete`) {
      for (const a of keys('aName')) this.rows.push({ kind: 'del_nndn', key: a, data: { word: a.toLowerCase().replace(new RegExp(`\\.${this.tld.replace('.', '\\.')}\\.?$`), '') } });
    } else if (k === `${RDE_NS.domen} delete`) {
      for (const e of children(n, 'listEntry')) this.rows.push({ kind: 'del_entry', key: `${e.attrs.list}\n${e.attrs.word}`, data: { list: e.attrs.list, word: e.attrs.word } });
    } else this.miss(n.local, '', `delete of ${n.uri} ${n.local} is not one we apply: left out`, `unknown delete ${n.local}`);
  }

  map(n: XNode, section: 'contents' | 'deletes'): void {
    if (section === 'deletes') { this.mapDelete(n); return; }
    const k = `${n.uri} ${n.local}`;
    switch (k) {
      case `${RDE_NS.rdeRegistrar} registrar`: {
        const id = textOf(n, 'id')!;
        const addr = child(child(n, 'postalInfo') ?? n, 'addr');
        const address = addr ? [...children(addr, 'street').map((s) => s.text.trim()), textOf(addr, 'city'), textOf(addr, 'sp'), textOf(addr, 'pc'), textOf(addr, 'cc')].filter(Boolean).join(', ') : null;
        const status = RAR_STATUS[textOf(n, 'status') ?? 'ok'];
        if (!status) this.miss('registrar', id, `status '${textOf(n, 'status')}' is not one we support: restored as active`, 'unknown status');
        this.rows.push({ kind: 'registrar', key: id, data: { id, name: textOf(n, 'name'), status: status ?? 'active', email: textOf(n, 'email'), phone: textOf(n, 'voice'),
          url: textOf(n, 'url'), address, created_at: textOf(n, 'crDate'), updated_at: textOf(n, 'upDate') ?? textOf(n, 'crDate') } });
        return;
      }
      case `${RDE_NS.domen} registrar`:
        this.rows.push({ kind: 'registrar_ext', key: n.attrs.id!, data: {
          status: n.attrs.status, legal_form: textOf(n, 'legalForm'), phone: textOf(n, 'phone'), address: textOf(n, 'address'), url: textOf(n, 'url'),
          password_hash: textOf(n, 'passwordHash'), ip_allowlist: children(n, 'ipAllow').map((c) => c.text.trim()),
          certs: children(n, 'certificate').map((c) => ({ fingerprint: c.attrs.fingerprint, created_at: c.attrs.crDate, certificate: c.text })) } });
        return;
      case `${RDE_NS.rdeContact} contact`: {
        const handle = textOf(n, 'id')!;
        const pi = children(n, 'postalInfo');
        const p = pi.find((x) => x.attrs.type === 'loc') ?? pi[0]!;
        const addr = child(p, 'addr')!;
        this.rows.push({ kind: 'contact', key: textOf(n, 'roid')!, data: {
          handle, roid: textOf(n, 'roid'), registrar_id: textOf(n, 'clID'), name: textOf(p, 'name'), org: textOf(p, 'org'),
          street: children(addr, 'street').map((s) => s.text.trim()), city: textOf(addr, 'city'), sp: textOf(addr, 'sp'), pc: textOf(addr, 'pc'), cc: textOf(addr, 'cc'),
          voice: textOf(n, 'voice'), fax: textOf(n, 'fax'), email: textOf(n, 'email'), fallback_auth: randomSecret(),
          statuses: this.statuses('contact', handle, n, OBJECT_STATUSES),
          created_at: textOf(n, 'crDate'), created_by: this.rr(n, 'crRr'), updated_at: textOf(n, 'upDate'), updated_by: this.rr(n, 'upRr') } });
        return;
      }
      case `${RDE_NS.domen} contact`: {
        const t = (x: string) => textOf(n, x);
        const rep = t('representative');
        this.rows.push({ kind: 'contact_ext', key: n.attrs.roid!, data: {
          kind: n.attrs.kind, verification: n.attrs.verification, crBy: n.attrs.crBy ?? null, upBy: n.attrs.upBy ?? null,
          given_name: t('givenName'), family_name: t('familyName'), patronymic: t('patronymic'), org_name: t('orgName'), citizenship: t('citizenship'),
          reg_country: t('regCountry'), street: children(n, 'street').map((s) => s.text.trim()), id_series: t('idSeries'), id_number: t('idNumber'),
          id_authority: t('idAuthority'), id_issued_on: t('idIssuedOn'), tin: t('tin'), representative: rep ? JSON.parse(rep) as unknown : null,
          disclose: JSON.parse(t('disclose') ?? '{}') as unknown, auth_info: child(n, 'authInfo')?.text ?? null } });
        return;
      }
      case `${RDE_NS.rdeHost} host`: {
        const name = textOf(n, 'name')!.toLowerCase().replace(/\.$/, '');
        const roid = textOf(n, 'roid')!;
        const zone = zoneOf(name, this.zones);
        const sup = zone ? `${name.slice(0, name.length - zone.length - 1).split('.').pop()}.${zone}` : null;
        this.rows.push({ kind: 'host', key: roid, data: { roid, name, registrar_id: textOf(n, 'clID'), sup: sup && sup !== name ? sup : null,
          addresses: children(n, 'addr').map((a) => a.text.trim()).sort(), statuses: this.statuses('host', name, n, OBJECT_STATUSES),
          created_at: textOf(n, 'crDate'), created_by: this.rr(n, 'crRr'), updated_at: textOf(n, 'upDate'), updated_by: this.rr(n, 'upRr') } });
        return;
      }
      case `${RDE_NS.domen} host`:
        this.rows.push({ kind: 'host_ext', key: n.attrs.roid!, data: { crBy: n.attrs.crBy ?? null, upBy: n.attrs.upBy ?? null } });
        return;
      case `${RDE_NS.rdeDomain} domain`: {
        const name = textOf(n, 'name')!.toLowerCase().replace(/\.$/, '');
        const roid = textOf(n, 'roid')!;
        const zone = zoneOf(name, this.zones);
        if (!zone || zone === name) { this.miss('domain', name, 'not under a zone of this registry: left out', 'outside our zones'); return; }
        const uname = (textOf(n, 'uName') ?? punycode.toUnicode(name)).normalize('NFC');
        const label = uname.slice(0, uname.length - zone.length - 1);
        if (label.includes('.')) { this.miss('domain', name, `not directly under the zone ${zone}: left out`, 'outside our zones'); return; }
        // Redemption grace (RFC 3915) is not a state of this registry: a deleted name is released at once.
        for (const g of children(n, 'rgpStatus')) this.miss('domain', name, `RGP status '${g.attrs.s ?? ''}' is not one we support: left out`, 'unknown status');
        const tr = child(n, 'trnData');
        this.rows.push({ kind: 'domain', key: roid, data: {
          roid, name, unicode_name: uname, zone, bundle_key: `${fold(label, this.foldTable)}.${zone}`, registrar_id: textOf(n, 'clID'),
          registrant: textOf(n, 'registrant'), fallback_auth: randomSecret(), statuses: this.statuses('domain', name, n, DOMAIN_STATUSES),
          created_at: textOf(n, 'crDate'), created_by: this.rr(n, 'crRr'), expires_at: textOf(n, 'exDate'), updated_at: textOf(n, 'upDate'),
          updated_by: this.rr(n, 'upRr'), transferred_at: textOf(n, 'trDate'),
          transfer: tr && textOf(tr, 'trStatus') === 'pending' ? { gaining: textOf(tr, 'reRr'), requested_at: textOf(tr, 'reDate'), losing: textOf(tr, 'acRr'),
            action_due_at: textOf(tr, 'acDate'), expires_after: textOf(tr, 'exDate') } : null } });
        if (!textOf(n, 'exDate')) this.miss('domain', name, 'no exDate: left out', 'missing expiry');
        if (!textOf(n, 'registrant')) this.notes.add('domains without a registrant are left out: this registry requires one (R3.7)');
        for (const c of children(n, 'contact')) this.rows.push({ kind: 'domain_contact', key: roid, data: { handle: c.text.trim(), type: c.attrs.type } });
        const ns = child(n, 'ns');
        if (ns) {
          for (const h of children(ns, 'hostObj')) this.rows.push({ kind: 'domain_ns', key: roid, data: { host: h.text.trim().toLowerCase().replace(/\.$/, '') } });
          if (children(ns, 'hostAttr').length) this.miss('domain', name, 'host attributes (RFC 5731 hostAttr) are not supported: name servers left out', 'hostAttr');
        }
        const sec = child(n, 'secDNS');
        if (sec) {
          for (const d of children(sec, 'dsData')) {
            this.rows.push({ kind: 'domain_ds', key: roid, data: { key_tag: Number(textOf(d, 'keyTag')), algorithm: Number(textOf(d, 'alg')),
              digest_type: Number(textOf(d, 'digestType')), digest: textOf(d, 'digest')!.toUpperCase() } });
          }
          if (children(sec, 'keyData').length) this.miss('domain', name, 'secDNS keyData (no DS) is not supported: left out', 'secDNS keyData');
        }
        return;
      }
      case `${RDE_NS.domen} domain`:
        this.rows.push({ kind: 'domain_ext', key: n.attrs.roid!, data: { zone: n.attrs.zone, grandfathered: n.attrs.grandfathered === 'true' || n.attrs.grandfathered === '1',
          crBy: n.attrs.crBy ?? null, upBy: n.attrs.upBy ?? null, auth_info: child(n, 'authInfo')?.text ?? null, suspended_at: textOf(n, 'suspended'),
          transfer_period: textOf(n, 'transferPeriod') ? Number(textOf(n, 'transferPeriod')) : null } });
        return;
      case `${RDE_NS.rdeNNDN} NNDN`: {
        const aName = textOf(n, 'aName')!;
        const state = textOf(n, 'nameState') ?? 'blocked';
        const word = (textOf(n, 'uName') ?? aName).toLowerCase().replace(new RegExp(`\\.${this.tld.replace('.', '\\.')}\\.?$`), '');
        const list = LIST_OF_STATE[state];
        if (!list) { this.miss('NNDN', aName, `name state '${state}' is unknown: left out`, 'unknown status'); return; }
        this.rows.push({ kind: 'nndn', key: aName, data: { word, list, created_at: textOf(n, 'crDate') } });
        return;
      }
      case `${RDE_NS.domen} listEntry`: {
        // Completes the NNDN just before it (the writer puts it there; the stager holds the last row back).
        const last = this.rows[this.rows.length - 1];
        if (last?.kind === 'nndn' && last.key === n.attrs.aName) {
          Object.assign(last.data, { list: n.attrs.list, match: n.attrs.match, word: textOf(n, 'word'), note: textOf(n, 'note') });
        } else this.miss('listEntry', n.attrs.aName ?? '', 'does not follow its NNDN: left out', 'misplaced extension');
        return;
      }
      case `${RDE_NS.rdeHeader} header`:
      case `${RDE_NS.rdeIDN} idnTableRef`:
      case `${RDE_NS.rdeEppParams} eppParams`:
      case `${RDE_NS.rdePolicy} policy`:
        return; // Describe the registry that made the deposit; ours come from our profile.
      default:
        this.miss(n.local, '', `object ${n.uri} ${n.local} is not one we restore: left out`, `unknown object ${n.local}`);
    }
  }
}

async function stage(tx: Tx, rows: StageRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`insert into escrow_stage (kind, key, data)
    select x.kind, x.key, x.data from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(kind text, key text, data jsonb)`.execute(tx);
}

export interface RestoreOptions { schema?: RdeSchema | null; limit?: number }

interface DepositGroup { id: string; type: string; prevId: string | null; sources: RestoreSource[] }

/** The root attributes of a deposit file, read from its first bytes. */
async function peek(src: RestoreSource): Promise<{ id: string; type: string; prevId: string | null }> {
  const input = await src.open();
  const parser = new SaxesParser({ xmlns: true });
  let root: Record<string, string> | null = null;
  parser.on('opentag', (t: SaxesTagNS) => {
    root ??= Object.fromEntries((Object.values(t.attributes) as SaxesAttributeNS[]).map((x) => [x.local, x.value]));
  });
  parser.on('error', () => { /* the full read reports it */ });
  try {
    for await (const chunk of input) {
      parser.write(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
      if (root) break;
    }
  } finally { input.destroy(); }
  const r = root as Record<string, string> | null;
  if (!r?.id) throw new RegistryError('syntax', `${src.name}: not an rde:deposit (no id)`, 'RFC 8909 §5');
  return { id: r.id, type: r.type ?? '', prevId: r.prevId ?? null };
}

/** Files grouped by deposit, in the order given. */
async function groupDeposits(sources: RestoreSource[]): Promise<DepositGroup[]> {
  const groups: DepositGroup[] = [];
  for (const src of sources) {
    const h = await peek(src);
    const g = groups.find((x) => x.id === h.id);
    if (g) g.sources.push(src);
    else groups.push({ ...h, sources: [src] });
  }
  return groups;
}

export const RESTORED_SETTING = 'escrow.restored';

/**
 * Restores a FULL deposit (all its split files), or imports another registry's, into this registry, which must
 * hold no domains; and applies the DIFF deposits that follow it (RFC 8909 §5.1), given in the same call or in a
 * later one (each DIFF's prevId must name the deposit the registry was last brought to). All in one transaction.
 */
export async function restoreDeposit(reg: Registry, actor: Actor, sources: RestoreSource[], opts: RestoreOptions = {}): Promise<RestoreReport> {
  if (!sources.length) throw new RegistryError('syntax', 'no deposit files given', 'RFC 8909 §5');
  const groups = await groupDeposits(sources);
  const fulls = groups.filter((g) => g.type === 'FULL');
  if (fulls.length > 1) throw new RegistryError('policy', `give one FULL deposit (and the DIFFs after it), not ${fulls.length}`, 'RFC 8909 §5.1');
  const bad = groups.find((g) => g.type !== 'FULL' && g.type !== 'DIFF');
  if (bad) throw new RegistryError('policy', `${bad.id} is a ${bad.type || 'untyped'} deposit: only FULL and DIFF deposits restore`, 'RFC 8909 §5.1');
  if (fulls.length) {
    const any = await reg.db.selectFrom('domains').select('id').limit(1).executeTakeFirst();
    if (any) throw new RegistryError('policy', 'this registry already holds domains: a deposit restores only into an empty registry', 'RFC 8909 §1');
  }
  const zones = (await reg.db.selectFrom('zones').select('name').execute()).map((z) => z.name);
  return runOperation(reg, actor, 'escrow.restore', async (ctx) => {
    const tx = ctx.tx;
    const mapper = new Mapper(zones, reg.profile.fold, reg.profile.tld, opts.limit ?? 1000);
    await sql`create temp table escrow_stage (seq bigint generated always as identity, kind text not null, key text not null, data jsonb not null) on commit drop`.execute(tx);

    // The chain: the FULL, then each DIFF whose prevId names the deposit before it.
    const saved = await tx.selectFrom('settings').select('value').where('key', '=', RESTORED_SETTING).executeTakeFirst();
    let at: { id: string; watermark: string } | null = fulls.length ? null : saved ? saved.value as { id: string; watermark: string } : null;
    if (!fulls.length && !at) throw new RegistryError('policy', 'no deposit was restored into this registry: give the FULL deposit before its DIFFs', 'RFC 8909 §5.1');
    const order: DepositGroup[] = fulls.length ? [fulls[0]!] : [];
    const diffs = groups.filter((g) => g.type === 'DIFF');
    for (let prev = order[0]?.id ?? at!.id; diffs.length;) {
      const i = diffs.findIndex((d) => d.prevId === prev);
      if (i < 0) {
        throw new RegistryError('policy', `deposit ${diffs.map((d) => d.id).join(', ')} does not follow ${prev} (prevId ${diffs.map((d) => d.prevId ?? 'none').join(', ')}): `
          + 'give the deposits in between', 'RFC 8909 §5.1');
      }
      const [d] = diffs.splice(i, 1);
      order.push(d!);
      prev = d!.id;
    }

    let report: RestoreReport | null = null;
    let indexed = false;
    for (const g of order) {
      await sql`delete from escrow_stage`.execute(tx);
      const files: FileSummary[] = [];
      for (const src of g.sources) {
        const s = await readDepositStream(await src.open(), {
          where: src.name, schema: opts.schema ?? null,
          onObject: async (n, section) => {
            mapper.map(n, section);
            // The last row stays: an extension element may still complete it.
            if (mapper.rows.length >= 500) { const r = mapper.rows.splice(0, mapper.rows.length - 1); await stage(tx, r); }
          },
        });
        await stage(tx, mapper.rows); mapper.rows = [];
        files.push(s);
      }
      const first = files[0]!;
      for (const f of files) {
        if (f.id !== first.id || f.watermark !== first.watermark) throw new RegistryError('policy', 'the files are not parts of one deposit (their ids or watermarks differ)', 'RFC 8909 §5');
        if (f.problems.length) throw new RegistryError('policy', f.problems.join('; '), 'RFC 9022 §5.1.1');
      }
      if (!indexed) { await sql`create index on escrow_stage (kind, key)`.execute(tx); indexed = true; }
      await sql`analyze escrow_stage`.execute(tx);
      if (g.type === 'FULL') {
        const restored = await applyFull(tx, mapper);
        report = { depositId: first.id, type: first.type, watermark: first.watermark, files, restored, diffs: [], unmapped: [], unmappedTotals: {}, notes: [] };
        await ctx.record({ objectType: 'escrow', objectId: first.id, before: null, after: { restored, unmappedTotals: mapper.totals }, topic: 'escrow.restored', history: false });
      } else {
        const applied = await applyDiff(tx, mapper, first.watermark);
        report ??= { depositId: first.id, type: first.type, watermark: first.watermark, files: [], restored: zeroRestored(), diffs: [], unmapped: [], unmappedTotals: {}, notes: [] };
        report.files.push(...files);
        report.diffs.push({ id: first.id, prevId: first.prevId, watermark: first.watermark, ...applied });
        await ctx.record({ objectType: 'escrow', objectId: first.id, before: null, after: { applied, prevId: first.prevId }, topic: 'escrow.restored', history: false });
      }
      at = { id: first.id, watermark: first.watermark };
    }

    // New ROIDs must not collide with restored ones (RFC 5730 §2.8).
    await sql`select setval('roid_seq', greatest((select last_value from roid_seq), coalesce((select max(n) from (
        select substring(roid from '^[DCH]([0-9]+)-')::int8 as n from domains union all
        select substring(roid from '^[DCH]([0-9]+)-')::int8 from contacts union all
        select substring(roid from '^[DCH]([0-9]+)-')::int8 from hosts) r), 1)))`.execute(tx);
    // Where the registry now stands, for the DIFFs that come later.
    await sql`insert into settings (key, value) values (${RESTORED_SETTING}, ${JSON.stringify(at)}::jsonb)
      on conflict (key) do update set value = excluded.value`.execute(tx);
    return { ...report!, unmapped: mapper.unmapped, unmappedTotals: mapper.totals, notes: [...mapper.notes] };
  });
}

const zeroRestored = (): RestoreReport['restored'] => ({ registrars: 0, contacts: 0, domains: 0, hosts: 0, listEntries: 0, ds: 0, transfers: 0 });
const count = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0n);

// The rows a deposit's staged objects become, one fragment per table, shared by FULL (insert) and DIFF (update
// in place, then insert what is new). Each carries the stage seq, to keep the deposit's order.
const cols = (c: readonly string[]) => sql.raw(c.join(', '));
const REGISTRAR_COLS = ['id', 'name', 'legal_form', 'email', 'phone', 'address', 'url', 'status', 'password_hash', 'ip_allowlist', 'created_at', 'updated_at'] as const;
const registrarRows = sql`select s.key as id, s.data->>'name' as name, x.data->>'legal_form' as legal_form, s.data->>'email' as email,
    case when x.key is null then s.data->>'phone' else x.data->>'phone' end as phone, case when x.key is null then s.data->>'address' else x.data->>'address' end as address,
    case when x.key is null then s.data->>'url' else x.data->>'url' end as url, coalesce(x.data->>'status', s.data->>'status') as status,
    coalesce(x.data->>'password_hash', '!imported: no EPP password in the deposit') as password_hash,
    coalesce(array(select jsonb_array_elements_text(x.data->'ip_allowlist')), '{}') as ip_allowlist,
    (s.data->>'created_at')::timestamptz as created_at, (s.data->>'updated_at')::timestamptz as updated_at, s.seq
  from escrow_stage s left join escrow_stage x on x.kind = 'registrar_ext' and x.key = s.key
  where s.kind = 'registrar'`;

const CONTACT_COLS = ['handle', 'roid', 'registrar_id', 'kind', 'given_name', 'family_name', 'patronymic', 'org_name', 'citizenship', 'reg_country',
  'street', 'city', 'sp', 'pc', 'cc', 'voice', 'fax', 'email', 'id_series', 'id_number', 'id_authority', 'id_issued_on', 'tin', 'representative', 'disclose',
  'verification', 'auth_info', 'statuses', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;
const contactRows = sql`select s.data->>'handle' as handle, s.key as roid, s.data->>'registrar_id' as registrar_id,
    coalesce(x.data->>'kind', case when s.data->>'org' is null then 'natural' else 'legal' end) as kind,
    case when x.key is null then split_part(s.data->>'name', ' ', 1) else x.data->>'given_name' end as given_name,
    case when x.key is null then nullif(substr(s.data->>'name', length(split_part(s.data->>'name', ' ', 1)) + 2), '') else x.data->>'family_name' end as family_name,
    x.data->>'patronymic' as patronymic, case when x.key is null then s.data->>'org' else x.data->>'org_name' end as org_name,
    x.data->>'citizenship' as citizenship, x.data->>'reg_country' as reg_country,
    case when jsonb_array_length(coalesce(x.data->'street', '[]')) > 0 then array(select jsonb_array_elements_text(x.data->'street'))
      else array(select jsonb_array_elements_text(s.data->'street')) end as street,
    s.data->>'city' as city, s.data->>'sp' as sp, s.data->>'pc' as pc, s.data->>'cc' as cc, s.data->>'voice' as voice, s.data->>'fax' as fax, s.data->>'email' as email,
    x.data->>'id_series' as id_series, x.data->>'id_number' as id_number, x.data->>'id_authority' as id_authority, (x.data->>'id_issued_on')::date as id_issued_on,
    x.data->>'tin' as tin,
    case when x.data->'representative' is null or x.data->'representative' = 'null'::jsonb then null else x.data->'representative' end as representative,
    coalesce(x.data->'disclose', '{}'::jsonb) as disclose, coalesce(x.data->>'verification', 'unverified') as verification,
    coalesce(x.data->>'auth_info', s.data->>'fallback_auth') as auth_info,
    array(select jsonb_array_elements_text(s.data->'statuses')) as statuses,
    (s.data->>'created_at')::timestamptz as created_at, coalesce(x.data->>'crBy', s.data->>'created_by', s.data->>'registrar_id') as created_by,
    (s.data->>'updated_at')::timestamptz as updated_at,
    case when s.data->>'updated_at' is null then null else coalesce(x.data->>'upBy', s.data->>'updated_by') end as updated_by, s.seq
  from escrow_stage s left join escrow_stage x on x.kind = 'contact_ext' and x.key = s.key
  where s.kind = 'contact' and exists (select 1 from registrars r where r.id = s.data->>'registrar_id')`;

const DOMAIN_COLS = ['roid', 'name', 'unicode_name', 'zone', 'bundle_key', 'registrar_id', 'registrant_id', 'auth_info', 'statuses', 'grandfathered',
  'created_at', 'created_by', 'expires_at', 'updated_at', 'updated_by', 'transferred_at', 'suspended_at'] as const;
const domainRows = sql`select s.key as roid, s.data->>'name' as name, s.data->>'unicode_name' as unicode_name, coalesce(x.data->>'zone', s.data->>'zone') as zone,
    s.data->>'bundle_key' as bundle_key, s.data->>'registrar_id' as registrar_id, c.id as registrant_id,
    coalesce(x.data->>'auth_info', s.data->>'fallback_auth') as auth_info, array(select jsonb_array_elements_text(s.data->'statuses')) as statuses,
    coalesce((x.data->>'grandfathered')::boolean, false) as grandfathered,
    (s.data->>'created_at')::timestamptz as created_at, coalesce(x.data->>'crBy', s.data->>'created_by', s.data->>'registrar_id') as created_by,
    (s.data->>'expires_at')::timestamptz as expires_at, (s.data->>'updated_at')::timestamptz as updated_at,
    case when s.data->>'updated_at' is null then null else coalesce(x.data->>'upBy', s.data->>'updated_by') end as updated_by,
    (s.data->>'transferred_at')::timestamptz as transferred_at, (x.data->>'suspended_at')::timestamptz as suspended_at, s.seq
  from escrow_stage s join contacts c on c.handle = s.data->>'registrant' and c.deleted_at is null
    left join escrow_stage x on x.kind = 'domain_ext' and x.key = s.key
  where s.kind = 'domain' and s.data->>'expires_at' is not null and exists (select 1 from registrars r where r.id = s.data->>'registrar_id')`;

const HOST_COLS = ['roid', 'name', 'registrar_id', 'superordinate_domain_id', 'addresses', 'statuses', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;
const hostRows = sql`select s.key as roid, s.data->>'name' as name, s.data->>'registrar_id' as registrar_id, d.id as superordinate_domain_id,
    array(select jsonb_array_elements_text(s.data->'addresses')) as addresses,
    array(select jsonb_array_elements_text(s.data->'statuses')) as statuses, (s.data->>'created_at')::timestamptz as created_at,
    coalesce(x.data->>'crBy', s.data->>'created_by', s.data->>'registrar_id') as created_by, (s.data->>'updated_at')::timestamptz as updated_at,
    case when s.data->>'updated_at' is null then null else coalesce(x.data->>'upBy', s.data->>'updated_by') end as updated_by, s.seq
  from escrow_stage s left join domains d on d.name = s.data->>'sup' and d.deleted_at is null
    left join escrow_stage x on x.kind = 'host_ext' and x.key = s.key
  where s.kind = 'host' and exists (select 1 from registrars r where r.id = s.data->>'registrar_id') and (s.data->>'sup' is null or d.id is not null)`;

/** Updates the rows of `table` that the staged objects name by `key` (in place: their ids and links stay). */
async function updateInPlace(tx: Tx, table: string, key: string, columns: readonly string[], rows: ReturnType<typeof sql>): Promise<number> {
  const set = columns.filter((c) => c !== key);
  return count(await sql`update ${sql.table(table)} t set (${cols(set)}) = (${sql.raw(set.map((c) => `r.${c}`).join(', '))})
    from (${rows}) r where t.${sql.ref(key)} = r.${sql.ref(key)}`.execute(tx));
}

/**
 * A DIFF deposit (RFC 8909 §5.1) on top of the registry restored so far: its deletes go (as the core deletes:
 * the row stays, marked deleted at the watermark), its objects replace the ones they name (same ROID) or are
 * added; the links of every domain in it are rebuilt. The result is what a FULL at the DIFF's watermark holds.
 */
async function applyDiff(tx: Tx, mapper: Mapper, watermark: string): Promise<Omit<AppliedDiff, 'id' | 'prevId' | 'watermark'>> {
  const w = sql`${watermark}::timestamptz`;
  const deleted: Record<string, number> = {};
  deleted.domains = count(await sql`update domains set deleted_at = ${w} where deleted_at is null and name in (select key from escrow_stage where kind = 'del_domain')`.execute(tx));
  await sql`delete from domain_hosts where domain_id in (select id from domains where deleted_at = ${w} and name in (select key from escrow_stage where kind = 'del_domain'))`.execute(tx);
  deleted.hosts = count(await sql`update hosts set deleted_at = ${w} where deleted_at is null and roid in (select key from escrow_stage where kind = 'del_host')`.execute(tx));
  await sql`delete from domain_hosts where host_id in (select id from hosts where roid in (select key from escrow_stage where kind = 'del_host'))`.execute(tx);
  deleted.contacts = count(await sql`update contacts set deleted_at = ${w} where deleted_at is null and handle in (select key from escrow_stage where kind = 'del_contact')`.execute(tx));
  const entries = await sql<{ n: number }>`select count(*)::int as n from escrow_stage where kind = 'del_entry'`.execute(tx);
  deleted.listEntries = entries.rows[0]!.n > 0
    ? count(await sql`delete from policy_list_entries p using escrow_stage s where s.kind = 'del_entry' and p.list = s.data->>'list' and p.word = s.data->>'word'`.execute(tx))
    // Another system's deposit names NNDN by label only.
    : count(await sql`delete from policy_list_entries p using escrow_stage s where s.kind = 'del_nndn' and p.word = s.data->>'word'`.execute(tx));

  // A name or handle now held by another object (deleted and created again since): the old one went.
  await sql`update contacts c set deleted_at = ${w} from escrow_stage s where s.kind = 'contact' and c.deleted_at is null and c.handle = s.data->>'handle' and c.roid <> s.key`.execute(tx);
  await sql`update domains d set deleted_at = ${w} from escrow_stage s where s.kind = 'domain' and d.deleted_at is null and d.name = s.data->>'name' and d.roid <> s.key`.execute(tx);
  await sql`update hosts h set deleted_at = ${w} from escrow_stage s where s.kind = 'host' and h.deleted_at is null and h.name = s.data->>'name' and h.roid <> s.key`.execute(tx);

  const changed: Record<string, number> = {};
  changed.registrars = await updateInPlace(tx, 'registrars', 'id', REGISTRAR_COLS, registrarRows);
  await sql`delete from registrar_certificates where registrar_id in (select key from escrow_stage where kind = 'registrar_ext')`.execute(tx);
  changed.contacts = await updateInPlace(tx, 'contacts', 'roid', CONTACT_COLS, contactRows);
  changed.domains = await updateInPlace(tx, 'domains', 'roid', DOMAIN_COLS, domainRows);
  changed.hosts = await updateInPlace(tx, 'hosts', 'roid', HOST_COLS, hostRows);
  // The links of the domains in the DIFF are rebuilt from it; a pending transfer it no longer shows has ended.
  const inDiff = sql`(select d.id from domains d join escrow_stage s on s.kind = 'domain' and d.roid = s.key)`;
  await sql`delete from domain_contacts where domain_id in ${inDiff}`.execute(tx);
  await sql`delete from domain_hosts where domain_id in ${inDiff}`.execute(tx);
  await sql`delete from domain_ds where domain_id in ${inDiff}`.execute(tx);
  await sql`update transfers t set status = case when d.registrar_id = t.gaining_registrar_id then 'serverApproved' else 'serverCancelled' end
    from domains d where t.domain_id = d.id and t.status = 'pending' and d.id in ${inDiff}
      and not exists (select 1 from escrow_stage s where s.kind = 'domain' and s.key = d.roid and s.data->'transfer'->>'gaining' = t.gaining_registrar_id
        and (s.data->'transfer'->>'requested_at')::timestamptz = t.requested_at)`.execute(tx);
  const added = await applyFull(tx, mapper, { diff: true });
  return { added, changed, deleted };
}

/** A FULL deposit into the empty registry (or, for a DIFF, what is new in it), from the staged rows. */
async function applyFull(tx: Tx, mapper: Mapper, opts: { diff?: boolean } = {}): Promise<RestoreReport['restored']> {
    const restored = zeroRestored();

    // Registrars (RFC 9022 §5.4). Without our extension there is no EPP password: an unusable one is set.
    const present = opts.diff ? [] : (await sql<{ key: string }>`select s.key from escrow_stage s where s.kind = 'registrar' and exists (select 1 from registrars r where r.id = s.key)`.execute(tx)).rows;
    for (const r of present) {
      mapper.miss('registrar', r.key, 'already a registrar of this registry: kept as it is', 'registrar already present');
    }
    restored.registrars = count(await sql`insert into registrars (${cols(REGISTRAR_COLS)}) select ${cols(REGISTRAR_COLS)} from (${registrarRows}) r
      where not exists (select 1 from registrars x where x.id = r.id)`.execute(tx));
    await sql`insert into registrar_certificates (registrar_id, fingerprint, certificate, created_at)
      select x.key, c->>'fingerprint', c->>'certificate', (c->>'created_at')::timestamptz
      from escrow_stage x cross join jsonb_array_elements(x.data->'certs') c where x.kind = 'registrar_ext'
      on conflict do nothing`.execute(tx);
    const noPassword = await sql<{ key: string }>`select s.key from escrow_stage s where s.kind = 'registrar'
      and not exists (select 1 from escrow_stage x where x.kind = 'registrar_ext' and x.key = s.key)`.execute(tx);
    if (!opts.diff) for (const r of noPassword.rows) mapper.miss('registrar', r.key, 'no EPP password in the deposit: set one (domen registrar password) before it logs in', 'registrar without password');

    // Contacts (RFC 9022 §5.3) of known registrars.
    for (const r of (await sql<{ handle: string; clid: string }>`select s.data->>'handle' as handle, s.data->>'registrar_id' as clid from escrow_stage s
        where s.kind = 'contact' and not exists (select 1 from registrars r where r.id = s.data->>'registrar_id')`.execute(tx)).rows) {
      mapper.miss('contact', r.handle, `sponsor '${r.clid}' is not a registrar of the deposit nor of this registry: left out`, 'unknown registrar');
    }
    restored.contacts = count(await sql`insert into contacts (${cols(CONTACT_COLS)}) select ${cols(CONTACT_COLS)} from (${contactRows}) r
      where not exists (select 1 from contacts x where x.roid = r.roid) order by r.seq`.execute(tx));

    // Domains (RFC 9022 §5.1) whose sponsor and registrant are known.
    for (const r of (await sql<{ name: string; reason: string; grp: string }>`select s.data->>'name' as name,
        case when not exists (select 1 from registrars r where r.id = s.data->>'registrar_id') then 'sponsor ''' || (s.data->>'registrar_id') || ''' is not a registrar of the deposit nor of this registry: left out'
             else 'registrant ''' || coalesce(s.data->>'registrant', '') || ''' is not a restored contact: left out' end as reason,
        case when not exists (select 1 from registrars r where r.id = s.data->>'registrar_id') then 'unknown registrar' else 'unknown registrant' end as grp
      from escrow_stage s where s.kind = 'domain' and s.data->>'expires_at' is not null and (
        not exists (select 1 from registrars r where r.id = s.data->>'registrar_id')
        or not exists (select 1 from contacts c where c.handle = s.data->>'registrant' and c.deleted_at is null))`.execute(tx)).rows) {
      mapper.miss('domain', r.name, r.reason, r.grp);
    }
    restored.domains = count(await sql`insert into domains (${cols(DOMAIN_COLS)}) select ${cols(DOMAIN_COLS)} from (${domainRows}) r
      where not exists (select 1 from domains x where x.roid = r.roid) order by r.seq`.execute(tx));

    // Hosts (RFC 9022 §5.2); an in-zone host hangs under its superordinate domain (RFC 5732 §1.1).
    for (const r of (await sql<{ name: string; reason: string; grp: string }>`select s.data->>'name' as name,
        case when not exists (select 1 from registrars r where r.id = s.data->>'registrar_id') then 'sponsor ''' || (s.data->>'registrar_id') || ''' is not a registrar of the deposit nor of this registry: left out'
          else 'its superordinate domain ' || (s.data->>'sup') || ' is not restored: left out' end as reason,
        case when not exists (select 1 from registrars r where r.id = s.data->>'registrar_id') then 'unknown registrar' else 'missing superordinate domain' end as grp
      from escrow_stage s where s.kind = 'host' and (not exists (select 1 from registrars r where r.id = s.data->>'registrar_id')
        or (s.data->>'sup' is not null and not exists (select 1 from domains d where d.name = s.data->>'sup' and d.deleted_at is null)))`.execute(tx)).rows) {
      mapper.miss('host', r.name, r.reason, r.grp);
    }
    restored.hosts = count(await sql`insert into hosts (${cols(HOST_COLS)}) select ${cols(HOST_COLS)} from (${hostRows}) r
      where not exists (select 1 from hosts x where x.roid = r.roid) order by r.seq`.execute(tx));

    // Links: contacts, name servers, DS (RFC 9022 §5.1.1), pending transfers.
    await sql`insert into domain_contacts (domain_id, contact_id, type)
      select d.id, c.id, s.data->>'type' from escrow_stage s join domains d on d.roid = s.key
        join contacts c on c.handle = s.data->>'handle' and c.deleted_at is null
      where s.kind = 'domain_contact' on conflict do nothing`.execute(tx);
    for (const r of (await sql<{ name: string; handle: string }>`select d.name, s.data->>'handle' as handle from escrow_stage s join domains d on d.roid = s.key
        where s.kind = 'domain_contact' and not exists (select 1 from contacts c where c.handle = s.data->>'handle' and c.deleted_at is null)`.execute(tx)).rows) {
      mapper.miss('domain', r.name, `contact '${r.handle}' is not a restored contact: link left out`, 'unknown contact');
    }
    await sql`insert into domain_hosts (domain_id, host_id)
      select d.id, h.id from escrow_stage s join domains d on d.roid = s.key join hosts h on h.name = s.data->>'host' and h.deleted_at is null
      where s.kind = 'domain_ns' on conflict do nothing`.execute(tx);
    for (const r of (await sql<{ name: string; host: string }>`select d.name, s.data->>'host' as host from escrow_stage s join domains d on d.roid = s.key
        where s.kind = 'domain_ns' and not exists (select 1 from hosts h where h.name = s.data->>'host' and h.deleted_at is null)`.execute(tx)).rows) {
      mapper.miss('domain', r.name, `name server '${r.host}' is not a restored host: left out`, 'unknown host');
    }
    restored.ds = count(await sql`insert into domain_ds (domain_id, key_tag, algorithm, digest_type, digest)
      select d.id, (s.data->>'key_tag')::int, (s.data->>'algorithm')::int, (s.data->>'digest_type')::int, s.data->>'digest'
      from escrow_stage s join domains d on d.roid = s.key where s.kind = 'domain_ds' on conflict do nothing`.execute(tx));
    restored.transfers = count(await sql`insert into transfers (domain_id, gaining_registrar_id, losing_registrar_id, status, period_years, requested_at, action_due_at, expires_before, expires_after)
      select d.id, s.data->'transfer'->>'gaining', coalesce(s.data->'transfer'->>'losing', d.registrar_id), 'pending', (x.data->>'transfer_period')::int,
        (s.data->'transfer'->>'requested_at')::timestamptz, (s.data->'transfer'->>'action_due_at')::timestamptz, d.expires_at,
        coalesce((s.data->'transfer'->>'expires_after')::timestamptz, d.expires_at)
      from escrow_stage s join domains d on d.roid = s.key left join escrow_stage x on x.kind = 'domain_ext' and x.key = s.key
      where s.kind = 'domain' and s.data->'transfer' is not null and s.data->'transfer' <> 'null'::jsonb
        and exists (select 1 from registrars r where r.id = s.data->'transfer'->>'gaining')
        and not exists (select 1 from transfers t where t.domain_id = d.id and t.status = 'pending')`.execute(tx));

    // NNDN (RFC 9022 §5.6): the deposit's lists replace the starter lists of the empty registry.
    const nndn = await sql<{ n: number }>`select count(*)::int as n from escrow_stage where kind = 'nndn'`.execute(tx);
    if (nndn.rows[0]!.n > 0) {
      if (!opts.diff) await sql`delete from policy_list_entries`.execute(tx);
      restored.listEntries = count(await sql`insert into policy_list_entries (list, word, match, note, created_at)
        select s.data->>'list', s.data->>'word', coalesce(s.data->>'match', 'exact'), s.data->>'note', (s.data->>'created_at')::timestamptz
        from escrow_stage s where s.kind = 'nndn' order by s.seq
        on conflict (list, word) do update set match = excluded.match, note = excluded.note, created_at = excluded.created_at`.execute(tx));
    }
    if (nndn.rows[0]!.n > 0 || opts.diff) await PolicyService.bump(tx);

    return restored;
}
