// Every command's flow, by '<object>:<verb>' (poll by itself), and the extensions each accepts.
import type { Flow } from '../flow.ts';
import { contactCheck } from './contact/check.ts';
import { contactCreate } from './contact/create.ts';
import { contactDelete } from './contact/delete.ts';
import { contactInfo } from './contact/info.ts';
import { contactTransfer } from './contact/transfer.ts';
import { contactUpdate } from './contact/update.ts';
import { domainCheck } from './domain/check.ts';
import { domainCreate } from './domain/create.ts';
import { domainDelete } from './domain/delete.ts';
import { domainInfo } from './domain/info.ts';
import { domainRenew } from './domain/renew.ts';
import { domainTransfer } from './domain/transfer.ts';
import { domainUpdate } from './domain/update.ts';
import { hostCheck } from './host/check.ts';
import { hostCreate } from './host/create.ts';
import { hostDelete } from './host/delete.ts';
import { hostInfo } from './host/info.ts';
import { hostUpdate } from './host/update.ts';
import { poll } from './poll.ts';

export const FLOWS: Record<string, Flow> = {
  'domain:check': domainCheck,
  'domain:info': domainInfo,
  'domain:create': domainCreate,
  'domain:update': domainUpdate,
  'domain:delete': domainDelete,
  'domain:renew': domainRenew,
  'domain:transfer': domainTransfer,
  'contact:check': contactCheck,
  'contact:info': contactInfo,
  'contact:create': contactCreate,
  'contact:update': contactUpdate,
  'contact:delete': contactDelete,
  'contact:transfer': contactTransfer,
  'host:check': hostCheck,
  'host:info': hostInfo,
  'host:create': hostCreate,
  'host:update': hostUpdate,
  'host:delete': hostDelete,
  poll,
};

/** RFC 5730 §2.7.3 command extensions: which element of which extension may extend which command. */
export const EXTENSIONS_OF: Record<string, string[]> = {
  'domain:create': ['secDNS:create'],
  'domain:update': ['secDNS:update', 'rgp:update'],
  'contact:create': ['identity:create'],
  'contact:update': ['identity:update'],
};
