// Hardened reading of one EPP data unit: strict UTF-8, no DOCTYPE (so no DTD loading, no external entity,
// no entity expansion: XXE and "billion laughs" are refused before libxml2 sees them), libxml2 without
// network or external entities, then validation against the EPP schemas, then a copy into plain objects.
// Every failure is an EppError 2001 naming the problem (RFC 5730 §3).
import { ParseOption, XmlCData, XmlDocument, XmlElement, XmlParseError, XmlText, XmlValidateError, type ErrorDetail } from 'libxml2-wasm';
import { XNode } from './dom.ts';
import { readTree } from './reader.ts';
import { EppError } from './errors.ts';
import { NS, prefixOf } from './namespaces.ts';
import type { EppSchema } from './schema.ts';

/** No NOENT (entity substitution) and no DTDLOAD/DTDATTR/DTDVALID: entities stay unexpanded and nothing is fetched. */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOCDATA;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ParsedDocument {
  root: XNode;
  /** The client transaction id when the document carries a usable one, even if it failed validation. */
  clTRID: string | null;
}

const syntax = (message: string) => new EppError(2001, message);

/** RFC 5730 §2: EPP XML is UTF-8 here; a declaration naming another encoding is refused. */
function checkEncoding(text: string): void {
  const decl = /^\uFEFF?<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(text);
  if (decl && !/^utf-?8$/i.test(decl[1]!)) throw syntax(`the XML declaration names encoding '${decl[1]}': only UTF-8 is accepted`);
}

/** A DOCTYPE can only stand in the prolog; look there without parsing anything. */
function refuseDoctype(text: string): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return;
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      throw syntax('a DOCTYPE (DTD) is not allowed in EPP: no DTDs, no entity declarations');
    } else {
      return;
    }
  }
}

/** "{urn:ietf:params:xml:ns:domain-1.0}foo" -> "domain:foo" in libxml2's messages. */
function readable(message: string): string {
  return message.replace(/\{([^}]+)\}/g, (m, uri: string) => {
    const p = prefixOf(uri);
    return p ? `${p}:` : m;
  }).replace(/\s+/g, ' ').trim();
}

function describe(details: ErrorDetail[], fallback: string): string {
  const d = details[0];
  if (!d) return fallback;
  const where = d.line ? `line ${d.line}: ` : '';
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return `${where}${readable(d.message)}${more}`.slice(0, 500);
}

/** libxml2's tree of an element, copied node by node: the fallback when the JS reader (reader.ts) declines a document. */
export function copyTree(el: XmlElement): XNode {
  const attrs: Record<string, string> = {};
  for (const a of el.attrs) attrs[a.name] = a.value;
  const children: XNode[] = [];
  let text = '';
  for (let c = el.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) children.push(copyTree(c));
    else if (c instanceof XmlText || c instanceof XmlCData) text += c.content;
  }
  return new XNode(el.namespaceUri, el.name, attrs, children, text);
}

function clTRIDOf(root: XNode): string | null {
  const v = root.child('epp:command')?.child('epp:clTRID')?.text;
  return v && v.length >= 3 && v.length <= 64 && !/[\t\n\r]/.test(v) ? v : null;
}

const KNOWN = new Set<string>(Object.values(NS));

/**
 * The schemas' wildcards are strict, so an object or extension in a namespace no schema describes would
 * fail validation as a 2001; RFC 5730 §3 has the precise codes: 2307 for an unknown object service,
 * 2103 for an unknown extension (and 2100 for a protocol version other than 1.0, which the schema's
 * enumeration would also turn into a 2001). Extensions the schemas know but we do not serve get 2103 at dispatch.
 */
function refuseUnknownServices(root: XNode, clTRID: string | null): void {
  const command = root.child('epp:command');
  const version = command?.child('epp:login')?.child('epp:options')?.child('epp:version')?.text;
  if (version !== undefined && version !== '1.0') {
    throw Object.assign(new EppError(2100, `EPP version ${version} is not implemented; this server speaks 1.0`), { clTRID });
  }
  const verb = command?.children[0];
  const object = verb && verb.name !== 'login' && verb.name !== 'poll' && verb.name !== 'logout' ? verb.children[0] : undefined;
  if (object && !KNOWN.has(object.ns)) {
    throw Object.assign(new EppError(2307, `no object service '${object.ns}' here`), { clTRID });
  }
  for (const ext of [...(command?.child('epp:extension')?.children ?? []), ...(root.child('epp:extension')?.children ?? [])]) {
    if (!KNOWN.has(ext.ns)) throw Object.assign(new EppError(2103, `extension '${ext.ns}' is not implemented`), { clTRID });
  }
}

/**
 * Parses and validates one EPP document. Throws EppError(2001) on anything but a schema-valid EPP
 * instance; `clTRID` then travels on the error so that the response can echo it.
 */
export function parseEpp(bytes: Uint8Array, schema: EppSchema): ParsedDocument {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw syntax('the data unit is not valid UTF-8');
  }
  checkEncoding(text);
  refuseDoctype(text);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
  } catch (e) {
    if (e instanceof XmlParseError) throw syntax(`not well-formed XML: ${describe(e.details, e.message)}`);
    throw e;
  }
  try {
    if (doc.dtd !== null) throw syntax('a DOCTYPE (DTD) is not allowed in EPP');
    // The same tree read from the text in JavaScript (reader.ts), much cheaper than walking libxml2's; its copy
    // is the fallback for anything the reader does not expect.
    const root = readTree(text) ?? copyTree(doc.root);
    const clTRID = clTRIDOf(root);
    if (root.ns !== NS.epp || root.name !== 'epp') {
      throw Object.assign(syntax(`the root element is <${root.name}> in '${root.ns}', not <epp> in '${NS.epp}'`), { clTRID });
    }
    refuseUnknownServices(root, clTRID);
    try {
      schema.validate(doc);
    } catch (e) {
      if (e instanceof XmlValidateError) throw Object.assign(syntax(`schema validation failed: ${describe(e.details, e.message)}`), { clTRID });
      throw e;
    }
    return { root, clTRID };
  } finally {
    doc.dispose();
  }
}

/** The clTRID an error from parseEpp carries, if the document got far enough to have one. */
export function clTRIDOfError(e: unknown): string | null {
  const v = (e as { clTRID?: unknown } | null)?.clTRID;
  return typeof v === 'string' ? v : null;
}
