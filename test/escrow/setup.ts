// A registry with every kind of object a deposit carries: two registrars (one with an IP allow-list and a
// client certificate), persons and a company with identity data, external and in-zone hosts, DS data, an
// IDN name, held and bare names, a pending transfer, and policy-list entries.
import { createContact, updateContact } from '../../src/core/contacts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';
import { addRegistrarCertificate, setRegistrarIpAllowlist } from '../../src/core/registrars.ts';
import { requestTransfer } from '../../src/core/transfers.ts';
import type { DnsConfig } from '../../src/dns/zone-model.ts';
import { buildUnsigned, publishedZones } from '../../src/dns/build.ts';
import { rdataText } from '../../src/dns/wire.ts';
import type { Registry } from '../../src/core/registry.ts';
import { seedZoneFixture, testConfig } from '../dns/setup.ts';
import { addCompany, addPerson, addRegistrar, na, operator, registrar } from '../helpers/fixtures.ts';
import type { TestRegistry } from '../helpers/registry.ts';

export async function seedEscrowFixture(t: TestRegistry): Promise<void> {
  await seedZoneFixture(t);
  const r = registrar('reg-dns');
  const two = await addRegistrar(t.reg, 'reg-two');
  await setRegistrarIpAllowlist(t.reg, operator, 'reg-two', ['192.0.2.0/24', '2001:db8::/32']);
  await addRegistrarCertificate(t.reg, operator, 'reg-two', 'AA:BB:CC', '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----');
  await addCompany(t.reg, r, 'firma-az');
  await addPerson(t.reg, two, 'two-owner');
  // R8.8 consent: the person publishes the name and the e-mail, and withholds the phone.
  await updateContact(t.reg, two, { handle: 'two-owner', set: { disclose: { name: true, email: true, voice: false } } });
  await createContact(t.reg, r, {
    handle: 'rep-co', kind: 'legal', orgName: 'Xəzər & Partnyorlar <MMC>', regCountry: 'AZ', street: ['Neftçilər pr. 2', 'mərtəbə 3'], city: 'Bakı', cc: 'AZ',
    voice: '+994.124567891', email: 'info@xezer.example.az', tin: '1700456782',
    representative: { name: 'Elvin Məmmədov', position: 'direktor', idSeries: 'AZE', idNumber: '87654321' }, disclose: { voice: true, email: true },
  });
  const idn = await createDomain(t.reg, r, { name: 'gözəl.az', registrant: 'firma-az', contacts: [{ type: 'admin', handle: 'dns-own' }, { type: 'tech', handle: 'rep-co' }], hosts: ['ns1.dns-ext.net', 'ns2.dns-ext.net'] });
  if (idn.status !== 'created') throw new Error('gözəl.az went to review');
  await createDomain(t.reg, r, { name: 'partnyor.org.az', registrant: 'rep-co', periodYears: 3, hosts: ['ns1.beta.az', 'ns2.beta.az'] });
  await updateDomain(t.reg, r, { name: 'partnyor.org.az', add: { statuses: ['clientTransferProhibited'] } });
  await createDomain(t.reg, two, { name: 'ikinci.az', registrant: 'two-owner', authInfo: 'Transfer-Me-42' });
  await requestTransfer(t.reg, r, { name: 'ikinci.az', authInfo: 'Transfer-Me-42', periodYears: 1 });
  await updateDomain(t.reg, na, { name: 'bare.az', add: { statuses: ['serverDeleteProhibited'] } });
  await addListEntry(t.reg, operator, 'reserved', 'neftçala-port', 'exact', 'port authority');
  await addListEntry(t.reg, operator, 'stop', 'saxta', 'substring', null);
}

/** Every record of every published zone, unsigned, as text: what the DNS side would publish. */
export async function zoneRecords(reg: Registry, config: DnsConfig = testConfig('nsec')): Promise<string[]> {
  const zones = (await publishedZones(reg.db)).map((z) => z.name);
  const out: string[] = [];
  for (const z of zones) {
    const zone = await buildUnsigned(reg.db, z, zones, new Map(), config);
    for (const rr of zone.records({ withSigs: false })) out.push(`${rr.name} ${rr.ttl} ${rr.type} ${rdataText(rr.type, rr.rdata)}`);
  }
  return out;
}
