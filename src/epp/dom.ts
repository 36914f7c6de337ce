// A small, immutable element tree copied out of libxml2 after validation, so that the flows read plain
// JavaScript objects and no libxml2 memory outlives the parse (see xml.ts).
import { NS, type Prefix } from './namespaces.ts';

export class XNode {
  constructor(
    readonly ns: string,
    readonly name: string,
    readonly attrs: Readonly<Record<string, string>>,
    readonly children: readonly XNode[],
    /** The concatenated text and CDATA directly inside this element. */
    readonly rawText: string,
  ) {}

  /** The text content, trimmed (EPP values are tokens: RFC 5730 §2 schemas collapse white space). */
  get text(): string {
    return this.rawText.trim();
  }

  is(prefix: Prefix, name: string): boolean {
    return this.ns === NS[prefix] && this.name === name;
  }

  /** The first child 'prefix:name' (or a bare name in this element's namespace). */
  child(qname: string): XNode | undefined {
    const [ns, name] = resolve(qname, this.ns);
    return this.children.find((c) => c.ns === ns && c.name === name);
  }

  all(qname: string): XNode[] {
    const [ns, name] = resolve(qname, this.ns);
    return this.children.filter((c) => c.ns === ns && c.name === name);
  }

  /** The child that the schema requires; its absence is a bug in our reading, not the client's. */
  need(qname: string): XNode {
    const c = this.child(qname);
    if (!c) throw new Error(`schema-valid <${this.name}> has no <${qname}>`);
    return c;
  }

  /** Text of an optional child, undefined when the child is absent. */
  textOf(qname: string): string | undefined {
    return this.child(qname)?.text;
  }

  /** Every descendant 'prefix:name', depth first (for tests and for reading responses). */
  find(qname: string): XNode[] {
    const [ns, name] = resolve(qname, this.ns);
    const out: XNode[] = [];
    const walk = (n: XNode) => {
      for (const c of n.children) {
        if (c.ns === ns && c.name === name) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }

  first(qname: string): XNode | undefined {
    return this.find(qname)[0];
  }
}

function resolve(qname: string, defaultNs: string): [string, string] {
  const i = qname.indexOf(':');
  if (i < 0) return [defaultNs, qname];
  const prefix = qname.slice(0, i) as Prefix;
  const ns = NS[prefix];
  if (!ns) throw new Error(`unknown prefix ${prefix}`);
  return [ns, qname.slice(i + 1)];
}
