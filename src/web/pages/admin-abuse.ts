// Abuse and incident reports (AZ-CERT): the public form /abuse (anyone; no account needed) and the console's
// /admin/abuse: triage, notice to the registrar and the owner, referral record, closing; and a suspension of the
// reported name only on a ground of R7.4 with the decision or document that establishes it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ABUSE_CATEGORIES, closeAbuse, listAbuse, noticeAbuse, publicReporter, referAbuse, reportAbuse, suspendForAbuse, triageAbuse, SEVERITIES, type AbuseView } from '../../core/abuse.ts';
import { MANUAL_GROUNDS } from '../../core/lifecycle/suspensions.ts';
import type { Registry } from '../../core/registry.ts';
import type { AbuseCategory } from '../../db/schema.ts';
import { at, groundText, type AdminKey } from './admin-i18n.ts';
import { attempt, canWrite, options, READ, readOnlyNote, subNav, WRITE, type Outcome, type Q } from './admin-common.ts';
import { t, type Lang } from './i18n.ts';
import { csrfField, esc, notice, page, stamp, type PageContext } from './layout.ts';
import { publicReportAllowed } from '../report-limit.ts';
import { pageContext, sendHtml } from './render.ts';

const CATEGORY_KEY: Record<AbuseCategory, AdminKey> = {
  phishing: 'catPhishing', malware: 'catMalware', botnet: 'catBotnet', spam: 'catSpam', fraud: 'catFraud', illegal_content: 'catIllegal', other: 'catOther',
};
const SEVERITY_KEY: Record<string, AdminKey> = { low: 'sevLow', medium: 'sevMedium', high: 'sevHigh' };
const STATUS_KEY: Record<string, AdminKey> = { new: 'stNew', triaged: 'stTriaged', notified: 'stNotified', referred: 'stReferred', closed: 'stClosed' };

function reportForm(c: PageContext, L: Lang, action: string, values: Q = {}): string {
  return `<form method="post" action="${action}" class="decide">${csrfField(c)}
<label for="rname">${esc(t(L, 'domain'))}</label><input id="rname" name="name" required maxlength="253" value="${esc(values.name)}">
<label for="rcategory">${esc(at(L, 'category'))}</label><select id="rcategory" name="category" required>${options(ABUSE_CATEGORIES.map((k) => [k, at(L, CATEGORY_KEY[k])]), values.category ?? '')}</select>
<label for="rdesc">${esc(t(L, 'description'))}</label><textarea id="rdesc" name="description" required minlength="10" maxlength="8000" rows="5">${esc(values.description)}</textarea>
<label for="rreporter">${esc(at(L, 'yourName'))}</label><input id="rreporter" name="reporterName" maxlength="200" autocomplete="name" value="${esc(values.reporterName)}">
<label for="remail">${esc(at(L, 'yourEmail'))}</label><input id="remail" name="reporterEmail" type="email" maxlength="254" autocomplete="email" value="${esc(values.reporterEmail)}">
<button type="submit">${esc(at(L, 'send'))}</button></form>`;
}

function input(b: Q, source: 'public' | 'staff') {
  return { name: b.name ?? '', category: b.category ?? '', description: b.description ?? '', reporterName: b.reporterName ?? null, reporterEmail: b.reporterEmail ?? null, source };
}

/** The public form, mounted at /abuse. */
export async function abusePublicPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  const show = (req: FastifyRequest, reply: FastifyReply, out: Outcome, values: Q = {}) => {
    const c = pageContext(req, reg, '/abuse');
    const L = c.lang;
    return sendHtml(reply, page(c, at(L, 'reportAbuse'), `<p>${esc(at(L, 'reportIntro'))}</p>${out.message}${reportForm(c, L, `/abuse?lang=${L}`, values)}`), out.code);
  };
  app.get('/', { config: { roles: 'public' } }, async (req, reply) => show(req, reply, { message: '', code: 200 }));
  app.post<{ Body: Q }>('/', { config: { roles: 'public' } }, async (req, reply) => {
    const b = req.body ?? {};
    if (!req.portal.principal) {
      const d = publicReportAllowed(reg, req.ip);
      if (!d.allowed) {
        reply.header('retry-after', String(d.retryAfterSeconds));
        return show(req, reply, { message: notice('error', at(req.portal.lang, 'tooManyReports', { n: Math.ceil(d.retryAfterSeconds / 60) })), code: 429 }, b);
      }
    }
    const out = await attempt(async () => {
      const r = await reportAbuse(reg, req.portal.principal?.actor ?? publicReporter, input(b, 'public'));
      return at(req.portal.lang, 'reportReceived', { id: r.id });
    });
    return show(req, reply, out, out.code === 200 ? {} : b);
  });
}

