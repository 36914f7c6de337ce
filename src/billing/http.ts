// The billing JSON API for registrars and the National Administrator (Authorization: Bearer TOKEN, the
// tokens of `domen token create`): balance, statement, invoices and their PDF. Reads only: payments and
// prices are recorded by the operator (CLI).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.ts';
import { isRegistryError, RegistryError } from '../core/errors.ts';
import type { Registry } from '../core/registry.ts';
import { resolveApiToken } from '../core/tokens.ts';
import { getBalance } from './accounts.ts';
import { parseWhen } from './dates.ts';
import { getInvoice, listInvoices } from './invoices.ts';
import { statement } from './statement.ts';

declare module 'fastify' {
  interface FastifyRequest { billingActor?: Actor }
}

async function actorOf(reg: Registry, req: FastifyRequest): Promise<Actor> {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i.exec(req.headers.authorization ?? '');
  const p = m ? await resolveApiToken(reg, m[1]!) : null;
  if (!p) throw new RegistryError('authentication', 'send "Authorization: Bearer TOKEN" with a valid registrar or registry token', 'R9.1');
  if (p.type === 'registrar') return { type: 'registrar', registrarId: p.registrarId, source: 'api' };
  if (p.type === 'staff') return { type: 'staff', userId: p.userId, role: p.role, source: 'api' };
  if (p.registrarId) return { type: 'registrar', registrarId: p.registrarId, userId: p.userId, source: 'api' };
  throw new RegistryError('authorization', 'billing is for registrars and the National Administrator', 'R9.1');
}

/** The registrar asked about: a registrar token speaks for itself; the registry names one with ?registrar=. */
function registrarOf(actor: Actor, query: Record<string, string | undefined>): string {
  if (actor.type === 'registrar') return actor.registrarId;
  if (!query.registrar) throw new RegistryError('required', 'name the registrar: ?registrar=ID', 'R9.1');
  return query.registrar;
}

export async function billingApi(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  app.addHook('preHandler', async (req) => { req.billingActor = await actorOf(reg, req); });
  app.setErrorHandler(async (err, _req, reply: FastifyReply) => {
    if (isRegistryError(err)) return reply.code(err.httpStatus).send(err.toJSON());
    const status = (err as { statusCode?: number }).statusCode;
    return reply.code(status && status < 500 ? status : 500).send({ error: 'failed', message: status && status < 500 ? (err as Error).message : 'internal error' });
  });

  type Q = { Querystring: Record<string, string | undefined> };
  app.get<Q>('/balance', async (req) => getBalance(reg, req.billingActor!, registrarOf(req.billingActor!, req.query)));

  app.get<Q>('/statement', async (req) => {
    const q = req.query;
    return statement(reg, req.billingActor!, registrarOf(req.billingActor!, q), {
      from: q.from ? parseWhen(reg, q.from, 'from') : null, to: q.to ? parseWhen(reg, q.to, 'to', true) : null,
    });
  });

  app.get<Q>('/invoices', async (req) => {
    const actor = req.billingActor!;
    const year = req.query.year ? Number(req.query.year) : undefined;
    if (year !== undefined && !Number.isInteger(year)) throw new RegistryError('syntax', 'year is like 2026', 'A4.1');
    const rows = await listInvoices(reg, actor, { registrarId: actor.type === 'registrar' ? actor.registrarId : req.query.registrar, year });
    return rows.map((r) => ({ ...r, content: undefined }));
  });

  app.get<{ Params: { number: string } }>('/invoices/:number', async (req, reply) => {
    const pdf = req.params.number.endsWith('.pdf');
    const inv = await getInvoice(reg, req.billingActor!, pdf ? req.params.number.slice(0, -4) : req.params.number);
    if (!pdf) return inv;
    const { renderInvoicePdf } = await import('./pdf.ts');
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="invoice-${inv.number}.pdf"`).send(await renderInvoicePdf(inv));
  });
}
