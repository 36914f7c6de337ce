// Reading a deposit file as a stream (saxes): the objects of rde:contents and rde:deletes are handed over one
// at a time as small trees, validated against the RDE schemas in batches (see schema.ts), counted per object
// URI against the file's rdeHeader counts, and hashed in a canonical form (namespace URIs instead of prefixes,
// attributes sorted, header left out) so that two deposits of the same registry compare equal whatever
// their ids, watermarks, prefixes or split.
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { RDE_NS } from './namespaces.ts';
import type { RdeSchema } from './schema.ts';
import { escapeAttr, escapeText } from './xml.ts';

export interface XNode {
  uri: string; local: string; qname: string;
  /** Attributes by local name (namespace declarations left out). */
  attrs: Record<string, string>;
  /** Attributes as written, with namespace declarations, for re-serialization. */
  raw: [string, string][];
  children: XNode[];
  text: string;
}

export const child = (n: XNode, local: string): XNode | undefined => n.children.find((c) => c.local === local);
export const children = (n: XNode, local: string): XNode[] => n.children.filter((c) => c.local === local);
export const textOf = (n: XNode, local: string): string | null => { const c = child(n, local); return c ? c.text.trim() : null; };

export interface FileSummary {
  id: string; type: string; prevId: string | null; resend: number; watermark: string;
  /** Counts the file's header declares, by object URI (null: no header). */
  header: Record<string, number> | null;
  /** Objects found, by object URI. */
  found: Record<string, number>;
  deletes: number;
  digest: string;
  problems: string[];
}

export interface ReadOptions {
  where: string;
  schema?: RdeSchema | null;
  /** Objects per validation batch. */
  batch?: number;
  onObject?: (node: XNode, section: 'contents' | 'deletes') => Promise<void> | void;
  /** A hash shared by the files of one deposit (the digest is then left empty). */
  hash?: Hash;
}

export function serialize(n: XNode): string {
  const a = n.raw.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  const inner = n.children.length ? n.children.map(serialize).join('') : escapeText(n.text);
  return inner === '' ? `<${n.qname}${a}/>` : `<${n.qname}${a}>${inner}</${n.qname}>`;
}

function canonical(n: XNode): string {
  const a = Object.entries(n.attrs).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  const inner = n.children.length ? n.children.map(canonical).join('') : escapeText(n.text.trim());
  return `<{${n.uri}}${n.local}${a}>${inner}</>`;
}

/** Counting URI of a contents object; null for what the header does not count (the header, policies). */
export function countUri(n: XNode): string | null {
  if (n.uri === RDE_NS.rdeHeader || n.uri === RDE_NS.rdePolicy) return null;
  return n.uri;
}

