// Table-driven tests of checkName for the '.az' and '.tg' profiles (R2.2, R3.2, R4.1-R4.13).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkName } from '../../src/policy/check-name.ts';
import { getProfile } from '../../src/policy/profile.ts';
import type { ListEntry, PolicyData, Verdict } from '../../src/policy/types.ts';

const az = getProfile('az');
const tg = getProfile('tg');

const testEntries: ListEntry[] = [
  { list: 'stop', word: 'badword', match: 'substring', note: 'test' },
  { list: 'stop', word: 'bəd', match: 'substring', note: 'test: an entry with ə matches its folded form' },
  { list: 'grandfathered', word: 'xy.az', match: 'exact', note: 'test' },
  { list: 'grandfathered', word: 'old--name.az', match: 'exact', note: 'test' },
  { list: 'grandfathered', word: 'xn--nga31c.az', match: 'exact', note: 'test: əş.az, by A-label' },
  { list: 'grandfathered', word: 'Çə.AZ.', match: 'exact', note: 'test: U-label, any case, trailing dot' },
];
const azData: PolicyData = { zones: az.starter.zones, lists: [...az.starter.lists, ...testEntries] };
const tgData: PolicyData = {
  zones: [...tg.starter.zones, { name: 'gouv.tg', parent: 'tg', restricted: true }],
  lists: [...tg.starter.lists, { list: 'geographic', word: 'lome', match: 'exact', note: 'live data the tg profile ignores' }],
};

interface Row {
  name: string;
  verdict: Verdict;
  clauses?: string[];        // each must appear among the reasons
  not?: string[];            // none of these may appear
  grounds?: string[];
  ascii?: string | null;
  unicode?: string | null;
  bundleKey?: string;
  idn?: boolean;
  tld?: 'tg';
  grandfathered?: boolean;
  why: string;
}

const a63 = 'a'.repeat(63);
const schwa57 = 'ə'.repeat(57);
const schwa58 = 'ə'.repeat(58);

