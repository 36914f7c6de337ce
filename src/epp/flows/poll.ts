// <poll> (RFC 5730 §2.9.2.3): req answers the oldest message (1301) or 1300 when there is none; ack
// dequeues one by id (its msgQ names it and counts the rest; no msgQ once none is left, RFC 5730 §2.6).
// Transfer messages carry domain:trnData (RFC 5731 §3.2.4), review decisions
// domain:panData (RFC 5731 §3.3) whose paTRID names the create that was answered 1001 (trid.ts);
// the R5.1.x ground of a refusal is in the message text. A change the registry made to the registrar's
// domain (RFC 8590) carries the domain's infData and, when the client announced changePoll at login,
// changePoll:changeData (operation, date, svTRID, who, reason) in the extension.
// Errors: 2003 ack without msgID; 2303 ack of an id not waiting in this registrar's queue.
import { isRegistryError } from '../../core/errors.ts';
import { pollAck, pollRequest, type PollMessage } from '../../core/poll.ts';
import { EppError } from '../errors.ts';
import type { Flow, FlowContext } from '../flow.ts';
import { dateTime, el, nsEl, type Xml } from '../responses.ts';
import { applicationTrid } from '../trid.ts';
import type { DomainView } from '../../core/domains/view.ts';
import { wants } from '../flow.ts';
import { NS } from '../namespaces.ts';
import { infData } from './domain/info.ts';
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
        // Applications received before the svTRID was stored name the derived one (trid.ts).
        el('svTRID', null, str(p.serverTrid) || applicationTrid(ctx.config.tridPrefix, Number(p.applicationId)))),
      el('domain:paDate', null, dateTime(p.paDate ? date(p.paDate) : m.at)));
  }
  if (m.kind === 'domain.change' && p.domain && typeof p.domain === 'object') {
    return infData(ctx, domainOfPayload(p.domain as Record<string, unknown>), true, 'all');
  }
  return undefined;
}

/** A DomainView stored as JSON in a poll message: dates are strings there. */
function domainOfPayload(d: Record<string, unknown>): DomainView {
  const opt = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);
  return { ...(d as unknown as DomainView), createdAt: date(d.createdAt), expiresAt: date(d.expiresAt), updatedAt: opt(d.updatedAt), transferredAt: opt(d.transferredAt) };
}

const OPERATIONS = new Set(['create', 'delete', 'renew', 'transfer', 'update', 'restore', 'autoRenew', 'autoDelete', 'autoPurge']);

/** RFC 8590 §3.1: who changed what, when and why (the reason is at most 32 characters there; the message has it all). */
function changeData(ctx: FlowContext, m: PollMessage): Xml | undefined {
  if (m.kind !== 'domain.change' || !wants(ctx, NS.changePoll)) return undefined;
  const p = m.payload;
  const op = str(p.operation);
  const reason = str(p.reason).replace(/\s+/g, ' ').trim();
  return nsEl('changePoll', 'changeData', { state: 'after' },
    OPERATIONS.has(op) ? el('changePoll:operation', null, op) : el('changePoll:operation', { op: op || 'unknown' }, 'custom'),
    el('changePoll:date', null, dateTime(p.date ? date(p.date) : m.at)),
    el('changePoll:svTRID', null, str(p.serverTrid) || `${ctx.config.tridPrefix}-change-${m.id}`),
    el('changePoll:who', null, str(p.who) || ctx.config.registryClId),
    reason && el('changePoll:reason', null, reason.length > 32 ? `${reason.slice(0, 31)}…` : reason),
  );
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
      // RFC 5730 §2.6: msgQ MUST NOT be present when no message is queued, so the ack of the last one has none.
      return left > 0 ? { msgQ: { count: left, id } } : {};
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
    extension: changeData(ctx, message),
  };
};
