// Making a deposit (RFC 8909 §5 with the RFC 9022 objects): one consistent snapshot of the registry read
// page by page (REPEATABLE READ, keyset pagination), written as XML while it is read, split into files of at
// most `splitBytes`, each file compressed+encrypted to the escrow agent (.ryde) and signed (.sig). A report
// (.rep, the rdeReport of the ICANN registry interfaces, with the totals) closes the deposit.
//
// File names follow ICANN practice: {tld}_{YYYY-MM-DD}_{full|diff}_S{n}_R{r}.{xml|ryde|sig} and
// {tld}_{YYYY-MM-DD}_{full|diff}_R{r}.rep, where n counts the split files from 1 and r counts the deposits of
// the same kind made earlier on the same day (0 for the first).
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import type { Database } from '../db/schema.ts';
import { EXTENSION_URIS, OBJECT_URIS } from '../epp/namespaces.ts';
import { COUNTED, RDE_NS, zeroCounts, type Counts, type CountKey } from './namespaces.ts';
import { contactPage, domainPage, hostPage, nndnPage, registrarPage, wordLabel, type ObjectXml, type Selection } from './objects.ts';
import { encryptingWriter, signFile, type EscrowKeys } from './pgp.ts';
import { el, tx } from './xml.ts';

export type DepositType = 'FULL' | 'DIFF';

export interface DepositOptions {
  type: DepositType;
  outDir: string;
  /** Encrypt and sign; null writes the plain XML only (tests, inspection). */
  keys: EscrowKeys | null;
  /** Keep the plain XML next to the .ryde files. */
  plain?: boolean;
  /** Start a new file once this many bytes of XML are written (default DOMEN_ESCROW_SPLIT_BYTES or 1 GiB). */
  splitBytes?: number;
}

export interface DepositFile { seq: number; xml: string | null; ryde: string | null; sig: string | null; bytes: number; sha256: string; counts: Counts }

export interface DepositResult {
  id: string; type: DepositType; prevId: string | null; watermark: Date; resend: number;
  files: DepositFile[]; counts: Counts; report: string; deletes: number;
}

export function idnTableId(tld: string): string { return `${tld}-latn`; }

const HEAD_NS = Object.entries(RDE_NS).map(([p, uri]) => `xmlns:${p}="${uri}"`).join(' ');

function menu(): string {
  return el('rde:rdeMenu', null, tx('rde:version', '1.0'),
    [RDE_NS.rdeHeader, RDE_NS.rdeDomain, RDE_NS.rdeHost, RDE_NS.rdeContact, RDE_NS.rdeRegistrar, RDE_NS.rdeIDN, RDE_NS.rdeNNDN,
      RDE_NS.rdeEppParams, RDE_NS.rdePolicy, RDE_NS.domen].map((u) => tx('rde:objURI', u)));
}

export function headerXml(tld: string, counts: Counts): string {
  return el('rdeHeader:header', null, tx('rdeHeader:tld', tld), COUNTED.map((c) => tx('rdeHeader:count', counts[c.key], { uri: c.uri })));
}

/** One split file: every byte goes to the hash, to the plain file and/or the encrypting stream. */
class Part {
  bytes = 0;
  readonly counts = zeroCounts();
  private readonly hash: Hash = createHash('sha256');
  private constructor(readonly seq: number, readonly files: { xml: string | null; ryde: string | null; sig: string | null },
    private readonly sinks: Writable[], private readonly done: Promise<void>[]) {}

  static async open(seq: number, base: string, keys: EscrowKeys | null, keepPlain: boolean): Promise<Part> {
    const sinks: Writable[] = []; const done: Promise<void>[] = [];
    const xml = keys === null || keepPlain ? `${base}.xml` : null;
    if (xml) {
      const ws: WriteStream = createWriteStream(xml, { highWaterMark: 1 << 20 });
      sinks.push(ws);
      done.push(new Promise<void>((resolve, reject) => { ws.on('finish', () => resolve()); ws.on('error', reject); }));
    }
    let ryde: string | null = null;
    if (keys) {
      ryde = `${base}.ryde`;
      const enc = await encryptingWriter(ryde, keys.agent);
      sinks.push(enc.input);
      done.push(enc.done);
    }
    return new Part(seq, { xml, ryde, sig: keys ? `${base}.sig` : null }, sinks, done);
  }

  // Objects are small; the streams below (OpenPGP's web streams above all) pay per chunk, so text is
  // gathered into chunks of about 1 MiB before it goes down.
  private pending: string[] = [];
  private pendingLength = 0;

