// host:delete (RFC 5732 §3.2.2). Errors: 2303 no such host; 2201 another registrar's host;
// 2304 a delete-prohibiting status; 2305 a domain uses it as a name server.
import { deleteHost } from '../../../core/hosts.ts';
import type { Flow } from '../../flow.ts';

export const hostDelete: Flow = async (ctx) => {
  await deleteHost(ctx.reg, ctx.actor, ctx.command.need('host:name').text);
  return {};
};
