// Port-43 WHOIS (RFC 3912): one query line per connection, answered in text and closed. Domain (A-label or U-label),
// name server ('nameserver NAME' or a host name), registrar ('registrar ID' or 'registrar NAME', NAME* for a prefix)
// and contact ('contact HANDLE') queries. The same redaction as
// RDAP (R8.8): a natural person's personal data never leaves the registry here. Bounded: line length, read
// timeout, per-address rate limit, connection cap.
import net from 'node:net';
import { sql } from 'kysely';
import type { ContactView } from '../core/contacts.ts';
import type { HostView } from '../core/hosts.ts';
import type { RegistrarView } from '../core/registrars.ts';
import type { Registry } from '../core/registry.ts';
import { ANONYMOUS, loadContact, loadDomainRecord, loadHost, loadRegistrar, resolveDomainName, resolveHostName, visibleFields, type DiscloseField, type DomainRecord } from '../rdap/data.ts';
import { RateLimiter, rateLimitFromEnv, type RateLimitOptions } from '../rdap/rate-limit.ts';

export interface WhoisOptions {
  host: string;
  port: number;
  /** Per-address limit of queries; default from DOMEN_WHOIS_RATE / DOMEN_WHOIS_BURST (5/s, burst 20). */
  rateLimit?: RateLimitOptions | false;
  /** Longest query line accepted, in bytes (default 512). */
  maxLineLength?: number;
  /** How long a client may take to send its query (default 10 s). */
  readTimeoutMs?: number;
  /** Connections served at once (default 512). */
  maxConnections?: number;
}

export interface WhoisServer { port: number; host: string; close(): Promise<void> }

/** R3.18: what each status means, in plain words. */
export const STATUS_WORDS: Record<string, string> = {
  ok: 'registered and in use, no pending operations',
  inactive: 'registered, but without name servers: it does not resolve',
  serverHold: 'suspended by the registry (R7.4, R6.2): withdrawn from the DNS',
  clientHold: 'suspended by the registrar: withdrawn from the DNS',
  pendingDelete: 'being deleted',
  pendingTransfer: 'moving to another registrar',
  pendingCreate: 'being created',
  pendingRenew: 'being renewed',
  pendingUpdate: 'being updated',
  clientDeleteProhibited: 'the registrar has locked it against deletion',
  clientRenewProhibited: 'the registrar has locked it against renewal',
  clientTransferProhibited: 'the registrar has locked it against transfer',
  clientUpdateProhibited: 'the registrar has locked it against changes',
  serverDeleteProhibited: 'the registry has locked it against deletion',
  serverRenewProhibited: 'the registry has locked it against renewal',
  serverTransferProhibited: 'the registry has locked it against transfer',
  serverUpdateProhibited: 'the registry has locked it against changes',
  linked: 'in use by a domain',
};

const REDACTED = 'REDACTED FOR PRIVACY';
const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

export function answerHeader(reg: Registry): string[] {
  return [
    `% The .${reg.profile.tld} registry WHOIS server (RFC 3912).`,
    '% The personal data of natural persons is not published (R8.8, Law "On Personal Data").',
    '% Queries: NAME (a domain or a name server), "domain NAME", "nameserver NAME", "registrar ID", "registrar NAME" (a trailing * for a prefix), "contact HANDLE".',
    '',
  ];
}

/** A contact as WHOIS shows it to anyone: a natural person's fields only where the person consented (R8.8). */
export function contactLines(label: string, c: ContactView | undefined, sponsor: string): string[] {
  if (!c) return [];
  const shown = visibleFields(ANONYMOUS, c, sponsor);
  const has = (f: DiscloseField) => shown === 'all' || shown.has(f);
  // The handle goes with the name: handles are often made from it.
  const out = [`${label} ID: ${has('name') ? c.handle : REDACTED}`];
  if (c.kind === 'legal') out.push(`${label} Name: ${c.orgName ?? ''}`, `${label} Organization: ${c.orgName ?? ''}`);
  else out.push(`${label} Name: ${has('name') ? [c.givenName, c.patronymic, c.familyName].filter(Boolean).join(' ') : REDACTED}`, `${label} Organization: `);
  if (has('addr')) {
    for (const s of c.street) out.push(`${label} Street: ${s}`);
    out.push(`${label} City: ${c.city}`, `${label} Postal Code: ${c.pc ?? ''}`);
  } else {
    out.push(`${label} Street: ${REDACTED}`, `${label} City: ${REDACTED}`, `${label} Postal Code: ${REDACTED}`);
  }
  out.push(`${label} Country: ${c.cc}`, `${label} Phone: ${has('voice') ? c.voice ?? '' : REDACTED}`);
  if (c.fax && has('fax')) out.push(`${label} Fax: ${c.fax}`);
  out.push(`${label} Email: ${has('email') ? c.email : REDACTED}`);
  return out;
}

