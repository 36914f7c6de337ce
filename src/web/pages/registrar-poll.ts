// The registrar's poll messages (RFC 5730 §2.9.2.3) in the browser: the waiting messages oldest first, each with
// a button that acknowledges (dequeues) it, as <poll op="ack"> would.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pollAck } from '../../core/poll.ts';
import { listPollMessages } from '../../core/registrar-queries.ts';
import type { Registry } from '../../core/registry.ts';
import { csrfField, esc, stamp } from './layout.ts';
import { config, ctx, outcome, registrarPage } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';
import { sendHtml } from './render.ts';

export async function registrarPollPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function render(req: FastifyRequest, message = ''): Promise<string> {
    const p = req.portal.principal!;
    const { count, items } = await listPollMessages(reg, p.actor, p.registrarId!, { limit: 100 });
    const c = ctx(req, reg, '/registrar/poll');
    const L = c.lang;
    const list = items.length ? `<p id="poll-count">${rt(L, 'pollCount', { n: count })}</p><ol class="messages">${items.map((m) => `<li id="message-${m.id}">
<p><strong>${esc(m.kind)}</strong> · ${stamp(m.at)} · #${m.id}</p><p>${esc(m.message)}</p>
<form method="post" action="/registrar/poll/${m.id}/ack">${csrfField(c)}<button type="submit" aria-label="${rt(L, 'ack')} #${m.id}">${rt(L, 'ack')}</button></form></li>`).join('\n')}</ol>`
      : `<p id="poll-count">${rt(L, 'pollEmpty')}</p>`;
    return registrarPage(c, rt(L, 'navPoll'), message + list);
  }

  app.get('/poll', { config }, async (req, reply) => sendHtml(reply, await render(req)));

  app.post<{ Params: { id: string } }>('/poll/:id/ack', { config }, async (req, reply) => outcome(reply, async () => {
    const p = req.portal.principal!;
    const left = await pollAck(reg, p.actor, p.registrarId!, Number.parseInt(req.params.id, 10) || 0);
    return rt(req.portal.lang, 'acked', { id: req.params.id, n: left });
  }, (m) => render(req, m)));
}
