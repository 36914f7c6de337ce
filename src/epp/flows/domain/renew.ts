// domain:renew (RFC 5731 §3.2.3). Errors: 2303 not registered; 2201 another registrar's domain;
// 2304 a renew-prohibiting status; 2105 in the redemption period after expiry (R6.2: restore instead); 2304 pending transfer (dispatch.ts); 2004 period out of range (R3.16);
// 2306 curExpDate does not match, or the registration would run beyond 10 years (R3.16).
import { renewDomain } from '../../../core/domains/renew.ts';
import type { Flow } from '../../flow.ts';
import { dateTime, el, nsEl } from '../../responses.ts';
import { periodYears } from '../../values.ts';

export const domainRenew: Flow = async (ctx) => {
  const cmd = ctx.command;
  const d = await renewDomain(ctx.reg, ctx.actor, {
    name: cmd.need('domain:name').text,
    currentExpiryDate: cmd.need('domain:curExpDate').text,
    periodYears: periodYears(cmd.child('domain:period')),
  });
  return { resData: nsEl('domain', 'renData', null, el('domain:name', null, d.name), el('domain:exDate', null, dateTime(d.expiresAt))) };
};
