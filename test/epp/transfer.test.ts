// Two registrars against each other: domain transfers (RFC 5731 §3.2.4), both sides' poll messages
// (RFC 5730 §2.9.2.3), and review decisions reaching the registrar as panData (RFC 5731 §3.3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { approveApplication, refuseApplication, reviewQueue } from '../../src/core/applications.ts';
import { addNameServers, addPerson, na, registrar } from '../helpers/fixtures.ts';
import type { EppClient, EppResponse } from '../helpers/epp-client.ts';
import { domain, poll } from './commands.ts';
import { harness, type Harness } from './harness.ts';

/** Reads and acknowledges every message waiting; returns them in order. */
async function drain(c: EppClient): Promise<EppResponse[]> {
  const out: EppResponse[] = [];
  for (;;) {
    const r = await c.command(poll.req());
    if (r.code === 1300) return out;
    assert.equal(r.code, 1301, r.msg);
    out.push(r);
    const id = r.first('epp:msgQ')!.attrs.id!;
    const ack = await c.command(poll.ack(id));
    assert.equal(ack.code, 1000, ack.msg);
    // RFC 5730 §2.6: the ack names the message while others wait; no msgQ once the queue is empty.
    const q = ack.first('epp:msgQ');
    if (q) assert.equal(q.attrs.id, id);
  }
}

