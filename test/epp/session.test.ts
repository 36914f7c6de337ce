// EPP sessions over real TLS (RFC 5730 §2.4, §2.9.1, RFC 5734): greeting, login and its refusals,
// logout, and the per-session limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCa, issueClientCert } from '../../src/pki/index.ts';
import { EXTENSION_URIS, NS, OBJECT_URIS } from '../../src/epp/namespaces.ts';
import { addressAllowed } from '../../src/epp/flows/session/login.ts';
import { EppClient } from '../helpers/epp-client.ts';
import { domain } from './commands.ts';
import { harness, PASSWORD, type Harness } from './harness.ts';

describe('EPP session', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.registrar('reg-one');
    await h.registrar('reg-two');
  });
  after(async () => { await h?.close(); });

  test('the greeting announces version, language, objects, extensions and dcp (RFC 5730 §2.4); <hello> repeats it', async () => {
    const c = await h.client('reg-one', { login: false });
    const g = c.greeting;
    assert.equal(g.text('epp:svID'), 'domen .az EPP server');
    assert.equal(g.text('epp:version'), '1.0');
    assert.equal(g.text('epp:lang'), 'en');
    assert.deepEqual(g.texts('epp:objURI'), [...OBJECT_URIS]);
    assert.deepEqual(g.texts('epp:extURI'), [...EXTENSION_URIS]);
    assert.ok(g.first('epp:dcp')?.child('epp:access')?.child('epp:all'));
    assert.equal(g.text('epp:svDate'), '2026-03-02T09:00:00.000Z');
    const again = await c.hello();
    assert.ok(again.first('epp:greeting'));
  });

  test('login succeeds with the registered certificate and password; clTRID echoed, svTRIDs unique', async () => {
    const c = await h.client('reg-one', { login: false });
    const r = await c.login('reg-one', PASSWORD);
    assert.equal(r.code, 1000);
    assert.match(r.clTRID ?? '', /^test-/);
    const a = await c.command(domain.check('a1.az'), { clTRID: 'ABC-12345' });
    const b = await c.command(domain.check('a2.az'));
    assert.equal(a.clTRID, 'ABC-12345');
    assert.notEqual(a.svTRID, b.svTRID);
    assert.ok(a.svTRID! < b.svTRID!, 'svTRIDs are ordered by time');
    const none = await c.command(domain.check('a3.az'), { clTRID: null });
    assert.equal(none.clTRID, undefined);
  });

  test('TLS 1.2 and TLS 1.3 are both accepted', async () => {
    for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
      const c = await h.client('reg-one', { connect: { minVersion: v, maxVersion: v } });
      assert.equal(c.socket.getProtocol(), v);
      await c.close();
    }
  });

  test('a wrong password is 2200; the third failure is 2501 and closes the connection (RFC 5730 §2.9.1.1)', async () => {
    const c = await h.client('reg-one', { login: false });
    assert.equal((await c.login('reg-one', 'Wrong-Pass-1')).code, 2200);
    assert.equal((await c.login('reg-one', 'Wrong-Pass-2')).code, 2200);
    const third = await c.login('reg-one', 'Wrong-Pass-3');
    assert.equal(third.code, 2501);
    assert.equal(await c.read(), null);
  });

  test("another registrar's certificate is refused with 2501 and the connection closed (RFC 5734 §8)", async () => {
    const c = await h.client('reg-two', { login: false });
    const r = await c.login('reg-one', PASSWORD);
    assert.equal(r.code, 2501);
    assert.match(r.msg, /not registered for reg-one/);
    assert.equal(await c.read(), null);
  });

  test('an unknown clID gets the same answer as a foreign certificate', async () => {
    const c = await h.client('reg-one', { login: false });
    const r = await c.login('no-such-reg', PASSWORD);
    assert.equal(r.code, 2501);
    assert.match(r.msg, /not registered for no-such-reg/);
  });

  test('a certificate from another CA, or none at all, does not get past TLS', async () => {
    const ca = await createCa({ commonName: 'Not the registry CA' });
    const rogue = await issueClientCert(ca, { commonName: 'reg-one' });
    const registryCaPem = (await h.registrar('reg-three')).caPem;
    await assert.rejects(EppClient.connect(h.port, { ...rogue, caPem: registryCaPem }, { timeoutMs: 3000 }));
    await assert.rejects(EppClient.connect(h.port, { caPem: registryCaPem }, { timeoutMs: 3000 }));
    // The server is still fine.
    const ok = await h.client('reg-one');
    assert.equal((await ok.command(domain.check('still-ok.az'))).code, 1000);
  });

  test('commands before login, and a second login, are 2002', async () => {
    const c = await h.client('reg-one', { login: false });
    assert.equal((await c.command(domain.check('x1.az'))).code, 2002);
    assert.equal((await c.logout()).code, 2002);
    assert.equal((await c.login('reg-one', PASSWORD)).code, 1000);
    assert.equal((await c.login('reg-one', PASSWORD)).code, 2002);
  });

  test('an unknown objURI is 2307, an unknown extURI 2103, a language other than en 2102, a version other than 1.0 2100', async () => {
    const c = await h.client('reg-one', { login: false });
    assert.equal((await c.login('reg-one', PASSWORD, { objURIs: [...OBJECT_URIS, 'urn:example:params:xml:ns:widget-1.0'] })).code, 2307);
    assert.equal((await c.login('reg-one', PASSWORD, { extURIs: ['urn:ietf:params:xml:ns:epp:fee-1.0'] })).code, 2103);
    assert.equal((await c.login('reg-one', PASSWORD, { lang: 'az' })).code, 2102);
    const v2 = await c.command(`<login><clID>reg-one</clID><pw>${PASSWORD}</pw><options><version>2.0</version><lang>en</lang></options><svcs><objURI>${NS.domain}</objURI></svcs></login>`);
    assert.equal(v2.code, 2100);
    assert.equal((await c.login('reg-one', PASSWORD)).code, 1000);
  });

  test('services not announced at login are 2002; extensions we do not serve are 2103', async () => {
    const c = await h.client('reg-one', { login: false });
    assert.equal((await c.login('reg-one', PASSWORD, { objURIs: [NS.domain], extURIs: [] })).code, 1000);
    assert.equal((await c.command(`<check><host:check xmlns:host="${NS.host}"><host:name>ns1.example.net</host:name></host:check></check>`)).code, 2002);
    const secdns = `<secDNS:create xmlns:secDNS="${NS.secDNS}"><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType><secDNS:digest>AA</secDNS:digest></secDNS:dsData></secDNS:create>`;
    assert.equal((await c.command(domain.create({ name: 'ext.az', registrant: 'nobody' }), { extension: secdns })).code, 2002);
    const fee = `<fee:check xmlns:fee="${NS.fee}"><fee:currency>AZN</fee:currency><fee:command name="create"/></fee:check>`;
    assert.equal((await c.command(domain.check('ext.az'), { extension: fee })).code, 2103);
    const unknown = '<w:thing xmlns:w="urn:example:widget-1.0"/>';
    assert.equal((await c.command(domain.check('ext.az'), { extension: unknown })).code, 2103);
  });

  test('an extension on a command it does not extend is 2103', async () => {
    const c = await h.client('reg-one');
    const secdns = `<secDNS:create xmlns:secDNS="${NS.secDNS}"><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType><secDNS:digest>AA</secDNS:digest></secDNS:dsData></secDNS:create>`;
    assert.equal((await c.command(domain.check('ext.az'), { extension: secdns })).code, 2103);
  });

  test('logout answers 1500 and the server closes the connection', async () => {
    const c = await h.client('reg-one');
    const r = await c.logout();
    assert.equal(r.code, 1500);
    assert.equal(await c.read(), null);
  });

  test('newPW changes the password (RFC 5730 §2.9.1.1); a weak newPW fails the login', async () => {
    await h.registrar('reg-pw');
    const c = await h.client('reg-pw', { login: false });
    assert.equal((await c.login('reg-pw', PASSWORD, { newPW: 'Short1A' })).code, 2004);
    assert.equal((await c.login('reg-pw', PASSWORD, { newPW: 'alllowercase1' })).code, 2306);
    assert.equal((await c.login('reg-pw', PASSWORD, { newPW: 'New-Secret-22' })).code, 1000);
    await c.logout();
    const d = await h.client('reg-pw', { login: false });
    assert.equal((await d.login('reg-pw', PASSWORD)).code, 2200);
    assert.equal((await d.login('reg-pw', 'New-Secret-22')).code, 1000);
  });

  test('a suspended registrar cannot log in (R9.8); an address off the allowlist is refused', async () => {
    await h.registrar('reg-susp');
    await h.t.reg.db.updateTable('registrars').set({ status: 'suspended' }).where('id', '=', 'reg-susp').execute();
    const c = await h.client('reg-susp', { login: false });
    const r = await c.login('reg-susp', PASSWORD);
    assert.equal(r.code, 2501);
    assert.match(r.msg, /suspended/);

    await h.registrar('reg-ip');
    await h.t.reg.db.updateTable('registrars').set({ ip_allowlist: ['192.0.2.0/24'] }).where('id', '=', 'reg-ip').execute();
    const d = await h.client('reg-ip', { login: false });
    const refused = await d.login('reg-ip', PASSWORD);
    assert.equal(refused.code, 2501);
    assert.match(refused.msg, /allowlist/);
    await h.t.reg.db.updateTable('registrars').set({ ip_allowlist: ['127.0.0.0/8', '::1'] }).where('id', '=', 'reg-ip').execute();
    const e = await h.client('reg-ip', { login: false });
    assert.equal((await e.login('reg-ip', PASSWORD)).code, 1000);
  });

  test('allowlist entries: addresses and CIDR blocks, IPv4-mapped IPv6 as IPv4', () => {
    assert.equal(addressAllowed([], '203.0.113.9'), true);
    assert.equal(addressAllowed(['203.0.113.0/24'], '::ffff:203.0.113.9'), true);
    assert.equal(addressAllowed(['203.0.113.9'], '203.0.113.10'), false);
    assert.equal(addressAllowed(['2001:db8::/32'], '2001:db8::1'), true);
  });
});

