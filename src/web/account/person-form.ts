// The person data of R3.7 (natural person) and R3.8 (legal entity) as form fields, and back. Pages work without
// JavaScript, so both groups are shown; the kind chosen decides which are read.
import type { PersonData } from '../../core/accounts.ts';
import type { Lang } from '../pages/i18n.ts';
import { esc } from '../pages/layout.ts';
import { ta, type AccountKey } from './messages.ts';

type Body = Record<string, string | undefined>;

function field(L: Lang, name: string, label: AccountKey, value: unknown, opts: { type?: string; required?: boolean; autocomplete?: string; size?: number } = {}): string {
  return `<div><label for="f-${name}">${esc(ta(L, label))}</label><input id="f-${name}" name="${name}" type="${opts.type ?? 'text'}" value="${esc(value == null ? '' : String(value))}"${opts.required ? ' required' : ''}${opts.autocomplete ? ` autocomplete="${opts.autocomplete}"` : ''} size="${opts.size ?? 30}"></div>`;
}

/** `fixedKind`: the profile page, where the kind cannot change (R10.1). */
export function personFields(L: Lang, p: Partial<PersonData>, fixedKind?: 'natural' | 'legal'): string {
  const kind = fixedKind ?? p.kind ?? 'natural';
  const rep = p.representative ?? null;
  const kindField = fixedKind
    ? `<input type="hidden" name="kind" value="${fixedKind}"><p>${esc(ta(L, fixedKind))}</p>`
    : `<fieldset><legend>${esc(ta(L, 'kind'))}</legend>
<div><input type="radio" id="kind-natural" name="kind" value="natural"${kind === 'natural' ? ' checked' : ''}> <label class="check" for="kind-natural">${esc(ta(L, 'natural'))}</label></div>
<div><input type="radio" id="kind-legal" name="kind" value="legal"${kind === 'legal' ? ' checked' : ''}> <label class="check" for="kind-legal">${esc(ta(L, 'legal'))}</label></div></fieldset>`;
  const natural = `<fieldset><legend>${esc(ta(L, 'person'))}${fixedKind ? '' : ` (${esc(ta(L, 'natural'))})`}</legend>
${field(L, 'givenName', 'givenName', kind === 'natural' ? p.givenName : '', { autocomplete: 'given-name' })}
${field(L, 'familyName', 'familyName', kind === 'natural' ? p.familyName : '', { autocomplete: 'family-name' })}
${field(L, 'patronymic', 'patronymic', kind === 'natural' ? p.patronymic : '', { autocomplete: 'additional-name' })}
${field(L, 'citizenship', 'citizenship', p.citizenship ?? 'AZ', { size: 4 })}
${field(L, 'idSeries', 'idSeries', kind === 'natural' ? p.idSeries : '', { size: 6 })}
${field(L, 'idNumber', 'idNumber', kind === 'natural' ? p.idNumber : '', { size: 12 })}
${field(L, 'idAuthority', 'idAuthority', kind === 'natural' ? p.idAuthority : '')}
${field(L, 'idIssuedOn', 'idIssuedOn', kind === 'natural' ? p.idIssuedOn : '', { type: 'date' })}
${field(L, 'tinNatural', 'tinNatural', kind === 'natural' ? p.tin : '', { size: 12 })}</fieldset>`;
  const legal = `<fieldset><legend>${esc(ta(L, 'entity'))}${fixedKind ? '' : ` (${esc(ta(L, 'legal'))})`}</legend>
${field(L, 'orgName', 'orgName', p.orgName, { autocomplete: 'organization' })}
${field(L, 'regCountry', 'regCountry', p.regCountry ?? 'AZ', { size: 4 })}
${field(L, 'tin', 'tin', kind === 'legal' ? p.tin : '', { size: 12 })}
${field(L, 'repName', 'repName', rep?.name)}
${field(L, 'repPosition', 'repPosition', rep?.position)}
${field(L, 'repIdSeries', 'repIdSeries', rep?.idSeries, { size: 6 })}
${field(L, 'repIdNumber', 'repIdNumber', rep?.idNumber, { size: 12 })}</fieldset>`;
  const address = `<fieldset><legend>${esc(ta(L, 'address'))}</legend>
${field(L, 'street', 'street', p.street?.[0], { autocomplete: 'street-address', required: true })}
${field(L, 'city', 'city', p.city, { autocomplete: 'address-level2', required: true })}
${field(L, 'pc', 'pc', p.pc, { autocomplete: 'postal-code', size: 10 })}
${field(L, 'cc', 'cc', p.cc ?? 'AZ', { size: 4, required: true })}
${field(L, 'voice', 'voice', p.voice, { type: 'tel', autocomplete: 'tel' })}</fieldset>`;
  return kindField + (fixedKind === 'legal' ? '' : natural) + (fixedKind === 'natural' ? '' : legal) + address;
}

const s = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.trim() || undefined);

export function personFromForm(b: Body): PersonData {
  const kind = b.kind === 'legal' ? 'legal' : 'natural';
  const common = { street: s(b.street) ? [s(b.street)!] : [], city: s(b.city), pc: s(b.pc) ?? null, cc: s(b.cc)?.toUpperCase(), voice: s(b.voice) ?? null };
  if (kind === 'natural') {
    return {
      kind, ...common, givenName: s(b.givenName), familyName: s(b.familyName), patronymic: s(b.patronymic) ?? null, citizenship: s(b.citizenship) ?? null,
      idSeries: s(b.idSeries)?.toUpperCase() ?? null, idNumber: s(b.idNumber) ?? null, idAuthority: s(b.idAuthority) ?? null, idIssuedOn: s(b.idIssuedOn) ?? null,
      tin: s(b.tinNatural) ?? null,
    } as PersonData;
  }
  const repName = s(b.repName);
  return {
    kind, ...common, orgName: s(b.orgName), regCountry: s(b.regCountry) ?? null, tin: s(b.tin) ?? null,
    representative: repName ? { name: repName, position: s(b.repPosition) ?? null, idSeries: s(b.repIdSeries)?.toUpperCase() ?? null, idNumber: s(b.repIdNumber) ?? null } : null,
  } as PersonData;
}
