// The escrow schemas: ../shared/schemas/rde/all.xsd (RFC 8909/9022 with the EPP schemas it imports) plus our
// extension (schemas/domen-rde-1.0.xsd), compiled once through libxml2-wasm. As for EPP (src/epp/schema.ts)
// libxml2 reads only the files served from memory here, nothing from the network or elsewhere on disk.
//
// A deposit file can be gigabytes, too large for one DOM. The rde:contents of a deposit is a sequence of
// independent objects, so the reader (reader.ts) validates it in batches: each batch is a complete
// <rde:deposit> with the file's own root declarations and a few thousand of its objects, checked against the
// full schema. Every object of the file is validated exactly as it stands in the file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseOption, XmlBufferInputProvider, XmlDocument, XmlValidateError, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
export const DOMEN_RDE_XSD = path.join(HERE, 'schemas', 'domen-rde-1.0.xsd');

export function defaultRdeSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DOMEN_RDE_SCHEMA_DIR || path.join(REPO, '..', 'shared', 'schemas', 'rde'));
}

const PARSE = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_HUGE;

let provider: XmlBufferInputProvider | null = null;
function serve(file: string, content: Buffer | string = readFileSync(file)): void {
  if (!provider) {
    provider = new XmlBufferInputProvider({});
    xmlRegisterInputProvider(provider);
  }
  provider.addBuffer(file, typeof content === 'string' ? Buffer.from(content) : content);
}

export class SchemaError extends Error {
  constructor(message: string, readonly details: string[]) { super(message); }
}

export class RdeSchema {
  private constructor(private readonly doc: XmlDocument, private readonly validator: XsdValidator) {}

  /** Validates one XML document (a whole small deposit, or a batch); throws SchemaError listing the problems. */
  validateText(xml: string, where: string): void {
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(xml, { option: PARSE });
    } catch (e) {
      throw new SchemaError(`${where}: not well-formed XML: ${(e as Error).message}`, [(e as Error).message]);
    }
    try {
      this.validator.validate(doc);
    } catch (e) {
      if (e instanceof XmlValidateError) {
        const details = e.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
        throw new SchemaError(`${where}: not valid against the RDE schemas: ${details.slice(0, 3).join('; ')}`, details);
      }
      throw e;
    } finally {
      doc.dispose();
    }
  }

  static load(dir: string = defaultRdeSchemaDir()): RdeSchema {
    const all = path.join(dir, 'all.xsd');
    if (!existsSync(all)) throw new Error(`RDE schemas not found: ${all} is missing (set DOMEN_RDE_SCHEMA_DIR to the folder holding all.xsd)`);
    for (const f of readdirSync(dir)) if (f.endsWith('.xsd')) serve(path.join(dir, f));
    // all.xsd imports the EPP schemas from ../epp.
    const epp = path.join(dir, '..', 'epp');
    if (existsSync(epp)) for (const f of readdirSync(epp)) if (f.endsWith('.xsd')) serve(path.join(epp, f));
    // Our extension imports rde.xsd; point it at the copy in use.
    serve(DOMEN_RDE_XSD, readFileSync(DOMEN_RDE_XSD, 'utf8').replace('schemaLocation="rde.xsd"', `schemaLocation="${path.join(dir, 'rde.xsd')}"`));
    const wrapper = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:domen:rde-wrapper" elementFormDefault="qualified">
  <import namespace="urn:domen:rde-all" schemaLocation="${all}"/>
  <import namespace="urn:domen:params:xml:ns:rdeDomen-1.0" schemaLocation="${DOMEN_RDE_XSD}"/>
</schema>`;
    const doc = XmlDocument.fromString(wrapper, { url: path.join(HERE, 'schemas', 'domen-rde-wrapper.xsd'), option: PARSE });
    try {
      return new RdeSchema(doc, XsdValidator.fromDoc(doc));
    } catch (e) {
      doc.dispose();
      throw e;
    }
  }
}

const loaded = new Map<string, RdeSchema>();
export function rdeSchema(dir: string = defaultRdeSchemaDir()): RdeSchema {
  let s = loaded.get(dir);
  if (!s) { s = RdeSchema.load(dir); loaded.set(dir, s); }
  return s;
}
