// What the registrar portal and its API routes do beyond single core calls: bulk actions on domains (each domain
// through its own core operation, so every item is done whole or not at all, with one result per item), and the
// mapping of contact forms onto the core's contact data.
import type { Actor } from '../../core/actor.ts';
import type { ContactData } from '../../core/contacts.ts';
import { setDomainNameServers } from '../../core/domains/nameservers.ts';
import { CLIENT_STATUSES } from '../../core/domains/statuses.ts';
import { updateDomain } from '../../core/domains/update.ts';
import { isRegistryError, RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { renew } from './operations.ts';

export const BULK_ACTIONS = ['renew', 'addStatus', 'removeStatus', 'nameservers'] as const;
export type BulkActionKind = (typeof BULK_ACTIONS)[number];
export interface BulkAction { action: BulkActionKind; periodYears?: number; status?: string; hosts?: string[] }
export interface BulkItemResult {
  name: string; ok: boolean; expiresAt?: Date; statuses?: string[]; hosts?: string[];
  error?: { error: string; code: number; message: string; clause: string };
}
export const MAX_BULK = 100;

/** Checks the action as a whole before any item runs: a bad request changes nothing. */
function validate(a: BulkAction): void {
  if (!(BULK_ACTIONS as readonly string[]).includes(a.action)) throw new RegistryError('syntax', `'${a.action}' is not a bulk action (${BULK_ACTIONS.join(', ')})`, 'RFC 5731 §3.2');
  if ((a.action === 'addStatus' || a.action === 'removeStatus') && !(CLIENT_STATUSES as readonly string[]).includes(a.status ?? '')) {
    throw new RegistryError('policy', `a registrar sets only client statuses (${CLIENT_STATUSES.join(', ')})`, 'RFC 5731 §2.3');
  }
  if (a.action === 'nameservers' && !a.hosts) throw new RegistryError('required', 'name the name servers', 'RFC 5731 §3.2.5');
}

export async function bulkDomains(reg: Registry, actor: Actor, namesRaw: string[], a: BulkAction): Promise<BulkItemResult[]> {
  const names = [...new Set(namesRaw.map((n) => n.trim()).filter(Boolean))];
  if (!names.length) throw new RegistryError('required', 'select at least one domain', 'RFC 5731 §3.2');
  if (names.length > MAX_BULK) throw new RegistryError('range', `at most ${MAX_BULK} domains at a time`, 'RFC 5731 §3.2');
  validate(a);
  const results: BulkItemResult[] = [];
  for (const name of names) {
    try {
      if (a.action === 'renew') {
        const d = await renew(reg, actor, name, a.periodYears ?? 1);
        results.push({ name: d.name, ok: true, expiresAt: d.expiresAt, statuses: d.statuses });
      } else if (a.action === 'nameservers') {
        const r = await setDomainNameServers(reg, actor, { name, hosts: a.hosts ?? [] });
        results.push({ name: r.domain.name, ok: true, hosts: r.domain.hosts, statuses: r.domain.statuses });
      } else {
        const change = { statuses: [a.status!] };
        const d = await updateDomain(reg, actor, { name, ...(a.action === 'addStatus' ? { add: change } : { remove: change }) });
        results.push({ name: d.name, ok: true, statuses: d.statuses });
      }
    } catch (e) {
      // One item's refusal is its own; the others go on. Anything else is reported without internals.
      const re = isRegistryError(e) ? e : new RegistryError('failed', 'internal error', 'RFC 5730 §3');
      results.push({ name, ok: false, error: { error: re.kind, code: re.eppCode, message: re.message, clause: re.clause } });
    }
  }
  return results;
}

/** The fields of a contact form or JSON body, as the core takes them (absent stays absent, '' clears). */
export const CONTACT_FIELDS = ['givenName', 'familyName', 'patronymic', 'orgName', 'citizenship', 'regCountry', 'city', 'sp', 'pc', 'cc',
  'voice', 'fax', 'email', 'idSeries', 'idNumber', 'idAuthority', 'idIssuedOn', 'tin'] as const;

/** Form fields of the representative (R3.8) and where they go in the core's Representative. */
export const REPRESENTATIVE_FIELDS = [['repName', 'name'], ['repPosition', 'position'], ['repIdSeries', 'idSeries'], ['repIdNumber', 'idNumber'],
  ['repIdAuthority', 'idAuthority'], ['repIdIssuedOn', 'idIssuedOn']] as const;

export function contactData(body: Record<string, unknown>): ContactData {
  const out: Record<string, unknown> = {};
  for (const f of CONTACT_FIELDS) {
    const v = body[f];
    if (typeof v === 'string') out[f] = v.trim() === '' ? null : v.trim();
  }
  if (body.kind === 'natural' || body.kind === 'legal') out.kind = body.kind;
  const street = Array.isArray(body.street) ? body.street : typeof body.street === 'string' ? body.street.split(/\r?\n/) : undefined;
  if (street) out.street = street.map((s) => String(s).trim()).filter(Boolean);
  // R3.8: a legal entity's director or representative (name, position, identity document); all empty clears it.
  const rep = REPRESENTATIVE_FIELDS.map(([f, k]) => [k, typeof body[f] === 'string' ? (body[f] as string).trim() : undefined] as const);
  if (rep.some(([, v]) => v !== undefined)) {
    const r = Object.fromEntries(rep.filter(([, v]) => v)) as Record<string, string>;
    if (!r.name && Object.keys(r).length) throw new RegistryError('required', "the representative's data needs the representative's name", 'R3.8');
    out.representative = r.name ? r : null;
  }
  // city, cc and email are required strings in the core: '' there means "missing", not null.
  for (const f of ['city', 'cc', 'email'] as const) if (out[f] === null) out[f] = '';
  return out as ContactData;
}
