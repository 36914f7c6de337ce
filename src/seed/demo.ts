// A demo '.az' registry for `npm start` and `domen seed --demo`: the National Administrator's admin,
// two registrars with staff, registrants of both kinds, hosts with glue, ~200 domains across az and the
// general-use zones (IDNs among them), and a few applications waiting for review. Everything is created
// through the core operations, so history, audit and outbox are what real use would leave.
import { sql } from 'kysely';
import { cliActor, type Actor } from '../core/actor.ts';
import { createContact } from '../core/contacts.ts';
import { isRegistryError } from '../core/errors.ts';
import { createDomain } from '../core/domains/create.ts';
import { createHost } from '../core/hosts.ts';
import { createRegistrar, createUser } from '../core/registrars.ts';
import type { Registry } from '../core/registry.ts';
import { creditRegistrar } from '../billing/accounts.ts';

const KEY = 'demo.seeded';

// Deterministic pseudo-random numbers, so every demo registry is the same.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const WORDS = [
  'kitab', 'kitabxana', 'bazar', 'market', 'turizm', 'travel', 'xalca', 'xalça', 'çay', 'çayxana', 'bulvar', 'neft', 'enerji', 'texno', 'tech',
  'rəqəm', 'dijital', 'media', 'xəbər', 'xeber', 'qəzet', 'radio', 'kino', 'teatr', 'musiqi', 'mugam', 'muğam', 'sənət', 'dizayn', 'foto',
  'yemək', 'restoran', 'kafe', 'pizza', 'çörək', 'şirniyyat', 'meyvə', 'tərəvəz', 'aptek', 'klinika', 'stomatoloq', 'sağlam', 'idman', 'futbol',
  'şahmat', 'təhsil', 'kurs', 'akademiya', 'məktəb', 'universitet', 'dil', 'ingilis', 'rus', 'proqram', 'kod', 'data', 'cloud', 'server',
  'hosting', 'domen', 'email', 'poçt', 'kargo', 'logistik', 'avto', 'maşın', 'taksi', 'yol', 'inşaat', 'ev', 'mənzil', 'emlak', 'əmlak',
  'mebel', 'geyim', 'moda', 'ayaqqabı', 'zərgər', 'gül', 'bağ', 'ferma', 'kənd', 'balıq', 'ət', 'süd', 'bal', 'üzüm', 'nar', 'fındıq',
  'sığorta', 'bank', 'kredit', 'ödəniş', 'pul', 'maliyyə', 'hüquq', 'vəkil', 'notarius', 'tərcümə', 'reklam', 'marketinq', 'startap', 'biznes',
];
const SUFFIXES = ['', '24', 'pro', 'plus', 'az', 'group', 'online', 'shop', 'evi', 'mərkəzi'];
const ZONES = ['az', 'az', 'az', 'az', 'com.az', 'com.az', 'net.az', 'org.az', 'info.az', 'biz.az', 'co.az', 'edu.az', 'name.az', 'pp.az'];

export interface DemoCredential { role: string; login: string; password: string; example?: string }

export interface DemoSummary { created: boolean; domains: number; credentials: DemoCredential[] }

/** 'loaded': the demo data is there; 'empty': it can be loaded; 'other': the registry has data of its own. */
export async function demoStatus(reg: Registry): Promise<'loaded' | 'empty' | 'other'> {
  if (await reg.db.selectFrom('settings').select('key').where('key', '=', KEY).executeTakeFirst()) return 'loaded';
  return (await reg.db.selectFrom('registrars').select('id').limit(1).executeTakeFirst()) ? 'other' : 'empty';
}

/** For people: the demo logins and a name to look up. */
export function demoCredentialLines(summary: DemoSummary): string[] {
  const example = summary.credentials.find((c) => c.example)?.example;
  return [
    '  demo credentials:',
    ...summary.credentials.map((c) => `    ${c.role.padEnd(18)} ${c.login.padEnd(26)} ${c.password}`),
    ...(example ? [`  try: npx domen domain info ${example}`] : []),
  ];
}

