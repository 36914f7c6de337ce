// Registrars in the console: accreditation (R9.1-R9.4: the application, its R9.3 checklist and the 20 working
// days of R9.2, the decision), and the measures of R9.8: suspension, reinstatement, termination with the bulk
// transfer of the registrar's domains to a registrar that consents.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accredit, fileAccreditation, listAccreditations, refuseAccreditation, registrarSummaries, REQUIREMENTS, setChecklistItem, setRegistrarStatus, type AccreditationView } from '../../core/accreditation.ts';
import { terminateRegistrar } from '../../core/lifecycle/registrar-termination.ts';
import type { Registry } from '../../core/registry.ts';
import { at, type AdminKey } from './admin-i18n.ts';
import { attempt, canWrite, options, READ, readOnlyNote, subNav, WRITE, type Outcome, type Q } from './admin-common.ts';
import { t, type Lang } from './i18n.ts';
import { csrfField, esc, page, stamp, type PageContext } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';

const STATUS_KEY: Record<string, AdminKey> = { active: 'statusActive', suspended: 'statusSuspended', terminated: 'statusTerminated' };
const STATE_KEY: Record<string, AdminKey> = { pending: 'statePending', met: 'stateMet', not_met: 'stateNotMet' };
const id = (s: string | undefined) => Number.parseInt(s ?? '', 10);
/** The requirement in the page's language (the core's English text for an item the catalogue lacks). */
const requirementText = (L: Lang, item: string) => {
  const key = `req_${item.replace(/\./g, '_')}`;
  return key in REQ_KEYS ? at(L, key as AdminKey) : REQUIREMENTS[item] ?? item;
};
const REQ_KEYS = Object.fromEntries(Object.keys(REQUIREMENTS).map((k) => [`req_${k.replace(/\./g, '_')}`, true]));

