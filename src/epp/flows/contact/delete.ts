// contact:delete (RFC 5733 §3.2.2). Errors: 2303 no such contact; 2201 another registrar's contact;
// 2304 a delete-prohibiting status; 2305 linked to a domain or a pending application.
import { deleteContact } from '../../../core/contacts.ts';
import type { Flow } from '../../flow.ts';

export const contactDelete: Flow = async (ctx) => {
  await deleteContact(ctx.reg, ctx.actor, ctx.command.need('contact:id').text);
  return {};
};