export async function readDepositStream(input: Readable, opts: ReadOptions): Promise<FileSummary> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const batchSize = opts.batch ?? 2000;
  const stack: XNode[] = [];
  let root: XNode | null = null;
  const top: XNode[] = [];           // watermark, rdeMenu: re-used in each validation batch
  let section: 'contents' | 'deletes' | null = null;
  let batch: string[] = [];
  let batchSection: 'contents' | 'deletes' = 'contents';
  let batchNo = 0;
  const hash = opts.hash ?? createHash('sha256');
  const found: Record<string, number> = {};
  let header: Record<string, number> | null = null;
  let deletes = 0;
  const problems: string[] = [];
  const pending: XNode[] = [];
  let error: Error | null = null;

  const flush = () => {
    if (!opts.schema || !batch.length || !root) { batch = []; return; }
    batchNo++;
    const rdeP = 'rdeW';
    const scaffoldHeader = `<rdeHeader:header xmlns:rdeHeader="${RDE_NS.rdeHeader}"><rdeHeader:tld>x</rdeHeader:tld><rdeHeader:count>0</rdeHeader:count></rdeHeader:header>`;
    const body = batchSection === 'contents'
      ? `<${rdeP}:contents xmlns:${rdeP}="${RDE_NS.rde}">${batch.join('')}</${rdeP}:contents>`
      : `<${rdeP}:deletes xmlns:${rdeP}="${RDE_NS.rde}">${batch.join('')}</${rdeP}:deletes><${rdeP}:contents xmlns:${rdeP}="${RDE_NS.rde}">${scaffoldHeader}</${rdeP}:contents>`;
    const doc = `<?xml version="1.0" encoding="UTF-8"?><${root.qname}${root.raw.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('')}>${top.map(serialize).join('')}${body}</${root.qname}>`;
    batch = [];
    opts.schema.validateText(doc, `${opts.where} (objects of batch ${batchNo})`);
  };

  parser.on('opentag', (tag: SaxesTagNS) => {
    const attrs: Record<string, string> = {};
    const raw: [string, string][] = [];
    for (const a of Object.values(tag.attributes) as SaxesAttributeNS[]) {
      raw.push([a.name, a.value]);
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    }
    const node: XNode = { uri: tag.uri, local: tag.local, qname: tag.name, attrs, raw, children: [], text: '' };
    const depth = stack.length;
    if (depth === 0) {
      if (tag.uri !== RDE_NS.rde || tag.local !== 'deposit') throw new Error(`${opts.where}: the root element is not an rde:deposit (RFC 8909 §5)`);
      root = node;
    } else if (depth === 1) {
      section = tag.local === 'contents' ? 'contents' : tag.local === 'deletes' ? 'deletes' : null;
    } else {
      stack[depth - 1]!.children.push(node);
    }
    stack.push(node);
  });
  parser.on('text', (t: string) => { const top = stack[stack.length - 1]; if (top && stack.length >= 2) top.text += t; });
  parser.on('closetag', () => {
    const node = stack.pop()!;
    const depth = stack.length;
    if (depth === 1 && !section) top.push(node);
    if (depth === 1) section = node.local === 'contents' || node.local === 'deletes' ? null : section;
    if (depth !== 2 || !section) return;
    if (section === 'contents' && node.uri === RDE_NS.rdeHeader && node.local === 'header') {
      header = {};
      for (const c of children(node, 'count')) if (c.attrs.uri) header[c.attrs.uri] = (header[c.attrs.uri] ?? 0) + Number(c.text.trim());
    } else if (section === 'contents') {
      const u = countUri(node);
      if (u) found[u] = (found[u] ?? 0) + 1;
      hash.update(canonical(node));
    } else {
      deletes += node.children.length;
      hash.update('D' + canonical(node));
    }
    // The object leaves the tree: memory stays one object (and one batch) deep.
    stack[1]!.children.length = 0;
    if (batchSection !== section) { flush(); batchSection = section; }
    if (opts.schema) batch.push(serialize(node));
    if (batch.length >= batchSize) flush();
    if (opts.onObject) pending.push(Object.assign(node, { section } as { section: typeof section }));
  });
  parser.on('error', (e: Error) => { error ??= e; });

  for await (const chunk of input) {
    parser.write(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    if (error) throw new Error(`${opts.where}: not well-formed XML: ${(error as Error).message}`);
    while (pending.length) {
      const n = pending.shift()!;
      await opts.onObject!(n, (n as XNode & { section: 'contents' | 'deletes' }).section);
    }
  }
  parser.close();
  if (error) throw new Error(`${opts.where}: not well-formed XML: ${(error as Error).message}`);
  while (pending.length) { const n = pending.shift()!; await opts.onObject!(n, (n as XNode & { section: 'contents' | 'deletes' }).section); }
  flush();
  if (!root) throw new Error(`${opts.where}: empty document`);
  const r = root as XNode;
  const watermark = top.find((n) => n.local === 'watermark')?.text.trim() ?? '';
  if (header) {
    const h = header as Record<string, number>;
    for (const uri of new Set([...Object.keys(h), ...Object.keys(found)])) {
      if ((h[uri] ?? 0) !== (found[uri] ?? 0)) problems.push(`${opts.where}: the header counts ${h[uri] ?? 0} objects of ${uri}, the file holds ${found[uri] ?? 0}`);
    }
  } else problems.push(`${opts.where}: no rdeHeader:header (RFC 9022 §5.1.1)`);
  return {
    id: r.attrs.id ?? '', type: r.attrs.type ?? '', prevId: r.attrs.prevId ?? null, resend: Number(r.attrs.resend ?? 0), watermark,
    header, found, deletes, digest: opts.hash ? '' : hash.digest('hex'), problems,
  };
}