function reportRow(c: PageContext, L: Lang, r: AbuseView, w: boolean): string {
  const f = (path: string, inner: string, label: string, danger = false) => `<form method="post" action="/admin/abuse/${r.id}/${path}" class="decide">${csrfField(c)}${inner}
<button type="submit"${danger ? ' class="danger"' : ''}>${esc(label)}</button></form>`;
  const p = `ab${r.id}`;
  const actions = w && r.status !== 'closed' ? `<details><summary>${esc(at(L, 'actions'))}</summary>
${f('triage', `<label for="${p}-sev">${esc(at(L, 'severity'))}</label><select id="${p}-sev" name="severity">${options(SEVERITIES.map((s) => [s, at(L, SEVERITY_KEY[s]!)]), r.severity ?? '')}</select>`, at(L, 'triage'))}
${r.registered ? f('notify', '', at(L, 'notifyParties')) : ''}
${f('refer', `<label for="${p}-ref">${esc(at(L, 'referral'))}</label><input id="${p}-ref" name="referral" required maxlength="2000">`, at(L, 'refer'))}
${r.registered ? f('suspend', `<label for="${p}-ground">${esc(t(L, 'ground'))}</label><select id="${p}-ground" name="ground" required><option value=""></option>${options(MANUAL_GROUNDS.map((g) => [g, `R7.4 ${g}: ${groundText(L, g)}`]))}</select>
<label for="${p}-doc">${esc(at(L, 'groundDoc'))}</label><input id="${p}-doc" name="note" required maxlength="2000">`, at(L, 'takedown'), true) : ''}
${f('close', `<label for="${p}-res">${esc(at(L, 'resolution'))}</label><input id="${p}-res" name="resolution" required maxlength="2000">`, at(L, 'close'))}</details>` : '';
  return `<tr id="abuse-${r.id}"><td>${r.id}</td><td>${esc(r.name)}${r.registered ? '' : `<br><small>${esc(at(L, 'notRegistered'))}</small>`}</td><td>${esc(at(L, CATEGORY_KEY[r.category]))}</td>
<td>${esc(r.description)}<br><small>${esc(at(L, 'reporter'))}: ${esc(r.reporterName ?? '–')} ${esc(r.reporterEmail ?? '')} (${esc(r.source)})</small></td><td>${stamp(r.receivedAt)}</td>
<td class="status">${esc(at(L, STATUS_KEY[r.status]!))}${r.severity ? `, ${esc(at(L, SEVERITY_KEY[r.severity]!))}` : ''}${r.notifiedAt ? `<br><small>${esc(at(L, 'stNotified'))} ${stamp(r.notifiedAt)}</small>` : ''}
${r.referral ? `<br><small>${esc(at(L, 'stReferred'))}: ${esc(r.referral)}</small>` : ''}${r.actionGround ? `<br><small>${esc(r.actionGround)}</small>` : ''}${r.resolution ? `<br><small>${esc(r.resolution)}</small>` : ''}</td>
${w ? `<td>${actions}</td>` : ''}</tr>`;
}

export async function adminAbusePages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function abusePage(req: FastifyRequest, reply: FastifyReply, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/abuse');
    const L = c.lang;
    const w = canWrite(req);
    const status = (req.query as Q).status;
    const reports = await listAbuse(reg, status && status in STATUS_KEY ? { status } : {});
    const table = reports.length ? `<div class="table"><table><thead><tr><th scope="col">#</th><th scope="col">${esc(t(L, 'domain'))}</th><th scope="col">${esc(at(L, 'category'))}</th><th scope="col">${esc(at(L, 'details'))}</th>
<th scope="col">${esc(t(L, 'received'))}</th><th scope="col">${esc(t(L, 'status'))}</th>${w ? `<th scope="col">${esc(at(L, 'actions'))}</th>` : ''}</tr></thead>
<tbody>${reports.map((r) => reportRow(c, L, r, w)).join('\n')}</tbody></table></div>` : `<p>${esc(t(L, 'none'))}</p>`;
    const intake = w ? `<h2>${esc(at(L, 'reportAbuse'))}</h2>${reportForm(c, L, '/admin/abuse')}` : '';
    return sendHtml(reply, page(c, at(L, 'abuse'), subNav(req, L, '/admin/abuse') + readOnlyNote(req, L) + out.message + table + intake), out.code);
  }

  app.get('/abuse', READ, async (req, reply) => abusePage(req, reply));

  app.post<{ Body: Q }>('/abuse', WRITE, async (req, reply) =>
    abusePage(req, reply, await attempt(async () => {
      const r = await reportAbuse(reg, req.portal.principal!.actor, input(req.body ?? {}, 'staff'));
      return at(req.portal.lang, 'reportReceived', { id: r.id });
    })));

  const steps: Record<string, (id: number, b: Q, req: FastifyRequest) => Promise<AbuseView>> = {
    triage: (id, b, req) => triageAbuse(reg, req.portal.principal!.actor, id, b.severity ?? ''),
    notify: (id, _b, req) => noticeAbuse(reg, req.portal.principal!.actor, id),
    refer: (id, b, req) => referAbuse(reg, req.portal.principal!.actor, id, b.referral ?? ''),
    suspend: (id, b, req) => suspendForAbuse(reg, req.portal.principal!.actor, id, b.ground ?? '', b.note ?? ''),
    close: (id, b, req) => closeAbuse(reg, req.portal.principal!.actor, id, b.resolution ?? ''),
  };
  for (const [name, run] of Object.entries(steps)) {
    app.post<{ Params: { id: string }; Body: Q }>(`/abuse/:id/${name}`, WRITE, async (req, reply) =>
      abusePage(req, reply, await attempt(async () => {
        const r = await run(Number.parseInt(req.params.id, 10), req.body ?? {}, req);
        return at(req.portal.lang, 'abuseUpdated', { id: r.id, s: at(req.portal.lang, STATUS_KEY[r.status]!) });
      })));
  }
}
