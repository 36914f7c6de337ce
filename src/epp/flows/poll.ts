// <poll> (RFC 5730 §2.9.2.3): req answers the oldest message (1301) or 1300 when there is none; ack
// dequeues one by id. Transfer messages carry domain:trnData (RFC 5731 §3.2.4), review decisions
// domain:panData (RFC 5731 §3.3) whose paTRID names the create that was answered 1001 (trid.ts);
// the R5.1.x ground of a refusal is in the message text.
// Errors: 2003 ack without msgID; 2303 ack of an id not waiting in this registrar's queue.
import { isRegistryError } from '../../core/errors.ts';
import { pollAck, pollRequest, type PollMessage } from '../../core/poll.ts';
import { EppError } from '../errors.ts';
import type { Flow, FlowContext } from '../flow.ts';
import { dateTime, el, nsEl, type Xml } from '../responses.ts';
import { applicationTrid } from '../trid.ts';
import { trnData } from './domain/transfer.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const date = (v: unknown): Date => new Date(str(v));

function resData(ctx: FlowContext, m: PollMessage): Xml | undefined {
  const p = m.payload;
  if (m.kind === 'domain.transfer') {
    return trnData({
      name: str(p.name), status: str(p.trStatus), reID: str(p.reID), reDate: date(p.reDate), acID: str(p.acID),
      acDate: date(p.acDate), exDate: p.exDate ? date(p.exDate) : null,
    });
  }
  if (m.kind === 'domain.pan') {
    const clTRID = str(p.clientTrid);
    return nsEl('domain', 'panData', null,
      el('domain:name', { paResult: p.paResult === true }, str(p.name)),
      el('domain:paTRID', null,
        clTRID.length >= 3 && clTRID.length <= 64 ? el('clTRID', null, clTRID) : null,
        el('svTRID', null, applicationTrid(ctx.config.tridPrefix, Number(p.applicationId)))),
      el('domain:paDate', null, dateTime(p.paDate ? date(p.paDate) : m.at)));
  }
  return undefined;
}

export const poll: Flow = async (ctx) => {
  const op = ctx.command.attrs.op;
  if (op === 'ack') {
    const raw = ctx.command.attrs.msgID;
    if (raw === undefined) throw new EppError(2003, 'poll ack needs the msgID of the message to dequeue');
    const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(id)) throw new EppError(2303, `no message ${raw} waiting in your queue`);
    try {
      const left = await pollAck(ctx.reg, ctx.actor, ctx.registrarId, id);
      return { msgQ: { count: left, id } };
    } catch (e) {
      if (isRegistryError(e) && e.kind === 'notFound') throw new EppError(2303, e.message);
      throw e;
    }
  }
  const { count, message } = await pollRequest(ctx.reg, ctx.registrarId);
  if (!message) return { code: 1300 };
  return {
    code: 1301,
    msgQ: { count, id: message.id, qDate: message.at, msg: message.message },
    resData: resData(ctx, message),
  };
};