export function domainText(rec: DomainRecord): string[] {
  const d = rec.domain;
  const r = rec.registrar;
  const lines = [`Domain Name: ${d.name}`];
  if (d.unicodeName !== d.name) lines.push(`Internationalized Domain Name: ${d.unicodeName}`);
  lines.push(
    `Registry Domain ID: ${d.roid}`,
    `Registrar: ${r.name}`, `Registrar ID: ${r.id}`, `Registrar URL: ${r.url ?? ''}`, `Registrar Phone: ${r.phone ?? ''}`, `Registrar Email: ${r.email}`,
    `Creation Date: ${iso(d.createdAt)}`, `Updated Date: ${iso(d.updatedAt)}`, `Registry Expiry Date: ${iso(d.expiresAt)}`,
  );
  const statuses = d.statuses.includes('inactive') ? d.statuses.filter((s) => s !== 'ok') : d.statuses;
  for (const s of statuses) lines.push(`Domain Status: ${s} (${STATUS_WORDS[s] ?? s})`);
  lines.push(...contactLines('Registrant', rec.contacts.get(d.registrant), d.registrarId));
  const label: Record<string, string> = { admin: 'Admin', tech: 'Tech', billing: 'Billing' };
  for (const c of d.contacts) lines.push(...contactLines(label[c.type] ?? c.type, rec.contacts.get(c.handle), d.registrarId));
  for (const h of rec.nameservers) lines.push(`Name Server: ${h.name}${h.addresses.length ? ` ${h.addresses.join(' ')}` : ''}`);
  lines.push(`DNSSEC: ${d.ds.length ? 'signedDelegation' : 'unsigned'}`);
  for (const x of d.ds) lines.push(`DS: ${x.keyTag} ${x.algorithm} ${x.digestType} ${x.digest.toUpperCase()}`);
  return lines;
}

export function hostText(h: HostView, r: RegistrarView | null): string[] {
  return [
    `Server Name: ${h.name}`,
    ...h.addresses.map((a) => `IP Address: ${a}`),
    `Registrar: ${r?.name ?? h.registrarId}`, `Registrar ID: ${h.registrarId}`,
    ...h.statuses.map((s) => `Status: ${s} (${STATUS_WORDS[s] ?? s})`),
    `Creation Date: ${iso(h.createdAt)}`, `Updated Date: ${iso(h.updatedAt)}`,
  ];
}

/** A contact alone ('contact HANDLE'): the same redaction as in a domain's answer. */
export function contactText(c: ContactView): string[] {
  return [
    ...contactLines('Contact', c, c.registrarId),
    `Sponsoring Registrar ID: ${c.registrarId}`,
    ...c.statuses.map((s) => `Status: ${s} (${STATUS_WORDS[s] ?? s})`),
    `Creation Date: ${iso(c.createdAt)}`, `Updated Date: ${iso(c.updatedAt)}`,
  ];
}

const MAX_REGISTRARS = 10;

async function findRegistrars(reg: Registry, arg: string): Promise<RegistrarView[]> {
  if (arg.length > 200) return [];
  const byId = /^[A-Za-z0-9._-]{1,64}$/.test(arg) ? await loadRegistrar(reg, arg) : null;
  if (byId) return [byId];
  // Lower-cased by the database, as the names are ('İ' lower-cases differently in JavaScript).
  const name = arg.normalize('NFC');
  const prefix = name.endsWith('*') ? name.slice(0, -1).trim() : null;
  if (prefix !== null && prefix.length < 2) return [];
  const like = prefix === null ? null : prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const rows = await reg.db.selectFrom('registrars').select('id')
    .where(like === null ? sql<boolean>`lower(name) = lower(${name}::text)` : sql<boolean>`lower(name) like lower(${like}::text) || '%'`)
    .orderBy('name').orderBy('id').limit(MAX_REGISTRARS).execute();
  const out: RegistrarView[] = [];
  for (const r of rows) { const v = await loadRegistrar(reg, r.id); if (v) out.push(v); }
  return out;
}

