// The console's editors of the name policy: the Stop-list (R4.3, R4.4), the reserved names (R4.9), the consent
// lists (R4.2, R4.8), the grandfathered names (R4.13), and the zones (R2.2, R4.11, R3.2). An edit takes effect at
// once on every node (the policy version is bumped): a name with a new Stop-list word is refused (R5.1.5).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addListEntry, LIST_NAMES, parseListName, removeListEntry, showList } from '../../core/policy-lists.ts';
import type { Registry } from '../../core/registry.ts';
import { addZone, listZones, setZone } from '../../core/zones.ts';
import type { ListName, MatchMode } from '../../policy/types.ts';
import { at, type AdminKey } from './admin-i18n.ts';
import { attempt, canWrite, options, READ, readOnlyNote, subNav, WRITE, type Outcome, type Q } from './admin-common.ts';
import { t } from './i18n.ts';
import { csrfField, esc, page } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';

export const LIST_TITLE: Record<ListName, AdminKey> = {
  stop: 'listStop', reserved: 'listReserved', geographic: 'listGeographic', person: 'listPerson', organisation: 'listOrganisation', grandfathered: 'listGrandfathered',
};

export async function adminListPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function listsPage(req: FastifyRequest, reply: FastifyReply, listText: string, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const list: ListName = (LIST_NAMES as string[]).includes(listText) ? listText as ListName : 'stop';
    const c = pageContext(req, reg, '/admin/lists', `list=${list}`);
    const L = c.lang;
    const entries = await showList(reg, list);
    const w = canWrite(req);
    const tabs = `<ul class="legend">${LIST_NAMES.map((l) => `<li><a href="/admin/lists?list=${l}"${l === list ? ' aria-current="page"' : ''}>${esc(at(L, LIST_TITLE[l]))}</a></li>`).join('')}</ul>`;
    const rows = entries.map((e, i) => `<tr><td lang="az">${esc(e.word)}</td><td>${esc(at(L, e.match === 'substring' ? 'matchSubstring' : e.match === 'word' ? 'matchWord' : 'matchExact'))}</td><td>${esc(e.note)}</td>
${w ? `<td><form method="post" action="/admin/lists/remove" class="inline">${csrfField(c)}<input type="hidden" name="list" value="${list}"><input type="hidden" name="word" value="${esc(e.word)}">
<button type="submit" class="danger" id="remove-${i}" aria-label="${esc(`${at(L, 'remove')} ${e.word}`)}">${esc(at(L, 'remove'))}</button></form></td>` : ''}</tr>`).join('\n');
    const table = entries.length
      ? `<div class="table"><table><caption>${esc(at(L, 'entries', { n: entries.length }))}</caption><thead><tr><th scope="col">${esc(at(L, 'word'))}</th><th scope="col">${esc(at(L, 'match'))}</th><th scope="col">${esc(t(L, 'note'))}</th>${w ? `<th scope="col">${esc(at(L, 'actions'))}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
      : `<p>${esc(t(L, 'none'))}</p>`;
    const form = w ? `<h2>${esc(at(L, 'addWord'))}</h2><form method="post" action="/admin/lists/add" class="decide">${csrfField(c)}<input type="hidden" name="list" value="${list}">
<label for="word">${esc(at(L, 'word'))}</label><input id="word" name="word" required maxlength="253" lang="az">
<label for="match">${esc(at(L, 'match'))}</label><select id="match" name="match">${options([['exact', at(L, 'matchExact')], ['word', at(L, 'matchWord')], ['substring', at(L, 'matchSubstring')]])}</select>
<label for="lnote">${esc(t(L, 'note'))}</label><input id="lnote" name="note" maxlength="500">
<button type="submit">${esc(at(L, 'addWord'))}</button></form>` : '';
    const hint = list === 'stop' ? `<p>${esc(at(L, 'stopJourneyHint'))}</p>` : '';
    return sendHtml(reply, page(c, at(L, LIST_TITLE[list]), subNav(req, L, '/admin/lists') + readOnlyNote(req, L) + out.message + tabs + hint + form + table), out.code);
  }

  app.get('/lists', READ, async (req, reply) => listsPage(req, reply, (req.query as Q).list ?? 'stop'));

  app.post<{ Body: Q }>('/lists/add', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    const out = await attempt(async () => {
      const list = parseListName(b.list ?? '');
      const e = await addListEntry(reg, req.portal.principal!.actor, list, b.word ?? '', (b.match ?? 'exact') as MatchMode, b.note?.trim() || null);
      return at(req.portal.lang, 'wordAdded', { w: e.word, l: list });
    });
    return listsPage(req, reply, b.list ?? 'stop', out);
  });

  app.post<{ Body: Q }>('/lists/remove', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    const out = await attempt(async () => {
      const list = parseListName(b.list ?? '');
      await removeListEntry(reg, req.portal.principal!.actor, list, b.word ?? '');
      return at(req.portal.lang, 'wordRemoved', { w: b.word ?? '', l: list });
    });
    return listsPage(req, reply, b.list ?? 'stop', out);
  });

  async function zonesPage(req: FastifyRequest, reply: FastifyReply, out: Outcome = { message: '', code: 200 }): Promise<FastifyReply> {
    const c = pageContext(req, reg, '/admin/zones');
    const L = c.lang;
    const w = canWrite(req);
    const zones = await listZones(reg);
    const button = (zone: string, field: 'restricted' | 'active', value: boolean, label: string) =>
      `<form method="post" action="/admin/zones/set" class="inline">${csrfField(c)}<input type="hidden" name="zone" value="${esc(zone)}"><input type="hidden" name="${field}" value="${value}">
<button type="submit" aria-label="${esc(`${label}: ${zone}`)}">${esc(label)}</button></form>`;
    const rows = zones.map((z) => `<tr id="zone-${esc(z.name)}"><th scope="row">${esc(z.name)}</th><td>${esc(at(L, z.restricted ? 'restrictedShort' : 'open'))}</td><td>${esc(at(L, z.active ? 'yes' : 'no'))}</td><td>${z.domains}</td>
${w ? `<td>${button(z.name, 'restricted', !z.restricted, at(L, z.restricted ? 'unrestrict' : 'restrict'))} ${z.parent ? button(z.name, 'active', !z.active, at(L, z.active ? 'withdraw' : 'reinstateZone')) : ''}</td>` : ''}</tr>`).join('\n');
    const table = `<div class="table"><table><thead><tr><th scope="col">${esc(at(L, 'zone'))}</th><th scope="col">${esc(t(L, 'status'))}</th><th scope="col">${esc(at(L, 'inUse'))}</th><th scope="col">${esc(at(L, 'domainsCount'))}</th>${w ? `<th scope="col">${esc(at(L, 'actions'))}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`;
    const form = w ? `<h2>${esc(at(L, 'addZone'))}</h2><form method="post" action="/admin/zones" class="decide">${csrfField(c)}
<label for="zlabel">${esc(at(L, 'zoneLabel'))}</label><input id="zlabel" name="label" required maxlength="63">
<div><input type="checkbox" id="zrestricted" name="restricted" value="true"> <label for="zrestricted" class="inline">${esc(at(L, 'restricted'))}</label></div>
<button type="submit">${esc(at(L, 'addZone'))}</button></form>` : '';
    return sendHtml(reply, page(c, at(L, 'zones'), subNav(req, L, '/admin/zones') + readOnlyNote(req, L) + out.message + table + form), out.code);
  }

  app.get('/zones', READ, async (req, reply) => zonesPage(req, reply));

  app.post<{ Body: Q }>('/zones', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return zonesPage(req, reply, await attempt(async () => {
      const z = await addZone(reg, req.portal.principal!.actor, b.label ?? '', b.restricted === 'true');
      return at(req.portal.lang, 'zoneAdded', { z: z.name });
    }));
  });

  app.post<{ Body: Q }>('/zones/set', WRITE, async (req, reply) => {
    const b = req.body ?? {};
    return zonesPage(req, reply, await attempt(async () => {
      const z = await setZone(reg, req.portal.principal!.actor, b.zone ?? '', {
        ...(b.restricted !== undefined ? { restricted: b.restricted === 'true' } : {}), ...(b.active !== undefined ? { active: b.active === 'true' } : {}),
      });
      return at(req.portal.lang, 'zoneChanged', { z: z.name });
    }));
  });
}
