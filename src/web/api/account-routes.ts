// The registrant account's JSON API (/api/account/*): what the /account pages do (account-domains.ts,
// account-settings.ts), with the same core functions: the account and its data (R8.5), its domains (renewal as a
// paid order, name servers, DS, a move to another registrar R1.4, a change of owner R10.1), look-up, applications
// with the agreement and payment (R3.10), and the inbox. Only the role 'registrant' may call these routes, and only
// on its own account: every domain goes through ownDomain, every order through getOrder (404 otherwise). Changes to
// a domain run as its sponsoring registrar's core operation, as they would over EPP.
import type { FastifyRequest } from 'fastify';
import { beginTotp, confirmTotp, disableTotp, getAccount, linkCertificate, markInboxRead, removeCertificate, updateAccountPerson } from '../../core/accounts.ts';
import { acceptOwnerChange } from '../../core/owner-change.ts';
import { presentedCertificate } from '../account/certificates.ts';
import { askOwnerChange, lookupName, moveToRegistrar, setAccountDs } from '../../core/accounts-domains.ts';
import {
  accountDomains, createPaymentRecord, getOrder, listOrders, orderRegistration, orderRenewal, ownDomain, registrarActor, type OrderView,
} from '../../core/accounts-orders.ts';
import type { ContactData } from '../../core/contacts.ts';
import { getDomain } from '../../core/domains/view.ts';
import { RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { AGREEMENT_VERSION } from '../account/agreement.ts';
import type { ApiRole, Principal } from '../auth/principal.ts';
import { baseUrl, type AccountOptions } from '../pages/account.ts';
import { setNameServers } from './operations.ts';
import type { ApiRoute } from './routes.ts';
import { inboxMessages, unreadCount } from '../../notify/admin.ts';
import type { DsData } from '../../core/domains/view.ts';

const REGISTRANT: ApiRole[] = ['registrant'];
const NAME = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } };
const ID = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,12}$' } } };
const CODE = { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } };
const TEXT = (max: number) => ({ type: ['string', 'null'], maxLength: max });
const HOSTS = { type: 'array', maxItems: 13, items: { type: 'string', minLength: 1, maxLength: 253 } };
const YEARS = { type: 'integer', minimum: 1, maximum: 10 };

/** The contact data of R3.7/R3.8 a registrant keeps current (R8.5); the kind (natural/legal) does not change (R10.1). */
const PERSON = {
  type: 'object', additionalProperties: false, minProperties: 1, properties: {
    givenName: TEXT(255), familyName: TEXT(255), patronymic: TEXT(255), orgName: TEXT(255), citizenship: TEXT(2), regCountry: TEXT(2),
    street: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 255 } }, city: { type: 'string', maxLength: 255 }, sp: TEXT(255), pc: TEXT(16),
    cc: { type: 'string', minLength: 2, maxLength: 2 }, voice: TEXT(17), fax: TEXT(17), email: { type: 'string', maxLength: 254 },
    idSeries: TEXT(16), idNumber: TEXT(32), idAuthority: TEXT(255), idIssuedOn: TEXT(10), tin: TEXT(32),
    representative: { type: ['object', 'null'], additionalProperties: false, required: ['name'], properties: {
      name: { type: 'string', minLength: 1, maxLength: 255 }, position: TEXT(255), idSeries: TEXT(16), idNumber: TEXT(32),
    } },
  },
};
const DS = {
  type: 'object', additionalProperties: false, required: ['keyTag', 'algorithm', 'digestType', 'digest'], properties: {
    keyTag: { type: 'integer', minimum: 0, maximum: 65535 }, algorithm: { type: 'integer', minimum: 0, maximum: 255 },
    digestType: { type: 'integer', minimum: 0, maximum: 255 }, digest: { type: 'string', pattern: '^[0-9A-Fa-f]{16,128}$' },
  },
};

/** The signed-in registrant (the role check let only 'registrant' through). */
const me = (p: Principal): number => p.userId!;

