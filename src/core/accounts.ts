// Registrant accounts (R3.6-R3.9): sign-up with the person data of R3.7 (natural person) or R3.8 (legal entity),
// e-mail confirmation by a one-time link, TOTP as a second factor (RFC 6238), e-signature certificates to sign in
// with (R3.9), and keeping the data current (R8.5). Each write is one operation (history, audit, outbox).
import { createHash, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { updateContact, validateContactData, type ContactData } from './contacts.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { hashPassword } from './passwords.ts';
import { validatePassword } from './registrars.ts';
import type { Registry } from './registry.ts';
import { validateEmail } from './validate.ts';
import { notify } from '../notify/notify.ts';

/** The link of an e-mail confirmation works this long (R3.6). */
export const CONFIRM_TTL_MS = 48 * 3600_000;
/** Between password and TOTP code. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
const TOTP = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');
const signupActor: Actor = { type: 'system', name: 'account-signup', source: 'account' };
export const registrantActor = (userId: number): Actor => ({ type: 'registrant', userId, source: 'account' });

export type PersonData = ContactData & { kind: 'natural' | 'legal' };

export interface AccountView {
  userId: number; email: string; name: string; lang: 'az' | 'en' | 'ru'; kind: 'natural' | 'legal'; person: PersonData;
  confirmed: boolean; totp: boolean; certificates: { id: number; fingerprint: string; subject: string; issuer: string; notAfter: Date }[];
}

/** The account's display name: the person's name (R3.7) or the entity's full legal name (R3.8). */
export function personName(p: PersonData): string {
  return p.kind === 'legal' ? String(p.orgName ?? '') : [p.givenName, p.familyName].filter(Boolean).join(' ');
}

/** Drops empty strings (form fields left blank) so that they read as absent. */
export function cleanPerson(p: PersonData): PersonData {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === '' || v === undefined) continue;
    if (Array.isArray(v)) { const a = v.filter((x) => typeof x === 'string' && x.trim()); if (a.length) out[k] = a; continue; }
    out[k] = v;
  }
  return out as unknown as PersonData;
}

export interface SignUpInput { email: string; password: string; lang: 'az' | 'en' | 'ru'; person: PersonData }

/**
 * Creates an inactive registrant account and sends the confirmation link (through the notification queue: the
 * e-mail exists exactly when the account does). `link(token)` makes the URL the person opens.
 */
export interface SignUpLinks { confirm(token: string): string; signIn: string }

export async function signUpRegistrant(reg: Registry, input: SignUpInput, links: SignUpLinks): Promise<void> {
  const email = input.email.trim();
  validateEmail(email, 'R3.6');
  validatePassword(input.password, 'R3.6');
  const person = cleanPerson({ ...input.person, email });
  if (person.kind !== 'natural' && person.kind !== 'legal') throw new RegistryError('required', 'sign up as a natural person or a legal entity', 'R3.6');
  // The same checks as a contact of that person (R3.7/R3.8 formats: ID series and number, TIN).
  validateContactData(person);
  if (person.kind === 'natural' && (!person.idSeries || !person.idNumber)) throw new RegistryError('required', 'a natural person gives the series and number of an identity document', 'R3.7');
  if (person.kind === 'legal' && !person.tin) throw new RegistryError('required', 'a legal entity gives its TIN', 'R3.8');
  if (person.kind === 'legal' && !person.representative?.name) throw new RegistryError('required', "a legal entity gives its director's or representative's name", 'R3.8');
  const passwordHash = await hashPassword(input.password);
  const secret = token();
  await runOperation(reg, signupActor, 'account.signup', async (ctx) => {
    // The answer must not tell a visitor which addresses have accounts: the owner of the address is told instead
    // (at most once a day), and the form answers as for a new account.
    const existing = await ctx.tx.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    if (existing) {
      await notify(ctx, { template: 'account.exists', params: { link: links.signIn }, to: { email, lang: input.lang },
        dedupe: `account-exists:${existing.id}:${ctx.now.toISOString().slice(0, 10)}` });
      return;
    }
    const user = await ctx.tx.insertInto('users').values({
      email, name: personName(person), role: 'registrant', registrar_id: null, password_hash: passwordHash, active: false, lang: input.lang,
      created_at: ctx.now, updated_at: ctx.now,
    }).returning('id').executeTakeFirstOrThrow();
    const expires = new Date(ctx.now.getTime() + CONFIRM_TTL_MS);
    await ctx.tx.insertInto('registrant_accounts').values({
      user_id: user.id, kind: person.kind, person: JSON.stringify(person), confirm_token_hash: sha256(secret), confirm_expires_at: expires,
      created_at: ctx.now, updated_at: ctx.now,
    }).execute();
    await ctx.record({ objectType: 'user', objectId: String(user.id), before: null, after: { role: 'registrant', email, kind: person.kind, person }, topic: 'account.created' });
    await notify(ctx, { template: 'account.confirm', params: { name: personName(person), link: links.confirm(secret), expiresAt: expires }, to: { email, lang: input.lang }, dedupe: `account-confirm:${user.id}:${sha256(secret).slice(0, 16)}` });
  });
}

