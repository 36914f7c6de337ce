// The National Administrator's console (/admin): the review queue with each application's deadline (R3.12) and
// its decision (approve, or refuse on a ground of R5.1); suspension of a domain on a ground of R7.4 and its
// restoration (R7.6). The ministry sees the queue without deciding. The console's other sections are modules of
// their own (admin-lists, admin-registrars, admin-disputes, admin-abuse, admin-audit, admin-stats), mounted here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { approveApplication, refuseApplication, reviewQueue, REFUSAL_GROUNDS } from '../../core/applications.ts';
import { isRegistryError } from '../../core/errors.ts';
import { domainSuspensions, MANUAL_GROUNDS, suspendDomain, unsuspendDomain } from '../../core/lifecycle/suspensions.ts';
import { groundText } from './admin-i18n.ts';
import type { Registry } from '../../core/registry.ts';
import { hasRole, NA_ROLES } from '../auth/principal.ts';
import { viewDomain } from '../api/operations.ts';
import { t } from './i18n.ts';
import { csrfField, day, esc, notice, page, stamp } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';
import { subNav } from './admin-common.ts';
import { adminListPages } from './admin-lists.ts';
import { adminStatsPages } from './admin-stats.ts';
import { adminAuditPages } from './admin-audit.ts';
import { adminRegistrarPages } from './admin-registrars.ts';
import { adminDisputePages } from './admin-disputes.ts';
import { adminAbusePages } from './admin-abuse.ts';
import { adminDocumentPages } from './application-documents.ts';

type Q = Record<string, string | undefined>;
const decide = { roles: NA_ROLES };

