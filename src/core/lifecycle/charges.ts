// The fee of a lifecycle operation, charged to the sponsor in the operation's transaction (src/billing):
// without the balance the operation fails with EPP 2104 and changes nothing.
import { chargeOperation } from '../../billing/ledger.ts';
import type { DomainRow } from '../../db/schema.ts';
import type { OperationContext } from '../operation.ts';

export async function chargeFor(ctx: OperationContext, row: DomainRow, operation: 'restore' | 'renew', years: number): Promise<void> {
  await chargeOperation(ctx, {
    registrarId: row.registrar_id, zone: row.zone, operation, years, objectType: 'domain', objectId: row.roid, domainName: row.name, domainRoid: row.roid,
  });
}