export async function seedDemo(reg: Registry): Promise<DemoSummary> {
  const prior = await reg.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const count = async () => (await reg.db.selectFrom('domains').select(sql<number>`count(*)::int`.as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n;
  if (prior) return { created: false, domains: await count(), credentials: (prior.value as { credentials: DemoCredential[] }).credentials };
  const anyRegistrar = await reg.db.selectFrom('registrars').select('id').limit(1).executeTakeFirst();
  if (anyRegistrar) {
    throw new Error('this registry already has registrars: the demo data is only loaded into an empty registry '
      + '(after an interrupted demo load, start again from an empty DOMEN_DATA_DIR or database)');
  }

  const credentials: DemoCredential[] = [
    { role: 'NA administrator', login: 'admin@nic.az', password: 'Admin-Demo-2026' },
    { role: 'NA reviewer', login: 'review@nic.az', password: 'Review-Demo-2026' },
    { role: 'registrar (EPP)', login: 'demo-reg1', password: 'Reg1-Demo-2026' },
    { role: 'registrar (EPP)', login: 'demo-reg2', password: 'Reg2-Demo-2026' },
    { role: 'registrar staff', login: 'staff@reg1.az', password: 'Staff1-Demo-2026' },
    { role: 'registrar staff', login: 'staff@reg2.az', password: 'Staff2-Demo-2026' },
  ];
  await createUser(reg, cliActor, { email: 'admin@nic.az', name: 'NA Administrator', role: 'na_admin', password: credentials[0]!.password });
  await createUser(reg, cliActor, { email: 'review@nic.az', name: 'NA Reviewer', role: 'na_staff', password: credentials[1]!.password });
  const registrars = [
    { id: 'demo-reg1', name: 'Birinci Registrator MMC', email: 'support@reg1.az', phone: '+994.124000001', address: 'Nizami küç. 10, Bakı AZ1000', url: 'https://reg1.example.az', password: credentials[2]!.password, staff: credentials[4]! },
    { id: 'demo-reg2', name: 'İkinci Domen Xidməti MMC', email: 'support@reg2.az', phone: '+994.124000002', address: 'Azadlıq pr. 5, Gəncə AZ2000', url: 'https://reg2.example.az', password: credentials[3]!.password, staff: credentials[5]! },
  ];
  for (const r of registrars) {
    await createRegistrar(reg, cliActor, { id: r.id, name: r.name, email: r.email, password: r.password, legalForm: 'MMC', phone: r.phone, address: r.address, url: r.url });
    await createUser(reg, cliActor, { email: r.staff.login, name: `${r.name} staff`, role: 'registrar_admin', registrarId: r.id, password: r.staff.password });
    // A prepaid balance (in qəpik) that pays for the demo's domains and leaves plenty to try things with.
    await creditRegistrar(reg, cliActor, { registrarId: r.id, amount: 5_000_000, reference: 'demo opening payment' });
  }

  const people = [
    { handle: 'ali-h', givenName: 'Əli', familyName: 'Həsənov', patronymic: 'Vüqar oğlu', city: 'Bakı', idSeries: 'AZE', idNumber: '12345678', tin: null },
    { handle: 'leyla-m', givenName: 'Leyla', familyName: 'Məmmədova', patronymic: 'Rauf qızı', city: 'Gəncə', idSeries: 'AA', idNumber: '1234567', tin: '1500123451' },
    { handle: 'rashad-q', givenName: 'Rəşad', familyName: 'Quliyev', patronymic: 'Elçin oğlu', city: 'Sumqayıt', idSeries: null, idNumber: null, tin: null },
    { handle: 'nigar-a', givenName: 'Nigar', familyName: 'Əliyeva', patronymic: 'Tofiq qızı', city: 'Şəki', idSeries: 'AZE', idNumber: '87654321', tin: null },
  ];
  const companies = [
    { handle: 'xezer-tech', orgName: 'Xəzər Texnologiyaları MMC', city: 'Bakı', tin: '1700456781' },
    { handle: 'qafqaz-trade', orgName: 'Qafqaz Ticarət ASC', city: 'Bakı', tin: '1300987651' },
    { handle: 'kend-ferma', orgName: 'Kənd Ferma Kooperativi', city: 'Quba', tin: '2100345671' },
  ];
  const registrants: Record<string, string[]> = { 'demo-reg1': [], 'demo-reg2': [] };
  for (const [i, p] of people.entries()) {
    const registrarId = i % 2 === 0 ? 'demo-reg1' : 'demo-reg2';
    await createContact(reg, cliActor, {
      handle: p.handle, registrarId, kind: 'natural', givenName: p.givenName, familyName: p.familyName, patronymic: p.patronymic, citizenship: 'AZ',
      street: [`${10 + i} Azadlıq prospekti`], city: p.city, pc: `AZ${1000 + i * 100}`, cc: 'AZ', voice: `+994.5055500${10 + i}`,
      email: `${p.handle}@mail.example.az`, idSeries: p.idSeries, idNumber: p.idNumber, idAuthority: p.idSeries ? 'DİN Pasport Qeydiyyat İdarəsi' : null,
      idIssuedOn: p.idSeries ? '2019-05-14' : null, tin: p.tin,
    });
    registrants[registrarId]!.push(p.handle);
  }
  for (const [i, c] of companies.entries()) {
    const registrarId = i % 2 === 0 ? 'demo-reg2' : 'demo-reg1';
    await createContact(reg, cliActor, {
      handle: c.handle, registrarId, kind: 'legal', orgName: c.orgName, regCountry: 'AZ', street: [`${20 + i} Neftçilər prospekti`], city: c.city,
      pc: `AZ${1010 + i}`, cc: 'AZ', voice: `+994.1249000${10 + i}`, email: `info@${c.handle}.example.az`, tin: c.tin,
      representative: { name: 'Direktor Kamran Abbasov', position: 'Direktor', idSeries: 'AZE', idNumber: `1122334${i}` },
    });
    registrants[registrarId]!.push(c.handle);
  }
  for (const registrarId of Object.keys(registrants)) {
    await createContact(reg, cliActor, {
      handle: `${registrarId}-tech`, registrarId, kind: 'legal', orgName: `${registrarId} technical desk`, street: ['Texniki dəstək'], city: 'Bakı', cc: 'AZ',
      voice: '+994.124000099', email: `tech@${registrarId}.example.az`,
    });
  }

  const reg1: Actor = { type: 'registrar', registrarId: 'demo-reg1', source: 'demo' };
  const reg2: Actor = { type: 'registrar', registrarId: 'demo-reg2', source: 'demo' };
  // Name servers: an in-zone pair with glue under reg1's hosting domain, an external pair for everyone.
  await createDomain(reg, reg1, { name: 'hostinglar.az', registrant: 'qafqaz-trade', periodYears: 5 });
  await createHost(reg, reg1, { name: 'ns1.hostinglar.az', addresses: ['185.129.4.10', '2a01:4f8:1:2::10'] });
  await createHost(reg, reg1, { name: 'ns2.hostinglar.az', addresses: ['185.129.5.10'] });
  await createHost(reg, reg1, { name: 'ns1.dns-provider.net' });
  await createHost(reg, reg1, { name: 'ns2.dns-provider.net' });
  await createHost(reg, reg2, { name: 'ns1.cloud-dns.com' });
  await createHost(reg, reg2, { name: 'ns2.cloud-dns.com' });
  const nsFor = { 'demo-reg1': [['ns1.hostinglar.az', 'ns2.hostinglar.az'], ['ns1.dns-provider.net', 'ns2.dns-provider.net']], 'demo-reg2': [['ns1.cloud-dns.com', 'ns2.cloud-dns.com']] };

  const rand = prng(2019_63);
  const used = new Set<string>();
  let made = 1;
  let example: string | undefined;
  for (let i = 0; made < 200 && i < 2000; i++) {
    const word = WORDS[Math.floor(rand() * WORDS.length)]!;
    const suffix = SUFFIXES[Math.floor(rand() * SUFFIXES.length)]!;
    const zone = ZONES[Math.floor(rand() * ZONES.length)]!;
    const label = suffix ? `${word}${rand() < 0.4 ? '-' : ''}${suffix}` : word;
    const name = `${label}.${zone}`;
    if (used.has(name)) continue;
    used.add(name);
    const registrarId = rand() < 0.55 ? 'demo-reg1' : 'demo-reg2';
    const actor = registrarId === 'demo-reg1' ? reg1 : reg2;
    const owners = registrants[registrarId]!;
    const sets = nsFor[registrarId as keyof typeof nsFor];
    const delegated = rand() < 0.85;
    // Only names the policy lets through directly; the queue gets its own examples below.
    if ((await reg.policy.checkName(name)).verdict !== 'ok') continue;
    try {
      const r = await createDomain(reg, actor, {
        name, registrant: owners[Math.floor(rand() * owners.length)]!, periodYears: 1 + Math.floor(rand() * 3),
        contacts: [{ type: 'tech', handle: `${registrarId}-tech` }],
        hosts: delegated ? sets[Math.floor(rand() * sets.length)]! : [],
        ds: delegated && rand() < 0.2 ? [{ keyTag: Math.floor(rand() * 65535), algorithm: 13, digestType: 2, digest: Array.from({ length: 64 }, () => '0123456789ABCDEF'[Math.floor(rand() * 16)]).join('') }] : [],
      });
      if (r.status === 'created') { made++; if (!example && r.domain.unicodeName !== r.domain.name) example = r.domain.unicodeName; }
    } catch (e) {
      // A generated name whose IDN variant is already held by another registrant is skipped.
      if (!(isRegistryError(e) && e.kind === 'exists')) throw e;
    }
  }
  // Applications waiting for review (R4.2 geographic names, R4.8 a state body, R4.9 a reserved name).
  for (const [name, actor, owner] of [['şəki.az', reg2, 'nigar-a'], ['gəncə.com.az', reg2, 'leyla-m'], ['whois.az', reg1, 'ali-h']] as const) {
    await createDomain(reg, actor, { name, registrant: owner, periodYears: 1 });
  }
  if (example) credentials[0] = { ...credentials[0]!, example };
  await reg.db.insertInto('settings').values({ key: KEY, value: JSON.stringify({ at: reg.clock.now().toISOString(), credentials }) }).execute();
  return { created: true, domains: await count(), credentials };
}
