// Data escrow (RFC 8909, RFC 9022): deposits, their verification, restore and import. See docs/escrow.md.
export { makeDeposit, type DepositOptions, type DepositResult, type DepositType } from './deposit.ts';
export { verifyDeposit, openDepositFile, type VerifyResult } from './verify.ts';
export { restoreDeposit, type RestoreReport, type RestoreSource } from './restore.ts';
export { loadEscrowKeys, readPrivateKeyFile, readPublicKeyFile, type EscrowKeys } from './pgp.ts';
export { rdeSchema, RdeSchema } from './schema.ts';
