// What the console's pages share: who reads and who writes, the console's section navigation, and running an
// action so that the page shows either its result or the registry's refusal with its clause.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRegistryError } from '../../core/errors.ts';
import { hasRole, NA_ROLES, type PortalRole } from '../auth/principal.ts';
import { at, type AdminKey } from './admin-i18n.ts';
import { t, type Lang } from './i18n.ts';
import { esc, notice } from './layout.ts';

/** The console: NA staff read and write; the ministry reads (R4.9, R4.10 concern it). */
export const READ: { config: { roles: PortalRole[] } } = { config: { roles: [...NA_ROLES, 'ministry'] } };
export const WRITE: { config: { roles: PortalRole[] } } = { config: { roles: NA_ROLES } };
export type Q = Record<string, string | undefined>;

export const canWrite = (req: FastifyRequest): boolean => hasRole(req.portal.principal!, NA_ROLES);

const SECTIONS: [string, (L: Lang) => string, boolean][] = [
  ['/admin', (L) => t(L, 'queue'), false],
  ['/admin/lists', (L) => at(L, 'lists'), false],
  ['/admin/zones', (L) => at(L, 'zones'), false],
  ['/admin/registrars', (L) => at(L, 'registrarsAdmin'), false],
  ['/admin/accreditation', (L) => at(L, 'accreditation'), false],
  ['/admin/disputes', (L) => at(L, 'disputes'), false],
  ['/admin/abuse', (L) => at(L, 'abuse'), false],
  ['/admin/domains', (L) => t(L, 'suspensions'), true],
  ['/admin/audit', (L) => at(L, 'audit'), true],
  ['/admin/statistics', (L) => at(L, 'statistics'), false],
];

/** The console's sections; the current one is marked for screen readers (aria-current). */
export function subNav(req: FastifyRequest, L: Lang, current: string): string {
  const writer = canWrite(req);
  return `<nav class="sub" aria-label="${esc(at(L, 'consoleNav'))}"><ul>${SECTIONS.filter(([, , w]) => writer || !w)
    .map(([href, label]) => `<li><a href="${href}"${href === current ? ' aria-current="page"' : ''}>${esc(label(L))}</a></li>`).join('')}</ul></nav>`;
}

export interface Outcome { message: string; code: number }

/** Runs a write; a RegistryError becomes the page's error notice (with its clause) and HTTP status. */
export async function attempt(fn: () => Promise<string>): Promise<Outcome> {
  try {
    return { message: notice('ok', await fn()), code: 200 };
  } catch (e) {
    if (!isRegistryError(e)) throw e;
    const reasons = e.reasons.filter((r) => r.ground).map((r) => r.ground).join(', ');
    return { message: notice('error', `${e.message} (${e.clause}${reasons && !e.clause.includes(reasons) ? `; ${reasons}` : ''})`), code: e.httpStatus };
  }
}

/** The option list of a <select>, with `selected` marked. */
export const options = (pairs: [string, string][], selected = ''): string =>
  pairs.map(([v, label]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label)}</option>`).join('');

export const readOnlyNote = (req: FastifyRequest, L: Lang): string => (canWrite(req) ? '' : `<p class="notice">${esc(at(L, 'readOnly'))}</p>`);

export type { AdminKey };
export type Reply = FastifyReply;
