// contact:transfer (RFC 5733 §3.1.3, §3.2.4). Contacts are not transferred on their own here: a contact
// holds a person's data (R3.7, R8.8) and moves only with the registry's involvement. Every op is 2101
// (unimplemented command); 2303 when the contact does not exist.
import { getContact } from '../../../core/contacts.ts';
import { EppError } from '../../errors.ts';
import type { Flow } from '../../flow.ts';

export const contactTransfer: Flow = async (ctx) => {
  await getContact(ctx.reg, ctx.command.need('contact:id').text);
  throw new EppError(2101, `contact transfer (${ctx.op}) is not offered: create the contact under your own sponsorship`);
};
