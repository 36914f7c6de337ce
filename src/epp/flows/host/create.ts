// host:create (RFC 5732 §3.2.1). Errors: 2302 the host exists; 2303 the superordinate domain of an
// in-zone host is not registered; 2201 it is another registrar's; 2005 bad name or address;
// 2306 addresses for an out-of-zone host, a non-global address (RFC 5732 §2.5); 2004 too many addresses.
import { createHost } from '../../../core/hosts.ts';
import type { Flow } from '../../flow.ts';
import { dateTime, el, nsEl } from '../../responses.ts';

export const hostCreate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const h = await createHost(ctx.reg, ctx.actor, {
    name: cmd.need('host:name').text,
    addresses: cmd.all('host:addr').map((a) => a.text),
  });
  return { resData: nsEl('host', 'creData', null, el('host:name', null, h.name), el('host:crDate', null, dateTime(h.createdAt))) };
};
