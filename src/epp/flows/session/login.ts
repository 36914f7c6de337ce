// <login> (RFC 5730 §2.9.1.1). Checked in this order:
//   2002 already logged in
//   2501 (and close: RFC 5730 §3 names 2501 for an authentication failure that ends the connection)
//        unknown clID, the client certificate is not one registered for this clID (RFC 5734 §8), the
//        address is not on the registrar's allowlist, or the registrar is not active (R9.8)
//   2200 wrong password; the maxFailedLogins-th failure is 2501 and closes
//   2102 a language other than 'en'
//   2307 an objURI we do not serve; 2103 an extURI we do not serve
//   2502 (and close) the registrar already has its maximum of sessions on this node
//   2004/2306 a newPW that does not meet the password rules (the login then fails); with loginSec, 2200
//        and a loginSecData event of type newPW (RFC 9167 §4.1)
// loginSec (RFC 9167): <pw> (and <newPW>) "[LOGIN-SECURITY]" mean the password is in <loginSec:pw>
// (<loginSec:newPW>), which may be longer than the 16 characters of the EPP schema (up to 128 here);
// "[LOGIN-SECURITY]" without the loginSec password is 2003, a loginSec password beside a plain one 2306.
// The userAgent goes to the logs. A client that announced loginSec gets security events in the login
// response: its certificate expiring within 30 days (warning, error once expired), failed logins before
// this one in the session (stat).
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { isRegistryError } from '../../../core/errors.ts';
import { hashPassword, verifyPassword } from '../../../core/passwords.ts';
import { normalizeFingerprintSha256 } from '../../../pki/index.ts';
import { changeRegistrarPassword, loginRecord } from '../../../core/registrars.ts';
import type { XNode } from '../../dom.ts';
import { NS } from '../../namespaces.ts';
import { el, nsEl, dateTime, type Xml } from '../../responses.ts';
import type { EppConfig } from '../../config.ts';
import { EppError } from '../../errors.ts';
import type { FlowResult } from '../../flow.ts';
import { EXTENSION_URIS, OBJECT_URIS } from '../../namespaces.ts';
import type { Session, SessionCounter } from '../../session.ts';
import type { Registry } from '../../../core/registry.ts';

export interface LoginContext {
  reg: Registry;
  config: EppConfig;
  session: Session;
  sessions: SessionCounter;
  command: XNode;
  clTRID: string | null;
  /** <loginSec:loginSec> from the login's <extension> (RFC 9167 §4.1). */
  loginSec?: XNode | undefined;
}

/** The predefined <pw>/<newPW> value that sends the password to the loginSec extension (RFC 9167 §4.1). */
export const LOGIN_SECURITY = '[LOGIN-SECURITY]';
/** How long before its expiry a client certificate is announced in a loginSec event. */
const CERT_WARNING_MS = 30 * 86_400_000;

interface LoginEvent { type: string; level: 'warning' | 'error'; text: string; exDate?: Date; name?: string; value?: string }

const loginSecData = (events: LoginEvent[]): Xml => nsEl('loginSec', 'loginSecData', null,
  ...events.map((e) => el('loginSec:event', { type: e.type, name: e.name, level: e.level, exDate: e.exDate && dateTime(e.exDate), value: e.value }, e.text)));

/** The password and new password, from the command or through loginSec. */
function passwords(cmd: XNode, ext: XNode | undefined): { pw: string; newPW: string | undefined } {
  const pw = cmd.need('epp:pw').text;
  const newPW = cmd.textOf('epp:newPW');
  const extPw = ext?.textOf('loginSec:pw');
  const extNew = ext?.textOf('loginSec:newPW');
  const pick = (plain: string | undefined, viaExt: string | undefined, what: string): string | undefined => {
    if (viaExt !== undefined) {
      if (plain !== LOGIN_SECURITY) throw new EppError(2306, `<loginSec:${what}> needs <${what}>${LOGIN_SECURITY}</${what}> (RFC 9167 §4.1)`);
      return viaExt;
    }
    if (plain === LOGIN_SECURITY) throw new EppError(2003, `<${what}>${LOGIN_SECURITY}</${what}> needs <loginSec:${what}> (RFC 9167 §4.1)`);
    return plain;
  };
  return { pw: pick(pw, extPw, 'pw')!, newPW: pick(newPW, extNew, 'newPW') };
}

