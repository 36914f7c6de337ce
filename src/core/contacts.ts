// Contacts (RFC 5733) carrying the person data of R3.7 (natural persons) and R3.8 (legal entities).
// A contact with an organisation name is a legal entity; without, a natural person (R8.8 hides its data).
// Identity data that is missing does not refuse the contact: it enters the data-accuracy procedure (R8.7)
// as 'unverified'.
import { sql, type Kysely } from 'kysely';
import type { ContactRow, Database, Representative } from '../db/schema.ts';
import { actingRegistrar, assertSponsor, isRegistryOperator, type Actor } from './actor.ts';
import { assertActiveRegistrar } from './domains/checks.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type Tx } from './operation.ts';
import { randomSecret } from './passwords.ts';
import type { Registry } from './registry.ts';
import { validateAuthInfo, validateAzIdentity, validateCountry, validateDate, validateEmail, validatePhone, validateTin } from './validate.ts';

export interface ContactData {
  kind?: 'natural' | 'legal';
  givenName?: string | null; familyName?: string | null; patronymic?: string | null;
  orgName?: string | null; citizenship?: string | null; regCountry?: string | null;
  street?: string[]; city?: string; sp?: string | null; pc?: string | null; cc?: string;
  voice?: string | null; fax?: string | null; email?: string;
  idSeries?: string | null; idNumber?: string | null; idAuthority?: string | null; idIssuedOn?: string | null; tin?: string | null;
  representative?: Representative | null;
  disclose?: Record<string, boolean>;
}

export interface ContactCreateInput extends ContactData { handle: string; authInfo?: string; registrarId?: string | null; accountId?: number | null }

export interface ContactView {
  handle: string; roid: string; registrarId: string; kind: 'natural' | 'legal';
  givenName: string | null; familyName: string | null; patronymic: string | null; orgName: string | null;
  citizenship: string | null; regCountry: string | null;
  street: string[]; city: string; sp: string | null; pc: string | null; cc: string;
  voice: string | null; fax: string | null; email: string;
  idSeries: string | null; idNumber: string | null; idAuthority: string | null; idIssuedOn: string | null; tin: string | null;
  representative: Representative | null; disclose: Record<string, boolean>;
  verification: string; statuses: string[]; authInfo: string;
  createdAt: Date; createdBy: string; updatedAt: Date | null; updatedBy: string | null;
}

