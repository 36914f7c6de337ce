// whois.az pages, plain server-rendered HTML in Azerbaijani, English and Russian: a lookup that explains the
// status of a domain in plain words (R3.18) and the public list of registrars (R9.6). No personal data of
// natural persons (R8.8): a registrant is named only when it is a legal entity.
// The rules, the model Registration Agreement and the registration procedure (R3.17) from the English translation
// of Resolution No. 63 (src/web/content). To do: the application form, and the official Azerbaijani text.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from '../core/registry.ts';
import { listRegistrars } from '../core/registrars.ts';
import { ANONYMOUS, loadDomainRecord, resolveDomainName, showsFull } from '../rdap/data.ts';

type Lang = 'az' | 'en' | 'ru';

/** Resolution No. 63 of 25 February 2019, English translation: Appendix 1 (the rules), its Appendix (the model agreement). */
const RESOLUTION = readFileSync(new URL('./content/resolution-63-2019.en.txt', import.meta.url), 'utf8').replace(/\r\n/g, '\n');
function between(text: string, start: RegExp, end: RegExp): string {
  const a = text.search(start);
  if (a < 0) return '';
  const rest = text.slice(a);
  const b = rest.slice(1).search(end);
  return b < 0 ? rest : rest.slice(0, b + 1);
}
const RULES = between(RESOLUTION, /^Appendix 1$/m, /^Appendix$/m);
const AGREEMENT = between(RESOLUTION, /^Appendix$/m, /^Appendix 2$/m);
const PROCEDURE = between(RULES, /^3\. Domain Name Registration$/m, /^4\. /m);
const DOCS = {
  rules: { title: { az: 'Qaydalar', en: 'Rules', ru: 'Правила' }, text: RULES },
  agreement: { title: { az: 'Nümunəvi Qeydiyyat Müqaviləsi', en: 'Model Registration Agreement', ru: 'Типовой договор о регистрации' }, text: AGREEMENT },
  procedure: { title: { az: 'Qeydiyyat qaydası', en: 'Registration procedure', ru: 'Порядок регистрации' }, text: PROCEDURE },
} satisfies Record<string, { title: Record<Lang, string>; text: string }>;
const TRANSLATION_NOTE: Record<Lang, string> = {
  az: 'Nazirlər Kabinetinin 25 fevral 2019-cu il tarixli 63 nömrəli Qərarı. Rəsmi mətn Azərbaycan dilindədir; aşağıda ingilis dilinə tərcüməsi verilir.',
  en: 'Resolution No. 63 of the Cabinet of Ministers, 25 February 2019. The official text is in Azerbaijani; this is an English translation.',
  ru: 'Постановление Кабинета Министров № 63 от 25 февраля 2019 года. Официальный текст на азербайджанском языке; ниже приведён перевод на английский язык.',
};
const LANGS: Lang[] = ['az', 'en', 'ru'];

const T = {
  title: { az: 'Domen axtarışı', en: 'Domain lookup', ru: 'Поиск домена' },
  registrars: { az: 'Registratorlar', en: 'Registrars', ru: 'Регистраторы' },
  search: { az: 'Axtar', en: 'Look up', ru: 'Найти' },
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

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const day = (d: Date) => d.toISOString().slice(0, 10);

function langOf(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, string | undefined>).lang;
  if (q && (LANGS as string[]).includes(q)) return q as Lang;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  for (const part of accept.split(',')) { const l = part.trim().slice(0, 2); if ((LANGS as string[]).includes(l)) return l as Lang; }
  return 'az';
}