function userAgentOf(ext: XNode | undefined): Session['userAgent'] {
  const ua = ext?.child('loginSec:userAgent');
  if (!ua) return null;
  const out: NonNullable<Session['userAgent']> = {};
  for (const k of ['app', 'tech', 'os'] as const) {
    const v = ua.textOf(`loginSec:${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

let dummyHash: Promise<string> | null = null;
/** An unknown clID costs the same password check as a known one: no timing oracle for registrar ids. */
const burnTime = async (pw: string) => verifyPassword(await (dummyHash ??= hashPassword('Not-A-Registrar-0')), pw);

const plainAddress = (a: string) => (a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a);

/** The registrar's allowlist: addresses and CIDR blocks, IPv4 or IPv6. Empty means any address. */
export function addressAllowed(allowlist: string[], remote: string): boolean {
  if (allowlist.length === 0) return true;
  const list = new BlockList();
  for (const entry of allowlist) {
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    const family = isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (!isIPv4(addr) && !isIPv6(addr)) continue;
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  const ip = plainAddress(remote);
  return list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4');
}

/** RFC 5730 §3: 2501 when the server closes the connection because authentication failed. */
const refuse = (message: string) => new EppError(2501, message, [], true);

export async function login(ctx: LoginContext): Promise<FlowResult> {
  const { session, command: cmd, reg, config } = ctx;
  if (session.loggedIn) throw new EppError(2002, 'already logged in; log out first');
  const clID = cmd.need('epp:clID').text;
  const { pw, newPW } = passwords(cmd, ctx.loginSec);
  const announced = cmd.need('epp:svcs').child('epp:svcExtension')?.all('epp:extURI').some((e) => e.text === NS.loginSec) ?? false;

  const record = await loginRecord(reg, clID);
  if (!record) {
    await burnTime(pw);
    // The same answer as a known clID with a foreign certificate: no oracle for registrar ids.
    throw refuse(`the client certificate is not registered for ${clID} (RFC 5734 §8)`);
  }
  const fingerprint = session.certFingerprint;
  const registered = record.fingerprints.some((f) => {
    try { return normalizeFingerprintSha256(f) === fingerprint; } catch { return false; }
  });
  if (!fingerprint || !registered) throw refuse(`the client certificate is not registered for ${clID} (RFC 5734 §8)`);
  if (!addressAllowed(record.ipAllowlist, session.remoteAddress)) throw refuse(`address ${plainAddress(session.remoteAddress)} is not on the allowlist of ${clID}`);
  if (!(await verifyPassword(record.passwordHash, pw))) {
    session.failedLogins++;
    const close = session.failedLogins >= config.maxFailedLogins;
    throw new EppError(close ? 2501 : 2200, close ? 'wrong credentials; too many failed logins' : 'unknown client identifier or wrong credentials', [], close);
  }
  if (record.status !== 'active') throw refuse(`registrar ${clID} is ${record.status} (R9.8)`);

  const options = cmd.need('epp:options');
  if (options.need('epp:lang').text !== 'en') throw new EppError(2102, "the only language offered is 'en'");
  const svcs = cmd.need('epp:svcs');
  const objURIs = svcs.all('epp:objURI').map((o) => o.text);
  const unknownObj = objURIs.find((u) => !OBJECT_URIS.includes(u));
  if (unknownObj) throw new EppError(2307, `object service ${unknownObj} is not offered (the greeting lists ours)`);
  const extURIs = svcs.child('epp:svcExtension')?.all('epp:extURI').map((e) => e.text) ?? [];
  const unknownExt = extURIs.find((u) => !EXTENSION_URIS.includes(u));
  if (unknownExt) throw new EppError(2103, `extension ${unknownExt} is not offered (the greeting lists ours)`);

  if (!ctx.sessions.acquire(record.id, config.maxSessionsPerRegistrar)) {
    throw new EppError(2502, `${record.id} already has ${config.maxSessionsPerRegistrar} sessions open`, [], true);
  }
  try {
    if (newPW !== undefined) {
      await changeRegistrarPassword(reg, { type: 'registrar', registrarId: record.id, clientTrid: ctx.clTRID, source: 'epp' }, record.id, newPW);
    }
  } catch (e) {
    ctx.sessions.release(record.id);
    // RFC 9167 §4.1: a new password that the policy refuses is an authentication error with a newPW event.
    if (ctx.loginSec && isRegistryError(e) && (e.kind === 'range' || e.kind === 'policy' || e.kind === 'syntax')) {
      throw new EppError(2200, `the new password was refused: ${e.message}`, [{ reason: `${e.clause}: ${e.message}` }], false,
        announced ? loginSecData([{ type: 'newPW', level: 'error', text: e.message }]) : undefined);
    }
    throw e;
  }
  const events: LoginEvent[] = [];
  const notAfter = session.certNotAfter;
  const now = Date.now();
  if (notAfter && notAfter.getTime() - now < CERT_WARNING_MS) {
    events.push({ type: 'certificate', level: notAfter.getTime() <= now ? 'error' : 'warning', exDate: notAfter,
      text: `the client certificate expires on ${dateTime(notAfter)}: register a new one` });
  }
  if (session.failedLogins > 0) {
    events.push({ type: 'stat', name: 'failedLogins', level: 'warning', value: String(session.failedLogins),
      text: `${session.failedLogins} failed login(s) before this one in the session` });
  }
  session.registrarId = record.id;
  session.objURIs = new Set(objURIs);
  session.extURIs = new Set(extURIs);
  session.userAgent = userAgentOf(ctx.loginSec);
  config.log('epp.login', { registrar: record.id, remote: session.remoteAddress, userAgent: session.userAgent });
  return {
    msg: newPW !== undefined ? 'Command completed successfully; password changed' : undefined,
    extension: announced && events.length ? loginSecData(events) : undefined,
  };
}