export function contactView(r: ContactRow, statuses: string[] = r.statuses): ContactView {
  return {
    handle: r.handle, roid: r.roid, registrarId: r.registrar_id, kind: r.kind,
    givenName: r.given_name, familyName: r.family_name, patronymic: r.patronymic, orgName: r.org_name,
    citizenship: r.citizenship, regCountry: r.reg_country,
    street: r.street, city: r.city, sp: r.sp, pc: r.pc, cc: r.cc, voice: r.voice, fax: r.fax, email: r.email,
    idSeries: r.id_series, idNumber: r.id_number, idAuthority: r.id_authority, idIssuedOn: r.id_issued_on, tin: r.tin,
    representative: r.representative, disclose: r.disclose, verification: r.verification, statuses, authInfo: r.auth_info,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

// RFC 5733 §2.1 / eppcom clIDType: 3..16 characters.
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{2,15}$/;
const CONTACT_STATUSES = new Set(['clientDeleteProhibited', 'clientTransferProhibited', 'clientUpdateProhibited',
  'serverDeleteProhibited', 'serverTransferProhibited', 'serverUpdateProhibited']);

const text = (v: string | null | undefined, field: string, max = 255): string | null => {
  if (v === undefined || v === null) return null;
  const t = v.normalize('NFC').trim();
  if (t.length > max) throw new RegistryError('range', `${field} is longer than ${max} characters`, 'RFC 5733 §2.3');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) throw new RegistryError('syntax', `${field} contains control characters`, 'RFC 5733 §2.3');
  return t === '' ? null : t;
};

interface Normalized {
  kind: 'natural' | 'legal';
  given_name: string | null; family_name: string | null; patronymic: string | null; org_name: string | null;
  citizenship: string | null; reg_country: string | null; street: string[]; city: string; sp: string | null; pc: string | null; cc: string;
  voice: string | null; fax: string | null; email: string;
  id_series: string | null; id_number: string | null; id_authority: string | null; id_issued_on: string | null; tin: string | null;
  representative: Representative | null; disclose: Record<string, boolean>;
}

/** Validates a full set of contact data (after merging an update onto the stored contact). */
function normalize(d: ContactData): Normalized {
  const orgName = text(d.orgName, 'organisation name');
  const kind = d.kind ?? (orgName ? 'legal' : 'natural');
  const n: Normalized = {
    kind,
    given_name: text(d.givenName, 'given name'), family_name: text(d.familyName, 'family name'), patronymic: text(d.patronymic, 'patronymic'),
    org_name: orgName,
    citizenship: d.citizenship ? validateCountry(d.citizenship, 'citizenship', 'R3.7') : null,
    reg_country: d.regCountry ? validateCountry(d.regCountry, 'country of registration', 'R3.8') : null,
    street: (d.street ?? []).map((s, i) => text(s, `street line ${i + 1}`)).filter((s): s is string => s !== null),
    city: text(d.city, 'city') ?? '',
    sp: text(d.sp, 'state or province'), pc: text(d.pc, 'postal code', 16),
    cc: d.cc ? validateCountry(d.cc, 'country', 'RFC 5733 §2.3') : '',
    voice: d.voice ?? null, fax: d.fax ?? null, email: (d.email ?? '').trim(),
    id_series: text(d.idSeries, 'ID series', 8)?.toUpperCase() ?? null, id_number: text(d.idNumber, 'ID number', 32),
    id_authority: text(d.idAuthority, 'issuing authority'), id_issued_on: d.idIssuedOn ?? null, tin: text(d.tin, 'TIN', 16),
    representative: d.representative ?? null, disclose: d.disclose ?? {},
  };
  if (n.street.length > 3) throw new RegistryError('range', 'at most three street lines', 'RFC 5733 §2.3');
  if (!n.city) throw new RegistryError('required', 'the address needs a city', 'Appendix 2');
  if (!n.cc) throw new RegistryError('required', 'the address needs a country code', 'Appendix 2');
  if (!n.email) throw new RegistryError('required', 'an e-mail address is required', 'Appendix 2');
  validateEmail(n.email, 'Appendix 2');
  if (n.voice) validatePhone(n.voice, 'Appendix 2');
  if (n.fax) validatePhone(n.fax, 'Appendix 2');
  if (kind === 'natural') {
    if (!n.given_name || !n.family_name) throw new RegistryError('required', 'a natural person needs a given name and a family name', 'R3.7');
    if (n.org_name) throw new RegistryError('policy', 'a natural person has no organisation name; use kind legal', 'R3.7');
  } else if (!n.org_name) {
    throw new RegistryError('required', 'a legal entity needs its full legal name', 'R3.8');
  }
  // RFC 5733 §2.9: a disclosure preference the server's policy cannot honour is refused, not stored and ignored.
  // R8.8 keeps only natural persons' data private; a legal entity's registration data are public.
  const withheld = kind === 'legal' ? Object.entries(n.disclose).filter(([, v]) => !v).map(([k]) => k) : [];
  if (withheld.length) {
    throw new RegistryError('dataPolicy', `a legal entity's contact data are public (R8.8): it cannot withhold ${withheld.join(', ')} (disclose flag="0")`, 'R8.8');
  }
  if (n.id_issued_on) validateDate(n.id_issued_on, 'ID issue date', kind === 'natural' ? 'R3.7' : 'R3.8');
  if (n.tin) validateTin(n.tin, kind === 'natural' ? 'R3.7' : 'R3.8');
  const azIdentity = (kind === 'natural' ? n.citizenship ?? n.cc : n.cc) === 'AZ';
  if (n.id_series || n.id_number) {
    if (!n.id_series || !n.id_number) throw new RegistryError('required', 'an identity document needs both series and number', 'R3.7');
    if (azIdentity) validateAzIdentity(n.id_series, n.id_number, 'R3.7');
  }
  return n;
}

/** The checks of createContact on person data alone (R3.7/R3.8 formats), for registrant accounts that keep it before any contact exists. */
export function validateContactData(d: ContactData): void {
  normalize(d);
}

async function loadLive(tx: Tx, handle: string, lock: boolean): Promise<ContactRow> {
  let q = tx.selectFrom('contacts').selectAll().where('handle', '=', handle).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `contact ${handle} does not exist`, 'RFC 5733 §3.1.2');
  return row;
}

