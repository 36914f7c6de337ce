// RFC 5731 §2.3 statuses: who may set which, and which block which command.
import { isRegistryOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';

export const CLIENT_STATUSES = ['clientDeleteProhibited', 'clientHold', 'clientRenewProhibited', 'clientTransferProhibited', 'clientUpdateProhibited'] as const;
export const SERVER_STATUSES = ['serverDeleteProhibited', 'serverHold', 'serverRenewProhibited', 'serverTransferProhibited', 'serverUpdateProhibited'] as const;
const SETTABLE = new Set<string>([...CLIENT_STATUSES, ...SERVER_STATUSES]);

export type Command = 'update' | 'delete' | 'renew' | 'transfer';

const BLOCKS: Record<Command, string[]> = {
  update: ['serverUpdateProhibited', 'clientUpdateProhibited', 'pendingDelete', 'pendingTransfer'],
  delete: ['serverDeleteProhibited', 'clientDeleteProhibited', 'pendingDelete', 'pendingTransfer'],
  renew: ['serverRenewProhibited', 'clientRenewProhibited', 'pendingDelete', 'pendingTransfer'],
  transfer: ['serverTransferProhibited', 'clientTransferProhibited', 'pendingDelete', 'pendingTransfer'],
};

/** The National Administrator is not held back by client statuses, nor by the server statuses it set itself. */
export function assertStatusAllows(actor: Actor, statuses: string[], command: Command, what: string, opts: { removing?: string[] } = {}): void {
  for (const s of BLOCKS[command]) {
    if (!statuses.includes(s)) continue;
    if (isRegistryOperator(actor) && !s.startsWith('pending')) continue;
    if (s === 'clientUpdateProhibited' && opts.removing?.includes(s)) continue;
    if (s === 'pendingTransfer') throw new RegistryError('pendingTransfer', `${what} has a pending transfer`, 'RFC 5731 §3.2.4');
    throw new RegistryError('statusProhibits', `${what} has status ${s}`, 'RFC 5731 §2.3');
  }
}

export function assertSettable(actor: Actor, status: string): void {
  if (!SETTABLE.has(status)) throw new RegistryError('policy', `status ${status} cannot be set by a command`, 'RFC 5731 §2.3');
  if (status.startsWith('server') && !isRegistryOperator(actor)) {
    throw new RegistryError('authorization', `only the registry sets ${status}`, 'RFC 5731 §2.3');
  }
  if (status.startsWith('client') && actor.type !== 'registrar' && !isRegistryOperator(actor)) {
    throw new RegistryError('authorization', `only the sponsoring registrar sets ${status}`, 'RFC 5731 §2.3');
  }
}
