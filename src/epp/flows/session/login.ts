// <login> (RFC 5730 §2.9.1.1). Checked in this order:
//   2002 already logged in
//   2501 (and close: RFC 5730 §3 names 2501 for an authentication failure that ends the connection)
//        unknown clID, the client certificate is not one registered for this clID (RFC 5734 §8), the
//        address is not on the registrar's allowlist, or the registrar is not active (R9.8)
//   2200 wrong password; the maxFailedLogins-th failure is 2501 and closes
//   2102 a language other than 'en'
//   2307 an objURI we do not serve; 2103 an extURI we do not serve
//   2502 (and close) the registrar already has its maximum of sessions on this node
//   2004/2306 a newPW that does not meet the password rules (the login then fails)
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { hashPassword, verifyPassword } from '../../../core/passwords.ts';
import { normalizeFingerprintSha256 } from '../../../pki/index.ts';
import { changeRegistrarPassword, loginRecord } from '../../../core/registrars.ts';
import type { XNode } from '../../dom.ts';
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
  const pw = cmd.need('epp:pw').text;
  const newPW = cmd.textOf('epp:newPW');

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
    throw e;
  }
  session.registrarId = record.id;
  session.objURIs = new Set(objURIs);
  session.extURIs = new Set(extURIs);
  return { msg: newPW !== undefined ? 'Command completed successfully; password changed' : undefined };
}