export async function adminPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  for (const section of [adminListPages, adminStatsPages, adminAuditPages, adminRegistrarPages, adminDisputePages, adminAbusePages, adminDocumentPages]) await app.register(section, { reg });

  async function queuePage(req: FastifyRequest, reply: FastifyReply, message = '', code = 200): Promise<FastifyReply> {
    const p = req.portal.principal!;
    const apps = await reviewQueue(reg, p.actor, { limit: 500 });
    const c = pageContext(req, reg, '/admin');
    const L = c.lang;
    const canDecide = hasRole(p, NA_ROLES);
    const now = reg.clock.now();
    const grounds = Object.entries(REFUSAL_GROUNDS).map(([g, text]) => `<option value="${g}">${g}: ${esc(text)}</option>`).join('');
    const rows = apps.map((a) => {
      const overdue = a.dueAt < now;
      const decideCell = canDecide ? `<td><form method="post" action="/admin/applications/${a.id}/approve" class="decide">${csrfField(c)}
<button type="submit" aria-label="${t(L, 'approve')} ${esc(a.unicodeName)}">${t(L, 'approve')}</button></form>
<form method="post" action="/admin/applications/${a.id}/refuse" class="decide">${csrfField(c)}
<label for="ground-${a.id}">${t(L, 'ground')}</label><select id="ground-${a.id}" name="ground" required><option value=""></option>${grounds}</select>
<label for="note-${a.id}">${t(L, 'note')}</label><input id="note-${a.id}" name="note" maxlength="2000">
<button type="submit" class="danger" aria-label="${t(L, 'refuse')} ${esc(a.unicodeName)}">${t(L, 'refuse')}</button></form></td>` : '';
      return `<tr id="application-${a.id}"><td><a href="/admin/applications/${a.id}">${a.id}</a></td><td>${esc(a.unicodeName)}${a.unicodeName !== a.name ? `<br><small>${esc(a.name)}</small>` : ''}</td>
<td>${esc(a.registrarId)}</td><td>${stamp(a.receivedAt)}</td><td${overdue ? ' class="overdue"' : ''}>${stamp(a.dueAt)}${overdue ? ` (${t(L, 'overdue')})` : ''}</td>
<td>${esc(a.registrantIdentity.verification)}${a.registrantIdentity.result ? ` (${esc(a.registrantIdentity.result)})` : ''}</td>${decideCell}</tr>`;
    }).join('\n');
    const table = apps.length ? `<div class="table"><table><thead><tr><th scope="col">#</th><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'registrar')}</th>
<th scope="col">${t(L, 'received')}</th><th scope="col">${t(L, 'due')}</th><th scope="col">${t(L, 'identity')}</th>${canDecide ? `<th scope="col">${t(L, 'application')}</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>` : `<p>${t(L, 'emptyQueue')}</p>`;
    return sendHtml(reply, page(c, t(L, 'queue'), subNav(req, L, '/admin') + message + table), code);
  }

  async function decision(req: FastifyRequest, reply: FastifyReply, op: () => Promise<string>): Promise<FastifyReply> {
    try {
      return queuePage(req, reply, notice('ok', await op()));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return queuePage(req, reply, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  }

  app.get('/', { config: { roles: [...NA_ROLES, 'ministry'] } }, async (req, reply) => queuePage(req, reply));

  app.post<{ Params: { id: string }; Body: Q }>('/applications/:id/approve', { config: decide }, async (req, reply) =>
    decision(req, reply, async () => {
      const r = await approveApplication(reg, req.portal.principal!.actor, Number.parseInt(req.params.id, 10), req.body?.note || undefined);
      return t(req.portal.lang, 'approved', { name: r.application.unicodeName });
    }));

  app.post<{ Params: { id: string }; Body: Q }>('/applications/:id/refuse', { config: decide }, async (req, reply) =>
    decision(req, reply, async () => {
      const ground = req.body?.ground ?? '';
      const a = await refuseApplication(reg, req.portal.principal!.actor, Number.parseInt(req.params.id, 10), ground, req.body?.note || undefined);
      return t(req.portal.lang, 'refused', { name: a.unicodeName, g: ground });
    }));

  async function domainPage(req: FastifyRequest, reply: FastifyReply, name: string, message = '', code = 200): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/domains', name ? `name=${encodeURIComponent(name)}` : undefined);
    const L = c.lang;
    const form = `<form method="get" action="/admin/domains" role="search"><label for="name">${t(L, 'domain')}</label>
<input id="name" name="name" value="${esc(name)}" required> <button type="submit">${t(L, 'findDomain')}</button></form>`;
    if (!name) return sendHtml(reply, page(c, t(L, 'suspensions'), subNav(req, L, '/admin/domains') + message + form), code);
    let body = '';
    try {
      const d = await viewDomain(reg, req.portal.principal!.actor, name);
      const susp = await domainSuspensions(reg, d.name);
      const action = `/admin/domains/${encodeURIComponent(d.name)}`;
      const groundOptions = MANUAL_GROUNDS.map((g) => `<option value="${g}">${g}: ${esc(groundText(L, g))}</option>`).join('');
      body = `<h2>${esc(d.unicodeName)}</h2><dl><dt>${t(L, 'status')}</dt><dd>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
<dt>${t(L, 'registrar')}</dt><dd>${esc(d.registrarId)}</dd><dt>${t(L, 'expires')}</dt><dd>${day(d.expiresAt)}</dd></dl>
<ul>${susp.map((s) => `<li><code>${esc(s.ground)}</code> (${esc(s.clause)}) ${t(L, 'since')} ${stamp(s.startedAt)}: ${s.liftedAt ? `${t(L, 'lifted')} ${stamp(s.liftedAt)}` : `<strong>${t(L, 'active')}</strong>`}${s.note ? ` — ${esc(s.note)}` : ''}
${!s.liftedAt && (MANUAL_GROUNDS as string[]).includes(s.ground) ? `<form method="post" action="${action}/unsuspend">${csrfField(c)}<input type="hidden" name="ground" value="${esc(s.ground)}">
<label for="reason-${esc(s.ground)}">${t(L, 'reason')}</label><input id="reason-${esc(s.ground)}" name="reason" required maxlength="2000"> <button type="submit">${t(L, 'unsuspend')}</button></form>` : ''}</li>`).join('\n')}</ul>
<h3>${t(L, 'suspend')}</h3><form method="post" action="${action}/suspend">${csrfField(c)}
<label for="sground">${t(L, 'ground')}</label><select id="sground" name="ground" required><option value=""></option>${groundOptions}</select>
<label for="snote">${t(L, 'note')}</label><input id="snote" name="note" maxlength="2000">
<div><button type="submit" class="danger">${t(L, 'suspend')}</button></div></form>`;
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      body = notice('error', `${e.message} (${e.clause})`);
      if (code === 200) code = e.httpStatus;
    }
    return sendHtml(reply, page(c, t(L, 'suspensions'), subNav(req, L, '/admin/domains') + message + form + body), code);
  }

  app.get('/domains', { config: decide }, async (req, reply) => domainPage(req, reply, String((req.query as Q).name ?? '').trim().slice(0, 253)));

  async function suspensionAct(req: FastifyRequest, reply: FastifyReply, name: string, op: () => Promise<string>): Promise<FastifyReply> {
    try {
      return domainPage(req, reply, name, notice('ok', await op()));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return domainPage(req, reply, name, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  }

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/suspend', { config: decide }, async (req, reply) =>
    suspensionAct(req, reply, req.params.name, async () => {
      const d = await suspendDomain(reg, req.portal.principal!.actor, req.params.name, req.body?.ground ?? '', req.body?.note || undefined);
      return t(req.portal.lang, 'suspended', { name: d.unicodeName });
    }));

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/unsuspend', { config: decide }, async (req, reply) =>
    suspensionAct(req, reply, req.params.name, async () => {
      const d = await unsuspendDomain(reg, req.portal.principal!.actor, req.params.name, req.body?.ground ?? '', req.body?.reason ?? '');
      return t(req.portal.lang, 'unsuspended', { name: d.unicodeName });
    }));
}
