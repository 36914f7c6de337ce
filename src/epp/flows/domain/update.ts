// domain:update (RFC 5731 §3.2.5): add/rem name servers, contacts and statuses, chg authInfo; DS data
// through secDNS (RFC 5910 §5.2.5); restore through rgp (RFC 3915 §4.2.5, see restore.ts).
// Errors: 2303 not registered / unknown host or contact; 2201 another registrar's domain, a server
// status, a contact of another registrar; 2304 an update-prohibiting status; 2304 pending transfer (dispatch.ts);
// 2306 adding what is there or removing what is not, fewer than two name servers, a registrant change
// (only by the change-of-owner procedure, R10.1), removing authInfo, bad DS data, keyData;
// 2102 hostAttr, authInfo <ext>, maxSigLife, urgent; 2003 contact without type.
import { updateDomain, type DomainUpdateInput } from '../../../core/domains/update.ts';
import type { XNode } from '../../dom.ts';
import { EppError } from '../../errors.ts';
import { extension, type Flow } from '../../flow.ts';
import { NS } from '../../namespaces.ts';
import { authInfoPw, statusValues } from '../../values.ts';
import { contactsOf, hostObjects } from './create.ts';
import { restore } from './restore.ts';
import { dsForUpdate, SECDNS } from './secdns.ts';

function changeSet(part: XNode | undefined) {
  return {
    hosts: hostObjects(part?.child('domain:ns')),
    contacts: contactsOf(part),
    statuses: statusValues(part, 'domain:status'),
  };
}

export const domainUpdate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const name = cmd.need('domain:name').text;
  const rgp = extension(ctx, NS.rgp, 'update');
  if (rgp) return restore(ctx, name, rgp);

  const ds = dsForUpdate(extension(ctx, SECDNS, 'update'));
  const chg = cmd.child('domain:chg');
  const change: DomainUpdateInput['change'] = {};
  const registrant = chg?.child('domain:registrant');
  if (registrant) change.registrant = registrant.text;
  const authInfo = chg?.child('domain:authInfo');
  if (authInfo?.child('domain:null')) throw new EppError(2306, 'a domain always has an authInfo: set a new one instead of removing it');
  if (authInfo) change.authInfo = authInfoPw(authInfo);

  await updateDomain(ctx.reg, ctx.actor, {
    name,
    add: { ...changeSet(cmd.child('domain:add')), ds: ds.add },
    remove: { ...changeSet(cmd.child('domain:rem')), ds: ds.remove, allDs: ds.removeAll },
    change,
  });
  return {};
};
