// The public site (whois.az) inside the portals' frame (src/web/pages/layout.ts: one navigation, one stylesheet,
// the language switch and "sign in"): the home page, a lookup that explains the status of a domain in plain words
// (R3.18), the public list of registrars (R9.6), the rules, the model Registration Agreement and the registration
// procedure (R3.17, from the English translation of Resolution No. 63 in src/web/content), and the public
// statistics (src/web/pages/admin-stats.ts). No personal data of natural persons (R8.8): a registrant is named only
// when it is a legal entity. Plain HTML forms with GET: the pages that show data work without JavaScript.
// To do: the application form, and the official Azerbaijani text of the rules.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { listRegistrars } from '../core/registrars.ts';
import { registryStatistics, type Statistics } from '../core/statistics.ts';
import { ANONYMOUS, loadDomainRecord, resolveDomainName, visibleFields } from '../rdap/data.ts';
import type { Lang } from './pages/i18n.ts';
import { day, esc, page } from './pages/layout.ts';
import { pageContext } from './pages/render.ts';
import { statisticsBody } from './pages/admin-stats.ts';
import { between, MODEL_AGREEMENT, RULES } from './content/resolution.ts';

const PROCEDURE = between(RULES, /^3\. Domain Name Registration$/m, /^4\. /m);
const DOCS = {
  rules: { title: { az: 'Qaydalar', en: 'Rules', ru: 'Правила' }, text: RULES },
  agreement: { title: { az: 'Nümunəvi Qeydiyyat Müqaviləsi', en: 'Model Registration Agreement', ru: 'Типовой договор о регистрации' }, text: MODEL_AGREEMENT },
  procedure: { title: { az: 'Qeydiyyat qaydası', en: 'Registration procedure', ru: 'Порядок регистрации' }, text: PROCEDURE },
} satisfies Record<string, { title: Record<Lang, string>; text: string }>;
const TRANSLATION_NOTE: Record<Lang, string> = {
  az: 'Nazirlər Kabinetinin 25 fevral 2019-cu il tarixli 63 nömrəli Qərarı. Rəsmi mətn Azərbaycan dilindədir; aşağıda ingilis dilinə tərcüməsi verilir.',
  en: 'Resolution No. 63 of the Cabinet of Ministers, 25 February 2019. The official text is in Azerbaijani; this is an English translation.',
  ru: 'Постановление Кабинета Министров № 63 от 25 февраля 2019 года. Официальный текст на азербайджанском языке; ниже приведён перевод на английский язык.',
};