export async function createContact(reg: Registry, actor: Actor, input: ContactCreateInput): Promise<ContactView> {
  const registrarId = actingRegistrar(actor, input.registrarId);
  // Who may accept a change of owner follows the account link (R10.1): the registry links accounts, not registrars.
  if (input.accountId != null && !isRegistryOperator(actor)) {
    throw new RegistryError('authorization', 'a contact is linked to a registrant account by the registry', 'R10.1');
  }
  if (!HANDLE.test(input.handle)) throw new RegistryError('syntax', 'a contact id has 3 to 16 letters, digits, dots, hyphens or underscores', 'RFC 5733 §2.1');
  const n = normalize(input);
  const authInfo = input.authInfo ?? randomSecret();
  validateAuthInfo(authInfo);
  return runOperation(reg, actor, 'contact.create', async (ctx) => {
    await assertActiveRegistrar(ctx, registrarId);
    const roid = await ctx.nextRoid('C');
    const row = await ctx.tx.insertInto('contacts').values({
      ...n, handle: input.handle, roid, registrar_id: registrarId, account_id: input.accountId ?? null,
      representative: n.representative ? JSON.stringify(n.representative) : null, disclose: JSON.stringify(n.disclose),
      auth_info: authInfo, statuses: [], created_at: ctx.now, created_by: ctx.actorId,
    }).returningAll().executeTakeFirstOrThrow();
    const v = contactView(row);
    await ctx.record({ objectType: 'contact', objectId: row.handle, before: null, after: v, topic: 'contact.created', payload: { roid } });
    return v;
  });
}

export interface ContactUpdateInput {
  handle: string;
  set?: ContactData;
  authInfo?: string;
  addStatuses?: string[];
  removeStatuses?: string[];
}

function checkStatusChange(actor: Actor, statuses: string[]): void {
  for (const s of statuses) {
    if (!CONTACT_STATUSES.has(s)) throw new RegistryError('syntax', `'${s}' is not a contact status that can be set`, 'RFC 5733 §2.2');
    if (s.startsWith('server') && actor.type === 'registrar') throw new RegistryError('authorization', `only the registry sets ${s}`, 'RFC 5733 §2.2');
  }
}

