// The JavaScript reader of validated commands (src/epp/reader.ts) must give the flows exactly the tree that
// libxml2 parsed: the same names, namespaces, attributes and text, whatever legal XML spelling a client uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlDocument } from 'libxml2-wasm';
import { XNode } from '../../src/epp/dom.ts';
import { NS } from '../../src/epp/namespaces.ts';
import { readTree } from '../../src/epp/reader.ts';
import { eppSchema } from '../../src/epp/schema.ts';
import { copyTree, parseEpp } from '../../src/epp/xml.ts';

/** libxml2's own tree, copied node by node (what xml.ts did for every command before the reader). */
function libxmlTree(xml: string): XNode {
  const doc = XmlDocument.fromString(xml.replace(/^\uFEFF/, ''));
  try {
    return copyTree(doc.root);
  } finally {
    doc.dispose();
  }
}

const D = NS.domain;
const DOCS = [
  // What clients usually send.
  `<?xml version="1.0" encoding="UTF-8" standalone="no"?><epp xmlns="${NS.epp}"><command><create><domain:create xmlns:domain="${D}">`
    + '<domain:name>kitab.az</domain:name><domain:period unit="y">2</domain:period><domain:ns><domain:hostObj>ns1.provider.net</domain:hostObj>'
    + '<domain:hostObj>ns2.provider.net</domain:hostObj></domain:ns><domain:registrant>aysel-1</domain:registrant>'
    + '<domain:contact type="admin">adm-1</domain:contact><domain:authInfo><domain:pw>Auth-Info-123</domain:pw></domain:authInfo>'
    + '</domain:create></create><clTRID>ABC-1</clTRID></command></epp>',
  // Pretty-printed with CRLF line ends, a BOM, comments, a processing instruction, single quotes, spaces around '='.
  `\uFEFF<?xml version='1.0'?>\r\n<!-- client v2 -->\r\n<epp xmlns = '${NS.epp}'>\r\n  <command>\r\n    <check>\r\n`
    + `      <domain:check xmlns:domain='${D}'>\r\n        <domain:name>  şəki.az  </domain:name>\r\n      </domain:check>\r\n`
    + '    </check>\r\n    <clTRID>ABC-2</clTRID>\r\n  </command>\r\n</epp>\r\n<?client trace?>',
  // Character and entity references, CDATA, a prefixed root, a default namespace redeclared below, attribute
  // values with literal tabs and line ends (normalized to spaces) and references (kept).
  `<e:epp xmlns:e="${NS.epp}"><e:command><e:info><info xmlns="${D}"><name hosts="all">a&amp;b&#x131;&#305;<![CDATA[<x>]]>.az</name>`
    + `<authInfo><pw roid="R&#9;1\tx\ny">p&lt;w&gt;&quot;&apos;</pw></authInfo></info></e:info><e:clTRID>ABC-3</e:clTRID></e:command></e:epp>`,
  // Self-closing elements, an empty element with an end tag, a namespace declared on a self-closing element.
  `<epp xmlns="${NS.epp}"><command><poll op="req"/><clTRID></clTRID></command><x:y xmlns:x="urn:x" x:k="1" k2='2'/></epp>`,
];

test('the reader gives the tree libxml2 parsed, for any legal spelling of a command', () => {
  for (const xml of DOCS) assert.deepEqual(readTree(xml), libxmlTree(xml), xml);
});

test('a processing instruction inside the command is skipped, and what follows it is kept', () => {
  // (Walking libxml2's tree from JavaScript stopped at such a node and lost the clTRID after it.)
  const root = readTree(`<epp xmlns="${NS.epp}"><command><poll op="req"/><?trace 1?><clTRID>ABC-4</clTRID></command></epp>`);
  assert.equal(root?.child('epp:command')?.child('epp:clTRID')?.text, 'ABC-4');
});

test('the reader declines what it does not expect, and the command is still read (from libxml2\'s tree)', () => {
  assert.equal(readTree(`<epp xmlns="${NS.epp}"><hello/></ep>`), null);
  assert.equal(readTree(`<epp xmlns="${NS.epp}"><hello/>`), null);
  assert.equal(readTree(`<epp xmlns="${NS.epp}"><p:hello/></epp>`), null);
  assert.equal(readTree(`<epp xmlns="${NS.epp}">&nbsp;<hello/></epp>`), null);
  const { root } = parseEpp(Buffer.from(DOCS[0]!), eppSchema());
  assert.deepEqual(root, libxmlTree(DOCS[0]!));
});