const T = {
  title: { az: 'Domen axtarışı', en: 'Domain lookup', ru: 'Поиск домена' },
  registrars: { az: 'Registratorlar', en: 'Registrars', ru: 'Регистраторы' },
  search: { az: 'Axtar', en: 'Look up', ru: 'Найти' },
  nameLabel: { az: 'Domen adı', en: 'Domain name', ru: 'Доменное имя' },
  home: { az: '.{tld} domen reyestri', en: 'The .{tld} domain registry', ru: 'Реестр доменов .{tld}' },
  intro: {
    az: '.{tld} adının vəziyyətini yoxlayın, registrator seçin və qaydalarla tanış olun.',
    en: 'Look up a .{tld} name, choose a registrar, and read the rules.',
    ru: 'Проверьте имя в .{tld}, выберите регистратора и прочитайте правила.',
  },
  registrarsWhy: {
    az: 'Domen adını akkreditə olunmuş registrator vasitəsilə qeydiyyatdan keçirin (R1.4, R9.6).',
    en: 'Names are registered through an accredited registrar of your choice (R1.4, R9.6).',
    ru: 'Имена регистрируются через аккредитованного регистратора по вашему выбору (R1.4, R9.6).',
  },
  statistics: { az: 'Statistika', en: 'Statistics', ru: 'Статистика' },
  counts: { az: '{d} domen, {r} registrator, {db} üzərində.', en: '{d} domains, {r} registrars, on {db}.', ru: 'Доменов: {d}, регистраторов: {r}; база: {db}.' },
  embedded: { az: 'daxili verilənlər bazası', en: 'the embedded database', ru: 'встроенная база данных' },
  signIn: { az: 'Daxil ol', en: 'Sign in', ru: 'Войти' },
  signInWhy: {
    az: 'registratorlar və Milli Administrator portala daxil olur.', en: 'registrars and the National Administrator use the portal.',
    ru: 'регистраторы и Национальный администратор работают в портале.',
  },
  placeholder: { az: 'məsələn kitab.az', en: 'e.g. kitab.az', ru: 'например kitab.az' },
  notFound: { az: 'qeydiyyatda deyil', en: 'is not registered', ru: 'не зарегистрирован' },
  invalid: { az: 'düzgün domen adı deyil', en: 'is not a valid domain name', ru: 'не является допустимым доменным именем' },
  status: { az: 'Vəziyyət', en: 'Status', ru: 'Статус' },
  registrar: { az: 'Registrator', en: 'Registrar', ru: 'Регистратор' },
  registrant: { az: 'Domen sahibi', en: 'Registrant', ru: 'Владелец' },
  privateOwner: { az: 'fiziki şəxs (məlumatlar açıqlanmır)', en: 'a natural person (not published)', ru: 'физическое лицо (данные не публикуются)' },
  created: { az: 'Qeydiyyat tarixi', en: 'Registered', ru: 'Дата регистрации' },
  expires: { az: 'Bitmə tarixi', en: 'Expires', ru: 'Действует до' },
  ns: { az: 'Ad serverləri', en: 'Name servers', ru: 'Серверы имён' },
  dnssec: { az: 'DNSSEC', en: 'DNSSEC', ru: 'DNSSEC' },
  signed: { az: 'imzalanıb', en: 'signed', ru: 'подписан' },
  unsigned: { az: 'imzalanmayıb', en: 'not signed', ru: 'не подписан' },
  name: { az: 'Ad', en: 'Name', ru: 'Название' },
  legalForm: { az: 'Hüquqi forma', en: 'Legal form', ru: 'Правовая форма' },
  address: { az: 'Ünvan', en: 'Address', ru: 'Адрес' },
  contacts: { az: 'Əlaqə', en: 'Contacts', ru: 'Контакты' },
  privacy: {
    az: 'Fiziki şəxslərin şəxsi məlumatları dərc edilmir ("Şəxsi məlumatlar haqqında" Qanun).',
    en: 'The personal data of natural persons is not published (Law "On Personal Data").',
    ru: 'Персональные данные физических лиц не публикуются (Закон «О персональных данных»).',
  },
} satisfies Record<string, Record<Lang, string>>;

/** R3.18: what each status means, in plain words. */
const STATUS: Record<string, Record<Lang, string>> = {
  ok: { az: 'Qeydiyyatdadır və işləyir.', en: 'Registered and in use.', ru: 'Зарегистрирован и работает.' },
  inactive: { az: 'Qeydiyyatdadır, lakin ad serverləri yoxdur: internetdə açılmır.', en: 'Registered, but without name servers: it does not resolve.', ru: 'Зарегистрирован, но без серверов имён: не работает в DNS.' },
  serverHold: { az: 'Reyestr tərəfindən dayandırılıb: DNS-dən çıxarılıb (R7.4, R6.2).', en: 'Suspended by the registry: withdrawn from the DNS (R7.4, R6.2).', ru: 'Приостановлен реестром: исключён из DNS (R7.4, R6.2).' },
  clientHold: { az: 'Registrator tərəfindən dayandırılıb: DNS-dən çıxarılıb.', en: 'Suspended by the registrar: withdrawn from the DNS.', ru: 'Приостановлен регистратором: исключён из DNS.' },
  pendingTransfer: { az: 'Başqa registratora keçir.', en: 'Moving to another registrar.', ru: 'Переходит к другому регистратору.' },
  pendingDelete: { az: 'Silinir.', en: 'Being deleted.', ru: 'Удаляется.' },
  clientTransferProhibited: { az: 'Registrator köçürməni bağlayıb.', en: 'The registrar has locked it against transfer.', ru: 'Регистратор запретил перенос.' },
  clientUpdateProhibited: { az: 'Registrator dəyişiklikləri bağlayıb.', en: 'The registrar has locked it against changes.', ru: 'Регистратор запретил изменения.' },
  clientDeleteProhibited: { az: 'Registrator silinməni bağlayıb.', en: 'The registrar has locked it against deletion.', ru: 'Регистратор запретил удаление.' },
  clientRenewProhibited: { az: 'Registrator uzadılmanı bağlayıb.', en: 'The registrar has locked it against renewal.', ru: 'Регистратор запретил продление.' },
  serverTransferProhibited: { az: 'Reyestr köçürməni bağlayıb.', en: 'The registry has locked it against transfer.', ru: 'Реестр запретил перенос.' },
  serverUpdateProhibited: { az: 'Reyestr dəyişiklikləri bağlayıb.', en: 'The registry has locked it against changes.', ru: 'Реестр запретил изменения.' },
  serverDeleteProhibited: { az: 'Reyestr silinməni bağlayıb.', en: 'The registry has locked it against deletion.', ru: 'Реестр запретил удаление.' },
  serverRenewProhibited: { az: 'Reyestr uzadılmanı bağlayıb.', en: 'The registry has locked it against renewal.', ru: 'Реестр запретил продление.' },
};