  async write(s: string): Promise<void> {
    const n = Buffer.byteLength(s, 'utf8');
    this.bytes += n;
    this.pending.push(s);
    this.pendingLength += n;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const b = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(b);
    const waits: Promise<void>[] = [];
    for (const w of this.sinks) if (!w.write(b)) waits.push(new Promise<void>((r) => w.once('drain', () => r())));
    if (waits.length) await Promise.all(waits);
  }

  async close(keys: EscrowKeys | null): Promise<DepositFile> {
    await this.flush();
    for (const w of this.sinks) w.end();
    await Promise.all(this.done);
    if (keys && this.files.ryde && this.files.sig) await signFile(this.files.ryde, this.files.sig, keys.signing);
    return { seq: this.seq, ...this.files, bytes: this.bytes, sha256: this.hash.digest('hex'), counts: { ...this.counts } };
  }
}

function depositId(now: Date, type: DepositType): string {
  // rde:depositIdType is \w{1,13}: yyMMddHHmmss and F or D.
  return now.toISOString().replace(/[-:T]/g, '').slice(2, 14) + type[0];
}

interface Plan { id: string; prevId: string | null; from: number; resend: number }

async function plan(reg: Registry, type: DepositType, now: Date): Promise<Plan> {
  const last = await reg.db.selectFrom('escrow_deposits').select(['id', 'outbox_upto']).orderBy('watermark', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (type === 'DIFF' && !last) throw new RegistryError('policy', 'a differential deposit needs an earlier deposit: make a full deposit first', 'RFC 8909 §5.1');
  const day = now.toISOString().slice(0, 10);
  const same = await sql<{ n: number }>`select count(*)::int as n from escrow_deposits where type = ${type} and to_char(watermark at time zone 'UTC', 'YYYY-MM-DD') = ${day}`.execute(reg.db);
  const id = depositId(now, type);
  const taken = await reg.db.selectFrom('escrow_deposits').select('id').where('id', '=', id).executeTakeFirst();
  if (taken) throw new RegistryError('exists', `deposit ${id} was already made this second; try again`, 'RFC 8909 §5');
  return { id, prevId: last?.id ?? null, from: type === 'DIFF' ? last!.outbox_upto : 0, resend: same.rows[0]!.n };
}

/** Keys of objects changed in the outbox window, paginated (DIFF). */
async function changedKeys(db: Transaction<Database>, type: 'domain' | 'contact' | 'host' | 'registrar' | 'policy', from: number, upto: number, after: string): Promise<string[]> {
  if (type === 'domain') {
    // A renamed or readdressed host changes the <ns> of the domains that use it.
    const r = await sql<{ k: string }>`select k from (
        select object_id as k from outbox where object_type = 'domain' and id > ${from} and id <= ${upto}
        union
        select d.name from outbox o join hosts h on h.roid = o.object_id join domain_hosts dh on dh.host_id = h.id
          join domains d on d.id = dh.domain_id and d.deleted_at is null
         where o.object_type = 'host' and o.id > ${from} and o.id <= ${upto}) s
      where k > ${after} order by k limit 1000`.execute(db);
    return r.rows.map((x) => x.k);
  }
  const r = await sql<{ k: string }>`select distinct object_id as k from outbox where object_type = ${type} and id > ${from} and id <= ${upto}
    and object_id > ${after} order by object_id limit 1000`.execute(db);
  // Policy list events name entries as 'list:word'; the page readers key them 'list\nword'.
  return type === 'policy' ? r.rows.map((x) => x.k.replace(':', '\n')) : r.rows.map((x) => x.k);
}

type Reader = (db: Kysely<Database>, sel: Selection, after: string) => Promise<ObjectXml[]>;

export async function makeDeposit(reg: Registry, actor: Actor, opts: DepositOptions): Promise<DepositResult> {
  const tld = reg.profile.tld;
  const splitBytes = opts.splitBytes ?? (Number(process.env.DOMEN_ESCROW_SPLIT_BYTES) || 1 << 30);
  await mkdir(opts.outDir, { recursive: true });
  const now = reg.clock.now();
  const p = await plan(reg, opts.type, now);
  const kind = opts.type === 'FULL' ? 'full' : 'diff';
  const stem = `${tld}_${now.toISOString().slice(0, 10)}_${kind}`;
  const idnId = idnTableId(tld);
  const readers: Record<'domain' | 'host' | 'contact' | 'registrar' | 'nndn', Reader> = {
    registrar: (db, sel, after) => registrarPage(db, sel, after, reg.profile),
    contact: contactPage,
    host: hostPage,
    domain: (db, sel, after) => domainPage(db, sel, after, idnId),
    nndn: nndnPage,
  };
  const order = ['registrar', 'contact', 'host', 'domain', 'nndn'] as const;
  const outboxType = { registrar: 'registrar', contact: 'contact', host: 'host', domain: 'domain', nndn: 'policy' } as const;

  const files: DepositFile[] = [];
  const written: string[] = [];
  const total = zeroCounts();
  let deletesCount = 0;
  let upto = 0;
  try {
    // One snapshot for the whole deposit: the watermark and the outbox position match the data exactly.
    await reg.db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      const u = await sql<{ n: number | null }>`select max(id)::int8 as n from outbox`.execute(trx);
      upto = Number(u.rows[0]?.n ?? 0);

      // DIFF: the objects changed since the previous deposit; those no longer live are deletes (RFC 8909 §5.1).
      const deletes: Record<string, string[]> = { domain: [], host: [], contact: [], nndn: [] };
      const changed: Partial<Record<(typeof order)[number], string[][]>> = {};
      if (opts.type === 'DIFF') {
        for (const t of order) {
          const pages: string[][] = [];
          let after = '';
          for (;;) {
            const keys = await changedKeys(trx, outboxType[t], p.from, upto, after);
            if (!keys.length) break;
            after = t === 'nndn' ? keys[keys.length - 1]!.replace('\n', ':') : keys[keys.length - 1]!;
            const live = new Set((await readers[t](trx, { kind: 'keys', keys }, '')).map((o) => (t === 'host' ? hostRoid(o.xml) : o.key)));
            if (t !== 'registrar') for (const k of keys) if (!live.has(k)) deletes[t]!.push(k);
            pages.push(keys.filter((k) => live.has(k)));
          }
          changed[t] = pages;
        }
      }

      const head = (seq: number) => `<?xml version="1.0" encoding="UTF-8"?>\n<rde:deposit ${HEAD_NS} type="${opts.type}" id="${p.id}"${p.prevId && opts.type !== 'FULL' ? ` prevId="${p.prevId}"` : ''}${p.resend ? ` resend="${p.resend}"` : ''}>\n`
        + `${tx('rde:watermark', now.toISOString())}\n${menu()}\n${seq === 1 ? deletesXml(deletes) : ''}<rde:contents>\n`;
      deletesCount = Object.values(deletes).reduce((n, l) => n + l.length, 0);

      let part = await Part.open(1, path.join(opts.outDir, `${stem}_S1_R${p.resend}`), opts.keys, Boolean(opts.plain));
      written.push(...Object.values(part.files).filter((f): f is string => f !== null));
      await part.write(head(1));
      const finish = async (pt: Part) => {
        await pt.write(`${headerXml(tld, pt.counts)}\n</rde:contents>\n</rde:deposit>\n`);
        files.push(await pt.close(opts.keys));
      };
      const emit = async (type: CountKey, xml: string, ext: number) => {
        if (part.bytes >= splitBytes) {
          await finish(part);
          part = await Part.open(part.seq + 1, path.join(opts.outDir, `${stem}_S${part.seq + 1}_R${p.resend}`), opts.keys, Boolean(opts.plain));
          written.push(...Object.values(part.files).filter((f): f is string => f !== null));
          await part.write(head(part.seq));
        }
        await part.write(xml + '\n');
        part.counts[type]++; total[type]++;
        part.counts.domen += ext; total.domen += ext;
      };

      // Registry-wide objects: IDN table, EPP parameters, policy (RFC 9022 §5.5, §5.7, §5.8).
      await emit('idn', el('rdeIDN:idnTableRef', { id: idnId },
        tx('rdeIDN:url', process.env.DOMEN_ESCROW_IDN_TABLE_URL || `https://www.nic.${tld}/idn/${idnId}.txt`),
        tx('rdeIDN:urlPolicy', process.env.DOMEN_ESCROW_IDN_POLICY_URL || `https://www.nic.${tld}/idn/policy.html`)), 0);
      await emit('eppParams', eppParamsXml(), 0);
      await part.write(policyXml() + '\n');

      for (const t of order) {
        const emitPage = async (objs: ObjectXml[]) => { for (const o of objs) await emit(t, o.xml, 1); };
        if (opts.type === 'FULL') {
          let after = '';
          for (;;) {
            const objs = await readers[t](trx, { kind: 'all' }, after);
            if (!objs.length) break;
            after = objs[objs.length - 1]!.key;
            await emitPage(objs);
          }
        } else {
          for (const keys of changed[t] ?? []) if (keys.length) await emitPage(await readers[t](trx, { kind: 'keys', keys }, ''));
        }
      }
      await finish(part);
    });

    const reportFile = path.join(opts.outDir, `${stem}_R${p.resend}.rep`);
    written.push(reportFile);
    await writeFile(reportFile, reportXml({ id: p.id, resend: p.resend, crDate: reg.clock.now(), kind: opts.type, watermark: now, tld, counts: total }));

    const result: DepositResult = { id: p.id, type: opts.type, prevId: opts.type === 'FULL' ? null : p.prevId, watermark: now, resend: p.resend, files, counts: total, report: reportFile, deletes: deletesCount };
    await runOperation(reg, actor, 'escrow.deposit', async (ctx) => {
      await ctx.tx.insertInto('escrow_deposits').values({
        id: p.id, type: opts.type, prev_id: p.prevId, watermark: now, outbox_upto: upto, resend: p.resend,
        files: JSON.stringify(files.map((f) => ({ ...f, xml: f.xml && path.basename(f.xml), ryde: f.ryde && path.basename(f.ryde), sig: f.sig && path.basename(f.sig) }))),
        counts: JSON.stringify(total), created_at: ctx.now,
      }).execute();
      await ctx.record({ objectType: 'escrow', objectId: p.id, before: null, after: { type: opts.type, watermark: now, counts: total, files: files.length }, topic: 'escrow.deposited', history: false });
    });
    return result;
  } catch (e) {
    // A failed deposit leaves nothing behind that an agent could take for a deposit.
    await Promise.all(written.map((f) => rm(f, { force: true })));
    throw e;
  }
}