/**
 * Creates the payment of an order at the provider and answers where to send the payer (the page redirects there);
 * the provider's signed callback (/account/payments/callback) is the only proof of payment.
 */
async function pay(reg: Registry, account: AccountOptions, req: FastifyRequest, userId: number, orderId: number): Promise<{ order: OrderView; paymentId: string; redirectUrl: string }> {
  if (!account.payments) throw new RegistryError('unimplemented', 'no payment provider is configured: the order waits for payment', 'R3.10');
  const p = await createPaymentRecord(reg, userId, orderId, account.payments.name);
  const base = baseUrl(req, account);
  const { redirectUrl } = await account.payments.create({
    reference: p.id, amount: p.amount, currency: p.currency, description: p.description,
    returnUrl: `${base}/account/orders/${orderId}`, callbackUrl: `${base}/account/payments/callback`,
  });
  return { order: await getOrder(reg, userId, orderId), paymentId: p.id, redirectUrl };
}

/** A new order and, when a provider is configured, its payment (as the page does: apply or renew, then pay). */
async function placed(reg: Registry, account: AccountOptions, req: FastifyRequest, userId: number, order: OrderView): Promise<{ order: OrderView; paymentId: string | null; redirectUrl: string | null }> {
  if (!account.payments) return { order, paymentId: null, redirectUrl: null };
  return pay(reg, account, req, userId, order.id);
}


const inbox = (reg: Registry, userId: number) => inboxMessages(reg, userId, 200);

