// Hardened XML reading and response building, without a network: DTDs and entities refused before
// parsing, strict UTF-8, schema validation with readable messages, and responses that validate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EppError } from '../../src/epp/errors.ts';
import { NS } from '../../src/epp/namespaces.ts';
import { el, greeting, nsEl, response } from '../../src/epp/responses.ts';
import { eppSchema } from '../../src/epp/schema.ts';
import { TridGenerator } from '../../src/epp/trid.ts';
import { clTRIDOfError, parseEpp } from '../../src/epp/xml.ts';

const schema = eppSchema();
const parse = (s: string | Buffer) => parseEpp(typeof s === 'string' ? Buffer.from(s) : s, schema);
function refused(s: string | Buffer, code: number, message: RegExp): EppError {
  try {
    parse(s);
  } catch (e) {
    assert.ok(e instanceof EppError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return e;
  }
  assert.fail('accepted');
}

test('a DOCTYPE anywhere in the prolog is refused before libxml2 parses (XXE, billion laughs)', () => {
  refused(`<?xml version="1.0"?><!DOCTYPE epp [<!ENTITY x SYSTEM "file:///etc/passwd">]><epp xmlns="${NS.epp}"><hello/></epp>`, 2001, /DOCTYPE/);
  refused(`\uFEFF<?xml version="1.0"?>\n<!-- a comment --><?pi data?>\n<!DOCTYPE epp SYSTEM "epp.dtd"><epp xmlns="${NS.epp}"><hello/></epp>`, 2001, /DOCTYPE/);
  let ents = '<!ENTITY a0 "ha">';
  for (let i = 1; i < 12; i++) ents += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
  refused(`<!DOCTYPE epp [${ents}]><epp xmlns="${NS.epp}">&a11;</epp>`, 2001, /DOCTYPE/);
});

test('an undeclared entity reference is a well-formedness error, not an expansion', () => {
  refused(`<epp xmlns="${NS.epp}"><command><check><domain:check xmlns:domain="${NS.domain}"><domain:name>&x;</domain:name></domain:check></check></command></epp>`, 2001, /not well-formed.*Entity 'x' not defined/);
});

test('invalid UTF-8 and declared encodings other than UTF-8 are refused', () => {
  refused(Buffer.concat([Buffer.from(`<epp xmlns="${NS.epp}">`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('<hello/></epp>')]), 2001, /UTF-8/);
  refused(`<?xml version="1.0" encoding="UTF-16"?><epp xmlns="${NS.epp}"><hello/></epp>`, 2001, /UTF-16/);
  assert.ok(parse(`<?xml version="1.0" encoding="utf-8"?><epp xmlns="${NS.epp}"><hello/></epp>`).root);
});

test('schema errors name the element with its prefix, and keep the clTRID for the answer', () => {
  const e = refused(`<epp xmlns="${NS.epp}"><command><info><host:info xmlns:host="${NS.host}"><host:nam>x</host:nam></host:info></info><clTRID>KEEP-ME-1</clTRID></command></epp>`, 2001, /host:nam.*Expected is \( host:name \)/);
  assert.equal(clTRIDOfError(e), 'KEEP-ME-1');
  refused(`<epp xmlns="urn:example:not-epp"><hello/></epp>`, 2001, /root element/);
});

test('unknown object services are 2307, unknown extensions 2103, before the strict schema wildcards', () => {
  refused(`<epp xmlns="${NS.epp}"><command><info><w:info xmlns:w="urn:example:w-1.0"/></info></command></epp>`, 2307, /urn:example:w-1.0/);
  refused(`<epp xmlns="${NS.epp}"><command><info><host:info xmlns:host="${NS.host}"><host:name>a.b</host:name></host:info></info><extension><w:x xmlns:w="urn:example:w-1.0"/></extension></command></epp>`, 2103, /urn:example:w-1.0/);
});

test('responses escape text and attribute values, drop characters XML cannot carry, and validate', () => {
  const nasty = 'a<b>&"c\' \u0001 ]]> \uD800 ş';
  const xml = response({
    results: [{ code: 2306, msg: nasty, values: [{ value: el('domain:name', { 'xmlns:domain': NS.domain }, nasty), reason: nasty }] }],
    resData: nsEl('domain', 'chkData', null, el('domain:cd', null, el('domain:name', { avail: false }, 'x"<.az'), el('domain:reason', null, 'In use'))),
    clTRID: 'A&B<1>', svTRID: new TridGenerator().next(),
  });
  const parsed = parse(xml);
  const msg = parsed.root.first('epp:msg')!.text;
  assert.ok(msg.startsWith('a<b>&"c\''), msg);
  assert.ok(msg.endsWith('ş'));
  assert.equal(parsed.root.first('epp:clTRID')!.text, 'A&B<1>');
  assert.ok(parse(greeting({ svID: 'domen test', svDate: new Date(), extensions: [NS.secDNS] })).root.first('epp:greeting'));
});

test('svTRIDs are unique and sort by time', () => {
  const g = new TridGenerator('T');
  const ids = Array.from({ length: 1000 }, () => g.next());
  assert.equal(new Set(ids).size, 1000);
  assert.deepEqual([...ids].sort(), ids);
  assert.ok(ids.every((i) => i.length >= 3 && i.length <= 64));
});