/** Opens the account whose one-time link this is; the link works once. */
export async function confirmEmail(reg: Registry, secret: string): Promise<{ userId: number; email: string }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) throw new RegistryError('syntax', 'this confirmation link is not valid', 'R3.6');
  const hash = sha256(secret);
  const row = await reg.db.selectFrom('registrant_accounts').innerJoin('users', 'users.id', 'registrant_accounts.user_id')
    .select(['users.id', 'users.email', 'registrant_accounts.confirm_expires_at']).where('confirm_token_hash', '=', hash).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', 'this confirmation link has been used or is not valid', 'R3.6');
  if (row.confirm_expires_at && row.confirm_expires_at.getTime() <= reg.clock.now().getTime()) {
    throw new RegistryError('policy', 'this confirmation link has expired; sign up again', 'R3.6');
  }
  return runOperation(reg, registrantActor(row.id), 'account.confirm', async (ctx) => {
    const done = await ctx.tx.updateTable('registrant_accounts').set({ email_confirmed_at: ctx.now, confirm_token_hash: null, confirm_expires_at: null, updated_at: ctx.now })
      .where('user_id', '=', row.id).where('confirm_token_hash', '=', hash).returning('user_id').executeTakeFirst();
    if (!done) throw new RegistryError('notFound', 'this confirmation link has been used', 'R3.6');
    await ctx.tx.updateTable('users').set({ active: true, updated_at: ctx.now }).where('id', '=', row.id).execute();
    await ctx.record({ objectType: 'user', objectId: String(row.id), before: { active: false }, after: { active: true, emailConfirmed: true }, topic: 'account.confirmed', history: false });
    return { userId: row.id, email: row.email };
  });
}

