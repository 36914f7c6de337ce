// Builds the XNode tree of a document that libxml2 has already parsed, in plain JavaScript: walking libxml2's
// tree from JavaScript costs a call into WebAssembly and a wrapper object per node, attribute and text, which
// was two thirds of reading a command (xml.ts). The input is well-formed (libxml2 said so) and has no DOCTYPE
// (refused before), so the only references are the five predefined entities and character references
// (XML 1.0 §4.6, §4.1). Returns null on anything it does not expect; the caller then copies libxml2's tree.
import { XNode } from './dom.ts';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decode(s: string): string | null {
  if (s.indexOf('&') < 0) return s;
  let ok = true;
  const out = s.replace(/&([^;&]*)(;?)/g, (_m, ref: string, semi: string) => {
    let v: string | undefined;
    if (semi && /^#x[0-9A-Fa-f]+$/.test(ref)) v = cp(parseInt(ref.slice(2), 16));
    else if (semi && /^#[0-9]+$/.test(ref)) v = cp(parseInt(ref.slice(1), 10));
    else if (semi) v = PREDEFINED[ref];
    if (v === undefined) ok = false;
    return v ?? '';
  });
  return ok ? out : null;
}

const cp = (n: number): string | undefined => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined);

interface Open { prefix: string; local: string; ns: ReadonlyMap<string, string>; attrs: Record<string, string>; children: XNode[]; text: string; nsOf: string }

const EMPTY: ReadonlyMap<string, string> = new Map();
const NAME = /[^\s/>=]+/y;
const SPACE = /\s*/y;

/** The element tree of a well-formed document without DOCTYPE, or null if the text holds something unexpected. */
export function readTree(input: string): XNode | null {
  // XML 1.0 §2.11: line ends are normalized before anything else.
  const s = input.indexOf('\r') < 0 ? input : input.replace(/\r\n?/g, '\n');
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: Open[] = [];
  let root: XNode | null = null;
  const top = () => stack[stack.length - 1];
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const chunk = lt < 0 ? s.slice(i) : s.slice(i, lt);
    if (chunk) {
      const t = top();
      if (t) {
        const d = decode(chunk);
        if (d === null) return null;
        t.text += d;
      } else if (chunk.trim()) return null;
    }
    if (lt < 0) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      const t = top();
      if (end < 0 || !t) return null;
      t.text += s.slice(i + 9, end);
      i = end + 3;
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (s.startsWith('<!', i)) {
      return null;
    } else if (s[i + 1] === '/') {
      const end = s.indexOf('>', i + 2);
      const t = stack.pop();
      if (end < 0 || !t) return null;
      const qname = s.slice(i + 2, end).trim();
      if (qname !== (t.prefix ? `${t.prefix}:${t.local}` : t.local)) return null;
      const node = new XNode(t.nsOf, t.local, t.attrs, t.children, t.text);
      const parent = top();
      if (parent) parent.children.push(node);
      else root = node;
      i = end + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(s);
      if (!m) return null;
      const qname = m[0];
      i = NAME.lastIndex;
      let ns = top()?.ns ?? EMPTY;
      let own: Map<string, string> | null = null;
      const raw: [string, string][] = [];
      let selfClosing = false;
      for (;;) {
        SPACE.lastIndex = i;
        SPACE.exec(s);
        i = SPACE.lastIndex;
        if (s[i] === '>') { i++; break; }
        if (s[i] === '/' && s[i + 1] === '>') { i += 2; selfClosing = true; break; }
        NAME.lastIndex = i;
        const a = NAME.exec(s);
        if (!a) return null;
        i = NAME.lastIndex;
        SPACE.lastIndex = i;
        SPACE.exec(s);
        i = SPACE.lastIndex;
        if (s[i] !== '=') return null;
        SPACE.lastIndex = i + 1;
        SPACE.exec(s);
        i = SPACE.lastIndex;
        const q = s[i];
        if (q !== '"' && q !== "'") return null;
        const end = s.indexOf(q, i + 1);
        if (end < 0) return null;
        // XML 1.0 §3.3.3: each literal white space character becomes a space; references are decoded after.
        const value = decode(s.slice(i + 1, end).replace(/[\t\n]/g, ' '));
        if (value === null) return null;
        i = end + 1;
        const name = a[0];
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          // Scopes are shared down the tree and copied only where an element declares a namespace.
          if (!own) { own = new Map(ns); ns = own; }
          own.set(name === 'xmlns' ? '' : name.slice(6), value);
        } else raw.push([name, value]);
      }
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const local = colon < 0 ? qname : qname.slice(colon + 1);
      const uri = ns.get(prefix);
      if (uri === undefined && prefix !== '') return null;
      const attrs: Record<string, string> = {};
      // libxml2 names attributes by their local name (xml.ts did the same).
      for (const [name, value] of raw) attrs[name.slice(name.indexOf(':') + 1)] = value;
      const open: Open = { prefix, local, ns, attrs, children: [], text: '', nsOf: uri ?? '' };
      if (selfClosing) {
        const node = new XNode(open.nsOf, local, attrs, [], '');
        const parent = top();
        if (parent) parent.children.push(node);
        else root = node;
      } else stack.push(open);
    }
  }
  return stack.length === 0 ? root : null;
}