describe('EPP session limits', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ idleTimeoutMs: 1500, maxSessionsPerRegistrar: 2, commandsPerSecond: 1, commandBurst: 4 });
    await h.registrar('reg-idle');
    await h.registrar('reg-many');
    await h.registrar('reg-fast');
  });
  after(async () => { await h?.close(); });

  test('an idle session is closed', async () => {
    const c = await h.client('reg-idle');
    // null: the server closed the session (read() throws when nothing comes in time).
    assert.equal(await c.read(5000), null);
  });

  test('one session more than the maximum per registrar is 2502 and closed; a freed place can be taken again', async () => {
    const a = await h.client('reg-many');
    await h.client('reg-many');
    const c = await h.client('reg-many', { login: false });
    const r = await c.login('reg-many', PASSWORD);
    assert.equal(r.code, 2502);
    assert.equal(await c.read(), null);
    await a.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const d = await h.client('reg-many', { login: false });
    assert.equal((await d.login('reg-many', PASSWORD)).code, 1000);
  });

  test('a session over its command rate gets 2502 and is closed', async () => {
    const c = await h.client('reg-fast');
    let last = 0;
    for (let i = 0; i < 6 && !c.ended; i++) {
      const r = await c.command(domain.check(`fast${i}.az`)).catch(() => null);
      if (!r) break;
      last = r.code;
      if (r.code === 2502) break;
    }
    assert.equal(last, 2502);
    assert.equal(await c.read(), null);
  });
});

describe('EPP per-registrar rate limit', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ registrarCommandsPerSecond: 1, registrarCommandBurst: 6 });
    await h.registrar('reg-busy');
    await h.registrar('reg-calm');
  });
  after(async () => { await h?.close(); });

  test("the registrar's sessions share one budget: over it, 2502 and close; another registrar is unaffected", async () => {
    const a = await h.client('reg-busy');
    const b = await h.client('reg-busy');
    const calm = await h.client('reg-calm');
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const c of [a, b]) {
        if (c.ended) continue;
        const r = await c.command(domain.check(`busy${i}.az`)).catch(() => null);
        if (r) codes.push(r.code);
      }
    }
    // Logins are not counted; 6 commands pass, the 7th is refused and its session closed.
    assert.deepEqual(codes.slice(0, 7), [1000, 1000, 1000, 1000, 1000, 1000, 2502]);
    assert.equal((await calm.command(domain.check('calm.az'))).code, 1000);
  });
});