export async function updateContact(reg: Registry, actor: Actor, input: ContactUpdateInput): Promise<ContactView> {
  checkStatusChange(actor, [...(input.addStatuses ?? []), ...(input.removeStatuses ?? [])]);
  if (input.authInfo !== undefined) validateAuthInfo(input.authInfo);
  return runOperation(reg, actor, 'contact.update', async (ctx) => {
    const row = await loadLive(ctx.tx, input.handle, true);
    assertSponsor(actor, row.registrar_id, `contact ${input.handle}`);
    const before = contactView(row);
    const removingLock = (input.removeStatuses ?? []).includes('clientUpdateProhibited');
    // The National Administrator is not held back by client statuses, nor by the server statuses it set itself.
    for (const s of ['serverUpdateProhibited', 'clientUpdateProhibited']) {
      if (row.statuses.includes(s) && !(s === 'clientUpdateProhibited' && removingLock) && !isRegistryOperator(actor)) {
        throw new RegistryError('statusProhibits', `contact ${input.handle} has status ${s}`, 'RFC 5733 §2.2');
      }
    }
    // As for domains and hosts: adding a status already set, or removing one not set, is an error.
    const statuses = [...row.statuses];
    for (const s of input.removeStatuses ?? []) {
      if (!statuses.includes(s)) throw new RegistryError('policy', `status ${s} is not set on contact ${input.handle}`, 'RFC 5733 §3.2.5');
      statuses.splice(statuses.indexOf(s), 1);
    }
    for (const s of input.addStatuses ?? []) {
      if (statuses.includes(s)) throw new RegistryError('policy', `status ${s} is already set on contact ${input.handle}`, 'RFC 5733 §3.2.5');
      statuses.push(s);
    }
    // A field given as undefined is absent from the update (null erases it).
    const set = Object.fromEntries(Object.entries(input.set ?? {}).filter(([, v]) => v !== undefined)) as ContactData;
    // Checked before the merged data, so the registrar hears why rather than which field the other kind lacks.
    if (set.kind !== undefined && set.kind !== row.kind) {
      throw new RegistryError('policy', 'a contact cannot change between natural person and legal entity; create a new contact', 'R10.1');
    }
    const merged = normalize({
      kind: row.kind, givenName: row.given_name, familyName: row.family_name, patronymic: row.patronymic, orgName: row.org_name,
      citizenship: row.citizenship, regCountry: row.reg_country, street: row.street, city: row.city, sp: row.sp, pc: row.pc, cc: row.cc,
      voice: row.voice, fax: row.fax, email: row.email, idSeries: row.id_series, idNumber: row.id_number, idAuthority: row.id_authority,
      idIssuedOn: row.id_issued_on, tin: row.tin, representative: row.representative, disclose: row.disclose,
      ...set,
    });
    // Changed identity data must be verified again (R8.5-R8.7).
    const identityChanged = merged.id_number !== row.id_number || merged.id_series !== row.id_series || merged.tin !== row.tin
      || merged.given_name !== row.given_name || merged.family_name !== row.family_name || merged.org_name !== row.org_name;
    const updated = await ctx.tx.updateTable('contacts').set({
      ...merged,
      representative: merged.representative ? JSON.stringify(merged.representative) : null, disclose: JSON.stringify(merged.disclose),
      statuses, auth_info: input.authInfo ?? row.auth_info, updated_at: ctx.now, updated_by: ctx.actorId,
      // Data found inaccurate (R8.7) and now changed go back to 'unverified': the accuracy suspension is
      // lifted by the worker (R7.6) and the National Administrator may check them again.
      ...(identityChanged || (row.verification === 'inaccurate' && changedAnything(row, merged))
        ? { verification: 'unverified' as const, accuracy_due_at: null, accuracy_note: null, verification_checked_at: null, verification_result: null } : {}),
    }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const v = contactView(updated);
    await ctx.record({ objectType: 'contact', objectId: row.handle, before, after: v, topic: 'contact.updated' });
    return v;
  });
}

function changedAnything(row: object, merged: object): boolean {
  const r = row as Record<string, unknown>;
  const m = merged as Record<string, unknown>;
  return Object.keys(m).some((k) => JSON.stringify(m[k]) !== JSON.stringify(r[k]));
}

export async function deleteContact(reg: Registry, actor: Actor, handle: string): Promise<void> {
  await runOperation(reg, actor, 'contact.delete', async (ctx) => {
    const row = await loadLive(ctx.tx, handle, true);
    assertSponsor(actor, row.registrar_id, `contact ${handle}`);
    for (const s of ['clientDeleteProhibited', 'serverDeleteProhibited']) {
      if (row.statuses.includes(s) && !isRegistryOperator(actor)) throw new RegistryError('statusProhibits', `contact ${handle} has status ${s}`, 'RFC 5733 §2.2');
    }
    if (await isContactLinked(ctx.tx, row.id)) {
      throw new RegistryError('associationProhibits', `contact ${handle} is linked to a domain or an application`, 'RFC 5733 §3.2.2');
    }
    await ctx.tx.updateTable('contacts').set({ deleted_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId }).where('id', '=', row.id).execute();
    await ctx.record({ objectType: 'contact', objectId: handle, before: contactView(row), after: null, topic: 'contact.deleted' });
  });
}

export async function isContactLinked(tx: Kysely<Database>, contactId: number): Promise<boolean> {
  const asRegistrant = await tx.selectFrom('domains').select('id').where('registrant_id', '=', contactId).where('deleted_at', 'is', null).limit(1).executeTakeFirst();
  if (asRegistrant) return true;
  const asContact = await tx.selectFrom('domain_contacts').innerJoin('domains', 'domains.id', 'domain_contacts.domain_id')
    .select('domains.id').where('domain_contacts.contact_id', '=', contactId).where('domains.deleted_at', 'is', null).limit(1).executeTakeFirst();
  if (asContact) return true;
  const asApplicant = await tx.selectFrom('applications').select('id').where('registrant_id', '=', contactId).where('status', '=', 'pending').limit(1).executeTakeFirst();
  if (asApplicant) return true;
  // R10.1: the new owner named in a pending change of owner.
  const asNewOwner = await tx.selectFrom('owner_changes').select('id').where('to_registrant_id', '=', contactId).where('status', '=', 'pending').limit(1).executeTakeFirst();
  if (asNewOwner) return true;
  // A contact that a pending application will link when it is approved (R3.12).
  const { handle } = await tx.selectFrom('contacts').select('handle').where('id', '=', contactId).executeTakeFirstOrThrow();
  const inRequest = await sql<{ id: number }>`select id from applications where status = 'pending'
    and request->'contacts' @> ${JSON.stringify([{ handle }])}::jsonb limit 1`.execute(tx);
  return inRequest.rows.length > 0;
}

export async function getContact(reg: Registry, handle: string): Promise<ContactView> {
  const row = await reg.db.selectFrom('contacts').selectAll().where('handle', '=', handle).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `contact ${handle} does not exist`, 'RFC 5733 §3.1.2');
  const linked = await isContactLinked(reg.db, row.id);
  return contactView(row, row.statuses.length === 0 ? (linked ? ['ok', 'linked'] : ['ok']) : linked ? [...row.statuses, 'linked'] : row.statuses);
}

/** Which of these contact handles exist (EPP contact:check). */
export async function existingContacts(reg: Registry, handles: string[]): Promise<Set<string>> {
  if (handles.length === 0) return new Set();
  const rows = await reg.db.selectFrom('contacts').select('handle').where('handle', 'in', handles).where('deleted_at', 'is', null).execute();
  return new Set(rows.map((r) => r.handle));
}
