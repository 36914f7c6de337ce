// Who performs an operation. Authorization: a registrar acts only on objects it sponsors;
// National Administrator staff (and the operator's CLI and timers) act on all.
import { RegistryError } from './errors.ts';

export type StaffRole = 'na_admin' | 'na_staff' | 'ministry';

export type Actor =
  | {
    type: 'registrar'; registrarId: string; userId?: number | null; clientTrid?: string | null;
    /** The server's transaction id of the command (EPP svTRID), kept where a later message must name it. */
    serverTrid?: string | null; source?: string;
  }
  | { type: 'staff'; userId: number; role: StaffRole; source?: string }
  | { type: 'registrant'; userId: number; source?: string }
  | { type: 'system'; name: string; source?: string };

export const cliActor: Actor = { type: 'system', name: 'cli', source: 'cli' };

export function actorId(a: Actor): string {
  switch (a.type) {
    case 'registrar': return a.userId ? `${a.registrarId}/${a.userId}` : a.registrarId;
    case 'staff': return `staff:${a.userId}`;
    case 'registrant': return `registrant:${a.userId}`;
    case 'system': return `system:${a.name}`;
  }
}

/** NA staff, the operator's CLI and the registry's own timers. */
export function isRegistryOperator(a: Actor): boolean {
  return a.type === 'system' || (a.type === 'staff' && (a.role === 'na_admin' || a.role === 'na_staff'));
}

/** The registrar on whose behalf an operation runs: the actor itself, or the one an operator names. */
export function actingRegistrar(a: Actor, onBehalfOf?: string | null): string {
  if (a.type === 'registrar') {
    if (onBehalfOf && onBehalfOf !== a.registrarId) {
      throw new RegistryError('authorization', 'a registrar cannot act for another registrar', 'R1.4');
    }
    return a.registrarId;
  }
  if (isRegistryOperator(a) && onBehalfOf) return onBehalfOf;
  if (isRegistryOperator(a)) throw new RegistryError('required', 'name the sponsoring registrar for this operation', 'R3.1');
  throw new RegistryError('authorization', 'only a registrar or the National Administrator may do this', 'R3.1');
}

/** A registrar may act only on what it sponsors (RFC 5730 §2.9.2); operators on everything. */
export function assertSponsor(a: Actor, sponsorId: string, what: string): void {
  if (isRegistryOperator(a)) return;
  if (a.type === 'registrar' && a.registrarId === sponsorId) return;
  throw new RegistryError('authorization', `${what} is sponsored by another registrar`, 'RFC 5730 §2.9.2');
}

export function assertOperator(a: Actor, what: string, clause = 'R3.1'): void {
  if (!isRegistryOperator(a)) throw new RegistryError('authorization', `only the National Administrator may ${what}`, clause);
}