const rows: Row[] = [
  // Parsing, zones and levels (R2.2, R4.11)
  { name: 'kitab.az', verdict: 'ok', ascii: 'kitab.az', unicode: 'kitab.az', bundleKey: 'kitab.az', idn: false, why: 'plain 2LD' },
  { name: 'KITAB.AZ', verdict: 'ok', ascii: 'kitab.az', unicode: 'kitab.az', why: 'uppercase folded to lowercase' },
  { name: 'kitab.az.', verdict: 'ok', ascii: 'kitab.az', why: 'one trailing dot stripped' },
  { name: '  kitab.az  ', verdict: 'ok', ascii: 'kitab.az', why: 'trimmed' },
  { name: 'kitab.az..', verdict: 'refused', clauses: ['R2.2'], grounds: ['R5.1.3'], why: 'two trailing dots: empty label' },
  { name: 'kitab..az', verdict: 'refused', clauses: ['R2.2'], why: 'empty label' },
  { name: '.az', verdict: 'refused', clauses: ['R2.2'], why: 'empty label' },
  { name: '', verdict: 'refused', clauses: ['R2.2'], why: 'empty input' },
  { name: 'az', verdict: 'refused', clauses: ['R2.2'], why: 'bare TLD' },
  { name: 'az.', verdict: 'refused', clauses: ['R2.2'], why: 'bare TLD, trailing dot' },
  { name: 'kitab.com', verdict: 'refused', clauses: ['R2.2'], why: 'another TLD' },
  { name: 'kitab.tg', verdict: 'refused', clauses: ['R2.2'], why: 'another profile\'s TLD' },
  { name: 'kitab.com.az', verdict: 'ok', ascii: 'kitab.com.az', bundleKey: 'kitab.com.az', why: '3LD under a general-use zone' },
  { name: 'kitab.org.az', verdict: 'ok', why: '3LD under org.az' },
  { name: 'kitab.pp.az', verdict: 'ok', why: '3LD under pp.az' },
  { name: 'Kitab.Co.AZ', verdict: 'ok', ascii: 'kitab.co.az', why: 'zone labels are case-insensitive' },
  { name: 'kitab.foo.az', verdict: 'refused', clauses: ['R4.11'], grounds: ['R5.1.3'], why: '3LD under a non-general zone' },
  { name: 'kitab.b.com.az', verdict: 'refused', clauses: ['R4.11'], why: '4th level' },
  { name: 'abc.def.ghi.az', verdict: 'refused', clauses: ['R4.11'], why: '4th level, no zone' },
  { name: 'com.az', verdict: 'refused', clauses: ['R4.11'], grounds: ['R5.1.4'], ascii: 'com.az', why: 'a general-use zone is an allocated name' },
  { name: 'gov.az', verdict: 'refused', clauses: ['R4.11'], grounds: ['R5.1.4'], why: 'allocated restricted zone' },
  { name: 'kitab.gov.az', verdict: 'review', clauses: ['R3.2'], why: 'gov.az is restricted (R3.2)' },
  { name: 'KITAB.GOV.AZ', verdict: 'review', clauses: ['R3.2'], why: 'restricted, uppercase' },
  { name: 'kitab.mil.az', verdict: 'review', clauses: ['R4.11'], why: 'mil.az is restricted' },
  { name: 'şəki.com.az', verdict: 'review', clauses: ['R4.2'], unicode: 'şəki.com.az', ascii: 'xn--ki-eta41h.com.az', bundleKey: 'seki.com.az', why: 'R4.2 applies at third level too' },

  // R4.1.1 length, on the U-label; the A-label must fit 63 octets
  { name: 'ab.az', verdict: 'refused', clauses: ['R4.1.1'], grounds: ['R5.1.3'], ascii: 'ab.az', why: '2 characters' },
  { name: 'a.az', verdict: 'refused', clauses: ['R4.1.1'], why: '1 character' },
  { name: 'ab.com.az', verdict: 'refused', clauses: ['R4.1.1'], why: '2 characters at third level' },
  { name: 'abc.az', verdict: 'ok', why: '3 characters' },
  { name: `${a63}.az`, verdict: 'ok', ascii: `${a63}.az`, why: '63 ASCII characters' },
  { name: `${a63}a.az`, verdict: 'refused', clauses: ['R4.1.1'], why: '64 ASCII characters' },
  { name: 'əğ.az', verdict: 'refused', clauses: ['R4.1.1'], unicode: 'əğ.az', why: '2-character IDN' },
  { name: `${schwa57}.az`, verdict: 'ok', idn: true, why: '57 × ə: A-label of exactly 63 octets' },
  { name: `${schwa58}.az`, verdict: 'refused', clauses: ['R4.1.1'], why: '58 × ə: U-label fits, A-label is 64 octets' },
  { name: `xn--sna${'a'.repeat(57)}.az`, verdict: 'refused', clauses: ['R4.1.1'], why: 'the same 64-octet A-label typed in ACE form' },
  { name: `xn--sna${'a'.repeat(56)}.az`, verdict: 'ok', unicode: `${schwa57}.az`, why: '63-octet A-label of 57 × ə' },

  // R4.1.2 repertoire: LDH + ç ə ğ ı ö ş ü; NFC; case mapping
  { name: '123.az', verdict: 'ok', why: 'digits only are LDH (R4.1.2 allows 0-9)' },
  { name: '2024.com.az', verdict: 'ok', why: 'digits at third level' },
  { name: 'a1-b2.az', verdict: 'ok', why: 'letters, digits, one hyphen' },
  { name: 'kıtab.az', verdict: 'ok', ascii: 'xn--ktab-lza.az', unicode: 'kıtab.az', bundleKey: 'kitab.az', idn: true, why: 'ı is an Azerbaijani letter; same bundle as kitab' },
  { name: 'şəki.az', verdict: 'review', clauses: ['R4.2'], ascii: 'xn--ki-eta41h.az', unicode: 'şəki.az', bundleKey: 'seki.az', idn: true, why: 'IDN geographic name' },
  { name: 'seki.az', verdict: 'review', clauses: ['R4.2'], bundleKey: 'seki.az', idn: false, why: 'folded form of şəki: same bundle' },
  { name: 'ŞƏKİ.AZ', verdict: 'review', clauses: ['R4.2'], unicode: 'şəki.az', why: 'uppercase Ş Ə İ mapped locale-free' },
  { name: 'şәki.az', verdict: 'refused', clauses: ['R4.1.2'], not: ['R4.2'], unicode: null, ascii: null, why: 'Cyrillic ә U+04D9 instead of ə U+0259' },
  { name: 'пример.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'Cyrillic script' },
  { name: 'παράδειγμα.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'Greek script' },
  { name: 'bäder.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'Latin ä is not Azerbaijani' },
  { name: 'café.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'é' },
  { name: 'straße.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'ß' },
  { name: 'my_site.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'underscore' },
  { name: 'my site.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'space' },
  { name: '😀smile.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'emoji' },
  { name: 'zero\u200bwidth.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'zero width space' },
  { name: 'ｋｉｔａｂ.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'fullwidth letters are not mapped' },
  { name: 'o\u0308zel.az', verdict: 'ok', unicode: 'özel.az', ascii: 'xn--zel-rna.az', why: 'NFD o + U+0308 composes to ö' },
  { name: 's\u0327\u0259ki.az', verdict: 'review', clauses: ['R4.2'], unicode: 'şəki.az', why: 'NFD s + cedilla composes to ş' },
  { name: 'e\u0301lan.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'NFD e + acute composes to é, not allowed' },
  { name: 'x\u0308yz.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'a combining mark with no composed form' },
  { name: 'İmişli.az', verdict: 'review', clauses: ['R4.2'], unicode: 'imişli.az', why: 'İ U+0130 becomes plain i' },
  { name: 'i\u0307mişli.az', verdict: 'refused', clauses: ['R4.1.2'], not: ['R4.2'], why: 'i + U+0307 is rejected, not repaired' },
  { name: 'I\u0307lham.az', verdict: 'ok', unicode: 'ilham.az', why: 'I + U+0307 is NFC İ, which becomes i' },
  { name: 'ISMAYILLI.AZ', verdict: 'review', clauses: ['R4.2'], unicode: 'ismayilli.az', why: 'I → i (not ı); folding still finds İsmayıllı' },
  { name: 'sumqayıt.az', verdict: 'review', clauses: ['R4.2'], bundleKey: 'sumqayit.az', why: 'city, with ı' },
  { name: 'sumqayit.az', verdict: 'review', clauses: ['R4.2'], bundleKey: 'sumqayit.az', why: 'city, ASCII i: folded match' },
  { name: 'bakı.az', verdict: 'review', clauses: ['R4.2'], grounds: ['R5.1.8'], why: 'capital' },
  { name: 'baki.az', verdict: 'review', clauses: ['R4.2'], why: 'capital, folded' },
  { name: 'baku.az', verdict: 'review', clauses: ['R4.2'], why: 'capital, English exonym' },

  // R4.1.3 hyphens and A-labels
  { name: '-kitab.az', verdict: 'refused', clauses: ['R4.1.3'], grounds: ['R5.1.3'], why: 'leading hyphen' },
  { name: 'kitab-.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'trailing hyphen' },
  { name: 'kit--ab.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'double hyphen' },
  { name: 'ki--tab.az', verdict: 'refused', clauses: ['R4.1.3'], why: "'--' in positions 3-4 (RFC 5891 §4.2.3.1)" },
  { name: 'ki-tab.az', verdict: 'ok', why: 'single inner hyphen' },
  { name: 'a-b.az', verdict: 'ok', why: 'three characters with a hyphen' },
  { name: '-.az', verdict: 'refused', clauses: ['R4.1.1', 'R4.1.3'], why: 'every problem is reported' },
  { name: 'xn--ki-eta41h.az', verdict: 'review', clauses: ['R4.2'], ascii: 'xn--ki-eta41h.az', unicode: 'şəki.az', bundleKey: 'seki.az', idn: true, why: 'A-label round trip' },
  { name: 'XN--KI-ETA41H.AZ', verdict: 'review', clauses: ['R4.2'], ascii: 'xn--ki-eta41h.az', unicode: 'şəki.az', why: 'A-labels are case-insensitive' },
  { name: 'xn--ktab-lza.az', verdict: 'ok', unicode: 'kıtab.az', ascii: 'xn--ktab-lza.az', why: 'A-label of kıtab' },
  { name: 'xn--ki-eta41h.com.az', verdict: 'review', clauses: ['R4.2'], unicode: 'şəki.com.az', why: 'A-label at third level' },
  { name: 'xn--abc-.az', verdict: 'refused', clauses: ['R4.1.3'], ascii: null, why: 'decodes to pure ASCII' },
  { name: 'xn--kitab-.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'ASCII A-label of kitab' },
  { name: 'xn--zz.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'invalid Punycode' },
  { name: 'xn--.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'empty Punycode' },
  { name: 'xn--ab-7u1lmq.az', verdict: 'refused', clauses: ['R4.1.3', 'R4.1.2'], why: 'does not re-encode identically; decodes outside the repertoire' },
  { name: 'xn--e1afmkfd.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'decodes to Cyrillic пример' },
  { name: 'xn--ki-bta81h.az', verdict: 'refused', clauses: ['R4.1.2'], why: 'decodes to uppercase Şəki: not a U-label' },
  { name: 'xn--ski-dtb34h.az', verdict: 'refused', clauses: ['R4.1.3'], why: 'decodes to a non-NFC string' },
  { name: 'xn----ki-45a41m.az', verdict: 'refused', clauses: ['R4.1.3'], why: "U-label şə--ki has '--'" },
  { name: 'ab--cd.az', verdict: 'refused', clauses: ['R4.1.3'], why: "reserved ACE-like prefix ab--" },

  // R4.3, R4.4 Stop-list: substring, folded, hyphenated, uppercase
  { name: 'fuck.az', verdict: 'refused', clauses: ['R4.3'], grounds: ['R5.1.5'], why: 'exact word' },
  { name: 'FUCK.AZ', verdict: 'refused', clauses: ['R4.3'], why: 'uppercase' },
  { name: 'xx-fuck-yy.az', verdict: 'refused', clauses: ['R4.3'], why: 'substring' },
  { name: 'f-u-c-k.az', verdict: 'refused', clauses: ['R4.3'], why: 'hyphenated evasion' },
  { name: 'fück.az', verdict: 'refused', clauses: ['R4.3'], why: 'folding evasion ü→u' },
  { name: 'bıtch.az', verdict: 'refused', clauses: ['R4.3'], why: 'folding evasion ı→i' },
  { name: 'shitbank.com.az', verdict: 'refused', clauses: ['R4.3'], why: 'substring at third level' },
  { name: 'qəhbə.az', verdict: 'refused', clauses: ['R4.3'], why: 'Azerbaijani, IDN' },
  { name: 'qehbe-xana.az', verdict: 'refused', clauses: ['R4.3'], why: 'Azerbaijani, folded, as substring' },
  { name: 'blyat.az', verdict: 'refused', clauses: ['R4.3'], why: 'Russian, transliterated' },
  { name: 'sik.az', verdict: 'refused', clauses: ['R4.3'], why: 'short stem, exact' },
  { name: 'şikayət.az', verdict: 'ok', why: "'sik' is exact-only, so şikayət (complaint) passes" },
  { name: 'scunthorpe.az', verdict: 'ok', why: "'cunt' is exact-only" },
  { name: 'cunt.az', verdict: 'refused', clauses: ['R4.3'], why: 'exact entry' },
  { name: 'badword123.az', verdict: 'refused', clauses: ['R4.3'], why: 'test entry, substring with digits' },
  { name: 'xx-bad-word.az', verdict: 'refused', clauses: ['R4.3'], why: 'test entry, hyphenated' },
  { name: 'bedroom.az', verdict: 'refused', clauses: ['R4.3'], why: "test entry 'bəd' matches its folded form" },
  { name: 'bädword.az', verdict: 'refused', clauses: ['R4.1.2'], not: ['R4.3'], why: 'ä is not folded: refused for the character only' },
  { name: 'fuck_you.az', verdict: 'refused', clauses: ['R4.1.2', 'R4.3'], why: 'all reasons are collected' },
  { name: 'fuck.gov.az', verdict: 'refused', clauses: ['R4.3', 'R3.2'], why: 'refused beats review' },

  // R4.9 reserved
  { name: 'whois.az', verdict: 'review', clauses: ['R4.9'], why: 'reserved' },
  { name: 'WHOIS.AZ', verdict: 'review', clauses: ['R4.9'], why: 'reserved, uppercase' },
  { name: 'who-is.az', verdict: 'review', clauses: ['R4.9'], why: 'reserved, hyphen ignored' },
  { name: 'nic.com.az', verdict: 'review', clauses: ['R4.9'], why: 'reserved at third level' },
  { name: 'whoisx.az', verdict: 'ok', why: 'reserved entries are exact' },
  { name: 'whois.gov.az', verdict: 'review', clauses: ['R4.9', 'R3.2'], why: 'two review reasons' },

  // R4.2 geographic names and persons
  { name: 'naxçıvan.az', verdict: 'review', clauses: ['R4.2'], why: 'city and autonomous republic' },
  { name: 'naxcivan.az', verdict: 'review', clauses: ['R4.2'], why: 'folded' },
  { name: 'nakhchivan.az', verdict: 'review', clauses: ['R4.2'], why: 'exonym' },
  { name: 'şə-ki.az', verdict: 'review', clauses: ['R4.2'], why: 'hyphen does not evade R4.2' },
  { name: 'qarabağ.az', verdict: 'review', clauses: ['R4.2'], why: 'region' },
  { name: 'şəki-turizm.az', verdict: 'review', clauses: ['R4.2'], why: 'derived word: the place as a part of the label' },
  { name: 'turizm-sheki.com.az', verdict: 'review', clauses: ['R4.2'], why: 'derived word, exonym, last part, third level' },
  { name: 'şərqi-zəngəzur-tur.az', verdict: 'review', clauses: ['R4.2'], why: 'a hyphenated place name as consecutive parts' },
  { name: 'şəkil.az', verdict: 'ok', not: ['R4.2'], why: 'a word that only begins like a place name is not derived from it' },
  { name: 'zəngəzur-şərqi.az', verdict: 'ok', not: ['R4.2'], why: 'the parts of a place name in another order' },
  { name: 'nizami.az', verdict: 'review', clauses: ['R4.2'], why: 'poet' },
  { name: 'füzuli.az', verdict: 'review', clauses: ['R4.2'], why: 'district and poet' },
  { name: 'heydər-əliyev-fondu.az', verdict: 'review', clauses: ['R4.2'], why: 'person, derived expression (substring)' },
  { name: 'heydaraliyevfoundation.az', verdict: 'review', clauses: ['R4.2'], why: 'person, English transliteration' },

  // R4.8 organisations and state bodies
  { name: 'prezident.az', verdict: 'review', clauses: ['R4.8'], grounds: ['R5.1.7'], why: 'state body' },
  { name: 'milli-məclis.az', verdict: 'review', clauses: ['R4.8'], why: 'parliament' },
  { name: 'millimeclis.az', verdict: 'review', clauses: ['R4.8'], why: 'parliament, folded and unhyphenated' },
  { name: 'icta.az', verdict: 'review', clauses: ['R4.8'], why: 'agency abbreviation' },
  { name: 'socar.az', verdict: 'review', clauses: ['R4.8'], why: 'state company' },
  { name: 'prezident.gov.az', verdict: 'review', clauses: ['R4.8', 'R3.2'], why: 'state body in gov.az' },

  // R4.13 grandfathered names: R4.1 waived, DNS/IDNA and other rules kept
  { name: 'xy.az', verdict: 'ok', ascii: 'xy.az', why: 'on the grandfathered list: 2 characters allowed' },
  { name: 'ab.az', grandfathered: true, verdict: 'ok', why: 'grandfathered by option' },
  { name: 'x.az', grandfathered: true, verdict: 'ok', why: 'one character, grandfathered' },
  { name: 'old--name.az', verdict: 'ok', why: 'double hyphen waived (not in positions 3-4)' },
  { name: 'əş.az', verdict: 'ok', unicode: 'əş.az', why: 'grandfathered list entry in A-label form' },
  { name: 'çə.az', verdict: 'ok', why: 'grandfathered list entry in U-label form, any case' },
  { name: 'ab--cd.az', grandfathered: true, verdict: 'refused', clauses: ['R4.13'], not: ['R4.1.3'], why: "'--' in positions 3-4 is still invalid IDNA" },
  { name: '-ab.az', grandfathered: true, verdict: 'refused', clauses: ['R4.13'], why: 'leading hyphen is invalid in DNS host names' },
  { name: `${a63}a.az`, grandfathered: true, verdict: 'refused', clauses: ['R4.13'], why: 'over 63 octets' },
  { name: 'my_site.az', grandfathered: true, verdict: 'refused', clauses: ['R4.13'], why: 'not LDH' },
  { name: 'fuck.az', grandfathered: true, verdict: 'refused', clauses: ['R4.3'], why: 'R4.13 waives only R4.1' },
  { name: 'şə.az', grandfathered: true, verdict: 'ok', idn: true, why: 'IDN shorter than 3, grandfathered' },

  // The '.tg' profile: ASCII only, 2LD only, no review
  { tld: 'tg', name: 'hello.tg', verdict: 'ok', ascii: 'hello.tg', bundleKey: 'hello.tg', why: 'plain name' },
  { tld: 'tg', name: 'HELLO.TG.', verdict: 'ok', ascii: 'hello.tg', why: 'case and trailing dot' },
  { tld: 'tg', name: 'ab.tg', verdict: 'ok', why: 'tg allows 2 characters' },
  { tld: 'tg', name: 'a.tg', verdict: 'refused', clauses: ['tg:length'], why: 'too short for tg' },
  { tld: 'tg', name: 'şəki.tg', verdict: 'refused', clauses: ['tg:label'], why: 'no IDNs' },
  { tld: 'tg', name: 'xn--ki-eta41h.tg', verdict: 'refused', clauses: ['tg:label'], why: 'no IDN A-labels' },
  { tld: 'tg', name: 'ab--cd.tg', verdict: 'refused', clauses: ['tg:label'], why: 'hyphen rules' },
  { tld: 'tg', name: 'whois.tg', verdict: 'refused', clauses: ['tg:reserved'], why: 'reserved refuses: no review' },
  { tld: 'tg', name: 'fuck.tg', verdict: 'refused', clauses: ['tg:stop'], why: 'stop list' },
  { tld: 'tg', name: 'baki.tg', verdict: 'ok', why: "the .az geographic list is not .tg's" },
  { tld: 'tg', name: 'lome.tg', verdict: 'ok', why: 'geographic entries have no rule under tg' },
  { tld: 'tg', name: 'abc.gouv.tg', verdict: 'refused', clauses: ['tg:zone'], why: 'restricted zone without review is refused' },
  { tld: 'tg', name: 'hello.com.tg', verdict: 'refused', clauses: ['tg:zone'], why: 'no general-use zones' },
  { tld: 'tg', name: 'tg', verdict: 'refused', clauses: ['tg:name'], why: 'bare TLD' },
  { tld: 'tg', name: 'hello.az', verdict: 'refused', clauses: ['tg:name'], why: 'another TLD' },
];

describe('checkName table', () => {
  it('has at least 90 rows', () => assert.ok(rows.length >= 90, `${rows.length} rows`));
  for (const row of rows) {
    it(`${row.tld ?? 'az'} ${JSON.stringify(row.name).slice(0, 50)} → ${row.verdict}: ${row.why}`, () => {
      const [profile, data] = row.tld === 'tg' ? [tg, tgData] : [az, azData];
      const r = checkName(profile, data, row.name, row.grandfathered ? { grandfathered: true } : {});
      const got = r.reasons.map((x) => x.clause);
      const detail = JSON.stringify(r.reasons.map((x) => `${x.clause}: ${x.message}`));
      assert.equal(r.verdict, row.verdict, detail);
      assert.equal(r.reasons.length === 0, r.verdict === 'ok', 'reasons empty iff ok');
      for (const c of row.clauses ?? []) assert.ok(got.includes(c), `expected ${c} in ${detail}`);
      for (const c of row.not ?? []) assert.ok(!got.includes(c), `unexpected ${c} in ${detail}`);
      for (const g of row.grounds ?? []) assert.ok(r.reasons.some((x) => x.ground === g), `expected ground ${g} in ${detail}`);
      if (row.ascii !== undefined) assert.equal(r.ascii, row.ascii);
      if (row.unicode !== undefined) assert.equal(r.unicode, row.unicode);
      if (row.bundleKey !== undefined) assert.equal(r.bundleKey, row.bundleKey);
      if (row.idn !== undefined) assert.equal(r.idn, row.idn);
      for (const x of r.reasons) {
        assert.ok(x.message.length > 10, 'a specific message');
        if (x.verdict === 'review') assert.ok((x.documents ?? []).length > 0, `documents for ${x.clause}`);
      }
    });
  }
});

describe('checkName details', () => {
  const check = (name: string) => checkName(az, azData, name);

  it('names the code point and suggests ə for Cyrillic ә', () => {
    const m = check('şәki.az').reasons[0]?.message ?? '';
    assert.match(m, /U\+04D9/);
    assert.match(m, /CYRILLIC SMALL LETTER SCHWA/);
    assert.match(m, /did you mean 'ə' U\+0259/);
    assert.match(m, /mixing Cyrillic with Latin/);
  });

  it('explains i + U+0307', () => {
    assert.match(check('i\u0307mişli.az').reasons[0]?.message ?? '', /U\+0307.*plain 'i'/);
  });

  it('reports which length fails: the A-label for a long IDN', () => {
    const r = check(`${schwa58}.az`);
    assert.equal(r.reasons.length, 1);
    assert.match(r.reasons[0]?.message ?? '', /A-label .* 64 octets.*58 characters/);
    assert.match(check(`${a63}a.az`).reasons[0]?.message ?? '', /64 characters/);
  });

  it('U-label and A-label input give the same result', () => {
    for (const [u, a] of [['şəki.az', 'xn--ki-eta41h.az'], ['kıtab.com.az', 'xn--ktab-lza.com.az'], ['özel.az', 'xn--zel-rna.az']] as const) {
      const x = check(u);
      const y = check(a);
      assert.deepEqual({ ...y, input: u }, x);
    }
  });

  it('variants share a bundle key', () => {
    const keys = ['şəki.az', 'seki.az', 'ŞƏKİ.az', 'xn--ki-eta41h.az', 'şeki.az', 'səki.az'].map((n) => check(n).bundleKey);
    assert.deepEqual(new Set(keys), new Set(['seki.az']));
    assert.notEqual(check('şəki.com.az').bundleKey, check('şəki.az').bundleKey);
  });

  it('review reasons carry documents; refusals carry a ground', () => {
    const p = check('füzuli.az');
    assert.equal(p.reasons.length, 2);
    assert.ok(p.reasons.some((r) => r.match?.list === 'geographic'));
    assert.ok(p.reasons.some((r) => r.match?.list === 'person' && (r.documents ?? []).some((d) => /heirs/.test(d))));
    for (const r of check('-ab_c.az').reasons) assert.equal(r.ground, 'R5.1.3');
  });

  it('stop-list messages show the normalized comparison', () => {
    const m = check('F-Ü-C-K.az').reasons.find((r) => r.clause === 'R4.3')?.message ?? '';
    assert.match(m, /'fuck'/);
    assert.match(m, /compared as 'fuck'/);
  });

  it('live zones: the registry can add a general-use zone and restrict it', () => {
    const data: PolicyData = { zones: [...azData.zones, { name: 'sport.az', parent: 'az', restricted: true }], lists: [] };
    assert.equal(checkName(az, data, 'kitab.sport.az').verdict, 'review');
    assert.equal(checkName(az, data, 'sport.az').reasons[0]?.ground, 'R5.1.4');
    assert.equal(checkName(az, { zones: [], lists: [] }, 'kitab.com.az').verdict, 'refused', 'no live zones: only 2LDs');
  });

  it('list edits take effect on the same data object', () => {
    const data: PolicyData = { zones: azData.zones, lists: [] };
    assert.equal(checkName(az, data, 'kitabxana.az').verdict, 'ok');
    data.lists.push({ list: 'stop', word: 'kitabxana', match: 'exact' });
    assert.equal(checkName(az, data, 'kitabxana.az').verdict, 'refused');
  });

  it('the starter lists are clean: no listed word is refused by another list or by R4.1', () => {
    for (const e of az.starter.lists) {
      if (e.list === 'stop') continue;
      const r = checkName(az, az.starter, `${e.word}.az`);
      assert.notEqual(r.verdict, 'refused', `${e.word}: ${JSON.stringify(r.reasons)}`);
      assert.equal(r.verdict, 'review', e.word);
    }
  });
});
