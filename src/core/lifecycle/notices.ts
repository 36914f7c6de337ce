// Notices of the lifecycle to the people concerned, queued in the operation's transaction (src/notify sends
// them): nothing is told for an operation that rolled back, and nothing committed goes untold.
import type { DomainRow, SuspensionGround } from '../../db/schema.ts';
import { RegistryError } from '../errors.ts';
import { notify, type Recipient } from '../../notify/notify.ts';
import type { Ground, TemplateKey, TemplateParams } from '../../notify/templates/keys.ts';
import type { OperationContext } from '../operation.ts';

/** The ground code a notice states for each suspension ground (R7.4.x, R6.2, R8.7). */
export const GROUND_CODE: Record<SuspensionGround, Ground> = {
  owner_request: 'R7.4.1',
  agreement: 'R7.4.2',
  court: 'R7.4.3',
  incapacity: 'R7.4.4',
  restriction: 'R7.4.5',
  expiry: 'R6.2',
  accuracy: 'R8.7',
};

export async function registrarName(ctx: OperationContext, id: string): Promise<string> {
  const r = await ctx.tx.selectFrom('registrars').select('name').where('id', '=', id).executeTakeFirst();
  return r?.name ?? id;
}

/** The owner (registrant) of a domain: e-mail, and the account inbox when the owner has an account. */
export async function tellOwner<K extends TemplateKey>(ctx: OperationContext, row: Pick<DomainRow, 'registrant_id'>,
  template: K, params: TemplateParams<K>, dedupe: string): Promise<void> {
  await notify(ctx, { template, params, to: { contact: row.registrant_id }, dedupe });
}

/** A contact (the person the data belong to). */
export async function tellContact<K extends TemplateKey>(ctx: OperationContext, contactId: number,
  template: K, params: TemplateParams<K>, dedupe: string): Promise<void> {
  await notify(ctx, { template, params, to: { contact: contactId }, dedupe });
}

/**
 * National Administrator staff (na_admin, na_staff): e-mail and inbox; DOMEN_NA_EMAIL (the NA's shared mailbox)
 * also gets it, and is the one recipient when no staff account exists yet, so an alert is never addressed to no one.
 */
export async function tellStaff<K extends TemplateKey>(ctx: OperationContext, template: K, params: TemplateParams<K>, dedupe: string): Promise<void> {
  const shared = process.env.DOMEN_NA_EMAIL?.trim();
  const to: Recipient[] = [{ staff: true }];
  if (shared) to.push({ email: shared });
  const r = await notify(ctx, { template, params, to, dedupe });
  if (r.queued.length === 0 && r.duplicates === 0) {
    throw new RegistryError('failed', `nobody to tell of ${template}: create a National Administrator user (domen user create EMAIL --role na_staff) or set DOMEN_NA_EMAIL`, 'R3.12');
  }
}
