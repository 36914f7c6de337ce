// The notices the registry sends and the parameters each one takes. Every language pack (az.ts, en.ts, ru.ts)
// has a text for every key using exactly these parameters (test/notify/templates.test.ts checks it).
//
// Placeholders in the texts: {param} inserts the value; {param|date} a civil date, {param|datetime} a date and
// time in the registry's time zone, {param|clause} a ground code as a clause number ('R5.1.8' -> '5.1.8'),
// {param|ground} the language's wording of a ground code (R5.1.x, R7.3.x,
// R7.4.x, R6.2, R8.6, R8.7), {param|remedy} what the owner can do about that ground, {param|abuse} the
// language's name of an abuse category.
import type { AbuseCategory } from '../../db/schema.ts';

export const TEMPLATE_PARAMS = {
  /** R3.11: receipt of an application, at once, to e-mail and account. */
  'application.received': ['name', 'applicationId', 'registrar', 'receivedAt', 'dueAt'],
  /** R3.12, R3.14: the decision to register; the Registration Agreement takes effect. */
  'application.approved': ['name', 'applicationId', 'registrar', 'expiryDate'],
  /** R3.12, R5.1.x ground, R5.2 refund, R5.3 appeal. `note` may be empty. */
  'application.refused': ['name', 'applicationId', 'registrar', 'ground', 'note', 'refund'],
  /** To NA staff: the R3.12 review deadline of an application is near. */
  'application.deadline': ['name', 'applicationId', 'registrar', 'receivedAt', 'dueAt'],
  /** R6.1: at least one month before expiry. */
  'renewal.request': ['name', 'expiryDate', 'registrar'],
  /** R7.5: within 1 working day of the decision; the ground says why and what to do. */
  'domain.suspended': ['name', 'ground', 'suspendedAt', 'registrar'],
  /** R7.6: service restored within 24 hours once the cause is gone. */
  'domain.restored': ['name', 'restoredAt', 'registrar'],
  /** R6.2, R7.3 (and R7.5 for early termination). */
  'domain.cancelled': ['name', 'ground', 'cancelledAt', 'registrar'],
  /** R8.7: inaccurate data; fix within 3 working days (deadline) or service is suspended. */
  'accuracy.notice': ['name', 'registrar', 'issue', 'deadline'],
  /** RFC 5731 §3.2.4 transfer request; auto-approval at autoApproveAt unless the losing registrar acts. */
  'transfer.requested': ['name', 'gainingRegistrar', 'losingRegistrar', 'requestedAt', 'autoApproveAt'],
  'transfer.completed': ['name', 'gainingRegistrar', 'losingRegistrar', 'completedAt', 'expiryDate'],
  /** R9.8: the registrar's functions terminated; its domains move to a consenting registrar. */
  'registrar.terminated': ['name', 'registrar', 'newRegistrar', 'date'],
  /** AZ-CERT: a report of abuse or an incident concerning a name, to its registrar and its owner; no action on a report alone. */
  'abuse.notice': ['name', 'reportId', 'category', 'registrar', 'receivedAt'],
  /** R3.6: a new registrant account confirms its e-mail address by a one-time link (valid until expiresAt). */
  'account.confirm': ['name', 'link', 'expiresAt'],
  /** R3.6: someone tried to sign up again with the address of an existing account (the form does not say so). */
  'account.exists': ['link'],
  /** R3.10, R5.2: a paid order refused before filing, or whose application was refused, is paid back. */
  'account.refund': ['name', 'orderId', 'amount', 'reason'],
} as const satisfies Record<string, readonly string[]>;

export type TemplateKey = keyof typeof TEMPLATE_PARAMS;
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_PARAMS) as TemplateKey[];

/** A parameter value: text, a number, or a moment (stored as an ISO string; 'YYYY-MM-DD' is a civil date). */
export type ParamValue = string | number | Date;
export type TemplateParams<K extends TemplateKey> = { [P in (typeof TEMPLATE_PARAMS)[K][number]]: ParamValue };

export const LANGS = ['az', 'en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export function isTemplateKey(k: string): k is TemplateKey {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_PARAMS, k);
}
export function isLang(l: string): l is Lang {
  return (LANGS as readonly string[]).includes(l);
}

/** Ground codes with a wording in every language (R5.1.x refusals, R7.3.x cancellations, R7.4.x suspensions). */
export const GROUNDS = [
  'R5.1.1', 'R5.1.2', 'R5.1.3', 'R5.1.4', 'R5.1.5', 'R5.1.6', 'R5.1.7', 'R5.1.8', 'R5.1.9',
  'R7.3.1', 'R7.3.2', 'R7.3.3', 'R7.3.4', 'R7.3.5', 'R7.3.6',
  'R7.4.1', 'R7.4.2', 'R7.4.3', 'R7.4.4', 'R7.4.5', 'R6.2', 'R8.6', 'R8.7',
] as const;
export type Ground = (typeof GROUNDS)[number];

export interface TemplateText { subject: string; body: string }
export interface LanguagePack {
  templates: Record<TemplateKey, TemplateText>;
  /** The wording of each ground, as it reads after "Ground:". */
  grounds: Record<Ground, string>;
  /** What the owner can do about a suspension or cancellation on this ground (R7.5 "what to do"). */
  remedies: Record<Ground, string>;
  /** The kinds of abuse of a report (AZ-CERT), as they read in "a report of {category|abuse}". */
  abuse: Record<AbuseCategory, string>;
  /** '{d}', '{m}' (two digits), '{month}' (from months), '{y}'. */
  date: string;
  /** '{date}', '{time}' (HH:MM), '{zone}' (from timeZone). */
  datetime: string;
  months: readonly string[];
  timeZone: Record<string, string>;
  /** How a clause number is written where {param|clause} stands (Azerbaijani adds the ordinal suffix: '6.2-ci'). */
  clause?: (number: string) => string;
  /** The closing lines of every e-mail. */
  signature: string;
}