function hostRoid(xml: string): string {
  return /<rdeHost:roid>([^<]*)<\/rdeHost:roid>/.exec(xml)?.[1] ?? '';
}

function deletesXml(d: Record<string, string[]>): string {
  const n = Object.values(d).reduce((a, l) => a + l.length, 0);
  if (n === 0) return '';
  const lists = d.nndn!.map((k) => k.split('\n') as [string, string]);
  return el('rde:deletes', null,
    d.domain!.length ? el('rdeDomain:delete', null, d.domain!.map((k) => tx('rdeDomain:name', k))) : null,
    d.host!.length ? el('rdeHost:delete', null, d.host!.map((k) => tx('rdeHost:roid', k))) : null,
    d.contact!.length ? el('rdeContact:delete', null, d.contact!.map((k) => tx('rdeContact:id', k))) : null,
    lists.length ? el('rdeNNDN:delete', null, lists.map(([, w]) => tx('rdeNNDN:aName', wordLabel(w)))) : null,
    lists.length ? el('domen:delete', null, lists.map(([l, w]) => el('domen:listEntry', { list: l, word: w }))) : null,
  ) + '\n';
}

function eppParamsXml(): string {
  return el('rdeEppParams:eppParams', null,
    tx('rdeEppParams:version', '1.0'),
    tx('rdeEppParams:lang', 'en'),
    OBJECT_URIS.map((u) => tx('rdeEppParams:objURI', u)),
    el('rdeEppParams:svcExtension', null, EXTENSION_URIS.map((u) => tx('epp:extURI', u))),
    // The same data collection policy as the EPP greeting (src/epp/responses.ts).
    el('rdeEppParams:dcp', null,
      el('epp:access', null, el('epp:all', null)),
      el('epp:statement', null,
        el('epp:purpose', null, el('epp:admin', null), el('epp:contact', null), el('epp:prov', null)),
        el('epp:recipient', null, el('epp:ours', null), el('epp:public', null)),
        el('epp:retention', null, el('epp:legal', null)))));
}

