// domain:create (RFC 5731 §3.2.1) over the core's createDomain. A name the policy sends to review
// (R3.12, R4.2, R4.8, R4.9) becomes an application: 1001 with creData, status pendingCreate; the decision
// arrives as a poll message with panData (RFC 5731 §3.3) whose paTRID is this response's svTRID (the core
// keeps it with the application: actor.serverTrid).
// Errors: 2003 no registrant / contact without type; 2004 period out of range (R3.16), months not whole
// years; 2102 hostAttr, authInfo <ext>, maxSigLife; 2201 a contact of another registrar (R8.8), registrar
// not active (R9.8); 2302 registered, variant held, earlier application (R4.12); 2303 unknown contact or
// host; 2306 refused by the rules (R4, with every reason), too few name servers, bad DS data, keyData.
import { createDomain } from '../../../core/domains/create.ts';
import type { ContactType } from '../../../core/domains/view.ts';
import type { XNode } from '../../dom.ts';
import { EppError } from '../../errors.ts';
import { extension, type Flow } from '../../flow.ts';
import { dateTime, el, nsEl } from '../../responses.ts';
import { authInfoPw, periodYears } from '../../values.ts';
import { dsForCreate, SECDNS } from './secdns.ts';

/** <domain:ns>: host objects only (RFC 5731 §1.1 leaves the choice to the server). */
export function hostObjects(ns: XNode | undefined): string[] {
  if (!ns) return [];
  if (ns.child('domain:hostAttr')) throw new EppError(2102, 'name servers are host objects here: create the host, then use <domain:hostObj>');
  return ns.all('domain:hostObj').map((h) => h.text);
}

export function contactsOf(parent: XNode | undefined): { type: ContactType; handle: string }[] {
  return (parent?.all('domain:contact') ?? []).map((c) => {
    const type = c.attrs.type;
    if (!type) throw new EppError(2003, `contact ${c.text} needs a type (admin, tech or billing)`);
    return { type: type as ContactType, handle: c.text };
  });
}

export const domainCreate: Flow = async (ctx) => {
  const cmd = ctx.command;
  const name = cmd.need('domain:name').text;
  const registrant = cmd.textOf('domain:registrant');
  if (!registrant) throw new EppError(2003, 'a domain needs a registrant (Appendix 2: the owner)');
  const result = await createDomain(ctx.reg, ctx.actor, {
    name,
    periodYears: periodYears(cmd.child('domain:period')),
    registrant,
    contacts: contactsOf(cmd),
    hosts: hostObjects(cmd.child('domain:ns')),
    authInfo: authInfoPw(cmd.child('domain:authInfo')),
    ds: dsForCreate(extension(ctx, SECDNS, 'create')),
  });
  if (result.status === 'created') {
    const d = result.domain;
    return { resData: nsEl('domain', 'creData', null, el('domain:name', null, d.name), el('domain:crDate', null, dateTime(d.createdAt)), el('domain:exDate', null, dateTime(d.expiresAt))) };
  }
  const app = result.application;
  const why = Array.isArray(app.reasons) ? (app.reasons as { clause?: string }[]).map((r) => r.clause).filter(Boolean).join(', ') : '';
  return {
    code: 1001,
    msg: `Command completed successfully; action pending: application ${app.id} for ${app.unicodeName} is under review${why ? ` (${why})` : ''}, decision due by ${dateTime(app.dueAt)} (R3.12)`,
    resData: nsEl('domain', 'creData', null, el('domain:name', null, app.name), el('domain:crDate', null, dateTime(app.receivedAt))),
  };
};
