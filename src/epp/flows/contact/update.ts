// contact:update (RFC 5733 §3.2.5) with the identity extension. Changed identity data is verified again
// (R8.5-R8.7). Errors: 2303 no such contact; 2201 another registrar's contact, a server status;
// 2304 an update-prohibiting status; 2306 natural person <-> legal entity (create a new contact),
// authInfo too weak; 2003/2004/2005 as for create; 2102 authInfo <ext>.
import { getContact, updateContact } from '../../../core/contacts.ts';
import { extension, type Flow } from '../../flow.ts';
import { NS } from '../../namespaces.ts';
import { authInfoPw, statusValues } from '../../values.ts';
import { changeData } from './mapping.ts';

export const contactUpdate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const handle = cmd.need('contact:id').text;
  const chg = cmd.child('contact:chg');
  const identity = extension(ctx, NS.identity, 'update');
  // The stored contact is read first only to merge a representative's name or the disclose flags.
  const current = chg || identity ? await getContact(ctx.reg, handle) : null;
  await updateContact(ctx.reg, ctx.actor, {
    handle,
    set: current ? changeData(chg, identity, current) : undefined,
    authInfo: authInfoPw(chg?.child('contact:authInfo')),
    addStatuses: statusValues(cmd.child('contact:add'), 'contact:status'),
    removeStatuses: statusValues(cmd.child('contact:rem'), 'contact:status'),
  });
  return {};
};
