// Registrars, contacts and hosts that most core tests start from.
import { cliActor, type Actor } from '../../src/core/actor.ts';
import { createContact, type ContactView } from '../../src/core/contacts.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createRegistrar } from '../../src/core/registrars.ts';
import { creditRegistrar } from '../../src/billing/accounts.ts';
import type { Registry } from '../../src/core/registry.ts';

export const operator: Actor = cliActor;
export const na: Actor = { type: 'staff', userId: 1, role: 'na_staff' };

export function registrar(id: string): Actor {
  return { type: 'registrar', registrarId: id, source: 'test' };
}

/** Registrars start with a generous prepaid balance (1,000,000 AZN) so that charges never get in the way; 0 gives none. */
export async function addRegistrar(reg: Registry, id: string, opts: { balance?: number } = {}): Promise<Actor> {
  await createRegistrar(reg, operator, { id, name: `Registrar ${id}`, email: `ops@${id}.example.az`, password: 'Secret-Pass-1' });
  const balance = opts.balance ?? 100_000_000;
  if (balance > 0) await creditRegistrar(reg, operator, { registrarId: id, amount: balance, reference: 'test fixture' });
  return registrar(id);
}

export async function addPerson(reg: Registry, actor: Actor, handle: string): Promise<ContactView> {
  return createContact(reg, actor, {
    handle, kind: 'natural', givenName: 'Aysel', familyName: 'Quliyeva', patronymic: 'Rəşid qızı', citizenship: 'AZ',
    street: ['Nizami küç. 1'], city: 'Bakı', pc: 'AZ1000', cc: 'AZ', voice: '+994.501234567', email: `${handle}@mail.example.az`,
    idSeries: 'AZE', idNumber: '12345678', idAuthority: 'DİN', idIssuedOn: '2020-01-15',
  });
}

export async function addCompany(reg: Registry, actor: Actor, handle: string): Promise<ContactView> {
  return createContact(reg, actor, {
    handle, kind: 'legal', orgName: `${handle} MMC`, regCountry: 'AZ', street: ['Neftçilər pr. 2'], city: 'Bakı', cc: 'AZ',
    voice: '+994.124567890', email: `info@${handle}.example.az`, tin: '1700456781',
  });
}

/** Two external name servers sponsored by the actor. */
export async function addNameServers(reg: Registry, actor: Actor, base = 'dns-host.net'): Promise<string[]> {
  const names = [`ns1.${base}`, `ns2.${base}`];
  for (const n of names) await createHost(reg, actor, { name: n });
  return names;
}
