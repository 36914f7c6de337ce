// The registrar portal (/registrar), one module per section: domains with bulk actions (registrar-domains.ts),
// contacts, hosts, balance/statement/invoices and applications with their documents, EPP access, poll messages, users. Forms post to
// these pages (with the session's CSRF token) and run the same functions as the JSON API.
import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../core/registry.ts';
import { registrarDocumentPages } from './application-documents.ts';
import { registrarBillingPages } from './registrar-billing.ts';
import { registrarContactPages } from './registrar-contacts.ts';
import { registrarDomainPages } from './registrar-domains.ts';
import { registrarEppPages } from './registrar-epp.ts';
import { registrarHostPages } from './registrar-hosts.ts';
import { registrarPollPages } from './registrar-poll.ts';
import { registrarUserPages } from './registrar-users.ts';

export async function registrarPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  for (const section of [registrarDomainPages, registrarContactPages, registrarHostPages, registrarBillingPages, registrarEppPages, registrarPollPages, registrarUserPages, registrarDocumentPages]) {
    await app.register(section, { reg: opts.reg });
  }
}