export const ACCOUNT_API_ROUTES: ApiRoute[] = [
  {
    method: 'GET', path: '/account', roles: REGISTRANT,
    summary: "The registrant's account: person data (R3.7/R3.8), e-mail, TOTP on or off, linked certificates, unread messages, and the session's CSRF token",
    handler: async ({ reg, p, req }) => {
      const [acc, unread] = await Promise.all([getAccount(reg.db, me(p)), unreadCount(reg, me(p))]);
      return { ...acc, unread, csrfToken: req.portal.session?.csrfToken ?? null };
    },
  },
  {
    method: 'PUT', path: '/account/person', roles: REGISTRANT, summary: 'Change the contact data (R8.5); the contacts the registrars hold change with it',
    body: PERSON,
    handler: async ({ reg, p, body }) => updateAccountPerson(reg, me(p), body as ContactData),
  },
  {
    method: 'GET', path: '/account/domains', roles: REGISTRANT, summary: "The account's live domains with sponsor and expiry",
    handler: async ({ reg, p }) => accountDomains(reg, me(p)),
  },
  {
    method: 'GET', path: '/account/domains/:name', roles: REGISTRANT, summary: 'One domain of the account: status, sponsor, dates, name servers, DS', params: NAME,
    handler: async ({ reg, p, params }) => {
      const d = await getDomain(reg, (await ownDomain(reg, me(p), params.name!)).name);
      return { name: d.name, unicodeName: d.unicodeName, registrarId: d.registrarId, statuses: d.statuses, createdAt: d.createdAt, expiresAt: d.expiresAt, hosts: d.hosts, ds: d.ds };
    },
  },
  {
    method: 'POST', path: '/account/domains/:name/renew', roles: REGISTRANT,
    summary: 'Order a renewal (R6.1) through the sponsor: the order and, with a payment provider, where to pay (redirectUrl)', params: NAME,
    body: { type: 'object', additionalProperties: false, properties: { periodYears: YEARS } },
    handler: async ({ reg, account, p, params, body, req }) =>
      placed(reg, account, req, me(p), await orderRenewal(reg, me(p), { name: params.name!, periodYears: Number(body.periodYears ?? 1) })),
  },
  {
    method: 'PUT', path: '/account/domains/:name/nameservers', roles: REGISTRANT, summary: 'Set the name servers to exactly this list (through the sponsor)', params: NAME,
    body: { type: 'object', required: ['hosts'], additionalProperties: false, properties: { hosts: HOSTS } },
    handler: async ({ reg, p, params, body }) => {
      const d = await ownDomain(reg, me(p), params.name!);
      return setNameServers(reg, registrarActor(d.registrarId), d.name, body.hosts as string[]);
    },
  },
  {
    method: 'PUT', path: '/account/domains/:name/ds', roles: REGISTRANT, summary: 'Set the DS records to exactly this list (RFC 5910), through the sponsor', params: NAME,
    body: { type: 'object', required: ['ds'], additionalProperties: false, properties: { ds: { type: 'array', maxItems: 8, items: DS } } },
    handler: async ({ reg, p, params, body }) => {
      const d = await setAccountDs(reg, me(p), params.name!, body.ds as DsData[]);
      return { name: d.name, ds: d.ds };
    },
  },
  {
    method: 'POST', path: '/account/domains/:name/transfer', roles: REGISTRANT,
    summary: 'Move the domain to another accredited registrar (R1.4): it asks for the transfer with the authInfo the registrant holds', params: NAME,
    body: { type: 'object', required: ['registrarId'], additionalProperties: false, properties: { registrarId: { type: 'string', minLength: 1, maxLength: 64 } } },
    handler: async ({ reg, p, params, body }) => {
      const { registrarName: _name, ...transfer } = await moveToRegistrar(reg, me(p), params.name!, String(body.registrarId));
      return transfer;
    },
  },
  {
    method: 'POST', path: '/account/domains/:name/owner-change', roles: REGISTRANT,
    summary: "Ask for a change of owner (R10.1): filed by the sponsor; the new owner (a confirmed registrant account) accepts from their account", params: NAME,
    body: { type: 'object', required: ['email', 'request'], additionalProperties: false, properties: {
      email: { type: 'string', minLength: 3, maxLength: 254 }, request: { type: 'string', minLength: 1, maxLength: 2000 },
    } },
    handler: async ({ reg, p, params, body }) => askOwnerChange(reg, me(p), params.name!, String(body.email), String(body.request)),
  },
  {
    method: 'GET', path: '/account/lookup', roles: REGISTRANT, summary: 'Is a name available (R4.12, the policy lists), with suggestions in the other general-use zones',
    query: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } },
    handler: async ({ reg, query }) => lookupName(reg, query.name!),
  },
  {
    method: 'GET', path: '/account/orders', roles: REGISTRANT, summary: "The account's orders (applications and renewals), newest first, with their status (R3.11, R3.12)",
    handler: async ({ reg, p }) => listOrders(reg, me(p)),
  },
  {
    method: 'POST', path: '/account/orders', roles: REGISTRANT,
    summary: 'Apply for a name through a registrar (R1.4) after accepting the Registration Agreement of the version in force (R3.10, A12.3) and confirming the data (R3.19); then pay',
    body: { type: 'object', required: ['name', 'registrarId', 'agreementVersion', 'accurate'], additionalProperties: false, properties: {
      name: { type: 'string', minLength: 1, maxLength: 253 }, registrarId: { type: 'string', minLength: 1, maxLength: 64 }, periodYears: YEARS, hosts: HOSTS,
      agreementVersion: { type: 'string', maxLength: 40, description: `the version of the Registration Agreement accepted; in force: ${AGREEMENT_VERSION}` },
      accurate: { type: 'boolean', description: 'the data are complete and accurate and the name is used lawfully (R3.19)' },
    } },
    handler: async ({ reg, account, p, body, req }) => {
      // An acceptance of another text is not an acceptance of this one.
      if (body.agreementVersion !== AGREEMENT_VERSION) throw new RegistryError('policy', `the Registration Agreement in force is version ${AGREEMENT_VERSION}: accept that one`, 'R3.10');
      const order = await orderRegistration(reg, me(p), {
        name: String(body.name), registrarId: String(body.registrarId), periodYears: Number(body.periodYears ?? 1), hosts: (body.hosts as string[] | undefined) ?? [],
        agreementVersion: AGREEMENT_VERSION, accurate: body.accurate === true,
      });
      return placed(reg, account, req, me(p), order);
    },
  },
  {
    method: 'GET', path: '/account/orders/:id', roles: REGISTRANT, summary: 'One order of the account and its status', params: ID,
    handler: async ({ reg, p, params }) => getOrder(reg, me(p), Number(params.id)),
  },
  {
    method: 'POST', path: '/account/orders/:id/payment', roles: REGISTRANT,
    summary: "Pay an order awaiting payment: the provider's page to send the payer to (redirectUrl); its signed callback settles the order", params: ID,
    handler: async ({ reg, account, p, params, req }) => pay(reg, account, req, me(p), Number(params.id)),
  },
  {
    method: 'GET', path: '/account/inbox', roles: REGISTRANT, summary: "The account's messages (R3.11, R3.12, R6.1, R7.5 notices), newest first",
    handler: async ({ reg, p }) => inbox(reg, me(p)),
  },
  {
    method: 'POST', path: '/account/inbox/:id/read', roles: REGISTRANT, summary: 'Mark a message of the account read', params: ID,
    handler: async ({ reg, p, params }) => {
      const id = Number(params.id);
      await markInboxRead(reg, me(p), id);
      return (await inbox(reg, me(p))).find((x) => x.id === id) ?? { id };
    },
  },
  {
    method: 'POST', path: '/account/totp', roles: REGISTRANT, summary: 'Start setting up an authenticator (RFC 6238): a new secret and its otpauth:// URI; it takes effect once confirmed',
    handler: async ({ reg, p }) => beginTotp(reg, me(p)),
  },
  {
    method: 'POST', path: '/account/totp/confirm', roles: REGISTRANT, summary: 'Confirm the authenticator with a code made from the new secret; sign-in then asks for a code',
    body: CODE,
    handler: async ({ reg, p, body }) => { await confirmTotp(reg, me(p), String(body.code)); return { totp: true }; },
  },
  {
    method: 'POST', path: '/account/totp/disable', roles: REGISTRANT, summary: 'Turn the authenticator off, with a current code (each code works once)',
    body: CODE,
    handler: async ({ reg, p, body }) => { await disableTotp(reg, me(p), String(body.code)); return { totp: false }; },
  },
  {
    method: 'POST', path: '/account/certificates', roles: REGISTRANT,
    summary: 'Link the e-signature certificate this TLS connection presented (R3.9; only on the listener with client authentication, DOMEN_ACCOUNT_TLS_PORT)',
    handler: async ({ reg, p, req, reply }) => {
      const c = presentedCertificate(req);
      if (!c.ok) throw new RegistryError(c.reason === 'none' ? 'required' : 'authentication', c.reason === 'none' ? 'no client certificate on this connection: use the HTTPS listener with client authentication' : `the certificate is not trusted: ${c.detail ?? ''}`, 'R3.9');
      await linkCertificate(reg, me(p), c.cert);
      reply.code(201);
      return (await getAccount(reg.db, me(p))).certificates;
    },
  },
  {
    method: 'DELETE', path: '/account/certificates/:id', roles: REGISTRANT, summary: 'Unlink an e-signature certificate from the account', params: ID,
    handler: async ({ reg, p, params }) => { await removeCertificate(reg, me(p), Number(params.id)); return (await getAccount(reg.db, me(p))).certificates; },
  },
  {
    method: 'POST', path: '/account/owner-changes/:id/accept', roles: REGISTRANT,
    summary: 'Accept a change of owner offered to this account, with the Registration Agreement in force (R10.1, R3.10)', params: ID,
    body: { type: 'object', required: ['agreementVersion'], additionalProperties: false, properties: { agreementVersion: { type: 'string', minLength: 1, maxLength: 128 } } },
    handler: async ({ reg, p, params, body }) => {
      if (body.agreementVersion !== AGREEMENT_VERSION) throw new RegistryError('policy', `accept the Registration Agreement in force (version ${AGREEMENT_VERSION})`, 'R3.10');
      return acceptOwnerChange(reg, { type: 'registrant', userId: me(p), source: 'api' }, { id: Number(params.id), agreementVersion: AGREEMENT_VERSION });
    },
  },
];
