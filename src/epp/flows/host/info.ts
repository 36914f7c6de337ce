// host:info (RFC 5732 §3.1.2): host data is public (it is in the DNS). Errors: 2303 no such host.
import { isIPv6 } from 'node:net';
import { getHost } from '../../../core/hosts.ts';
import type { Flow } from '../../flow.ts';
import { dateTime, el, nsEl } from '../../responses.ts';
import { clIdOf } from '../../values.ts';

export const hostInfo: Flow = async (ctx) => {
  const h = await getHost(ctx.reg, ctx.command.need('host:name').text);
  return {
    resData: nsEl('host', 'infData', null,
      el('host:name', null, h.name),
      el('host:roid', null, h.roid),
      ...h.statuses.map((s) => el('host:status', { s })),
      ...h.addresses.map((a) => el('host:addr', { ip: isIPv6(a) ? 'v6' : 'v4' }, a)),
      el('host:clID', null, h.registrarId),
      el('host:crID', null, clIdOf(h.createdBy, ctx.config)),
      el('host:crDate', null, dateTime(h.createdAt)),
      h.updatedAt && el('host:upID', null, clIdOf(h.updatedBy, ctx.config)),
      h.updatedAt && el('host:upDate', null, dateTime(h.updatedAt)),
    ),
  };
};
