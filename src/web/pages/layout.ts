// The portals' page frame: the navigation of the whois.az pages (src/web/whois-site.ts) plus the portal's own,
// the language switch, and a sign-out form carrying the CSRF token. Styles come from /portal/static/portal.css:
// the CSP allows no inline styles or scripts.
import type { SessionUser } from '../auth/sessions.ts';
import { LANGS, t, type Lang } from './i18n.ts';
import { ta } from '../account/messages.ts';

export const esc = (s: string | number | null | undefined): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const day = (d: Date | null | undefined): string => (d ? d.toISOString().slice(0, 10) : '–');
export const stamp = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export interface PageContext { lang: Lang; user: SessionUser | null; csrf: string | null; path: string; query?: string; tld: string }

/** A hidden CSRF field for a form of a signed-in page. */
export const csrfField = (c: PageContext): string => (c.csrf ? `<input type="hidden" name="_csrf" value="${esc(c.csrf)}">` : '');

export function notice(kind: 'ok' | 'error', text: string): string {
  return `<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${esc(text)}</p>`;
}

export function page(c: PageContext, title: string, body: string): string {
  const { lang, user } = c;
  const keep = c.query ? `&${c.query}` : '';
  const langs = LANGS.map((l) => l === lang
    ? `<strong aria-current="true">${l}</strong>`
    : `<a href="${esc(c.path)}?lang=${l}${esc(keep)}" hreflang="${l}" lang="${l}">${l}</a>`).join(' · ');
  // The public site (whois.az, src/web/whois-site.ts) first, then the portal of the signed-in role.
  const site = ([['/', 'siteHome'], ['/whois/', 'lookup'], ['/whois/registrars', 'registrars'], ['/whois/rules', 'siteRules'], ['/whois/agreement', 'siteAgreement'],
    ['/whois/procedure', 'siteProcedure'], ['/statistics', 'siteStatistics'], ['/abuse', 'siteAbuse']] as const)
    .map(([href, key]) => `<a href="${href}"${c.path === href ? ' aria-current="page"' : ''}>${t(lang, key)}</a>`);
  const links: string[] = [];
  if (user?.role.startsWith('registrar')) links.push(`<a href="/registrar">${t(lang, 'registrarPortal')}</a>`);
  if (user?.role === 'registrant') links.push(`<a href="/account">${ta(lang, 'account')}</a>`);
  if (user && (user.role === 'na_admin' || user.role === 'na_staff' || user.role === 'ministry')) links.push(`<a href="/admin">${t(lang, 'queue')}</a>`);
  if (user && (user.role === 'na_admin' || user.role === 'na_staff')) links.push(`<a href="/admin/domains">${t(lang, 'suspensions')}</a>`);
  const account = user
    ? `<form method="post" action="/logout" class="inline">${csrfField(c)}<span>${esc(user.name)} (${esc(user.role)})</span> <button type="submit">${t(lang, 'signOut')}</button></form>`
    : `<a href="/login">${t(lang, 'signIn')}</a> · <a href="/account/login">${ta(lang, 'accountNav')}</a>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${c.csrf ? `<meta name="csrf-token" content="${esc(c.csrf)}">` : ''}<title>${esc(title)}: .${esc(c.tld)}</title>
<link rel="stylesheet" href="/portal/static/portal.css"></head>
<body><a class="skip" href="#main">${t(lang, 'skip')}</a>
<header><nav class="site" aria-label="${t(lang, 'siteNav')}">${site.join(' · ')}</nav>${links.length ? `<nav aria-label="${t(lang, 'portal')}">${links.join(' · ')}</nav>` : ''}
<div class="bar"><span aria-label="${t(lang, 'language')}">${langs}</span> ${account}</div></header>
<main id="main"><h1>${esc(title)}</h1>
${body}
</main></body></html>`;
}
