// People to notify: a registrar, a registrant with an English-language account, one without an account
// (the profile default, Azerbaijani), and NA staff who read Russian.
import { createUser } from '../../src/core/registrars.ts';
import type { Registry } from '../../src/core/registry.ts';
import { createContact } from '../../src/core/contacts.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';

export interface People { registrarId: string; withAccount: { handle: string; id: number; email: string; userId: number }; noAccount: { handle: string; id: number; email: string }; staffIds: number[] }

export async function people(reg: Registry, prefix: string): Promise<People> {
  const registrarId = `${prefix}-reg`;
  const r = await addRegistrar(reg, registrarId);
  const user = await createUser(reg, operator, { email: `${prefix}-owner@mail.example.az`, name: 'Aysel Quliyeva', role: 'registrant', password: 'Owner-Pass-123' });
  await reg.db.updateTable('users').set({ lang: 'en' }).where('id', '=', user.id).execute();
  const withAccount = await createContact(reg, operator, {
    handle: `${prefix}-c1`, registrarId, accountId: user.id, kind: 'natural', givenName: 'Aysel', familyName: 'Quliyeva', citizenship: 'AZ',
    street: ['Nizami küç. 1'], city: 'Bakı', cc: 'AZ', voice: '+994.501234567', email: `${prefix}-c1@mail.example.az`,
  });
  const noAccount = await addPerson(reg, r, `${prefix}-c2`);
  const staffIds: number[] = [];
  for (const [i, role] of (['na_admin', 'na_staff'] as const).entries()) {
    const s = await createUser(reg, operator, { email: `${prefix}-staff${i}@nic.example.az`, name: `NA ${role}`, role, password: 'Staff-Pass-123' });
    await reg.db.updateTable('users').set({ lang: 'ru' }).where('id', '=', s.id).execute();
    staffIds.push(s.id);
  }
  const c1 = await reg.db.selectFrom('contacts').select(['id', 'email']).where('handle', '=', withAccount.handle).executeTakeFirstOrThrow();
  const c2 = await reg.db.selectFrom('contacts').select(['id', 'email']).where('handle', '=', noAccount.handle).executeTakeFirstOrThrow();
  return {
    registrarId,
    withAccount: { handle: withAccount.handle, id: c1.id, email: c1.email, userId: user.id },
    noAccount: { handle: noAccount.handle, id: c2.id, email: c2.email },
    staffIds,
  };
}
