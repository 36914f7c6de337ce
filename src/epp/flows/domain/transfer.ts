// domain:transfer (RFC 5731 §3.1.3 query, §3.2.4 request/approve/reject/cancel). Both registrars get a
// poll message at every step (core transfers.ts).
// Errors: 2303 not registered; 2003 request without authInfo; 2202 wrong authInfo; 2106 already yours;
// 2300 a transfer is already pending; 2304 a transfer-prohibiting status; 2301 nothing pending (approve,
// reject, cancel; query with no transfer on record); 2201 approve/reject by other than the sponsor,
// cancel by other than the requester, query by an unrelated registrar without authInfo; 2202 query with a
// wrong authInfo; 2004 period.
import { approveTransfer, cancelTransfer, queryTransfer, rejectTransfer, requestTransfer, type TransferView } from '../../../core/transfers.ts';
import { isRegistryError } from '../../../core/errors.ts';
import { EppError } from '../../errors.ts';
import type { Flow } from '../../flow.ts';
import { dateTime, el, nsEl, type Xml } from '../../responses.ts';
import { authInfoPw, periodYears } from '../../values.ts';

/** RFC 5731 §3.2.4 trnData; also the body of transfer poll messages. */
export function trnData(t: { name: string; status: string; reID: string; reDate: Date; acID: string; acDate: Date; exDate: Date | null }): Xml {
  return nsEl('domain', 'trnData', null,
    el('domain:name', null, t.name), el('domain:trStatus', null, t.status),
    el('domain:reID', null, t.reID), el('domain:reDate', null, dateTime(t.reDate)),
    el('domain:acID', null, t.acID), el('domain:acDate', null, dateTime(t.acDate)),
    t.exDate && el('domain:exDate', null, dateTime(t.exDate)));
}

const fromView = (v: TransferView): Xml => trnData({
  name: v.name, status: v.status, reID: v.gainingRegistrarId, reDate: v.requestedAt,
  acID: v.losingRegistrarId, acDate: v.actedAt ?? v.actionDueAt, exDate: v.expiresAfter,
});

export const domainTransfer: Flow = async (ctx) => {
  const cmd = ctx.command;
  const name = cmd.need('domain:name').text;
  const authInfo = authInfoPw(cmd.child('domain:authInfo'));
  switch (ctx.op) {
    case 'query':
      try {
        return { resData: fromView(await queryTransfer(ctx.reg, ctx.actor, name, authInfo)) };
      } catch (e) {
        // The core refuses an unrelated registrar unless its authInfo is right: with authInfo given, that
        // refusal means the authInfo is wrong, which RFC 5730 §3 answers 2202 (as domain:info does).
        if (authInfo !== undefined && isRegistryError(e) && e.kind === 'authorization') throw new EppError(2202, 'the authInfo does not match (RFC 5731 §3.1.3)');
        throw e;
      }
    case 'request': {
      if (authInfo === undefined) throw new EppError(2003, "a transfer request needs the domain's authInfo (RFC 5731 §3.2.4)");
      const v = await requestTransfer(ctx.reg, ctx.actor, { name, authInfo, periodYears: periodYears(cmd.child('domain:period')) ?? null });
      return { code: 1001, resData: fromView(v) };
    }
    case 'approve':
      return { resData: fromView(await approveTransfer(ctx.reg, ctx.actor, name)) };
    case 'reject':
      return { resData: fromView(await rejectTransfer(ctx.reg, ctx.actor, name)) };
    case 'cancel':
      return { resData: fromView(await cancelTransfer(ctx.reg, ctx.actor, name)) };
    default:
      throw new EppError(2001, `unknown transfer op '${ctx.op}'`);
  }
};
