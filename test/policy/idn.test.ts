// IDNA2008 label handling for the '.az' repertoire (RFC 5890-5892, R4.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeChar } from '../../src/policy/chars.ts';
import { analyzeLabel, hasAcePrefix, toALabel, type LabelRules } from '../../src/policy/idn.ts';
import { getProfile } from '../../src/policy/profile.ts';

const rules: LabelRules = getProfile('az').label;
const kinds = (s: string, r: LabelRules = rules) => analyzeLabel(s, r).problems.map((p) => p.kind);

describe('toALabel', () => {
  it('encodes IDNs with xn-- and leaves ASCII alone', () => {
    assert.equal(toALabel('şəki'), 'xn--ki-eta41h');
    assert.equal(toALabel('bakı'), 'xn--bak-lua');
    assert.equal(toALabel('kitab'), 'kitab');
  });
  it('hasAcePrefix is case-insensitive', () => {
    assert.ok(hasAcePrefix('XN--abc'));
    assert.ok(!hasAcePrefix('xn-abc'));
  });
});

describe('analyzeLabel', () => {
  it('canonicalizes text input', () => {
    const a = analyzeLabel('ŞƏKİ', rules);
    assert.deepEqual([a.ulabel, a.alabel, a.idn, a.problems], ['şəki', 'xn--ki-eta41h', true, []]);
  });
  it('round-trips every starter-list word through the A-label', () => {
    for (const e of getProfile('az').starter.lists) {
      const u = analyzeLabel(e.word, rules);
      assert.deepEqual(u.problems.filter((p) => p.kind !== 'length-min'), [], e.word);
      const a = analyzeLabel(u.alabel ?? '', rules);
      assert.equal(a.ulabel, u.ulabel, e.word);
      assert.equal(a.alabel, u.alabel, e.word);
    }
  });
  it('refuses characters outside the repertoire, once per code point', () => {
    const a = analyzeLabel('a_b_c d', rules);
    assert.deepEqual(a.problems.map((p) => p.kind), ['chars', 'chars']);
    assert.match(a.problems[0]?.message ?? '', /U\+005F.*2 times/);
    assert.equal(a.ulabel, null);
    assert.equal(a.alabel, null);
  });
  it('i + U+0307 is rejected; İ and I + U+0307 become i', () => {
    assert.deepEqual(kinds('i\u0307lham'), ['chars']);
    assert.equal(analyzeLabel('İlham', rules).ulabel, 'ilham');
    assert.equal(analyzeLabel('I\u0307lham', rules).ulabel, 'ilham');
  });
  it('decoded U-labels get no case mapping', () => {
    assert.deepEqual(kinds('xn--ki-bta81h'), ['chars']); // 'Şəki'
  });
  it('classifies A-label errors', () => {
    assert.deepEqual(kinds('xn--abc-'), ['alabel']);
    assert.deepEqual(kinds('xn--zz'), ['alabel']);
    assert.deepEqual(kinds('xn--şəki'), ['alabel']);
    assert.deepEqual(kinds('xn--ab-7u1lmq'), ['chars', 'alabel']);
    assert.match(analyzeLabel('xn--ab-7u1lmq', rules).problems[1]?.message ?? '', /re-encode/);
    assert.deepEqual(kinds('xn--ski-dtb34h'), ['alabel', 'chars']); // s + U+0327: not NFC
  });
  it('marks which problems are DNS/IDNA (kept for grandfathered names) and which are R4.1 only', () => {
    const dns = (s: string) => analyzeLabel(s, rules).problems.map((p) => `${p.kind}:${p.dns}`);
    assert.deepEqual(dns('ab'), ['length-min:false']);
    assert.deepEqual(dns('abc--d'), ['hyphen-double:false']);
    assert.deepEqual(dns('ab--cd'), ['hyphen-34:true']);
    assert.deepEqual(dns('-abc'), ['hyphen-edge:true']);
    assert.deepEqual(dns('a'.repeat(64)), ['length-max:true']);
    assert.deepEqual(dns('ə'.repeat(58)), ['alabel-length:true']);
    assert.deepEqual(dns('ə'.repeat(64)), ['length-max:false', 'alabel-length:true']);
  });
  it('ASCII-only rules refuse IDNs in both forms', () => {
    const tg = getProfile('tg').label;
    assert.deepEqual(kinds('şəki', tg), ['chars', 'chars']);
    assert.deepEqual(kinds('xn--ki-eta41h', tg), ['idn-disabled']);
    assert.deepEqual(kinds('hello', tg), []);
  });
});

describe('describeChar', () => {
  it('names likely mistakes and their script', () => {
    assert.equal(describeChar('ә'), "U+04D9 'ә' CYRILLIC SMALL LETTER SCHWA (Cyrillic script)");
    assert.equal(describeChar(' '), 'U+0020 SPACE (white space)');
    assert.equal(describeChar('\u0307'), 'U+0307 COMBINING DOT ABOVE (combining mark)');
    assert.match(describeChar('😀'), /U\+1F600.*emoji/);
  });
});