export function registrarText(r: RegistrarView): string[] {
  return [
    `Registrar ID: ${r.id}`, `Registrar: ${r.name}`, `Legal Form: ${r.legalForm ?? ''}`, `Address: ${r.address ?? ''}`,
    `Phone: ${r.phone ?? ''}`, `Email: ${r.email}`, `URL: ${r.url ?? ''}`, `Status: ${r.status}`, `Accredited: ${iso(r.createdAt)}`,
  ];
}

/** The full text answer to one query line. */
export async function answer(reg: Registry, query: string): Promise<string> {
  const q = query.trim();
  const lines = answerHeader(reg);
  const noMatch = (what: string) => [...lines, `No match for "${what}".`];
  const done = (body: string[]) => [...lines, ...body, '', `>>> Last update of WHOIS database: ${iso(reg.clock.now())} <<<`];
  let out: string[];
  const m = /^(domain|nameserver|host|registrar|contact)\s+(\S.*)$/i.exec(q);
  const kind = m ? m[1]!.toLowerCase() : null;
  const arg = m ? m[2]!.trim() : q;
  if (!q) {
    out = [...lines, '% Empty query: send a domain name, "nameserver NAME", "registrar ID or NAME" or "contact HANDLE".'];
  } else if (kind === 'registrar') {
    // By id, else by name (case-insensitive; a trailing * for a prefix): registrars' data is public (R9.6).
    const found = await findRegistrars(reg, arg);
    out = found.length ? done(found.flatMap((r, i) => [...(i ? [''] : []), ...registrarText(r)])) : noMatch(arg);
  } else if (/\s/.test(arg)) {
    out = [...lines, `% Query not understood: "${arg.slice(0, 80)}".`];
  } else if (kind === 'contact') {
    const c = /^[A-Za-z0-9._-]{1,64}$/.test(arg) ? await loadContact(reg, arg) : null;
    out = c ? done(contactText(c)) : noMatch(arg);
  } else if (kind === 'nameserver' || kind === 'host') {
    const name = resolveHostName(arg);
    const h = name ? await loadHost(reg, name) : null;
    out = h ? done(hostText(h, await loadRegistrar(reg, h.registrarId))) : noMatch(arg);
  } else {
    const r = await resolveDomainName(reg, arg);
    const rec = r.ok ? await loadDomainRecord(reg, r.ascii) : null;
    if (rec) {
      out = done(domainText(rec));
    } else if (kind !== 'domain' && resolveHostName(arg) && await loadHost(reg, resolveHostName(arg)!)) {
      const h = (await loadHost(reg, resolveHostName(arg)!))!;
      out = done(hostText(h, await loadRegistrar(reg, h.registrarId)));
    } else if (!r.ok && r.status === 400) {
      out = [...lines, `% Invalid query: ${r.message}`];
    } else {
      out = noMatch(arg);
    }
  }
  return out.join('\r\n') + '\r\n';
}

export async function startWhois(reg: Registry, opts: WhoisOptions): Promise<WhoisServer> {
  const maxLine = opts.maxLineLength ?? 512;
  const timeout = opts.readTimeoutMs ?? 10_000;
  const limiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit ?? rateLimitFromEnv('DOMEN_WHOIS', { ratePerSecond: 5, burst: 20 }));
  const sockets = new Set<net.Socket>();

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => { /* the client went away */ });
    const reply = (text: string) => { if (!socket.destroyed) socket.end(text); };
    const ip = socket.remoteAddress ?? '';
    if (limiter) {
      const d = limiter.take(ip);
      if (!d.allowed) {
        reply(`% Query rate limit exceeded for ${ip}: try again in ${d.retryAfterSeconds} s.\r\n`);
        return;
      }
    }
    let buf = Buffer.alloc(0);
    let answered = false;
    socket.setTimeout(timeout, () => {
      if (!answered) { answered = true; reply('% Timeout: no query received.\r\n'); }
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(0x0a);
      if (nl === -1 && buf.length <= maxLine) return;
      answered = true;
      socket.pause();
      if ((nl === -1 ? buf.length : nl) > maxLine) { reply(`% Query too long: at most ${maxLine} bytes.\r\n`); return; }
      const line = buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      answer(reg, line).then(reply, () => reply('% Error: the query could not be answered now; try again later.\r\n'));
    });
    socket.on('end', () => {
      // A client that sends its query without a line end and half-closes.
      if (answered) return;
      answered = true;
      if (buf.length === 0) { reply('% Empty query.\r\n'); return; }
      answer(reg, buf.toString('utf8').replace(/\r$/, '')).then(reply, () => reply('% Error: the query could not be answered now; try again later.\r\n'));
    });
  });
  server.maxConnections = opts.maxConnections ?? 512;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port, host: opts.host,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