export async function getAccount(db: Kysely<Database>, userId: number): Promise<AccountView> {
  const row = await db.selectFrom('registrant_accounts').innerJoin('users', 'users.id', 'registrant_accounts.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.lang', 'registrant_accounts.kind', 'registrant_accounts.person',
      'registrant_accounts.email_confirmed_at', 'registrant_accounts.totp_secret'])
    .where('users.id', '=', userId).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no registrant account ${userId}`, 'R3.6');
  const certs = await db.selectFrom('account_certificates').select(['id', 'fingerprint', 'subject', 'issuer', 'not_after'])
    .where('user_id', '=', userId).where('removed_at', 'is', null).orderBy('id').execute();
  return {
    userId: row.id, email: row.email, name: row.name, lang: row.lang, kind: row.kind, person: row.person as unknown as PersonData,
    confirmed: row.email_confirmed_at !== null, totp: row.totp_secret !== null,
    certificates: certs.map((c) => ({ id: c.id, fingerprint: c.fingerprint, subject: c.subject, issuer: c.issuer, notAfter: c.not_after })),
  };
}

// --- TOTP (RFC 6238) ---------------------------------------------------------------------------------------

function totpOf(secret: string, label: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ ...TOTP, issuer, label, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The time step a code matches (one step of clock drift either way), or null. */
function matchStep(reg: Registry, secret: string, code: string): number | null {
  if (!/^[0-9]{6}$/.test(code.trim())) return null;
  const now = reg.clock.now().getTime();
  const delta = totpOf(secret, 'x', 'x').validate({ token: code.trim(), timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP.period) + delta;
}

/** Offers a new secret; it takes effect once a code made from it is confirmed. */
export async function beginTotp(reg: Registry, userId: number): Promise<{ secret: string; uri: string }> {
  const acc = await getAccount(reg.db, userId);
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await reg.db.updateTable('registrant_accounts').set({ totp_pending_secret: secret }).where('user_id', '=', userId).execute();
  return { secret, uri: totpOf(secret, acc.email, `.${reg.profile.tld} registry`).toString() };
}

export async function confirmTotp(reg: Registry, userId: number, code: string): Promise<void> {
  await runOperation(reg, registrantActor(userId), 'account.totp.enable', async (ctx) => {
    const row = await ctx.tx.selectFrom('registrant_accounts').select(['totp_pending_secret']).where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    if (!row.totp_pending_secret) throw new RegistryError('policy', 'start the set-up of an authenticator first', 'R3.6');
    const step = matchStep(reg, row.totp_pending_secret, code);
    if (step === null) throw new RegistryError('authentication', 'the code does not match; check the time on the device and try again', 'RFC 6238');
    await ctx.tx.updateTable('registrant_accounts').set({ totp_secret: row.totp_pending_secret, totp_pending_secret: null, totp_last_step: step, updated_at: ctx.now })
      .where('user_id', '=', userId).execute();
    await ctx.record({ objectType: 'user', objectId: String(userId), before: { totp: false }, after: { totp: true }, topic: 'account.totp.enabled', history: false });
  });
}

export async function disableTotp(reg: Registry, userId: number, code: string): Promise<void> {
  await runOperation(reg, registrantActor(userId), 'account.totp.disable', async (ctx) => {
    await useTotp(ctx.tx, reg, userId, code);
    await ctx.tx.updateTable('registrant_accounts').set({ totp_secret: null, totp_last_step: null, updated_at: ctx.now }).where('user_id', '=', userId).execute();
    await ctx.record({ objectType: 'user', objectId: String(userId), before: { totp: true }, after: { totp: false }, topic: 'account.totp.disabled', history: false });
  });
}

/** Checks a code against the enrolled secret; a code (time step) is accepted once (RFC 6238 §5.2). */
async function useTotp(tx: Kysely<Database>, reg: Registry, userId: number, code: string): Promise<void> {
  const row = await tx.selectFrom('registrant_accounts').select(['totp_secret', 'totp_last_step']).where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  if (!row.totp_secret) throw new RegistryError('policy', 'no authenticator is set up', 'R3.6');
  const step = matchStep(reg, row.totp_secret, code);
  if (step === null || (row.totp_last_step !== null && step <= row.totp_last_step)) {
    throw new RegistryError('authentication', 'the code is wrong or was already used', 'RFC 6238');
  }
  await tx.updateTable('registrant_accounts').set({ totp_last_step: step }).where('user_id', '=', userId).execute();
}

export async function hasTotp(db: Kysely<Database>, userId: number): Promise<boolean> {
  const r = await db.selectFrom('registrant_accounts').select('totp_secret').where('user_id', '=', userId).executeTakeFirst();
  return Boolean(r?.totp_secret);
}

/** After a good password: a challenge (its token goes to a cookie) that the TOTP code completes. */
export async function startChallenge(reg: Registry, userId: number): Promise<string> {
  const secret = token();
  const now = reg.clock.now();
  await reg.db.deleteFrom('account_login_challenges').where('expires_at', '<=', now).execute();
  await reg.db.insertInto('account_login_challenges').values({ token_hash: sha256(secret), user_id: userId, expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS) }).execute();
  return secret;
}

/**
 * The user a challenge and code sign in; five wrong codes end the challenge (the password must be given again).
 * A wrong code also counts as a failed sign-in of the account (login_attempts), so the lockout of /login applies:
 * a stolen password does not give unlimited guesses at the code.
 */
export async function completeChallenge(reg: Registry, secret: string, code: string, ip: string): Promise<number> {
  const hash = sha256(secret);
  return reg.db.transaction().execute(async (tx) => {
    const ch = await tx.selectFrom('account_login_challenges').selectAll().where('token_hash', '=', hash).forUpdate().executeTakeFirst();
    if (!ch || ch.expires_at.getTime() <= reg.clock.now().getTime() || ch.attempts >= CHALLENGE_ATTEMPTS) {
      throw new RegistryError('authentication', 'the sign-in has expired; give the password again', 'R3.6');
    }
    try {
      await useTotp(tx, reg, ch.user_id, code);
    } catch (e) {
      await tx.updateTable('account_login_challenges').set({ attempts: ch.attempts + 1 }).where('token_hash', '=', hash).execute();
      const u = await tx.selectFrom('users').select('email').where('id', '=', ch.user_id).executeTakeFirstOrThrow();
      await tx.insertInto('login_attempts').values({ email: u.email.trim().toLowerCase(), ip, at: reg.clock.now(), success: false }).execute();
      // The attempt counts even though the error aborts nothing else: commit it, then report.
      return e as RegistryError;
    }
    await tx.deleteFrom('account_login_challenges').where('token_hash', '=', hash).execute();
    return ch.user_id;
  }).then((r) => { if (typeof r === 'number') return r; throw r; });
}

// --- e-signature certificates (R3.9) ----------------------------------------------------------------------

export interface PresentedCertificate { fingerprint: string; subject: string; issuer: string; notAfter: Date }

/** Links a certificate the signed-in registrant presented (and the TLS layer verified against the trust anchors). */
export async function linkCertificate(reg: Registry, userId: number, cert: PresentedCertificate): Promise<void> {
  await runOperation(reg, registrantActor(userId), 'account.certificate.link', async (ctx) => {
    const taken = await ctx.tx.selectFrom('account_certificates').select('user_id').where('fingerprint', '=', cert.fingerprint).where('removed_at', 'is', null).executeTakeFirst();
    if (taken) throw new RegistryError('exists', taken.user_id === userId ? 'this certificate is already linked to your account' : 'this certificate is linked to another account', 'R3.9');
    await ctx.tx.insertInto('account_certificates').values({ user_id: userId, fingerprint: cert.fingerprint, subject: cert.subject, issuer: cert.issuer, not_after: cert.notAfter, created_at: ctx.now }).execute();
    await ctx.record({ objectType: 'user', objectId: String(userId), before: null, after: { certificate: cert.fingerprint, subject: cert.subject }, topic: 'account.certificate.linked', history: false });
  });
}

export async function removeCertificate(reg: Registry, userId: number, id: number): Promise<void> {
  await runOperation(reg, registrantActor(userId), 'account.certificate.remove', async (ctx) => {
    const row = await ctx.tx.updateTable('account_certificates').set({ removed_at: ctx.now }).where('id', '=', id).where('user_id', '=', userId)
      .where('removed_at', 'is', null).returning('fingerprint').executeTakeFirst();
    if (!row) throw new RegistryError('notFound', 'no such certificate on this account', 'R3.9');
    await ctx.record({ objectType: 'user', objectId: String(userId), before: { certificate: row.fingerprint }, after: null, topic: 'account.certificate.removed', history: false });
  });
}

/** The active registrant account a certificate signs in, or null. */
export async function accountByCertificate(reg: Registry, fingerprint: string): Promise<number | null> {
  const row = await reg.db.selectFrom('account_certificates').innerJoin('users', 'users.id', 'account_certificates.user_id')
    .select('users.id').where('fingerprint', '=', fingerprint).where('removed_at', 'is', null)
    .where('users.active', '=', true).where('users.role', '=', 'registrant').where('not_after', '>', reg.clock.now()).executeTakeFirst();
  return row ? row.id : null;
}

// --- keeping the data current (R8.5) ----------------------------------------------------------------------

/**
 * Changes the account's person data and, through each sponsoring registrar, every contact made from it (R8.5:
 * the owner reports changes within 3 working days). The kind (natural/legal) does not change (R10.1).
 */
export async function updateAccountPerson(reg: Registry, userId: number, set: ContactData): Promise<AccountView> {
  const acc = await getAccount(reg.db, userId);
  const next = cleanPerson({ ...acc.person, ...set, kind: acc.kind, email: set.email ?? acc.person.email });
  validateContactData(next);
  const contacts = await reg.db.selectFrom('contacts').select(['handle', 'registrar_id']).where('account_id', '=', userId).where('deleted_at', 'is', null).orderBy('id').execute();
  // Only the fields an account keeps; null erases one a person cleared.
  const fields: (keyof ContactData)[] = ['givenName', 'familyName', 'patronymic', 'orgName', 'citizenship', 'regCountry', 'street', 'city', 'sp', 'pc', 'cc',
    'voice', 'fax', 'email', 'idSeries', 'idNumber', 'idAuthority', 'idIssuedOn', 'tin', 'representative'];
  const patch = Object.fromEntries(fields.map((f) => [f, (next as unknown as Record<string, unknown>)[f] ?? (f === 'street' ? [] : null)])) as ContactData;
  for (const c of contacts) {
    await updateContact(reg, { type: 'registrar', registrarId: c.registrar_id, source: 'account' }, { handle: c.handle, set: patch });
  }
  await runOperation(reg, registrantActor(userId), 'account.update', async (ctx) => {
    await ctx.tx.updateTable('registrant_accounts').set({ person: JSON.stringify(next), updated_at: ctx.now }).where('user_id', '=', userId).execute();
    await ctx.tx.updateTable('users').set({ name: personName(next), updated_at: ctx.now }).where('id', '=', userId).execute();
    await ctx.record({ objectType: 'user', objectId: String(userId), before: acc.person, after: next, topic: 'account.updated', payload: { contacts: contacts.map((c) => c.handle) } });
  });
  return getAccount(reg.db, userId);
}

/** Marks a message of the account's inbox read (once; a message of another account is not found). */
export async function markInboxRead(reg: Registry, userId: number, id: number): Promise<void> {
  await runOperation(reg, registrantActor(userId), 'account.inbox.read', async (ctx) => {
    const m = await ctx.tx.selectFrom('inbox_messages').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', userId).forUpdate().executeTakeFirst();
    if (!m) throw new RegistryError('notFound', `no message ${id} in this account`, 'R3.11');
    if (m.read_at) return;
    await ctx.tx.updateTable('inbox_messages').set({ read_at: ctx.now }).where('id', '=', id).execute();
    await ctx.record({ objectType: 'notification', objectId: `inbox:${id}`, before: { read: false }, after: { read: true }, topic: 'account.inbox.read', history: false });
  });
}
