// Field formats shared by the core operations. Each failure names the field and the rule.
import { isIP } from 'node:net';
import { RegistryError } from './errors.ts';

export function validateEmail(v: string, clause: string): void {
  // RFC 5322 addr-spec, the practical subset EPP clients send; no spaces, one '@', a dotted domain.
  if (v.length > 254 || !/^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(v)) {
    throw new RegistryError('syntax', `'${v}' is not a valid e-mail address`, clause);
  }
}

/** RFC 5733 §2.5 e164: +CC.NUMBER, at most 17 characters. */
export function validatePhone(v: string, clause: string): void {
  if (!/^\+[0-9]{1,3}\.[0-9]{1,14}$/.test(v) || v.length > 17) {
    throw new RegistryError('syntax', `'${v}' is not a telephone number in the form +994.123456789 (RFC 5733 §2.5)`, clause);
  }
}

// ISO 3166-1 alpha-2 (officially assigned codes).
const ISO_3166 = new Set((
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH ' +
  'CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP ' +
  'GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR ' +
  'LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF ' +
  'PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ ' +
  'TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '));

export function validateCountry(v: string, field: string, clause: string): string {
  const cc = v.toUpperCase();
  if (!ISO_3166.has(cc)) throw new RegistryError('syntax', `${field} '${v}' is not an ISO 3166-1 alpha-2 country code`, clause);
  return cc;
}

/** Azerbaijani TIN (VÖEN): 10 digits. */
export function validateTin(v: string, clause: string): void {
  if (!/^[0-9]{10}$/.test(v)) throw new RegistryError('syntax', `TIN '${v}' must be 10 digits (VÖEN)`, clause);
}

/** Azerbaijani identity cards: series AZE (8 digits), AA (7 digits); MYI/DYI residence permits (7 digits). */
export function validateAzIdentity(series: string, number: string, clause: string): void {
  const rule: Record<string, RegExp> = { AZE: /^[0-9]{8}$/, AA: /^[0-9]{7}$/, MYI: /^[0-9]{7}$/, DYI: /^[0-9]{7}$/ };
  const re = rule[series.toUpperCase()];
  if (!re) throw new RegistryError('syntax', `ID series '${series}' is not AZE, AA, MYI or DYI`, clause);
  if (!re.test(number)) throw new RegistryError('syntax', `ID number '${number}' does not fit series ${series.toUpperCase()}`, clause);
}

export function validateDate(v: string, field: string, clause: string): void {
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new RegistryError('syntax', `${field} '${v}' is not a date YYYY-MM-DD`, clause);
  }
}

/** authInfo (RFC 5731 §2.6): 8..64 printable ASCII characters without spaces, letters and digits both. */
export function validateAuthInfo(v: string): void {
  if (v.length < 8 || v.length > 64 || !/^[\x21-\x7e]+$/.test(v) || !/[A-Za-z]/.test(v) || !/[0-9]/.test(v)) {
    throw new RegistryError('policy', 'authInfo has 8 to 64 printable characters without spaces, with letters and digits', 'RFC 5731 §2.6');
  }
}

/** A host name (RFC 1123 §2.1, RFC 5732 §2.1): LDH labels, at least two, A-label form. */
export function normalizeHostName(v: string): string {
  const name = v.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || labels.some((l) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) {
    throw new RegistryError('syntax', `'${v}' is not a valid host name`, 'RFC 5732 §2.1');
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) throw new RegistryError('syntax', `'${v}' has a numeric top-level label`, 'RFC 5732 §2.1');
  return name;
}

/** Glue must be a global unicast address (RFC 5732 §2.5; RFC 6890 special-purpose ranges refused). */
export function normalizeAddress(v: string): string {
  const family = isIP(v);
  if (family === 0) throw new RegistryError('syntax', `'${v}' is not an IP address`, 'RFC 5732 §2.5');
  if (family === 4) {
    const [a, b, c] = v.split('.').map(Number) as [number, number, number];
    const special = a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 192 && b === 0 && (c === 0 || c === 2))
      || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113);
    if (special) throw new RegistryError('policy', `${v} is not a global unicast address`, 'RFC 5732 §2.5');
    return v;
  }
  // RFC 5952 text form (lower case, zeros compressed), so '0:0:0:0:0:0:0:1' is '::1' and each address has one spelling.
  let canonical: string;
  try {
    canonical = new URL(`http://[${v}]/`).hostname.slice(1, -1);
  } catch {
    throw new RegistryError('syntax', `'${v}' is not an IP address`, 'RFC 5732 §2.5');
  }
  // Global unicast is 2000::/3 (RFC 4291 §2.4, IANA); 2001:db8::/32 is for documentation (RFC 3849).
  const [g1, g2] = canonical.split(':').map((g) => parseInt(g || '0', 16)) as [number, number];
  if ((g1 & 0xe000) !== 0x2000 || (g1 === 0x2001 && g2 === 0xdb8)) {
    throw new RegistryError('policy', `${v} is not a global unicast address`, 'RFC 5732 §2.5');
  }
  return canonical;
}
