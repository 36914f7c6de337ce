// The audit log in the console (/admin/audit): entries filtered by object, actor and time, each with its state
// before and after, and (on request, ?verify=1) the verification of the whole hash chain (src/audit/verify.ts:
// edited, deleted or inserted entries, anchors). For NA staff only: entries hold personal data (R8.8), and verifying writes the
// chain links of entries older than the chain (a legitimate one-time step).
import type { FastifyInstance } from 'fastify';
import { listAudit, type AuditFilter } from '../../audit/log.ts';
import { verifyChain } from '../../audit/verify.ts';
import type { Registry } from '../../core/registry.ts';
import { at } from './admin-i18n.ts';
import { subNav, WRITE, type Q } from './admin-common.ts';
import { t } from './i18n.ts';
import { esc, notice, page, stamp } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
const json = (v: unknown): string => (v === null || v === undefined ? '–' : `<pre class="json">${esc(JSON.stringify(v, null, 1))}</pre>`);

export async function adminAuditPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  app.get('/audit', WRITE, async (req, reply) => {
    const q = req.query as Q;
    const f = { object: (q.object ?? '').trim().slice(0, 300), actor: (q.actor ?? '').trim().slice(0, 200), since: (q.since ?? '').trim(), until: (q.until ?? '').trim() };
    const keep = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
    const c = pageContext(req, reg, '/admin/audit', keep || undefined);
    const L = c.lang;
    const errors: string[] = [];
    const filter: AuditFilter = { limit: 200 };
    if (f.object) {
      const i = f.object.indexOf(':');
      if (i <= 0 || i === f.object.length - 1) errors.push(at(L, 'badObject'));
      else { filter.objectType = f.object.slice(0, i); filter.objectId = f.object.slice(i + 1); }
    }
    if (f.actor) filter.actorId = f.actor;
    for (const k of ['since', 'until'] as const) {
      if (!f[k]) continue;
      const d = new Date(`${f[k]}${f[k].length === 10 ? 'T00:00:00' : ''}Z`);
      if (!DATETIME.test(f[k]) || Number.isNaN(d.getTime())) errors.push(`${at(L, k)}: 2026-11-22 / 2026-11-22T10:00`);
      else filter[k] = d;
    }
    // Verifying reads the whole chain, so it runs when asked (a large log takes a while), not at every filter.
    const [entries, chain] = await Promise.all([errors.length ? Promise.resolve([]) : listAudit(reg.db, filter), q.verify === '1' ? verifyChain(reg.db) : null]);
    const status = !chain
      ? `<form method="get" action="/admin/audit" class="inline">${Object.entries(f).filter(([, v]) => v).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join('')}<input type="hidden" name="verify" value="1">
<button type="submit">${esc(at(L, 'verifyChain'))}</button></form>`
      : chain.ok
      ? `<p class="notice ok" role="status" id="chain">${esc(at(L, 'chainOk', { n: chain.entries, s: chain.head.seq }))}</p>`
      : `<div class="notice error" role="alert" id="chain"><p>${esc(at(L, 'chainBroken', { n: chain.problems.length }))}</p><ul>${chain.problems.slice(0, 50).map((p) => `<li>${esc(p.message)}</li>`).join('')}</ul></div>`;
    const form = `<form method="get" action="/admin/audit" class="filters" role="search">
<div><label for="object">${esc(at(L, 'object'))}</label><input id="object" name="object" value="${esc(f.object)}" placeholder="domain:kitab.az"></div>
<div><label for="actor">${esc(at(L, 'actor'))}</label><input id="actor" name="actor" value="${esc(f.actor)}" placeholder="staff:1"></div>
<div><label for="since">${esc(at(L, 'since'))}</label><input id="since" name="since" value="${esc(f.since)}" placeholder="2026-11-01"></div>
<div><label for="until">${esc(at(L, 'until'))}</label><input id="until" name="until" value="${esc(f.until)}" placeholder="2026-12-01"></div>
<div><button type="submit">${esc(at(L, 'filter'))}</button></div></form>`;
    const rows = entries.map((e) => `<tr><td>${e.seq ?? ''}</td><td>${stamp(e.at)}</td><td><code>${esc(e.actorId)}</code></td><td><code>${esc(e.operation)}</code></td>
<td><a href="/admin/audit?object=${encodeURIComponent(`${e.objectType}:${e.objectId}`)}">${esc(e.objectType)}:${esc(e.objectId)}</a></td>
<td>${e.redacted ? esc(at(L, 'redacted')) : json(e.before)}</td><td>${e.redacted ? esc(at(L, 'redacted')) : json(e.after)}</td></tr>`).join('\n');
    const table = entries.length
      ? `<p>${esc(at(L, 'showing', { n: entries.length }))}</p><div class="table"><table id="audit"><thead><tr><th scope="col">#</th><th scope="col">${esc(at(L, 'time'))}</th><th scope="col">${esc(at(L, 'actor'))}</th><th scope="col">${esc(at(L, 'operation'))}</th><th scope="col">${esc(at(L, 'object'))}</th><th scope="col">${esc(at(L, 'before'))}</th><th scope="col">${esc(at(L, 'after'))}</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : `<p>${esc(t(L, 'none'))}</p>`;
    const errs = errors.map((e) => notice('error', e)).join('');
    return sendHtml(reply, page(c, at(L, 'audit'), subNav(req, L, '/admin/audit') + status + errs + form + table), errors.length ? 400 : 200);
  });
}
