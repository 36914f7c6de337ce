// contact:create (RFC 5733 §3.2.1) with the identity extension (docs/epp.md). A contact without the
// identity data is accepted and enters the data-accuracy procedure (R8.7) as unverified.
// Errors: 2302 the id exists; 2003 a natural person without given and family name (R3.7), no city,
// country or e-mail (Appendix 2); 2005 id, e-mail, telephone, country, date, TIN or ID number syntax;
// 2004 a value too long; 2306 authInfo too weak (RFC 5733 §2.8); 2102 authInfo <ext>.
import { createContact } from '../../../core/contacts.ts';
import { extension, type Flow } from '../../flow.ts';
import { NS } from '../../namespaces.ts';
import { dateTime, el, nsEl } from '../../responses.ts';
import { authInfoPw } from '../../values.ts';
import { createData } from './mapping.ts';

export const contactCreate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const c = await createContact(ctx.reg, ctx.actor, {
    handle: cmd.need('contact:id').text,
    authInfo: authInfoPw(cmd.need('contact:authInfo')),
    ...createData(cmd, extension(ctx, NS.identity, 'create')),
  });
  return { resData: nsEl('contact', 'creData', null, el('contact:id', null, c.handle), el('contact:crDate', null, dateTime(c.createdAt))) };
};