const PUBLIC = { config: { roles: 'public' as const } };

/**
 * Anonymous answers may be cached by anyone for a minute; a signed-in visitor's page carries its name and
 * CSRF token in the header, so it is private and not stored.
 */
function html(req: FastifyRequest, reply: FastifyReply, s: string, code = 200): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').header('vary', 'Cookie, Accept-Language')
    .header('cache-control', req.portal.session ? 'private, no-store' : 'public, max-age=60').send(s);
}

const footer = (lang: Lang) => `<footer><p><small>${T.privacy[lang]}</small></p></footer>`;

/** The public site, mounted by the portal plugin at the root; `reg` is the registry it reads (a replica if configured). */
export async function publicSite(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  const lookupForm = (lang: Lang, raw: string) => `<form method="get" action="/whois/" role="search" class="filters">
<div><label for="name">${T.nameLabel[lang]}</label><input id="name" name="name" value="${esc(raw)}" placeholder="${T.placeholder[lang]}" size="30" maxlength="300" autocomplete="off" spellcheck="false"></div>
<div><button type="submit">${T.search[lang]}</button></div></form>`;

  app.get('/', PUBLIC, async (req, reply) => {
    const c = pageContext(req, reg, '/');
    const lang = c.lang;
    const [domains, registrars] = await Promise.all([
      reg.db.selectFrom('domains').select(sql<number>`count(*)::int`.as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
      reg.db.selectFrom('registrars').select(sql<number>`count(*)::int`.as('n')).where('status', '!=', 'terminated').executeTakeFirstOrThrow(),
    ]);
    const counts = T.counts[lang].replace('{d}', String(domains.n)).replace('{r}', String(registrars.n))
      .replace('{db}', reg.database.kind === 'pglite' ? T.embedded[lang] : 'PostgreSQL');
    const body = `<p>${T.intro[lang].replace('{tld}', esc(reg.profile.tld))}</p>${lookupForm(lang, '')}<p id="counts">${counts}</p>
<ul><li><a href="/whois/registrars">${T.registrars[lang]}</a>: ${T.registrarsWhy[lang]}</li>
<li><a href="/whois/procedure">${DOCS.procedure.title[lang]}</a>, <a href="/whois/rules">${DOCS.rules.title[lang]}</a>, <a href="/whois/agreement">${DOCS.agreement.title[lang]}</a></li>
<li><a href="/statistics">${T.statistics[lang]}</a></li>
<li>${c.user ? '' : `<a href="/login">${T.signIn[lang]}</a>: `}${T.signInWhy[lang]}</li></ul>${footer(lang)}`;
    return html(req, reply, page(c, T.home[lang].replace('{tld}', esc(reg.profile.tld)), body));
  });

  // The address people type (and the one before the portals): the lookup, with the query kept.
  app.get('/whois', PUBLIC, async (req, reply) => {
    const q = req.url.indexOf('?');
    return reply.code(301).header('location', `/whois/${q >= 0 ? req.url.slice(q) : ''}`).send();
  });

  app.get('/whois/', PUBLIC, async (req, reply) => {
    const raw = String((req.query as Record<string, string | undefined>).name ?? '').trim().slice(0, 300);
    const c = pageContext(req, reg, '/whois/', raw ? `name=${encodeURIComponent(raw)}` : undefined);
    const lang = c.lang;
    let result = '';
    if (raw) {
      const r = await resolveDomainName(reg, raw);
      const rec = r.ok ? await loadDomainRecord(reg, r.ascii) : null;
      if (!rec) {
        // Still 200: the page the visitor asked for, with the answer in it.
        result = `<p id="result" role="status"><strong>${esc(raw)}</strong> ${!r.ok && r.status === 400 ? T.invalid[lang] : T.notFound[lang]}.</p>`;
      } else {
        const d = rec.domain;
        const statuses = d.statuses.includes('inactive') ? d.statuses.filter((s) => s !== 'ok') : d.statuses;
        const owner = rec.contacts.get(d.registrant);
        // A legal entity by its name; a natural person only when the person chose to publish the name (disclose).
        const shown = owner ? visibleFields(ANONYMOUS, owner, d.registrarId) : null;
        const ownerText = !owner || !shown ? T.privateOwner[lang]
          : owner.kind === 'legal' ? esc(owner.orgName ?? '')
          : shown !== 'all' && shown.has('name') ? esc([owner.givenName, owner.patronymic, owner.familyName].filter(Boolean).join(' ')) : T.privateOwner[lang];
        result = `<section id="result" aria-labelledby="result-name"><h2 id="result-name">${esc(d.unicodeName)}${d.unicodeName !== d.name ? ` <small>(${esc(d.name)})</small>` : ''}</h2>
<dl>
<dt>${T.status[lang]}</dt>${statuses.map((s) => `<dd>${esc(STATUS[s]?.[lang] ?? s)} <small><code>${esc(s)}</code></small></dd>`).join('')}
<dt>${T.registrar[lang]}</dt><dd><a href="/whois/registrars#${esc(rec.registrar.id)}">${esc(rec.registrar.name)}</a></dd>
<dt>${T.registrant[lang]}</dt><dd>${ownerText}</dd>
<dt>${T.created[lang]}</dt><dd>${day(d.createdAt)}</dd>
<dt>${T.expires[lang]}</dt><dd>${day(d.expiresAt)}</dd>
<dt>${T.ns[lang]}</dt>${rec.nameservers.length ? rec.nameservers.map((h) => `<dd><code>${esc(h.name)}</code></dd>`).join('') : '<dd>–</dd>'}
<dt>${T.dnssec[lang]}</dt><dd>${d.ds.length ? T.signed[lang] : T.unsigned[lang]}</dd>
</dl></section>`;
      }
    }
    return html(req, reply, page(c, T.title[lang], lookupForm(lang, raw) + result + footer(lang)));
  });

  for (const [key, doc] of Object.entries(DOCS)) {
    app.get(`/whois/${key}`, PUBLIC, async (req, reply) => {
      const c = pageContext(req, reg, `/whois/${key}`);
      const lang = c.lang;
      const paras = doc.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
        .map((p) => (/^(\d+\.)+\s*$/.test(p) ? '' : `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)).join('\n');
      return html(req, reply, page(c, doc.title[lang], `<p><em>${TRANSLATION_NOTE[lang]}</em></p>\n<div lang="en">${paras}</div>${footer(lang)}`));
    });
  }

  app.get('/whois/registrars', PUBLIC, async (req, reply) => {
    const c = pageContext(req, reg, '/whois/registrars');
    const lang = c.lang;
    const rows = (await listRegistrars(reg)).filter((r) => r.status !== 'terminated');
    const body = `<div class="table"><table><caption>${T.registrarsWhy[lang]}</caption>
<thead><tr><th scope="col">${T.name[lang]}</th><th scope="col">${T.legalForm[lang]}</th><th scope="col">${T.address[lang]}</th><th scope="col">${T.contacts[lang]}</th></tr></thead>
<tbody>${rows.map((r) => `<tr id="${esc(r.id)}"><td>${r.url ? `<a href="${esc(r.url)}" rel="nofollow">${esc(r.name)}</a>` : esc(r.name)}</td><td>${esc(r.legalForm ?? '')}</td>
<td>${esc(r.address ?? '')}</td><td>${esc(r.phone ?? '')}<br><a href="mailto:${esc(r.email)}">${esc(r.email)}</a></td></tr>`).join('\n')}</tbody></table></div>${footer(lang)}`;
    return html(req, reply, page(c, T.registrars[lang], body));
  });

  // The public page's figures are computed at most once a minute per period (they scan the registry; anyone can ask),
  // and one computation serves the requests that arrive while it runs. The console computes them live.
  const statsCache = new Map<number, { at: number; value: Promise<Statistics> }>();
  const publicStatistics = (months: number): Promise<Statistics> => {
    const hit = statsCache.get(months);
    if (hit && Date.now() - hit.at < 60_000) return hit.value;
    const value = registryStatistics(reg, { months });
    statsCache.set(months, { at: Date.now(), value });
    value.catch(() => statsCache.delete(months));
    return value;
  };

  app.get('/statistics', PUBLIC, async (req, reply) => {
    const months = Math.min(Math.max(Number.parseInt((req.query as Record<string, string | undefined>).months ?? '12', 10) || 12, 1), 60);
    const c = pageContext(req, reg, '/statistics', months !== 12 ? `months=${months}` : undefined);
    const s = await publicStatistics(months);
    return html(req, reply, page(c, T.statistics[c.lang], statisticsBody(c.lang, s) + footer(c.lang)));
  });
}
