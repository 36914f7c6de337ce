// host:update (RFC 5732 §3.2.5): add/rem addresses and statuses, chg name. Errors: 2303 no such host
// (or the new name's superordinate domain); 2201 another registrar's host, a server status; 2304 an
// update-prohibiting status; 2306 adding what is there or removing what is not, addresses outside the
// zone; 2302 the new name is taken; 2005 bad name or address.
import { updateHost } from '../../../core/hosts.ts';
import type { Flow } from '../../flow.ts';
import { statusValues } from '../../values.ts';

export const hostUpdate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const add = cmd.child('host:add');
  const rem = cmd.child('host:rem');
  await updateHost(ctx.reg, ctx.actor, {
    name: cmd.need('host:name').text,
    addAddresses: add?.all('host:addr').map((a) => a.text) ?? [],
    removeAddresses: rem?.all('host:addr').map((a) => a.text) ?? [],
    addStatuses: statusValues(add, 'host:status'),
    removeStatuses: statusValues(rem, 'host:status'),
    newName: cmd.child('host:chg')?.textOf('host:name'),
  });
  return {};
};
