// The portals' message catalogue: every visible string in Azerbaijani (the default, R3.17), English and Russian.
import type { FastifyRequest } from 'fastify';
import { parseCookies } from '../auth/cookies.ts';

export type Lang = 'az' | 'en' | 'ru';
export const LANGS: Lang[] = ['az', 'en', 'ru'];
export const LANG_COOKIE = 'domen_lang';

const M = {
  skip: { az: 'Əsas məzmuna keç', en: 'Skip to main content', ru: 'Перейти к содержанию' },
  portal: { az: 'Portal', en: 'Portal', ru: 'Портал' },
  lookup: { az: 'Domen axtarışı', en: 'Domain lookup', ru: 'Поиск домена' },
  registrars: { az: 'Registratorlar', en: 'Registrars', ru: 'Регистраторы' },
  language: { az: 'Dil', en: 'Language', ru: 'Язык' },
  signIn: { az: 'Daxil ol', en: 'Sign in', ru: 'Войти' },
  signOut: { az: 'Çıxış', en: 'Sign out', ru: 'Выйти' },
  email: { az: 'E-poçt', en: 'E-mail', ru: 'Эл. почта' },
  password: { az: 'Parol', en: 'Password', ru: 'Пароль' },
  badLogin: { az: 'E-poçt və ya parol yanlışdır.', en: 'Wrong e-mail or password.', ru: 'Неверный адрес или пароль.' },
  locked: {
    az: 'Çoxlu uğursuz cəhd: hesab müvəqqəti bağlanıb. {n} dəqiqə sonra yenidən cəhd edin.',
    en: 'Too many failed attempts: the account is locked for now. Try again in {n} minutes.',
    ru: 'Слишком много неудачных попыток: вход временно заблокирован. Повторите через {n} мин.',
  },
  throttled: {
    az: 'Bu ünvandan çoxlu uğursuz cəhd. {n} dəqiqə sonra yenidən cəhd edin.',
    en: 'Too many failed attempts from this address. Try again in {n} minutes.',
    ru: 'Слишком много неудачных попыток с этого адреса. Повторите через {n} мин.',
  },
  expired: { az: 'Sessiya bitib; yenidən daxil olun.', en: 'Your session has ended; please sign in again.', ru: 'Сеанс завершён; войдите снова.' },
  badForm: { az: 'Forma köhnəlib; səhifəni yeniləyib yenidən göndərin.', en: 'The form has expired; reload the page and send it again.', ru: 'Форма устарела; обновите страницу и отправьте снова.' },
  forbidden: { az: 'Bu səhifə sizin rolunuz üçün deyil.', en: 'This page is not for your role.', ru: 'Эта страница недоступна для вашей роли.' },
  notFound: { az: 'Səhifə tapılmadı.', en: 'Page not found.', ru: 'Страница не найдена.' },
  error: { az: 'Xəta', en: 'Error', ru: 'Ошибка' },
  registrarPortal: { az: 'Registrator portalı', en: 'Registrar portal', ru: 'Портал регистратора' },
  adminConsole: { az: 'Milli Administrator konsolu', en: 'National Administrator console', ru: 'Консоль Национального администратора' },
  domains: { az: 'Domenlər', en: 'Domains', ru: 'Домены' },
  domain: { az: 'Domen', en: 'Domain', ru: 'Домен' },
  search: { az: 'Axtar', en: 'Search', ru: 'Найти' },
  searchName: { az: 'Ad (və ya onun hissəsi)', en: 'Name (or part of it)', ru: 'Имя (или его часть)' },
  status: { az: 'Vəziyyət', en: 'Status', ru: 'Статус' },
  anyStatus: { az: 'istənilən', en: 'any', ru: 'любой' },
  expiresBefore: { az: 'Bu tarixdən əvvəl bitənlər', en: 'Expiring before', ru: 'Истекающие до' },
  expires: { az: 'Bitmə tarixi', en: 'Expires', ru: 'Действует до' },
  created: { az: 'Qeydiyyat tarixi', en: 'Registered', ru: 'Дата регистрации' },
  registrant: { az: 'Domen sahibi', en: 'Registrant', ru: 'Владелец' },
  registrar: { az: 'Registrator', en: 'Registrar', ru: 'Регистратор' },
  ns: { az: 'Ad serverləri', en: 'Name servers', ru: 'Серверы имён' },
  nsHelp: { az: 'Hər sətirdə bir ad server (2-13).', en: 'One name server per line (2 to 13).', ru: 'По одному серверу имён на строку (от 2 до 13).' },
  saveNs: { az: 'Ad serverlərini dəyiş', en: 'Change name servers', ru: 'Изменить серверы имён' },
  renew: { az: 'Uzat', en: 'Renew', ru: 'Продлить' },
  years: { az: 'İl', en: 'Years', ru: 'Лет' },
  renewed: { az: 'Uzadıldı. Yeni bitmə tarixi: {d}.', en: 'Renewed. New expiry date: {d}.', ru: 'Продлён. Новая дата окончания: {d}.' },
  nsChanged: { az: 'Ad serverləri dəyişdirildi.', en: 'Name servers changed.', ru: 'Серверы имён изменены.' },
  total: { az: 'Cəmi: {n}', en: 'Total: {n}', ru: 'Всего: {n}' },
  none: { az: 'Heç nə tapılmadı.', en: 'Nothing found.', ru: 'Ничего не найдено.' },
  prev: { az: 'Əvvəlki', en: 'Previous', ru: 'Назад' },
  next: { az: 'Növbəti', en: 'Next', ru: 'Далее' },
  balance: { az: 'Balans', en: 'Balance', ru: 'Баланс' },
  available: { az: 'İstifadə oluna bilən', en: 'Available', ru: 'Доступно' },
  creditLimit: { az: 'Kredit limiti', en: 'Credit limit', ru: 'Кредитный лимит' },
  statement: { az: 'Hesab çıxarışı', en: 'Statement', ru: 'Выписка' },
  date: { az: 'Tarix', en: 'Date', ru: 'Дата' },
  description: { az: 'Təsvir', en: 'Description', ru: 'Описание' },
  amount: { az: 'Məbləğ', en: 'Amount', ru: 'Сумма' },
  opening: { az: 'Dövrün əvvəlinə', en: 'Opening balance', ru: 'Начальный остаток' },
  from: { az: 'Başlanğıc', en: 'From', ru: 'С' },
  to: { az: 'Son (daxil)', en: 'To (inclusive)', ru: 'По (включительно)' },
  show: { az: 'Göstər', en: 'Show', ru: 'Показать' },
  closing: { az: 'Dövrün sonuna', en: 'Closing balance', ru: 'Конечный остаток' },
  queue: { az: 'Baxılacaq müraciətlər', en: 'Review queue', ru: 'Очередь заявок' },
  application: { az: 'Müraciət', en: 'Application', ru: 'Заявка' },
  applications: { az: 'Müraciətlər', en: 'Applications', ru: 'Заявки' },
  received: { az: 'Daxil olub', en: 'Received', ru: 'Поступила' },
  due: { az: 'Son tarix (R3.12)', en: 'Due (R3.12)', ru: 'Срок (R3.12)' },
  overdue: { az: 'gecikir', en: 'overdue', ru: 'просрочена' },
  identity: { az: 'Şəxsiyyət yoxlaması', en: 'Identity check', ru: 'Проверка личности' },
  approve: { az: 'Təsdiq et', en: 'Approve', ru: 'Одобрить' },
  refuse: { az: 'İmtina et', en: 'Refuse', ru: 'Отказать' },
  ground: { az: 'Əsas', en: 'Ground', ru: 'Основание' },
  note: { az: 'Qeyd', en: 'Note', ru: 'Примечание' },
  approved: { az: '{name} təsdiq edildi və qeydiyyata alındı.', en: '{name} approved and registered.', ru: '{name} одобрен и зарегистрирован.' },
  refused: { az: '{name} üzrə müraciət rədd edildi ({g}).', en: 'The application for {name} was refused ({g}).', ru: 'В заявке на {name} отказано ({g}).' },
  emptyQueue: { az: 'Növbə boşdur.', en: 'The queue is empty.', ru: 'Очередь пуста.' },
  suspensions: { az: 'Dayandırmalar (R7.4, R7.6)', en: 'Suspensions (R7.4, R7.6)', ru: 'Приостановления (R7.4, R7.6)' },
  suspend: { az: 'Dayandır', en: 'Suspend', ru: 'Приостановить' },
  unsuspend: { az: 'Bərpa et', en: 'Restore', ru: 'Восстановить' },
  reason: { az: 'Səbəb', en: 'Reason', ru: 'Причина' },
  suspended: { az: '{name} dayandırıldı.', en: '{name} suspended.', ru: '{name} приостановлен.' },
  unsuspended: { az: '{name} bərpa edildi.', en: '{name} restored.', ru: '{name} восстановлен.' },
  active: { az: 'qüvvədədir', en: 'active', ru: 'действует' },
  lifted: { az: 'götürülüb', en: 'lifted', ru: 'снято' },
  findDomain: { az: 'Domeni tap', en: 'Find a domain', ru: 'Найти домен' },
  since: { az: 'başlayıb', en: 'since', ru: 'с' },
  // The public site (src/web/whois-site.ts): its navigation in every page's header.
  siteHome: { az: 'Ana səhifə', en: 'Home', ru: 'Главная' },
  siteRules: { az: 'Qaydalar', en: 'Rules', ru: 'Правила' },
  siteAgreement: { az: 'Qeydiyyat müqaviləsi', en: 'Registration Agreement', ru: 'Договор о регистрации' },
  siteProcedure: { az: 'Qeydiyyat qaydası', en: 'Registration procedure', ru: 'Порядок регистрации' },
  siteStatistics: { az: 'Statistika', en: 'Statistics', ru: 'Статистика' },
  siteNav: { az: 'Sayt', en: 'Site', ru: 'Сайт' },
  siteAbuse: { az: 'Sui-istifadə barədə məlumat', en: 'Report abuse', ru: 'Сообщить о злоупотреблении' },
} satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof M;

export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return M[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

const isLang = (s: string | undefined): s is Lang => Boolean(s) && (LANGS as string[]).includes(s!);

/** ?lang= first (the language switch), then the cookie it sets, then the user's language, then Accept-Language, then az. */
export function langOf(req: FastifyRequest, userLang?: Lang): Lang {
  const q = (req.query as Record<string, string | undefined> | undefined)?.lang;
  if (isLang(q)) return q;
  const c = parseCookies(req.headers.cookie).get(LANG_COOKIE);
  if (isLang(c)) return c;
  if (userLang) return userLang;
  for (const part of String(req.headers['accept-language'] ?? '').toLowerCase().split(',')) {
    const l = part.trim().slice(0, 2);
    if (isLang(l)) return l;
  }
  return 'az';
}
