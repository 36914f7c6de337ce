// Port-43 WHOIS (RFC 3912): domain (A-label, U-label), name server, registrar (id or name) and contact queries; the R8.8 redaction;
// a clear no-match line; one query per connection; line length limit; read timeout; per-address rate limit;
// and the Debian `whois` client against it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { startWhois, type WhoisServer } from '../../src/whois/server.ts';
import { rawQuery } from './client.ts';

let t: TestRegistry;
let srv: WhoisServer;
const PERSON = ['Aysel', 'Quliyeva', 'Rəşid', 'Nizami küç. 1', '+994.501234567', 'whois-p1@mail.example.az', '12345678'];

const q = (text: string) => rawQuery(srv.port, `${text}\r\n`);

before(async () => {
  t = await testRegistry();
  const r1 = await addRegistrar(t.reg, 'whois-r1');
  await addPerson(t.reg, r1, 'whois-p1');
  await addCompany(t.reg, r1, 'whois-c1');
  await createDomain(t.reg, r1, { name: 'whoishost1.az', registrant: 'whois-c1' });
  await createHost(t.reg, r1, { name: 'ns1.whoishost1.az', addresses: ['185.129.4.11'] });
  await createHost(t.reg, r1, { name: 'ns2.whois-dns.net' });
  await createDomain(t.reg, r1, { name: 'whoistest1.az', registrant: 'whois-p1', contacts: [{ type: 'tech', handle: 'whois-c1' }],
    hosts: ['ns1.whoishost1.az', 'ns2.whois-dns.net'] });
  await createDomain(t.reg, r1, { name: 'çiçək1.az', registrant: 'whois-p1' });
  await updateDomain(t.reg, operator, { name: 'çiçək1.az', add: { statuses: ['serverHold'] } });
  srv = await startWhois(t.reg, { host: '127.0.0.1', port: 0, rateLimit: false, readTimeoutMs: 500, maxLineLength: 256 });
});
after(async () => { await srv?.close(); await t?.close(); });