function checklistSection(c: PageContext, L: Lang, a: AccreditationView, w: boolean, now: Date): string {
  const overdue = a.status === 'pending' && a.dueAt < now;
  const rows = a.checklist.map((item) => {
    const fid = `a${a.id}-${item.item.replace(/\./g, '_')}`;
    const edit = w && a.status === 'pending'
      ? `<td><form method="post" action="/admin/accreditation/${a.id}/check" class="inline">${csrfField(c)}<input type="hidden" name="item" value="${esc(item.item)}">
<label for="${fid}-s">${esc(at(L, 'state'))}</label><select id="${fid}-s" name="state">${options(['pending', 'met', 'not_met'].map((s) => [s, at(L, STATE_KEY[s]!)]), item.state)}</select>
<label for="${fid}-n">${esc(at(L, 'evidence'))}</label><input id="${fid}-n" name="note" maxlength="500" value="${esc(item.note)}">
<button type="submit" aria-label="${esc(`${at(L, 'save')} ${item.item}`)}">${esc(at(L, 'save'))}</button></form></td>` : '';
    return `<tr><th scope="row">${esc(item.item)}</th><td>${esc(requirementText(L, item.item))}</td><td class="state-${item.state}">${esc(at(L, STATE_KEY[item.state]!))}${item.note ? `<br><small>${esc(item.note)}</small>` : ''}</td>${edit}</tr>`;
  }).join('\n');
  const decide = w && a.status === 'pending' ? `<div class="grid2"><form method="post" action="/admin/accreditation/${a.id}/accredit" class="decide">${csrfField(c)}
<label for="a${a.id}-note">${esc(t(L, 'note'))}</label><input id="a${a.id}-note" name="note" maxlength="2000">
<button type="submit">${esc(at(L, 'accredit'))}</button></form>
<form method="post" action="/admin/accreditation/${a.id}/refuse" class="decide">${csrfField(c)}
<label for="a${a.id}-ground">${esc(t(L, 'ground'))}</label><input id="a${a.id}-ground" name="ground" required maxlength="2000">
<button type="submit" class="danger">${esc(at(L, 'refuseAcc'))}</button></form></div>` : '';
  return `<section id="accreditation-${a.id}" aria-labelledby="acc-h-${a.id}"><h3 id="acc-h-${a.id}">#${a.id} ${esc(a.name)} (<code>${esc(a.registrarId)}</code>)</h3>
<dl><dt>${esc(t(L, 'received'))}</dt><dd>${stamp(a.receivedAt)}</dd><dt>${esc(at(L, 'checkDue'))}</dt><dd${overdue ? ' class="overdue"' : ''}>${stamp(a.dueAt)}${overdue ? ` (${esc(t(L, 'overdue'))})` : ''}</dd>
<dt>${esc(t(L, 'email'))}</dt><dd>${esc(a.email)}</dd>${a.status !== 'pending' ? `<dt>${esc(at(L, 'decision'))}</dt><dd>${esc(a.status)} ${a.decidedAt ? stamp(a.decidedAt) : ''}${a.decisionNote ? `: ${esc(a.decisionNote)}` : ''}</dd>` : ''}</dl>
<div class="table"><table><caption>${esc(at(L, 'checklist'))}</caption><thead><tr><th scope="col">${esc(at(L, 'requirement'))}</th><th scope="col">${esc(t(L, 'description'))}</th><th scope="col">${esc(at(L, 'state'))}</th>${w && a.status === 'pending' ? `<th scope="col">${esc(at(L, 'actions'))}</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>${decide}</section>`;
}

export async function adminRegistrarPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function accreditationPage(req: FastifyRequest, reply: FastifyReply, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/accreditation');
    const L = c.lang;
    const w = canWrite(req);
    const all = await listAccreditations(reg);
    const pending = all.filter((a) => a.status === 'pending');
    const decided = all.filter((a) => a.status !== 'pending');
    const field = (name: string, key: AdminKey | 'email', required = false, type = 'text') =>
      `<label for="acc-${name}">${esc(key === 'email' ? t(L, 'email') : at(L, key))}</label><input id="acc-${name}" name="${name}" type="${type}"${required ? ' required' : ''} maxlength="255">`;
    const form = w ? `<h2>${esc(at(L, 'newApplication'))}</h2><form method="post" action="/admin/accreditation" class="decide">${csrfField(c)}
${field('registrarId', 'id', true)}${field('name', 'name', true)}${field('legalForm', 'legalForm')}${field('email', 'email', true, 'email')}${field('phone', 'phone', false, 'tel')}${field('address', 'address')}${field('url', 'website', false, 'url')}
<button type="submit">${esc(at(L, 'file'))}</button></form>` : '';
    const body = `<h2>${esc(at(L, 'pendingApps'))}</h2>${pending.length ? pending.map((a) => checklistSection(c, L, a, w, reg.clock.now())).join('\n') : `<p>${esc(t(L, 'none'))}</p>`}
${form}<h2>${esc(at(L, 'decidedApps'))}</h2>${decided.length ? decided.map((a) => checklistSection(c, L, a, false, reg.clock.now())).join('\n') : `<p>${esc(t(L, 'none'))}</p>`}`;
    return sendHtml(reply, page(c, at(L, 'accreditation'), subNav(req, L, '/admin/accreditation') + readOnlyNote(req, L) + out.message + body), out.code);
  }

  app.get('/accreditation', READ, async (req, reply) => accreditationPage(req, reply));

  app.post<{ Body: Q }>('/accreditation', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return accreditationPage(req, reply, await attempt(async () => {
      const a = await fileAccreditation(reg, req.portal.principal!.actor, {
        registrarId: b.registrarId ?? '', name: b.name ?? '', email: b.email ?? '', legalForm: b.legalForm ?? null, phone: b.phone ?? null, address: b.address ?? null, url: b.url ?? null,
      });
      return at(req.portal.lang, 'filed', { id: a.id, d: stamp(a.dueAt) });
    }));
  });

  app.post<{ Params: { id: string }; Body: Q }>('/accreditation/:id/check', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return accreditationPage(req, reply, await attempt(async () => {
      await setChecklistItem(reg, req.portal.principal!.actor, id(req.params.id), b.item ?? '', b.state ?? '', b.note ?? null);
      return `${at(req.portal.lang, 'saved')} ${b.item ?? ''}`;
    }));
  });

  app.post<{ Params: { id: string }; Body: Q }>('/accreditation/:id/accredit', WRITE, async (req, reply) =>
    accreditationPage(req, reply, await attempt(async () => {
      const r = await accredit(reg, req.portal.principal!.actor, id(req.params.id), req.body?.note ?? null);
      const L = req.portal.lang;
      return `${at(L, 'accredited', { r: r.registrarId, p: r.eppPassword })}${r.portalUser ? ` ${at(L, 'portalUser', { e: r.portalUser.email, p: r.portalUser.password })}` : ''}`;
    })));

  app.post<{ Params: { id: string }; Body: Q }>('/accreditation/:id/refuse', WRITE, async (req, reply) =>
    accreditationPage(req, reply, await attempt(async () => {
      const a = await refuseAccreditation(reg, req.portal.principal!.actor, id(req.params.id), req.body?.ground ?? '');
      return at(req.portal.lang, 'refusedAcc', { id: a.id });
    })));

  async function registrarsPage(req: FastifyRequest, reply: FastifyReply, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/registrars');
    const L = c.lang;
    const w = canWrite(req);
    const rows = await registrarSummaries(reg);
    const active = rows.filter((r) => r.status === 'active');
    const actions = (r: (typeof rows)[number]) => {
      if (!w || r.status === 'terminated') return '';
      const next = r.status === 'active' ? 'suspend' : 'reinstate';
      const others = active.filter((o) => o.id !== r.id);
      return `<td><form method="post" action="/admin/registrars/${encodeURIComponent(r.id)}/${next}" class="decide">${csrfField(c)}
<label for="${esc(r.id)}-reason">${esc(t(L, 'reason'))}</label><input id="${esc(r.id)}-reason" name="reason" required maxlength="2000">
<button type="submit"${next === 'suspend' ? ' class="danger"' : ''}>${esc(at(L, next === 'suspend' ? 'suspendRegistrar' : 'reinstateRegistrar'))}</button></form>
${others.length ? `<details><summary>${esc(at(L, 'terminate'))}</summary><form method="post" action="/admin/registrars/${encodeURIComponent(r.id)}/terminate" class="decide">${csrfField(c)}
<label for="${esc(r.id)}-succ">${esc(at(L, 'successor'))}</label><select id="${esc(r.id)}-succ" name="successor" required><option value=""></option>${options(others.map((o) => [o.id, `${o.id}: ${o.name}`]))}</select>
<label for="${esc(r.id)}-consent">${esc(at(L, 'consent'))}</label><input id="${esc(r.id)}-consent" name="consent" required maxlength="500">
<label for="${esc(r.id)}-treason">${esc(t(L, 'reason'))}</label><input id="${esc(r.id)}-treason" name="reason" required maxlength="2000">
<button type="submit" class="danger">${esc(at(L, 'terminate'))}</button></form></details>` : ''}</td>`;
    };
    const table = `<div class="table"><table><thead><tr><th scope="col">${esc(at(L, 'id'))}</th><th scope="col">${esc(at(L, 'name'))}</th><th scope="col">${esc(t(L, 'status'))}</th><th scope="col">${esc(at(L, 'domainsCount'))}</th>${w ? `<th scope="col">${esc(at(L, 'actions'))}</th>` : ''}</tr></thead>
<tbody>${rows.map((r) => `<tr id="registrar-${esc(r.id)}"><th scope="row"><code>${esc(r.id)}</code></th><td>${esc(r.name)}<br><small>${esc(r.email)}</small></td><td class="status">${esc(at(L, STATUS_KEY[r.status] ?? 'statusActive'))}</td><td>${r.domains}</td>${w ? (actions(r) || '<td></td>') : ''}</tr>`).join('\n')}</tbody></table></div>`;
    return sendHtml(reply, page(c, at(L, 'registrarsAdmin'), subNav(req, L, '/admin/registrars') + readOnlyNote(req, L) + out.message + table), out.code);
  }

  app.get('/registrars', READ, async (req, reply) => registrarsPage(req, reply));

  for (const act of ['suspend', 'reinstate'] as const) {
    app.post<{ Params: { id: string }; Body: Q }>(`/registrars/:id/${act}`, WRITE, async (req, reply) =>
      registrarsPage(req, reply, await attempt(async () => {
        const r = await setRegistrarStatus(reg, req.portal.principal!.actor, req.params.id, act === 'suspend' ? 'suspended' : 'active', req.body?.reason ?? '');
        return at(req.portal.lang, act === 'suspend' ? 'registrarSuspended' : 'registrarReinstated', { r: r.id });
      })));
  }

  app.post<{ Params: { id: string }; Body: Q }>('/registrars/:id/terminate', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return registrarsPage(req, reply, await attempt(async () => {
      const r = await terminateRegistrar(reg, req.portal.principal!.actor, { registrarId: req.params.id, successorId: b.successor ?? '', consent: b.consent ?? '', reason: b.reason ?? '' });
      return at(req.portal.lang, 'terminated', { r: r.registrarId, n: r.domains, s: r.successorId });
    }));
  });
}