/** RFC 9022 §5.8: elements that every object of a kind carries in this registry. */
function policyXml(): string {
  const c = '//rde:deposit/rde:contents/';
  return [
    el('rdePolicy:policy', { scope: `${c}rdeDomain:domain`, element: 'rdeDomain:registrant' }),
    el('rdePolicy:policy', { scope: `${c}rdeDomain:domain`, element: 'rdeDomain:exDate' }),
    el('rdePolicy:policy', { scope: `${c}rdeDomain:domain`, element: 'domen:domain' }),
    el('rdePolicy:policy', { scope: `${c}rdeContact:contact`, element: 'domen:contact' }),
  ].join('\n');
}

export function reportXml(r: { id: string; resend: number; crDate: Date; kind: DepositType; watermark: Date; tld: string; counts: Counts }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n` + el('rdeReport:report',
    { 'xmlns:rdeReport': RDE_NS.rdeReport, 'xmlns:rdeHeader': RDE_NS.rdeHeader },
    tx('rdeReport:id', r.id), tx('rdeReport:version', 1), tx('rdeReport:rydeSpecEscrow', 'RFC8909'), tx('rdeReport:rydeSpecMapping', 'RFC9022'),
    tx('rdeReport:resend', r.resend), tx('rdeReport:crDate', r.crDate.toISOString()), tx('rdeReport:kind', r.kind),
    tx('rdeReport:watermark', r.watermark.toISOString()), headerXml(r.tld, r.counts)) + '\n';
}
