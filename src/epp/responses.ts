// Building EPP responses and the greeting (RFC 5730 §2.4, §2.6). Text is escaped here and only here:
// `el()` escapes every string child and attribute value, and only Xml fragments built by `el()` pass raw.
import { NS, OBJECT_URIS, type Prefix } from './namespaces.ts';
import { RESULT_TEXT, type ExtValue } from './errors.ts';

export class Xml {
  constructor(readonly xml: string) {}
}

export type Child = Xml | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

// XML 1.0 §2.2: characters a document may not contain at all (and lone surrogates).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Most values need no escaping at all: one test instead of four replacements (every response has dozens).
// eslint-disable-next-line no-control-regex
const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** An element; `name` is a qualified name whose prefix must be declared by an ancestor or by `attrs`. */
export function el(name: string, attrs: Attrs | null, ...children: Child[]): Xml {
  let open = `<${name}`;
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined) continue;
    open += ` ${k}="${escapeAttr(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}"`;
  }
  let body = '';
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    body += c instanceof Xml ? c.xml : escapeText(String(c));
  }
  return new Xml(body === '' ? `${open}/>` : `${open}>${body}</${name}>`);
}

/** The root element of an object's response data, declaring its namespace: ns('domain', 'infData', ...). */
export function nsEl(prefix: Prefix, name: string, attrs: Attrs | null, ...children: Child[]): Xml {
  return el(`${prefix}:${name}`, { [`xmlns:${prefix}`]: NS[prefix], ...(attrs ?? {}) }, ...children);
}

export const fragment = (...children: Child[]): Xml =>
  new Xml(children.map((c) => (c instanceof Xml ? c.xml : c === null || c === undefined || c === false ? '' : escapeText(String(c)))).join(''));

/** xs:dateTime in UTC with milliseconds, as RFC 5730 examples do. */
export const dateTime = (d: Date): string => d.toISOString();

const DOC_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';

/** Collapses white space (msgType is a normalizedString) and bounds the length of a human message. */
function oneLine(s: string, max = 1000): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export interface ResultSpec { code: number; msg?: string; values?: ExtValue[] }

export interface MsgQ { count: number; id: string | number; qDate?: Date; msg?: string }

export interface ResponseSpec {
  results: ResultSpec[];
  msgQ?: MsgQ | undefined;
  resData?: Xml | undefined;
  extension?: Xml | undefined;
  clTRID?: string | null | undefined;
  svTRID: string;
}

function result(r: ResultSpec): Xml {
  const text = r.msg ? oneLine(r.msg) : RESULT_TEXT[r.code] ?? 'Command failed';
  return el('result', { code: r.code },
    el('msg', null, text),
    ...(r.values ?? []).map((v) => el('extValue', null,
      el('value', null, v.value ?? el('undef', null)),
      el('reason', null, oneLine(v.reason, 2000)))));
}

/** RFC 5730 §2.6: result(s), msgQ, resData, extension, trID, in the schema's order. */
export function response(spec: ResponseSpec): string {
  const q = spec.msgQ;
  return DOC_HEAD + el('epp', { xmlns: NS.epp },
    el('response', null,
      ...spec.results.map(result),
      q && el('msgQ', { count: q.count, id: String(q.id) }, q.qDate && el('qDate', null, dateTime(q.qDate)), q.msg !== undefined && el('msg', null, oneLine(q.msg))),
      spec.resData && el('resData', null, spec.resData),
      spec.extension && el('extension', null, spec.extension),
      el('trID', null, spec.clTRID ? el('clTRID', null, spec.clTRID) : null, el('svTRID', null, spec.svTRID)),
    ),
  ).xml;
}

export interface GreetingSpec { svID: string; svDate: Date; extensions: readonly string[] }

/** RFC 5730 §2.4: sent on connect and in answer to <hello>. The dcp tells what we do with the data. */
export function greeting(g: GreetingSpec): string {
  return DOC_HEAD + el('epp', { xmlns: NS.epp },
    el('greeting', null,
      el('svID', null, g.svID),
      el('svDate', null, dateTime(g.svDate)),
      el('svcMenu', null,
        el('version', null, '1.0'),
        el('lang', null, 'en'),
        ...OBJECT_URIS.map((u) => el('objURI', null, u)),
        g.extensions.length ? el('svcExtension', null, ...g.extensions.map((u) => el('extURI', null, u))) : null,
      ),
      // Registrars may access all data of their objects; it serves provisioning and contacting the
      // holder, goes to the registry and, where the law allows, the public (R8.8), and is kept as the
      // law requires.
      el('dcp', null,
        el('access', null, el('all', null)),
        el('statement', null,
          el('purpose', null, el('admin', null), el('contact', null), el('prov', null)),
          el('recipient', null, el('ours', null), el('public', null)),
          el('retention', null, el('legal', null)),
        ),
      ),
    ),
  ).xml;
}
