// Renders a notice from its language pack: placeholders {param} and {param|formatter} (see templates/keys.ts).
import { az } from './templates/az.ts';
import { en } from './templates/en.ts';
import { ru } from './templates/ru.ts';
import {
  GROUNDS, TEMPLATE_PARAMS, type Ground, type Lang, type LanguagePack, type ParamValue, type TemplateKey,
} from './templates/keys.ts';

export const PACKS: Readonly<Record<Lang, LanguagePack>> = { az, en, ru };

/** Stored parameter values: JSON text and numbers (moments as ISO strings). */
export type StoredParams = Record<string, string | number>;

/** The time zone notices state times in, per TLD profile; UTC when the profile has none here. */
const TIME_ZONES: Readonly<Record<string, string>> = { az: 'Asia/Baku' };
/** The language of a recipient whose preference is not stored (the profile's default). */
const DEFAULT_LANGS: Readonly<Record<string, Lang>> = { az: 'az' };

export function timeZoneFor(tld: string): string { return TIME_ZONES[tld] ?? 'UTC'; }
export function defaultLangFor(tld: string): Lang { return DEFAULT_LANGS[tld] ?? 'en'; }

const PLACEHOLDER = /\{([A-Za-z]+)(?:\|([a-z]+))?\}/g;
const FORMATTERS = ['date', 'datetime', 'clause', 'ground', 'remedy', 'abuse'] as const;
type Formatter = (typeof FORMATTERS)[number];

/** The parameter names a text uses (the part before '|'). */
export function placeholders(text: string): { param: string; formatter: string | undefined }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ param: m[1]!, formatter: m[2] }));
}

export function isFormatter(f: string): f is Formatter { return (FORMATTERS as readonly string[]).includes(f); }

/** Which grounds a template accepts: refusals R5.1.x, cancellations R7.3.x, suspensions R7.4.x/R6.2/R8.6/R8.7. */
const GROUNDS_OF: Partial<Record<TemplateKey, (g: Ground) => boolean>> = {
  'application.refused': (g) => g.startsWith('R5.1.'),
  'domain.cancelled': (g) => g.startsWith('R7.3.'),
  'domain.suspended': (g) => g.startsWith('R7.4.') || g === 'R6.2' || g === 'R8.6' || g === 'R8.7',
};

function isGround(v: string): v is Ground { return (GROUNDS as readonly string[]).includes(v); }

/** Checks a notice's parameters and converts them to what is stored; throws on a missing, extra or bad one. */
export function storedParams(key: TemplateKey, params: Record<string, ParamValue | null | undefined>): StoredParams {
  const wanted: readonly string[] = TEMPLATE_PARAMS[key];
  const out: StoredParams = {};
  for (const p of wanted) {
    const v = params[p];
    if (v === undefined || v === null) throw new Error(`notice ${key}: parameter '${p}' is missing`);
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new Error(`notice ${key}: parameter '${p}' is an invalid date`);
      out[p] = v.toISOString();
    } else out[p] = v;
  }
  const extra = Object.keys(params).filter((p) => !wanted.includes(p));
  if (extra.length) throw new Error(`notice ${key}: unknown parameter(s) ${extra.join(', ')} (it takes ${wanted.join(', ')})`);
  const ground = out.ground;
  if (ground !== undefined) {
    const ok = GROUNDS_OF[key];
    if (typeof ground !== 'string' || !isGround(ground) || (ok && !ok(ground))) {
      throw new Error(`notice ${key}: '${String(ground)}' is not a ground this notice can state`);
    }
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Civil date and time of an ISO value in a time zone; a bare 'YYYY-MM-DD' is a civil date as it is. */
function civil(value: string, timeZone: string): { y: number; m: number; d: number; time: string } {
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (bare) return { y: Number(bare[1]), m: Number(bare[2]), d: Number(bare[3]), time: '00:00' };
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`'${value}' is not a date`);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), time: `${parts.hour}:${parts.minute}` };
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{([a-z]+)\}/g, (_, k: string) => values[k] ?? '');
}

export function formatDate(pack: LanguagePack, value: string, timeZone: string, withTime: boolean): string {
  const c = civil(value, timeZone);
  // Numeric dates keep two-digit days (02.03.2026); spelled-out months read "2 March 2026".
  const d = pack.date.includes('{month}') ? String(c.d) : pad(c.d);
  const shown = fill(pack.date, { d, m: pad(c.m), y: String(c.y), month: pack.months[c.m - 1]! });
  return withTime ? fill(pack.datetime, { date: shown, time: c.time, zone: pack.timeZone[timeZone] ?? timeZone }) : shown;
}

function format(pack: LanguagePack, value: string | number, formatter: string | undefined, timeZone: string): string {
  const s = String(value);
  switch (formatter) {
    case undefined: return s;
    case 'date': return formatDate(pack, s, timeZone, false);
    case 'datetime': return formatDate(pack, s, timeZone, true);
    case 'clause': return (pack.clause ?? ((c: string) => c))(s.replace(/^R/, ''));
    case 'ground': return isGround(s) ? pack.grounds[s] : s;
    case 'remedy': return isGround(s) ? pack.remedies[s] : '';
    case 'abuse': return Object.hasOwn(pack.abuse, s) ? pack.abuse[s as keyof LanguagePack['abuse']] : s;
    default: throw new Error(`unknown formatter '${formatter}'`);
  }
}

export interface Rendered { subject: string; body: string; signature: string }

/** Subject, body and the closing lines of a notice in one language. */
export function render(key: TemplateKey, lang: Lang, params: StoredParams, tld: string): Rendered {
  const pack = PACKS[lang];
  const t = pack.templates[key];
  const tz = timeZoneFor(tld);
  const sub = (text: string) => text.replace(PLACEHOLDER, (_, p: string, f: string | undefined) => {
    const v = params[p];
    if (v === undefined) throw new Error(`notice ${key}: parameter '${p}' is missing`);
    return format(pack, v, f, tz);
  });
  // An empty optional line (an empty note) leaves no blank gap behind.
  const body = sub(t.body).replace(/\n{3,}/g, '\n\n').trim();
  return { subject: sub(t.subject).replace(/\s+/g, ' ').trim(), body, signature: pack.signature };
}
