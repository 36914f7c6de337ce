// domain:delete (RFC 5731 §3.2.2): the registration ends and the name is released at once (R7.3).
// Errors: 2303 not registered; 2201 another registrar's domain; 2304 a delete-prohibiting status;
// 2304 pending transfer (dispatch.ts); 2305 subordinate hosts exist.
import { deleteDomain } from '../../../core/domains/delete.ts';
import type { Flow } from '../../flow.ts';

export const domainDelete: Flow = async (ctx) => {
  await deleteDomain(ctx.reg, ctx.actor, ctx.command.need('domain:name').text);
  return {};
};
