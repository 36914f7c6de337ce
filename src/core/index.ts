// The registry core: every write is one of these operations, each one database transaction.
export * from './actor.ts';
export * from './clock.ts';
export * from './errors.ts';
export { Registry, type RegistryOptions } from './registry.ts';
export { runOperation, OperationContext } from './operation.ts';
export * from './registrars.ts';
export * from './contacts.ts';
export * from './hosts.ts';
export * from './applications.ts';
export * from './transfers.ts';
export * from './owner-change.ts';
export { createDomain, type DomainCreateInput, type DomainCreateResult } from './domains/create.ts';
export { updateDomain, type DomainUpdateInput } from './domains/update.ts';
export { renewDomain, type DomainRenewInput } from './domains/renew.ts';
export { deleteDomain } from './domains/delete.ts';
export { getDomain, asciiName, type DomainView, type DsData } from './domains/view.ts';
export * from './poll.ts';
export { domainAvailability, type Unavailable } from './domains/check.ts';
