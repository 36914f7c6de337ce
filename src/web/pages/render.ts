// Rendering helpers shared by the portal's pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from '../../core/registry.ts';
import type { PageContext } from './layout.ts';

export function pageContext(req: FastifyRequest, reg: Registry, path: string, query?: string): PageContext {
  const s = req.portal.session;
  return { lang: req.portal.lang, user: s?.user ?? null, csrf: s?.csrfToken ?? null, path, tld: reg.profile.tld, ...(query ? { query } : {}) };
}

export function sendHtml(reply: FastifyReply, html: string, code = 200): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
