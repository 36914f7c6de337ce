// What a registrant does with a name from the account, shared by the /account pages and /api/account: the look-up
// with suggestions, and the changes the sponsoring registrar files on the owner's behalf (DS data, a move to another
// registrar, a change of owner). Each change is the registrar's own core operation, so its rules, history and
// audit are the ones EPP has.
import { sql } from 'kysely';
import { contactAt, ownDomain, registrarActor } from './accounts-orders.ts';
import { domainAvailability } from './domains/check.ts';
import { dsKey, updateDomain } from './domains/update.ts';
import { getDomain, type DomainView, type DsData } from './domains/view.ts';
import { RegistryError } from './errors.ts';
import { requestOwnerChange } from './owner-change.ts';
import type { Registry } from './registry.ts';
import { requestTransfer } from './transfers.ts';

export interface LookupRow {
  name: string; ascii: string | null; idn: boolean; state: 'available' | 'availableReview' | 'taken' | 'invalid';
  reasons: { message: string; clause: string }[];
}

/** The name, then the same label (and its folded form) in its zone and the other open general-use zones: the free ones. */
export async function lookupName(reg: Registry, input: string): Promise<{ result: LookupRow; suggestions: LookupRow[] }> {
  const name = input.trim().slice(0, 253);
  const check = await reg.policy.checkName(name);
  const names: string[] = [];
  if (check.label) {
    const zones = reg.profile.zones.filter((z) => !z.restricted && z.name !== check.zone).map((z) => z.name);
    const folded = check.bundleKey?.split('.')[0];
    for (const l of [check.label, ...(folded && folded !== check.label ? [folded] : [])]) {
      for (const z of [check.zone!, ...zones]) if (`${l}.${z}` !== check.unicode) names.push(`${l}.${z}`);
    }
  }
  const others = await Promise.all(names.slice(0, 12).map(async (n) => ({ n, c: await reg.policy.checkName(n) })));
  // The name and its suggestions in one availability query.
  const taken = await domainAvailability(reg, [check, ...others.map((o) => o.c)].filter((c) => c.ascii && c.verdict !== 'refused'));
  const row = (c: typeof check, n: string): LookupRow => {
    if (!c.ascii) return { name: n, ascii: null, idn: false, state: 'invalid', reasons: c.reasons.map((r) => ({ message: r.message, clause: r.clause })) };
    const refused = c.verdict === 'refused';
    const unavailable = refused ? null : taken.get(c.ascii);
    return {
      name: c.unicode!, ascii: c.ascii, idn: Boolean(c.idn),
      state: refused ? 'invalid' : unavailable ? 'taken' : c.verdict === 'review' ? 'availableReview' : 'available',
      reasons: (refused ? c.reasons.filter((r) => r.verdict === 'refused') : unavailable ? [{ message: String(unavailable), clause: 'R4.12' }] : []).map((r) => ({ message: r.message, clause: r.clause })),
    };
  };
  const suggestions = others.map((o) => row(o.c, o.n)).filter((r) => r.state === 'available' || r.state === 'availableReview');
  return { result: row(check, name), suggestions };
}


/** The owner's DS records become exactly `wanted` (RFC 5910), filed by the sponsor as one update. */
export async function setAccountDs(reg: Registry, userId: number, name: string, wanted: DsData[]): Promise<DomainView> {
  const d = await ownDomain(reg, userId, name);
  const want = wanted.map((x) => ({ ...x, digest: x.digest.toUpperCase() }));
  const current = (await getDomain(reg, d.name)).ds;
  const add = want.filter((w) => !current.some((c) => dsKey(c) === dsKey(w)));
  const remove = current.filter((c) => !want.some((w) => dsKey(c) === dsKey(w)));
  if (add.length || remove.length) await updateDomain(reg, registrarActor(d.registrarId), { name: d.name, add: { ds: add }, remove: { ds: remove } });
  return getDomain(reg, d.name);
}

/** R1.4: the chosen registrar asks for the transfer with the authInfo the owner holds (RFC 5731 §3.2.4). */
export async function moveToRegistrar(reg: Registry, userId: number, name: string, registrarId: string): Promise<{ registrarName: string } & Awaited<ReturnType<typeof requestTransfer>>> {
  const d = await ownDomain(reg, userId, name);
  const r = await reg.db.selectFrom('registrars').select(['id', 'name']).where('id', '=', registrarId).where('status', '=', 'active').executeTakeFirst();
  if (!r) throw new RegistryError('policy', `registrar ${registrarId} is not an accredited, active registrar`, 'R1.4');
  return { registrarName: r.name, ...await requestTransfer(reg, registrarActor(r.id), { name: d.name, authInfo: d.authInfo }) };
}

/** R10.1: the owner's written request, filed by the sponsor; the new owner (a confirmed account) accepts from their own account. */
export async function askOwnerChange(reg: Registry, userId: number, name: string, newOwnerEmail: string, request: string): ReturnType<typeof requestOwnerChange> {
  const d = await ownDomain(reg, userId, name);
  const email = newOwnerEmail.trim().toLowerCase();
  const other = await reg.db.selectFrom('users').innerJoin('registrant_accounts', 'registrant_accounts.user_id', 'users.id').select('users.id')
    .where(sql<string>`lower(users.email)`, '=', email).where('users.active', '=', true).executeTakeFirst();
  if (!other || other.id === userId) throw new RegistryError('notFound', 'the new owner needs a confirmed registrant account of their own', 'R10.1');
  const handle = await contactAt(reg, other.id, d.registrarId);
  return requestOwnerChange(reg, registrarActor(d.registrarId), { name: d.name, newRegistrant: handle, requestDocument: `Request by registrant account ${userId}: ${request.slice(0, 2000)}` });
}
