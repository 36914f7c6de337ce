// Disputes in the console (/admin/disputes, R4.6, R4.7): open one on a domain (the name is locked against transfer,
// update and delete), then decide: dismiss (unlocked) or transfer to the complainant.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dismissDispute, listDisputes, openDispute, transferToComplainant } from '../../core/disputes.ts';
import { RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { at, type AdminKey } from './admin-i18n.ts';
import { attempt, canWrite, READ, readOnlyNote, subNav, WRITE, type Outcome, type Q } from './admin-common.ts';
import { t } from './i18n.ts';
import { csrfField, esc, page, stamp } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';

const STATUS_KEY: Record<string, AdminKey> = { open: 'dsOpen', dismissed: 'dsDismissed', transferred: 'dsTransferred' };

export async function adminDisputePages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function disputesPage(req: FastifyRequest, reply: FastifyReply, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/disputes');
    const L = c.lang;
    const w = canWrite(req);
    const all = await listDisputes(reg);
    const rows = all.map((d) => {
      const decide = w && d.status === 'open' ? `<form method="post" action="/admin/disputes/${d.id}/decide" class="decide">${csrfField(c)}
<label for="d${d.id}-note">${esc(t(L, 'reason'))}</label><input id="d${d.id}-note" name="note" required maxlength="2000">
<button type="submit" name="decision" value="dismiss">${esc(at(L, 'dismiss'))}</button>
<button type="submit" name="decision" value="transfer" class="danger">${esc(at(L, 'transferToComplainant'))}</button></form>` : '';
      return `<tr id="dispute-${d.id}"><td>${d.id}</td><td><a href="/admin/audit?object=${encodeURIComponent(`domain:${d.name}`)}">${esc(d.name)}</a></td><td><code>${esc(d.complainant)}</code></td>
<td>${esc(d.claim)}${d.reference ? `<br><small>${esc(d.reference)}</small>` : ''}</td><td>${stamp(d.openedAt)}</td><td>${d.locks.map((l) => `<code>${esc(l)}</code>`).join(' ')}</td>
<td class="status">${esc(at(L, STATUS_KEY[d.status]!))}${d.decisionNote ? `<br><small>${esc(d.decisionNote)}</small>` : ''}</td>${w ? `<td>${decide}</td>` : ''}</tr>`;
    }).join('\n');
    const table = all.length ? `<div class="table"><table><thead><tr><th scope="col">#</th><th scope="col">${esc(t(L, 'domain'))}</th><th scope="col">${esc(at(L, 'complainant'))}</th><th scope="col">${esc(at(L, 'claim'))}</th>
<th scope="col">${esc(at(L, 'opened'))}</th><th scope="col">${esc(at(L, 'locks'))}</th><th scope="col">${esc(t(L, 'status'))}</th>${w ? `<th scope="col">${esc(at(L, 'decision'))}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>` : `<p>${esc(t(L, 'none'))}</p>`;
    const form = w ? `<h2>${esc(at(L, 'openDispute'))}</h2><form method="post" action="/admin/disputes" class="decide">${csrfField(c)}
<label for="dname">${esc(t(L, 'domain'))}</label><input id="dname" name="name" required maxlength="253">
<label for="dcomplainant">${esc(at(L, 'complainant'))}</label><input id="dcomplainant" name="complainant" required maxlength="64">
<label for="dclaim">${esc(at(L, 'claim'))}</label><textarea id="dclaim" name="claim" required maxlength="4000" rows="3"></textarea>
<label for="dref">${esc(at(L, 'reference'))}</label><input id="dref" name="reference" maxlength="500">
<button type="submit">${esc(at(L, 'openDispute'))}</button></form>` : '';
    return sendHtml(reply, page(c, at(L, 'disputes'), subNav(req, L, '/admin/disputes') + readOnlyNote(req, L) + out.message + table + form), out.code);
  }

  app.get('/disputes', READ, async (req, reply) => disputesPage(req, reply));

  app.post<{ Body: Q }>('/disputes', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return disputesPage(req, reply, await attempt(async () => {
      const d = await openDispute(reg, req.portal.principal!.actor, { name: b.name ?? '', complainant: b.complainant ?? '', claim: b.claim ?? '', reference: b.reference ?? null });
      return at(req.portal.lang, 'disputeOpened', { id: d.id, name: d.name });
    }));
  });

  app.post<{ Params: { id: string }; Body: Q }>('/disputes/:id/decide', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    const id = Number.parseInt(req.params.id, 10);
    return disputesPage(req, reply, await attempt(async () => {
      if (b.decision === 'transfer') {
        await transferToComplainant(reg, req.portal.principal!.actor, id, b.note ?? '');
        return at(req.portal.lang, 'disputeTransferred', { id });
      }
      if (b.decision !== 'dismiss') throw new RegistryError('required', 'choose the decision: dismiss or transfer', 'R4.6');
      await dismissDispute(reg, req.portal.principal!.actor, id, b.note ?? '');
      return at(req.portal.lang, 'disputeDismissed', { id });
    }));
  });
}