describe('queries', () => {
  test('a domain by A-label: registrar, dates, statuses in words, name servers; the natural person redacted', async () => {
    const a = await q('whoistest1.az');
    assert.match(a, /^Domain Name: whoistest1\.az\r$/m);
    assert.match(a, /^Registry Domain ID: D\d+-AZ\r$/m);
    assert.match(a, /^Registrar: Registrar whois-r1\r$/m);
    assert.match(a, /^Creation Date: 2026-03-02T09:00:00Z\r$/m);
    assert.match(a, /^Registry Expiry Date: 2027-03-02T09:00:00Z\r$/m);
    assert.match(a, /^Domain Status: ok \(registered and in use/m);
    assert.match(a, /^Name Server: ns1\.whoishost1\.az 185\.129\.4\.11\r$/m);
    assert.match(a, /^Registrant Name: REDACTED FOR PRIVACY\r$/m);
    assert.match(a, /^Registrant ID: REDACTED FOR PRIVACY\r$/m);
    assert.match(a, /^Tech ID: whois-c1\r$/m);
    assert.match(a, /^Tech Organization: whois-c1 MMC\r$/m);
    assert.match(a, /^Tech Email: info@whois-c1\.example\.az\r$/m);
    assert.match(a, /^DNSSEC: unsigned\r$/m);
    assert.match(a, />>> Last update of WHOIS database: .*Z <<<\r\n$/);
    for (const v of PERSON) assert.ok(!a.includes(v), v);
  });

  test('a domain by U-label, and "domain NAME"; a suspended name says so in words (R3.18)', async () => {
    const u = await q('çiçək1.az');
    assert.match(u, /^Domain Name: xn--ik1-1lab43t\.az\r$/m);
    assert.match(u, /^Internationalized Domain Name: çiçək1\.az\r$/m);
    assert.match(u, /^Domain Status: serverHold \(suspended by the registry \(R7.4, R6.2\): withdrawn from the DNS/m);
    assert.match(u, /^Domain Status: inactive/m);
    assert.doesNotMatch(u, /^Domain Status: ok/m);
    assert.match(await q('domain XN--IK1-1LAB43T.AZ'), /^Domain Name: xn--ik1-1lab43t\.az\r$/m);
  });

  test('name servers ("nameserver NAME" or a host name) and registrars (R9.6)', async () => {
    for (const query of ['nameserver ns1.whoishost1.az', 'ns1.whoishost1.az', 'NS1.WHOISHOST1.AZ.', 'ns2.whois-dns.net']) {
      const a = await q(query);
      assert.match(a, /^Server Name: ns[12]\.whois/m, query);
      assert.match(a, /^Registrar ID: whois-r1\r$/m, query);
    }
    assert.match(await q('ns1.whoishost1.az'), /^IP Address: 185\.129\.4\.11\r$/m);
    const r = await q('registrar whois-r1');
    assert.match(r, /^Registrar: Registrar whois-r1\r$/m);
    assert.match(r, /^Email: ops@whois-r1\.example\.az\r$/m);
  });

  test('registrars by name ("registrar NAME", NAME* for a prefix), and contacts by handle with the same redaction', async () => {
    for (const query of ['registrar Registrar whois-r1', 'registrar registrar WHOIS-R1', 'registrar Registrar whois*']) {
      const r = await q(query);
      assert.match(r, /^Registrar ID: whois-r1\r$/m, query);
      assert.match(r, /^Email: ops@whois-r1\.example\.az\r$/m, query);
    }
    assert.match(await q('registrar Registrar nobody'), /^No match for "Registrar nobody"\.\r$/m);
    assert.match(await q('registrar R*'), /^No match for/m);
    const person = await q('contact whois-p1');
    assert.match(person, /^Contact ID: REDACTED FOR PRIVACY\r$/m);
    assert.match(person, /^Contact Name: REDACTED FOR PRIVACY\r$/m);
    assert.match(person, /^Contact Email: REDACTED FOR PRIVACY\r$/m);
    assert.match(person, /^Contact Country: AZ\r$/m);
    assert.match(person, /^Sponsoring Registrar ID: whois-r1\r$/m);
    for (const v of PERSON) assert.ok(!person.includes(v), v);
    const company = await q('contact whois-c1');
    assert.match(company, /^Contact ID: whois-c1\r$/m);
    assert.match(company, /^Contact Organization: whois-c1 MMC\r$/m);
    assert.match(company, /^Contact Email: info@whois-c1\.example\.az\r$/m);
    assert.doesNotMatch(company, /1700456781/);
    assert.match(await q('contact nobody-here'), /^No match for "nobody-here"\.\r$/m);
  });

  test('a clear no-match line; invalid names and empty queries are explained', async () => {
    assert.match(await q('nosuch1.az'), /^No match for "nosuch1\.az"\.\r$/m);
    assert.match(await q('example.com'), /^No match for "example\.com"\.\r$/m);
    assert.match(await q('registrar nobody'), /^No match for "nobody"\.\r$/m);
    assert.match(await q('nameserver ns9.whoishost1.az'), /^No match for/m);
    assert.match(await q('xn--abc.az'), /^% Invalid query: /m);
    assert.match(await q(''), /^% Empty query/m);
    assert.match(await q('two words here'), /^% Query not understood/m);
  });
});

describe('connection handling', () => {
  test('one query per connection: a second line is ignored and the server closes', async () => {
    const a = await rawQuery(srv.port, 'whoistest1.az\r\nwhoishost1.az\r\n');
    assert.equal(a.match(/^Domain Name: /gm)?.length, 1);
    assert.match(a, /^Domain Name: whoistest1\.az/m);
  });

  test('a query without a line end, then a half-close, is answered', async () => {
    assert.match(await rawQuery(srv.port, 'whoistest1.az', { endAfter: true }), /^Domain Name: whoistest1\.az/m);
  });

  test('line length limit and read timeout', async () => {
    assert.match(await rawQuery(srv.port, `${'a'.repeat(300)}.az\r\n`), /^% Query too long: at most 256 bytes/m);
    assert.match(await rawQuery(srv.port, 'a'.repeat(10_000)), /^% Query too long/m);
    // The server's read timeout answers (the client gives up only after 10 s).
    assert.match(await rawQuery(srv.port, null), /^% Timeout/m);
    assert.match(await rawQuery(srv.port, 'whoistest1'), /^% Timeout/m);
  });

  test('per-address rate limit: one address is refused while another is served', async () => {
    const limited = await startWhois(t.reg, { host: '127.0.0.1', port: 0, rateLimit: { ratePerSecond: 0.5, burst: 2 } });
    try {
      const from2 = [];
      for (let i = 0; i < 4; i++) from2.push(await rawQuery(limited.port, 'whoistest1.az\r\n', { localAddress: '127.0.0.2' }));
      assert.match(from2[0]!, /^Domain Name: whoistest1\.az/m);
      assert.match(from2[1]!, /^Domain Name: whoistest1\.az/m);
      assert.match(from2[3]!, /^% Query rate limit exceeded for 127\.0\.0\.2: try again in \d+ s\./);
      assert.match(await rawQuery(limited.port, 'whoistest1.az\r\n', { localAddress: '127.0.0.3' }), /^Domain Name: whoistest1\.az/m);
    } finally {
      await limited.close();
    }
  });
});

const hasWhois = spawnSync('whois', ['--version'], { stdio: 'ignore' }).status !== null && spawnSync('sh', ['-c', 'command -v whois'], { stdio: 'ignore' }).status === 0;

function whoisClient(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('whois', args, { timeout: 15_000, env: { ...process.env, LANG: 'C.UTF-8' } }, (err, stdout) => {
      // whois exits 0 on an answer; its output is what matters here.
      if (err && !stdout) reject(err); else resolve(stdout);
    });
  });
}

describe('the Debian whois client', { skip: hasWhois ? false : 'the whois client is not installed (apt-get install whois)' }, () => {
  test('whois -h 127.0.0.1 -p PORT NAME, with an A-label and with a U-label', async () => {
    const a = await whoisClient(['-h', '127.0.0.1', '-p', String(srv.port), 'whoistest1.az']);
    assert.match(a, /^Domain Name: whoistest1\.az$/m);
    assert.match(a, /^Registrant Name: REDACTED FOR PRIVACY$/m);
    const u = await whoisClient(['-h', '127.0.0.1', '-p', String(srv.port), 'çiçək1.az']);
    assert.match(u, /^Domain Name: xn--ik1-1lab43t\.az$/m);
    assert.match(u, /^Internationalized Domain Name: çiçək1\.az$/m);
    assert.match(await whoisClient(['-h', '127.0.0.1', '-p', String(srv.port), 'nosuch1.az']), /^No match for "nosuch1\.az"\.$/m);
  });
});
