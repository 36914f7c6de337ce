// The XML schemas every EPP command and response is validated against (RFC 5730 §2: a server MUST check
// every command against the schemas it announces). The official schemas stay where they are
// (../shared/schemas/epp from the repository root, or DOMEN_EPP_SCHEMA_DIR); an in-memory wrapper imports
// their all.xsd together with our identity extension. libxml2 reads the files only through a provider
// that serves exactly these files from memory: nothing else can ever be loaded.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlBufferInputProvider, XmlDocument, XsdValidator, xmlRegisterInputProvider, ParseOption } from 'libxml2-wasm';
import { NS } from './namespaces.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (src/epp/../..). */
const REPO = path.resolve(HERE, '..', '..');
export const IDENTITY_XSD = path.join(HERE, 'schemas', 'domen-identity-1.0.xsd');

export function defaultSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DOMEN_EPP_SCHEMA_DIR || path.join(REPO, '..', 'shared', 'schemas', 'epp'));
}

let provider: XmlBufferInputProvider | null = null;

function serveFromMemory(file: string): void {
  if (!provider) {
    provider = new XmlBufferInputProvider({});
    xmlRegisterInputProvider(provider);
  }
  provider.addBuffer(file, readFileSync(file));
}

export class EppSchema {
  private constructor(private readonly doc: XmlDocument, private readonly validator: XsdValidator, readonly dir: string) {}

  /** Validates a parsed document; throws libxml2's XmlValidateError with one detail per problem. */
  validate(doc: XmlDocument): void {
    this.validator.validate(doc);
  }

  dispose(): void {
    this.validator.dispose();
    this.doc.dispose();
  }

  static load(dir: string = defaultSchemaDir()): EppSchema {
    const all = path.join(dir, 'all.xsd');
    if (!existsSync(all)) {
      throw new Error(`EPP schemas not found: ${all} is missing (set DOMEN_EPP_SCHEMA_DIR to the folder holding all.xsd)`);
    }
    for (const f of readdirSync(dir)) if (f.endsWith('.xsd')) serveFromMemory(path.join(dir, f));
    serveFromMemory(IDENTITY_XSD);
    const wrapper = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:domen:epp-wrapper" elementFormDefault="qualified">
  <import namespace="urn:domen:epp-all" schemaLocation="${all}"/>
  <import namespace="${NS.identity}" schemaLocation="${IDENTITY_XSD}"/>
</schema>`;
    const doc = XmlDocument.fromString(wrapper, {
      url: path.join(HERE, 'schemas', 'domen-epp-wrapper.xsd'),
      option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE,
    });
    try {
      return new EppSchema(doc, XsdValidator.fromDoc(doc), dir);
    } catch (e) {
      doc.dispose();
      throw e;
    }
  }
}

const loaded = new Map<string, EppSchema>();

/** One compiled schema per folder for the life of the process (compiling takes tens of milliseconds). */
export function eppSchema(dir: string = defaultSchemaDir()): EppSchema {
  let s = loaded.get(dir);
  if (!s) {
    s = EppSchema.load(dir);
    loaded.set(dir, s);
  }
  return s;
}
