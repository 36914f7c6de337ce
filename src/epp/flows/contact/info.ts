// contact:info (RFC 5733 §3.1.2). The sponsor, or a client giving the right authInfo, sees everything
// (and the identity extension, if announced at login). Another registrar without authInfo: a legal
// entity's public data (organisation, address, contact points: no representative, no authInfo); a
// natural person's data is personal and not disclosed (R8.8): 2201.
// Errors: 2303 no such contact; 2202 wrong authInfo; 2201 a natural person of another registrar; 2102 <ext>.
import { getContact, type ContactView } from '../../../core/contacts.ts';
import { EppError } from '../../errors.ts';
import { wants, type Flow, type FlowContext } from '../../flow.ts';
import { NS } from '../../namespaces.ts';
import { dateTime, el, nsEl } from '../../responses.ts';
import { authInfoPw, clIdOf } from '../../values.ts';
import { discloseXml, identityInfData, postalInfo, postalType } from './mapping.ts';

function infData(ctx: FlowContext, c: ContactView, full: boolean) {
  return nsEl('contact', 'infData', null,
    el('contact:id', null, c.handle),
    el('contact:roid', null, c.roid),
    ...c.statuses.map((s) => el('contact:status', { s })),
    postalInfo(c, full),
    c.voice && el('contact:voice', null, c.voice),
    c.fax && el('contact:fax', null, c.fax),
    el('contact:email', null, c.email),
    el('contact:clID', null, c.registrarId),
    el('contact:crID', null, clIdOf(c.createdBy, ctx.config)),
    el('contact:crDate', null, dateTime(c.createdAt)),
    c.updatedAt && el('contact:upID', null, clIdOf(c.updatedBy, ctx.config)),
    c.updatedAt && el('contact:upDate', null, dateTime(c.updatedAt)),
    full && el('contact:authInfo', null, el('contact:pw', null, c.authInfo)),
    full && discloseXml(c.disclose, c.kind, postalType(c, full)),
  );
}

export const contactInfo: Flow = async (ctx) => {
  const pw = authInfoPw(ctx.command.child('contact:authInfo'));
  const c = await getContact(ctx.reg, ctx.command.need('contact:id').text);
  const sponsor = c.registrarId === ctx.registrarId;
  if (!sponsor && pw !== undefined && pw !== c.authInfo) throw new EppError(2202, 'the authInfo does not match (RFC 5733 §3.1.2)');
  const full = sponsor || pw !== undefined;
  if (!full && c.kind === 'natural') {
    throw new EppError(2201, `contact ${c.handle} is a natural person sponsored by another registrar: personal data is not disclosed without authInfo (R8.8)`);
  }
  return {
    resData: infData(ctx, c, full),
    extension: full && wants(ctx, NS.identity) ? identityInfData(c) : undefined,
  };
};
