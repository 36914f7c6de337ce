// Sample requests for the console's API routes (src/web/api/admin-routes.ts), used by api.test.ts's
// every-route-every-role test: each is valid for every caller (fastify validates before the role check) and
// succeeds for a role the route allows, with fresh objects where a write consumes one.
import { fileAccreditation, REQUIREMENTS, setChecklistItem, setRegistrarStatus } from '../../src/core/accreditation.ts';
import { reportAbuse } from '../../src/core/abuse.ts';
import { openDispute } from '../../src/core/disputes.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';
import type { PortalRole } from '../../src/web/auth/principal.ts';
import { addRegistrar, operator } from '../helpers/fixtures.ts';
import type { WebWorld } from './setup.ts';

let n = 0;

async function application(w: WebWorld, allMet = false): Promise<number> {
  const a = await fileAccreditation(w.t.reg, operator, { registrarId: `acc-s${++n}`, name: `Applicant ${n}`, email: `acc${n}@example.az` });
  if (allMet) for (const item of Object.keys(REQUIREMENTS)) await setChecklistItem(w.t.reg, operator, a.id, item, 'met', 'seen');
  return a.id;
}

async function freshDomain(w: WebWorld): Promise<string> {
  const name = `mubahise${++n}.az`;
  await createDomain(w.t.reg, w.alpha, { name, registrant: 'alpha-owner', periodYears: 1 });
  return name;
}

async function report(w: WebWorld, name = 'kitab0.az'): Promise<number> {
  return (await reportAbuse(w.t.reg, operator, { name, category: 'phishing', description: 'a fake bank login page', source: 'staff' })).id;
}

export async function adminSample(w: WebWorld, key: string, _role: PortalRole | null): Promise<{ url: string; payload?: unknown } | null> {
  const reg = w.t.reg;
  switch (key) {
    case 'GET /statistics': return { url: '/api/statistics?months=6' };
    case 'GET /lists/:list': return { url: '/api/lists/stop' };
    case 'POST /lists/:list': return { url: '/api/lists/reserved', payload: { word: `ehtiyat${++n}`, match: 'exact', note: 'sample' } };
    case 'POST /lists/:list/remove': {
      const word = `silinen${++n}`;
      await addListEntry(reg, operator, 'reserved', word);
      return { url: '/api/lists/reserved/remove', payload: { word } };
    }
    case 'GET /zones': return { url: '/api/zones' };
    case 'POST /zones': return { url: '/api/zones', payload: { label: `zona${++n}`, restricted: false } };
    case 'PUT /zones/:zone': return { url: '/api/zones/com.az', payload: { restricted: false } };
    case 'GET /accreditations': return { url: '/api/accreditations?status=pending' };
    case 'GET /accreditations/:id': return { url: `/api/accreditations/${await application(w)}` };
    case 'POST /accreditations': return { url: '/api/accreditations', payload: { registrarId: `acc-p${++n}`, name: 'Yeni Registrator MMC', email: `new${n}@example.az` } };
    case 'PUT /accreditations/:id/checklist/:item': return { url: `/api/accreditations/${await application(w)}/checklist/R9.3.3`, payload: { state: 'met', note: 'two /24 blocks' } };
    case 'POST /accreditations/:id/accredit': return { url: `/api/accreditations/${await application(w, true)}/accredit`, payload: {} };
    case 'POST /accreditations/:id/refuse': return { url: `/api/accreditations/${await application(w)}/refuse`, payload: { ground: 'R9.3.4 not met' } };
    case 'POST /registrars/:id/suspend': {
      const id = `susp${++n}`;
      await addRegistrar(reg, id, { balance: 0 });
      return { url: `/api/registrars/${id}/suspend`, payload: { reason: 'R9.3.13 not met' } };
    }
    case 'POST /registrars/:id/reinstate': {
      const id = `rein${++n}`;
      await addRegistrar(reg, id, { balance: 0 });
      await setRegistrarStatus(reg, operator, id, 'suspended', 'sample');
      return { url: `/api/registrars/${id}/reinstate`, payload: { reason: 'fixed' } };
    }
    case 'POST /registrars/:id/terminate': {
      const id = `term${++n}`;
      await addRegistrar(reg, id, { balance: 0 });
      return { url: `/api/registrars/${id}/terminate`, payload: { successor: 'beta', consent: 'letter 1', reason: 'R9.8' } };
    }
    case 'GET /disputes': return { url: '/api/disputes' };
    case 'POST /disputes': return { url: '/api/disputes', payload: { name: await freshDomain(w), complainant: 'beta-owner', claim: 'our trademark', reference: 'case 1' } };
    case 'POST /disputes/:id/dismiss':
    case 'POST /disputes/:id/transfer': {
      const d = await openDispute(reg, operator, { name: await freshDomain(w), complainant: 'beta-owner', claim: 'our trademark' });
      return { url: `/api/disputes/${d.id}/${key.endsWith('dismiss') ? 'dismiss' : 'transfer'}`, payload: { note: 'decided' } };
    }
    case 'GET /abuse': return { url: '/api/abuse' };
    case 'GET /abuse/:id': return { url: `/api/abuse/${await report(w)}` };
    case 'POST /abuse': return { url: '/api/abuse', payload: { name: 'kitab0.az', category: 'spam', description: 'sends spam from this name' } };
    case 'POST /abuse/:id/triage': return { url: `/api/abuse/${await report(w)}/triage`, payload: { severity: 'high' } };
    case 'POST /abuse/:id/notify': return { url: `/api/abuse/${await report(w)}/notify` };
    case 'POST /abuse/:id/refer': return { url: `/api/abuse/${await report(w)}/refer`, payload: { referral: 'Police, case 7' } };
    case 'POST /abuse/:id/suspend': return { url: `/api/abuse/${await report(w, await freshDomain(w))}/suspend`, payload: { ground: 'court', note: 'Court order 12' } };
    case 'POST /abuse/:id/close': return { url: `/api/abuse/${await report(w)}/close`, payload: { resolution: 'site removed by the owner' } };
    case 'GET /audit': return { url: '/api/audit?objectType=domain&objectId=kitab0.az&limit=50' };
    case 'GET /audit/verify': return { url: '/api/audit/verify' };
  }
  return null;
}
