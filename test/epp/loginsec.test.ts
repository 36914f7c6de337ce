// The login security extension (RFC 9167): passwords longer than the 16 characters of the EPP schema
// through "[LOGIN-SECURITY]", the userAgent, and security events in the login response.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSION_URIS, NS, OBJECT_URIS } from '../../src/epp/namespaces.ts';
import { escapeText } from '../../src/epp/responses.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { harness, PASSWORD, type Harness } from './harness.ts';

const LS = '[LOGIN-SECURITY]';

function loginSec(c: EppClient, clID: string, o: { pw: string; newPW?: string; extPw?: string; extNewPW?: string; ua?: boolean; announce?: boolean }) {
  const ext = o.announce === false ? EXTENSION_URIS.filter((u) => u !== NS.loginSec) : EXTENSION_URIS;
  const inner = (o.ua ? '<loginSec:userAgent><loginSec:app>domen-tests 1.0</loginSec:app><loginSec:tech>Node.js</loginSec:tech><loginSec:os>Linux</loginSec:os></loginSec:userAgent>' : '')
    + (o.extPw !== undefined ? `<loginSec:pw>${escapeText(o.extPw)}</loginSec:pw>` : '')
    + (o.extNewPW !== undefined ? `<loginSec:newPW>${escapeText(o.extNewPW)}</loginSec:newPW>` : '');
  return c.command(`<login><clID>${clID}</clID><pw>${escapeText(o.pw)}</pw>${o.newPW ? `<newPW>${escapeText(o.newPW)}</newPW>` : ''}`
    + '<options><version>1.0</version><lang>en</lang></options><svcs>' + OBJECT_URIS.map((u) => `<objURI>${u}</objURI>`).join('')
    + `<svcExtension>${ext.map((u) => `<extURI>${u}</extURI>`).join('')}</svcExtension></svcs></login>`,
  { extension: `<loginSec:loginSec xmlns:loginSec="${NS.loginSec}">${inner}</loginSec:loginSec>` });
}

describe('EPP loginSec (RFC 9167)', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.registrar('reg-ls');
    await h.registrar('reg-ls2');
  });
  after(async () => { await h?.close(); });

  test('the greeting announces loginSec', async () => {
    const c = await h.client('reg-ls', { login: false });
    assert.ok(c.greeting.texts('epp:extURI').includes(NS.loginSec));
  });

  test('a newPW longer than 16 characters through loginSec; then a login with it; the userAgent is logged', async () => {
    const long = 'A-much-longer-Passphrase-2026-with-41chars';
    const c = await h.client('reg-ls', { login: false });
    const r = await loginSec(c, 'reg-ls', { pw: PASSWORD, newPW: LS, extNewPW: long, ua: true });
    assert.equal(r.code, 1000, r.msg);
    assert.match(r.msg, /password changed/);
    await c.logout();
    const d = await h.client('reg-ls', { login: false });
    assert.equal((await d.login('reg-ls', PASSWORD)).code, 2200);
    const ok = await loginSec(d, 'reg-ls', { pw: LS, extPw: long });
    assert.equal(ok.code, 1000, ok.msg);
    // The failed login before is a stat event (RFC 9167 §3.1).
    const ev = ok.find('loginSec:event');
    assert.equal(ev.length, 1, ok.xml);
    assert.equal(ev[0]!.attrs.type, 'stat');
    assert.equal(ev[0]!.attrs.name, 'failedLogins');
    assert.equal(ev[0]!.attrs.value, '1');
    assert.ok(h.events.some((e) => e.event === 'epp.login' && (e.detail.userAgent as { app?: string } | null)?.app === 'domen-tests 1.0'));
  });

  test('"[LOGIN-SECURITY]" without the loginSec password is 2003; a loginSec password beside a plain one 2306', async () => {
    const c = await h.client('reg-ls2', { login: false });
    assert.equal((await c.login('reg-ls2', LS)).code, 2003);
    assert.equal((await loginSec(c, 'reg-ls2', { pw: PASSWORD, extPw: PASSWORD })).code, 2306);
    assert.equal((await loginSec(c, 'reg-ls2', { pw: PASSWORD, ua: true })).code, 1000);
  });

  test('a new password the rules refuse: 2200 with a newPW error event; nothing changes', async () => {
    const c = await h.client('reg-ls2', { login: false });
    const r = await loginSec(c, 'reg-ls2', { pw: PASSWORD, newPW: LS, extNewPW: 'all-lower-case-and-long-enough' });
    assert.equal(r.code, 2200, r.msg);
    const ev = r.find('loginSec:event');
    assert.equal(ev[0]?.attrs.type, 'newPW');
    assert.equal(ev[0]?.attrs.level, 'error');
    // Without loginSec announced, no events.
    const s = await loginSec(c, 'reg-ls2', { pw: PASSWORD, newPW: LS, extNewPW: 'all-lower-case-and-long-enough', announce: false });
    assert.equal(s.code, 2200);
    assert.equal(s.find('loginSec:event').length, 0);
    assert.equal((await c.login('reg-ls2', PASSWORD)).code, 1000);
  });

  test('loginSec on a command other than login is 2103', async () => {
    const c = await h.client('reg-ls2');
    const r = await c.command(`<check><domain:check xmlns:domain="${NS.domain}"><domain:name>x.az</domain:name></domain:check></check>`,
      { extension: `<loginSec:loginSec xmlns:loginSec="${NS.loginSec}"><loginSec:pw>Secret-Pass-1</loginSec:pw></loginSec:loginSec>` });
    assert.equal(r.code, 2103);
  });
});
