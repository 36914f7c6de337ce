// Timer (R3.20, R8.7): contacts with new or changed identity data are checked through the e-government adapter,
// outside any transaction (the service may be slow), then the outcome is written in one operation. A match makes
// the contact 'verified'; a mismatch is recorded for the National Administrator, who decides (R8.7 needs proof,
// not a failed lookup); 'unknown' leaves it to people; an error is tried again an hour later.
import type { Actor } from '../actor.ts';
import { contactView } from '../contacts.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { verifierFromEnv, type IdentityQuery, type IdentityVerifier } from './egov.ts';

/** A lookup that failed (service down, bad answer) is tried again after an hour. */
const RETRY_AFTER_MS = 3_600_000;

export async function verifyContacts(reg: Registry, actor: Actor, verifier: IdentityVerifier | null = verifierFromEnv(), limit = 100): Promise<number> {
  if (!verifier) return 0;
  const retryBefore = new Date(reg.clock.now().getTime() - RETRY_AFTER_MS);
  const due = await reg.db.selectFrom('contacts').selectAll().where('verification', '=', 'unverified').where('deleted_at', 'is', null)
    .where((eb) => eb.or([
      eb('verification_checked_at', 'is', null),
      eb.and([eb('verification_result', 'like', 'error:%'), eb('verification_checked_at', '<', retryBefore)]),
    ]))
    .orderBy('id').limit(limit).execute();
  let n = 0;
  for (const c of due) {
    const q: IdentityQuery = c.kind === 'natural'
      ? { kind: 'natural', citizenship: c.citizenship, idSeries: c.id_series, idNumber: c.id_number, givenName: c.given_name, familyName: c.family_name, patronymic: c.patronymic }
      : { kind: 'legal', tin: c.tin, orgName: c.org_name, regCountry: c.reg_country };
    let result: string;
    try {
      result = await verifier.verify(q);
    } catch (err) {
      result = `error: ${(err as Error).message}`.slice(0, 300);
    }
    const done = await runOperation(reg, actor, 'contact.identityCheck', async (ctx) => {
      const row = await ctx.tx.selectFrom('contacts').selectAll().where('id', '=', c.id).forUpdate().skipLocked().executeTakeFirst();
      // Changed meanwhile, or checked by another worker: this answer is about data that no longer stand.
      if (!row || row.verification !== 'unverified' || row.verification_checked_at?.getTime() !== c.verification_checked_at?.getTime()
        || row.updated_at?.getTime() !== c.updated_at?.getTime()) return false;
      const updated = await ctx.tx.updateTable('contacts').set({
        verification_checked_at: ctx.now, verification_result: result, ...(result === 'match' ? { verification: 'verified' as const } : {}),
      }).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
      await ctx.record({ objectType: 'contact', objectId: row.handle, before: contactView(row), after: contactView(updated), topic: 'contact.identityChecked',
        payload: { clause: 'R3.20', source: verifier.name, result } });
      return true;
    });
    if (done) n++;
  }
  return n;
}