describe('EPP transfers and poll', () => {
  let h: Harness;
  let a: EppClient;
  let b: EppClient;
  let nsA: string[];
  before(async () => {
    h = await harness();
    await h.registrar('reg-a');
    await h.registrar('reg-b');
    await addPerson(h.t.reg, registrar('reg-a'), 'owner-a');
    nsA = await addNameServers(h.t.reg, registrar('reg-a'), 'dns-a.net');
    a = await h.client('reg-a');
    b = await h.client('reg-b');
    assert.equal((await a.command(domain.create({ name: 'kocen.az', registrant: 'owner-a', ns: nsA, authInfo: 'Kocen-Auth-1' }))).code, 1000);
  });
  after(async () => { await h?.close(); });

  test('another registrar cannot update, and needs the right authInfo to transfer (2201, 2202, 2003)', async () => {
    assert.equal((await b.command(domain.update('kocen.az', { addStatus: ['clientHold'] }))).code, 2201);
    assert.equal((await b.command(domain.transfer('request', 'kocen.az', 'Wrong-Auth-1'))).code, 2202);
    assert.equal((await b.command(domain.transfer('request', 'kocen.az'))).code, 2003);
    assert.equal((await a.command(domain.transfer('request', 'kocen.az', 'Kocen-Auth-1'))).code, 2106, 'already yours');
    assert.equal((await a.command(domain.transfer('approve', 'kocen.az'))).code, 2301, 'nothing pending');
    assert.equal((await b.command(domain.transfer('query', 'kocen.az'))).code, 2301, 'no transfer on record');
  });

  test('request 1001 pending; both sides are told; the sponsor approves; the domain moves (RFC 5731 §3.2.4)', async () => {
    await drain(a);
    const req = await b.command(domain.transfer('request', 'kocen.az', 'Kocen-Auth-1'));
    assert.equal(req.code, 1001, req.msg);
    assert.equal(req.text('domain:trStatus'), 'pending');
    assert.equal(req.text('domain:reID'), 'reg-b');
    assert.equal(req.text('domain:acID'), 'reg-a');
    assert.equal(req.text('domain:acDate'), '2026-03-07T09:00:00.000Z', 'auto-approval after 5 days');

    assert.equal((await b.command(domain.transfer('request', 'kocen.az', 'Kocen-Auth-1'))).code, 2300);
    assert.equal((await a.command(domain.update('kocen.az', { addStatus: ['clientHold'] }))).code, 2304, 'RFC 5730 §3: 2300 answers only a transfer');
    assert.equal((await b.command(domain.transfer('approve', 'kocen.az'))).code, 2201, 'only the sponsor approves');
    assert.equal((await a.command(domain.transfer('cancel', 'kocen.az'))).code, 2201, 'only the requester cancels');
    const q = await a.command(domain.transfer('query', 'kocen.az'));
    assert.equal(q.code, 1000);
    assert.equal(q.text('domain:trStatus'), 'pending');
    assert.ok((await a.command(domain.info('kocen.az'))).find('domain:status').some((s) => s.attrs.s === 'pendingTransfer'));

    const first = await a.command(poll.req());
    assert.equal(first.code, 1301);
    assert.equal(first.first('epp:msgQ')?.attrs.count, '1');
    assert.match(first.first('epp:msgQ')?.textOf('epp:msg') ?? '', /requested by reg-b/);
    assert.equal(first.text('domain:trStatus'), 'pending');
    assert.equal(first.text('domain:name'), 'kocen.az');
    assert.equal((await b.command(poll.ack(first.first('epp:msgQ')!.attrs.id!))).code, 2303, "another registrar's message");

    const ok = await a.command(domain.transfer('approve', 'kocen.az'));
    assert.equal(ok.code, 1000, ok.msg);
    assert.equal(ok.text('domain:trStatus'), 'clientApproved');
    const info = await b.command(domain.info('kocen.az'));
    assert.equal(info.text('domain:clID'), 'reg-b');
    assert.notEqual(info.text('domain:pw'), 'Kocen-Auth-1', 'a fresh authInfo after the transfer');
    assert.ok(info.text('domain:trDate'));
    assert.equal((await a.command(domain.update('kocen.az', { addStatus: ['clientHold'] }))).code, 2201, 'no longer the sponsor');

    const losing = await drain(a);
    assert.deepEqual(losing.map((m) => m.text('domain:trStatus')), ['pending', 'clientApproved']);
    const gaining = await drain(b);
    assert.deepEqual(gaining.map((m) => m.text('domain:trStatus')), ['pending', 'clientApproved']);
    assert.equal((await b.command(poll.ack(gaining[0]!.first('epp:msgQ')!.attrs.id!))).code, 2303, 'acknowledged already');
    assert.equal((await b.command(poll.ack('not-a-number'))).code, 2303);
  });

  test('reject and cancel end a pending transfer (RFC 5731 §3.2.4)', async () => {
    const info = await b.command(domain.info('kocen.az'));
    const auth = info.text('domain:pw')!;
    assert.equal((await a.command(domain.transfer('request', 'kocen.az', auth))).code, 1001);
    const rej = await b.command(domain.transfer('reject', 'kocen.az'));
    assert.equal(rej.text('domain:trStatus'), 'clientRejected');
    assert.equal((await a.command(domain.transfer('request', 'kocen.az', auth))).code, 1001);
    const can = await a.command(domain.transfer('cancel', 'kocen.az'));
    assert.equal(can.text('domain:trStatus'), 'clientCancelled');
    assert.equal((await b.command(domain.info('kocen.az'))).text('domain:clID'), 'reg-b');
    await drain(a);
    await drain(b);
  });

  test('a review decision reaches the registrar as panData naming the create transaction (RFC 5731 §3.3)', async () => {
    const create = await a.command(domain.create({ name: 'qebele.az', registrant: 'owner-a', ns: nsA }), { clTRID: 'APPLY-QEBELE-1' });
    assert.equal(create.code, 1001, create.msg);
    const create2 = await a.command(domain.create({ name: 'naftalan.az', registrant: 'owner-a', ns: nsA }), { clTRID: 'APPLY-NAFTALAN-1' });
    assert.equal(create2.code, 1001, create2.msg);
    const queue = await reviewQueue(h.t.reg, na);
    const byName = new Map(queue.map((q) => [q.name, q.id]));
    await approveApplication(h.t.reg, na, byName.get('qebele.az')!);
    await refuseApplication(h.t.reg, na, byName.get('naftalan.az')!, 'R5.1.8', 'no consent of the Ministry');

    const msgs = await drain(a);
    assert.equal(msgs.length, 2);
    const [yes, no] = msgs as [EppResponse, EppResponse];
    assert.equal(yes.first('domain:name')?.attrs.paResult, '1');
    assert.equal(yes.text('domain:name'), 'qebele.az');
    assert.equal(yes.first('domain:paTRID')?.textOf('epp:clTRID'), 'APPLY-QEBELE-1');
    assert.equal(yes.first('domain:paTRID')?.textOf('epp:svTRID'), create.svTRID);
    assert.equal(no.first('domain:name')?.attrs.paResult, '0');
    assert.equal(no.first('domain:paTRID')?.textOf('epp:svTRID'), create2.svTRID);
    assert.match(no.first('epp:msgQ')?.textOf('epp:msg') ?? '', /R5\.1\.8/);
    assert.equal((await a.command(domain.info('qebele.az'))).text('domain:clID'), 'reg-a');
    assert.equal((await a.command(domain.info('naftalan.az'))).code, 2303);
  });
});
