// Shared by the registrar portal's page modules: the section navigation, a form's outcome shown on the page it
// came from (a registry refusal with its clause and status code), and small parsers of query filters.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { REGISTRAR_ROLES } from '../auth/principal.ts';
import { esc, notice, page, type PageContext } from './layout.ts';
import { pageContext, sendHtml } from './render.ts';
import { rt, type RKey } from './registrar-i18n.ts';

export const config = { roles: REGISTRAR_ROLES };
export const adminOnly = { roles: ['registrar_admin' as const] };
export type Q = Record<string, string | undefined>;
export const PAGE_SIZE = 50;

const SECTIONS: [string, RKey, boolean][] = [
  ['/registrar', 'navDomains', false], ['/registrar/contacts', 'navContacts', false], ['/registrar/hosts', 'navHosts', false],
  ['/registrar/applications', 'navApplications', false], ['/registrar/billing', 'navBilling', false], ['/registrar/invoices', 'navInvoices', false],
  ['/registrar/poll', 'navPoll', false], ['/registrar/epp', 'navEpp', false], ['/registrar/users', 'navUsers', true],
];

/** The registrar portal's sections; the current one is marked for assistive technology. */
export function subnav(c: PageContext): string {
  const admin = c.user?.role === 'registrar_admin';
  const here = (href: string) => c.path === href || (href !== '/registrar' && c.path.startsWith(`${href}/`)) || (href === '/registrar' && c.path.startsWith('/registrar/domains'));
  const items = SECTIONS.filter(([, , a]) => admin || !a)
    .map(([href, key]) => `<li><a href="${href}"${here(href) ? ' aria-current="page"' : ''}>${rt(c.lang, key)}</a></li>`).join('');
  return `<nav class="sub" aria-label="${rt(c.lang, 'navLabel')}"><ul>${items}</ul></nav>`;
}

/** A registrar page: the portal frame with the section navigation above the body. */
export function registrarPage(c: PageContext, title: string, body: string): string {
  return page(c, title, subnav(c) + body);
}

export function ctx(req: FastifyRequest, reg: Registry, path: string, query?: Record<string, string>): PageContext {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString() : '';
  return pageContext(req, reg, path, q || undefined);
}

export const refusal = (e: { message: string; clause: string }): string => notice('error', `${e.message} (${e.clause})`);

/**
 * Runs a form's operation, then shows `render` with the outcome: the success text, or the registry's refusal with
 * its HTTP status (so a script or a test sees the failure without reading the page). Other errors propagate.
 */
export async function outcome(reply: FastifyReply, op: () => Promise<string>,
  render: (message: string, code: number) => Promise<string>): Promise<FastifyReply> {
  let message: string;
  let code = 200;
  try {
    message = notice('ok', await op());
  } catch (e) {
    if (!isRegistryError(e)) throw e;
    message = refusal(e);
    code = e.httpStatus;
  }
  return sendHtml(reply, await render(message, code), code);
}

export function pager(c: PageContext, base: string, keep: string, offset: number, total: number): string {
  const sep = keep ? `${keep}&` : '';
  return [
    offset > 0 ? `<a href="${base}?${esc(sep)}offset=${Math.max(0, offset - PAGE_SIZE)}" rel="prev">${rt(c.lang, 'prev')}</a>` : '',
    offset + PAGE_SIZE < total ? `<a href="${base}?${esc(sep)}offset=${offset + PAGE_SIZE}" rel="next">${rt(c.lang, 'next')}</a>` : '',
  ].filter(Boolean).join(' · ');
}

export const offsetOf = (q: Q): number => Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0);
export const oneOf = <T extends string>(v: string | undefined, allowed: readonly T[]): T | '' => ((allowed as readonly string[]).includes(v ?? '') ? v as T : '');
export const lines = (v: string | undefined): string[] => String(v ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

/** <select> with a label, options as [value, text]. */
export function select(id: string, name: string, label: string, options: [string, string][], selected: string, extra = ''): string {
  return `<label for="${id}">${esc(label)}</label><select id="${id}" name="${name}"${extra}>${options
    .map(([v, text]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(text)}</option>`).join('')}</select>`;
}

export function input(id: string, name: string, label: string, value: string | null | undefined, attrs = ''): string {
  return `<label for="${id}">${esc(label)}</label><input id="${id}" name="${name}" value="${esc(value ?? '')}"${attrs ? ` ${attrs}` : ''}>`;
}
