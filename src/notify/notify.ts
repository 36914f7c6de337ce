// notify(): resolves a notice's recipients and queues it inside the caller's operation (one transaction), so a
// notice exists exactly when the operation committed (R3.11, R6.1, R7.5 and R8.7 notices are never lost, and
// a rolled-back operation sends nothing). E-mail is sent later by deliverPending(); the account inbox and the
// registrar's EPP poll queue are database rows, written here at once.
import { RegistryError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import { defaultLangFor, render, storedParams, type StoredParams } from './render.ts';
import { isLang, type Lang, type TemplateKey, type TemplateParams } from './templates/keys.ts';

/** Who gets a notice. */
export type Recipient =
  /** A contact (the registrant): its e-mail; when it has a user account (contacts.account_id), also that inbox. */
  | { contact: number | string }
  /** A registrar: its e-mail (registrars.email) and its EPP poll queue, or only the channels named in `via`. */
  | { registrar: string; via?: readonly ('email' | 'poll')[] }
  /** Every active National Administrator user (na_admin, na_staff): e-mail and inbox. */
  | { staff: true }
  /** A user account: its e-mail and inbox. */
  | { user: number }
  /** A bare e-mail address, in `lang` or the profile's default language. */
  | { email: string; lang?: Lang };

export interface Notice<K extends TemplateKey> {
  template: K;
  params: TemplateParams<K>;
  to: Recipient | readonly Recipient[];
  /**
   * Names this notice, e.g. 'renewal-request:example.az:2027-03-01'. Queuing the same key again for the same
   * recipient and channel does nothing, so a timer that runs twice (or on two nodes) notifies once.
   */
  dedupe: string;
}

export type Channel = 'email' | 'inbox' | 'poll';
export interface Queued { id: number; channel: Channel; recipient: string; lang: Lang }
export interface NotifyResult {
  /** Rows written now (e-mail pending; inbox and poll delivered). */
  queued: Queued[];
  /** Deliveries skipped because this dedupe key was already queued for them. */
  duplicates: number;
}

interface Delivery { channel: Channel; recipient: string; lang: Lang; userId: number | null; registrarId: string | null }

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
/** The EPP greeting announces only 'en', and <msg> without a lang attribute is English (RFC 5730 §2.6). */
const POLL_LANG: Lang = 'en';

async function resolve(ctx: OperationContext, r: Recipient, fallback: Lang): Promise<Delivery[]> {
  const tx = ctx.tx;
  const email = (address: string, lang: Lang, userId: number | null = null, registrarId: string | null = null): Delivery =>
    ({ channel: 'email', recipient: address.trim().toLowerCase(), lang, userId, registrarId });
  const inbox = (userId: number, lang: Lang): Delivery => ({ channel: 'inbox', recipient: `user:${userId}`, lang, userId, registrarId: null });

  if ('contact' in r) {
    let q = tx.selectFrom('contacts').leftJoin('users', (j) => j.onRef('users.id', '=', 'contacts.account_id').on('users.active', '=', true))
      .select(['contacts.email', 'contacts.handle', 'users.id as userId', 'users.lang']);
    q = typeof r.contact === 'number' ? q.where('contacts.id', '=', r.contact) : q.where('contacts.handle', '=', r.contact).where('contacts.deleted_at', 'is', null);
    const c = await q.executeTakeFirst();
    if (!c) throw new RegistryError('notFound', `no contact ${r.contact} to notify`, 'RFC 5733 §3.1.2');
    const lang = c.lang ?? fallback;
    const out = [email(c.email, lang, c.userId)];
    if (c.userId !== null) out.push(inbox(c.userId, lang));
    return out;
  }
  if ('registrar' in r) {
    const reg = await tx.selectFrom('registrars').select(['id', 'email', 'lang']).where('id', '=', r.registrar).executeTakeFirst();
    if (!reg) throw new RegistryError('notFound', `no registrar ${r.registrar} to notify`, 'R9.6');
    const via = r.via ?? ['email', 'poll'];
    const out: Delivery[] = [];
    if (via.includes('email')) out.push(email(reg.email, reg.lang ?? fallback, null, reg.id));
    if (via.includes('poll')) out.push({ channel: 'poll', recipient: reg.id, lang: POLL_LANG, userId: null, registrarId: reg.id });
    return out;
  }
  if ('staff' in r) {
    const users = await tx.selectFrom('users').select(['id', 'email', 'lang'])
      .where('role', 'in', ['na_admin', 'na_staff']).where('active', '=', true).orderBy('id').execute();
    return users.flatMap((u) => [email(u.email, u.lang, u.id), inbox(u.id, u.lang)]);
  }
  if ('user' in r) {
    const u = await tx.selectFrom('users').select(['id', 'email', 'lang', 'active']).where('id', '=', r.user).executeTakeFirst();
    if (!u) throw new RegistryError('notFound', `no user ${r.user} to notify`, 'R3.6');
    return u.active ? [email(u.email, u.lang, u.id), inbox(u.id, u.lang)] : [];
  }
  if (!EMAIL.test(r.email.trim())) throw new RegistryError('syntax', `'${r.email}' is not an e-mail address`, 'RFC 5322 §3.4.1');
  if (r.lang !== undefined && !isLang(r.lang)) throw new RegistryError('syntax', `language '${String(r.lang)}' is not az, en or ru`, 'R3.11');
  return [email(r.email, r.lang ?? fallback)];
}

/** Queues a notice for its recipients inside the operation `ctx`; see Notice and Recipient. */
export async function notify<K extends TemplateKey>(ctx: OperationContext, n: Notice<K>): Promise<NotifyResult> {
  const dedupe = n.dedupe.trim();
  if (!dedupe || dedupe.length > 300) throw new Error(`notice ${n.template}: the dedupe key must be 1 to 300 characters`);
  const params: StoredParams = storedParams(n.template, n.params);
  const tld = ctx.registry.profile.tld;
  const fallback = defaultLangFor(tld);
  const recipients = (Array.isArray(n.to) ? n.to : [n.to]) as readonly Recipient[];
  const deliveries: Delivery[] = [];
  for (const r of recipients) deliveries.push(...await resolve(ctx, r, fallback));

  const result: NotifyResult = { queued: [], duplicates: 0 };
  const seen = new Set<string>();
  for (const d of deliveries) {
    const k = `${d.channel} ${d.recipient}`;
    if (seen.has(k)) continue;   // the same address named twice (a contact's e-mail that is also a staff e-mail)
    seen.add(k);
    const text = render(n.template, d.lang, params, tld);
    const immediate = d.channel !== 'email';
    const row = await ctx.tx.insertInto('notifications').values({
      dedupe_key: dedupe, channel: d.channel, recipient: d.recipient, user_id: d.userId, registrar_id: d.registrarId,
      template: n.template, lang: d.lang, params: JSON.stringify(params), subject: text.subject,
      status: immediate ? 'sent' : 'pending', attempts: immediate ? 1 : 0, next_attempt_at: ctx.now,
      created_at: ctx.now, sent_at: immediate ? ctx.now : null, operation: ctx.operation, actor: ctx.actorId,
    }).onConflict((oc) => oc.columns(['dedupe_key', 'channel', 'recipient']).doNothing()).returning('id').executeTakeFirst();
    if (!row) { result.duplicates++; continue; }
    if (d.channel === 'inbox') {
      await ctx.tx.insertInto('inbox_messages').values({
        user_id: d.userId!, at: ctx.now, subject: text.subject, body: text.body, notification_id: row.id,
      }).execute();
    } else if (d.channel === 'poll') {
      await ctx.poll(d.registrarId!, 'notice', text.subject, { notice: n.template, notificationId: row.id, params, text: text.body });
    }
    result.queued.push({ id: row.id, channel: d.channel, recipient: d.recipient, lang: d.lang });
  }
  return result;
}
