// Sample requests for the registrar portal's API routes (src/web/api/registrar-routes.ts), used by api.test.ts's
// every-route-every-role test: each returns a request that succeeds for a role the route allows, with fresh
// objects where the request consumes one (a contact or host to delete, a message to acknowledge).
import { createHost } from '../../src/core/hosts.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { addCertificate } from '../../src/core/registrar-access.ts';
import { createUser } from '../../src/core/registrars.ts';
import { issueInvoice } from '../../src/billing/invoices.ts';
import { createCa, issueClientCert, type KeyPairPem } from '../../src/pki/index.ts';
import type { PortalRole } from '../../src/web/auth/principal.ts';
import { addPerson, operator } from '../helpers/fixtures.ts';
import type { WebWorld } from './setup.ts';

let n = 0;
let ca: KeyPairPem | null = null;
let invoice: string | null = null;

/** A fresh client certificate (PEM) for alpha. */
export async function freshCertificate(): Promise<string> {
  ca ??= await createCa({ commonName: 'Test CA' });
  return (await issueClientCert(ca, { commonName: `alpha client ${++n}` })).certPem;
}

/** An issued invoice of alpha for the month the test clock started in (the clock goes forward and back). */
export async function alphaInvoice(w: WebWorld): Promise<string> {
  if (invoice) return invoice;
  const now = w.t.clock.now();
  w.t.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2)));
  try {
    invoice = (await issueInvoice(w.t.reg, operator, { registrarId: 'alpha', month: now.toISOString().slice(0, 7) })).number;
  } finally {
    w.t.clock.set(now);
  }
  return invoice;
}

export async function registrarSample(w: WebWorld, key: string, role: PortalRole | null): Promise<{ url: string; payload?: unknown } | null> {
  const na = role === 'na_admin' || role === 'na_staff' || role === 'ministry';
  const r = na ? '?registrar=alpha' : '';
  const own = w.alphaDomains[0]!;
  switch (key) {
    case 'POST /domains/bulk': return { url: '/api/domains/bulk', payload: { names: [own], action: 'nameservers', hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'] } };
    case 'GET /contacts': return { url: `/api/contacts${r}` };
    case 'POST /contacts': return { url: '/api/contacts', payload: {
      handle: `api-c${++n}`, kind: 'natural', givenName: 'Leyla', familyName: 'Məmmədova', street: ['Füzuli küç. 5'], city: 'Gəncə', cc: 'AZ',
      email: `leyla${n}@mail.example.az`, ...(na ? { registrarId: 'alpha' } : {}),
    } };
    case 'GET /contacts/:handle': return { url: '/api/contacts/alpha-owner' };
    case 'PUT /contacts/:handle': return { url: '/api/contacts/alpha-owner', payload: { voice: '+994.501112233' } };
    case 'DELETE /contacts/:handle': return { url: `/api/contacts/${(await addPerson(w.t.reg, w.alpha, `api-d${++n}`)).handle}` };
    case 'GET /hosts': return { url: `/api/hosts${r}` };
    case 'POST /hosts': return { url: '/api/hosts', payload: { name: `ns${++n}.api-made.net`, ...(na ? { registrarId: 'alpha' } : {}) } };
    case 'GET /hosts/:name': return { url: '/api/hosts/ns1.alpha-dns.net' };
    case 'PUT /hosts/:name': return { url: '/api/hosts/ns1.alpha-dns.net', payload: { addresses: [] } };
    case 'DELETE /hosts/:name': return { url: `/api/hosts/${(await createHost(w.t.reg, w.alpha, { name: `ns${++n}.api-gone.net` })).name}` };
    case 'GET /registrar/invoices': return { url: `/api/registrar/invoices${r}` };
    case 'GET /registrar/invoices/:number': return { url: `/api/registrar/invoices/${await alphaInvoice(w)}` };
    case 'GET /registrar/invoices/:number/pdf': return { url: `/api/registrar/invoices/${await alphaInvoice(w)}/pdf` };
    case 'GET /registrar/poll': return { url: `/api/registrar/poll${r}` };
    case 'POST /registrar/poll/:id/ack': {
      // The registry changing alpha's domain leaves a message in alpha's queue (RFC 8590).
      const name = w.alphaDomains[0]!;
      await updateDomain(w.t.reg, operator, { name, add: { statuses: ['serverDeleteProhibited'] } });
      await updateDomain(w.t.reg, operator, { name, remove: { statuses: ['serverDeleteProhibited'] } });
      const m = await w.t.reg.db.selectFrom('poll_messages').select('id').where('registrar_id', '=', 'alpha').where('acked_at', 'is', null)
        .orderBy('id', 'desc').executeTakeFirstOrThrow();
      return { url: `/api/registrar/poll/${m.id}/ack` };
    }
    case 'GET /registrar/epp': return { url: `/api/registrar/epp${r}` };
    case 'PUT /registrar/epp/password': return { url: '/api/registrar/epp/password', payload: { password: `Epp-Pass-${++n}x` } };
    case 'PUT /registrar/epp/allowlist': return { url: `/api/registrar/epp/allowlist${r}`, payload: { entries: [] } };
    case 'POST /registrar/epp/certificates': return { url: `/api/registrar/epp/certificates${r}`, payload: { pem: await freshCertificate() } };
    case 'DELETE /registrar/epp/certificates/:fingerprint': {
      const cert = await addCertificate(w.t.reg, operator, 'alpha', await freshCertificate());
      return { url: `/api/registrar/epp/certificates/${cert.fingerprint}${r}` };
    }
    case 'GET /registrar/users': return { url: `/api/registrar/users${r}` };
    case 'POST /registrar/users': return { url: `/api/registrar/users${r}`, payload: { email: `new${++n}@alpha.example.az`, name: 'New staff', role: 'registrar_staff', password: 'Portal-Pass-2026' } };
    case 'PATCH /registrar/users/:id': {
      const u = await createUser(w.t.reg, operator, { email: `patch${++n}@alpha.example.az`, name: 'To rename', role: 'registrar_staff', registrarId: 'alpha', password: 'Portal-Pass-2026' });
      return { url: `/api/registrar/users/${u.id}${r}`, payload: { name: 'Renamed', role: 'registrar_admin' } };
    }
  }
  return null;
}