function page(reg: Registry, lang: Lang, title: string, body: string, path: string, extraQuery = ''): string {
  const langs = LANGS.map((l) => l === lang ? `<strong>${l}</strong>` : `<a href="${path}?lang=${l}${extraQuery}" hreflang="${l}">${l}</a>`).join(' · ');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}: .${esc(reg.profile.tld)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem">
<nav><a href="/whois/?lang=${lang}">${T.title[lang]}</a> · <a href="/whois/registrars?lang=${lang}">${T.registrars[lang]}</a> ·
${Object.entries(DOCS).map(([k, d]) => `<a href="/whois/${k}?lang=${lang}">${d.title[lang]}</a>`).join(' · ')} · ${langs}</nav>
<h1>${esc(title)}</h1>
${body}
<footer><p><small>${T.privacy[lang]}</small></p></footer>
</body></html>`;
}

export async function whoisSite(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;
  const html = (reply: FastifyReply, s: string, code = 200) => reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(s);

  app.get('/', async (req, reply) => {
    const lang = langOf(req);
    const raw = String((req.query as Record<string, string | undefined>).name ?? '').trim().slice(0, 300);
    let result = '';
    if (raw) {
      const r = await resolveDomainName(reg, raw);
      const rec = r.ok ? await loadDomainRecord(reg, r.ascii) : null;
      if (!rec) {
        result = `<p><strong>${esc(raw)}</strong> ${!r.ok && r.status === 400 ? T.invalid[lang] : T.notFound[lang]}.</p>`;
      } else {
        const d = rec.domain;
        const statuses = d.statuses.includes('inactive') ? d.statuses.filter((s) => s !== 'ok') : d.statuses;
        const owner = rec.contacts.get(d.registrant);
        const ownerText = owner && showsFull(ANONYMOUS, owner, d.registrarId) && owner.kind === 'legal' ? esc(owner.orgName ?? '') : T.privateOwner[lang];
        result = `<h2>${esc(d.unicodeName)}${d.unicodeName !== d.name ? ` <small>(${esc(d.name)})</small>` : ''}</h2>
<dl>
<dt>${T.status[lang]}</dt>${statuses.map((s) => `<dd>${esc(STATUS[s]?.[lang] ?? s)} <small><code>${esc(s)}</code></small></dd>`).join('')}
<dt>${T.registrar[lang]}</dt><dd><a href="/whois/registrars?lang=${lang}#${esc(rec.registrar.id)}">${esc(rec.registrar.name)}</a></dd>
<dt>${T.registrant[lang]}</dt><dd>${ownerText}</dd>
<dt>${T.created[lang]}</dt><dd>${day(d.createdAt)}</dd>
<dt>${T.expires[lang]}</dt><dd>${day(d.expiresAt)}</dd>
<dt>${T.ns[lang]}</dt>${rec.nameservers.length ? rec.nameservers.map((h) => `<dd><code>${esc(h.name)}</code></dd>`).join('') : '<dd>–</dd>'}
<dt>${T.dnssec[lang]}</dt><dd>${d.ds.length ? T.signed[lang] : T.unsigned[lang]}</dd>
</dl>`;
      }
    }
    const form = `<form method="get" action="/whois/"><input type="hidden" name="lang" value="${lang}">
<input name="name" value="${esc(raw)}" placeholder="${T.placeholder[lang]}" size="30" autofocus> <button>${T.search[lang]}</button></form>`;
    return html(reply, page(reg, lang, T.title[lang], form + result, '/whois/', raw ? `&name=${encodeURIComponent(raw)}` : ''));
  });

  for (const [key, doc] of Object.entries(DOCS)) {
    app.get(`/${key}`, async (req, reply) => {
      const lang = langOf(req);
      const paras = doc.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
        .map((p) => (/^(\d+\.)+\s*$/.test(p) ? '' : `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)).join('\n');
      return html(reply, page(reg, lang, doc.title[lang], `<p><em>${TRANSLATION_NOTE[lang]}</em></p>\n<div lang="en">${paras}</div>`, `/whois/${key}`));
    });
  }

  app.get('/registrars', async (req, reply) => {
    const lang = langOf(req);
    const rows = (await listRegistrars(reg)).filter((r) => r.status !== 'terminated');
    const body = `<table style="border-collapse:collapse" cellpadding="6">
<thead><tr><th align="left">${T.name[lang]}</th><th align="left">${T.legalForm[lang]}</th><th align="left">${T.address[lang]}</th><th align="left">${T.contacts[lang]}</th></tr></thead>
<tbody>${rows.map((r) => `<tr id="${esc(r.id)}"><td>${r.url ? `<a href="${esc(r.url)}" rel="nofollow">${esc(r.name)}</a>` : esc(r.name)}</td><td>${esc(r.legalForm ?? '')}</td>
<td>${esc(r.address ?? '')}</td><td>${esc(r.phone ?? '')}<br><a href="mailto:${esc(r.email)}">${esc(r.email)}</a></td></tr>`).join('\n')}</tbody></table>`;
    return html(reply, page(reg, lang, T.registrars[lang], body, '/whois/registrars'));
  });
}
