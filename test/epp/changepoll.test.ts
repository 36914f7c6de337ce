// Changes the registry makes to a registrar's domain reach the sponsor's poll queue (RFC 8590): the domain's
// infData, and changePoll:changeData when the client announced the extension at login.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { updateDomain } from '../../src/core/domains/update.ts';
import { EXTENSION_URIS, NS } from '../../src/epp/namespaces.ts';
import { addNameServers, addPerson, na, registrar } from '../helpers/fixtures.ts';
import { domain, poll } from './commands.ts';
import { harness, PASSWORD, type Harness } from './harness.ts';

describe('EPP changePoll (RFC 8590)', () => {
  let h: Harness;
  let ns: string[];
  before(async () => {
    h = await harness();
    await h.registrar('reg-cp');
    await addPerson(h.t.reg, registrar('reg-cp'), 'owner-cp');
    ns = await addNameServers(h.t.reg, registrar('reg-cp'), 'dns-cp.net');
  });
  after(async () => { await h?.close(); });

  test('NA sets serverHold: the sponsor gets a poll message with changeData and the domain after the change', async () => {
    const c = await h.client('reg-cp');
    assert.equal((await c.command(domain.create({ name: 'saxlanan.az', registrant: 'owner-cp', ns }))).code, 1000);
    assert.equal((await c.command(poll.req())).code, 1300);
    await updateDomain(h.t.reg, na, { name: 'saxlanan.az', add: { statuses: ['serverHold'] }, reason: 'Court order 12/2026 of the Baku court' });

    const r = await c.command(poll.req());
    assert.equal(r.code, 1301);
    assert.match(r.first('epp:msgQ')?.textOf('epp:msg') ?? '', /registry changed saxlanan\.az \(update\): added status serverHold.*Court order 12\/2026 of the Baku court/);
    assert.equal(r.text('domain:name'), 'saxlanan.az');
    assert.ok(r.find('domain:status').some((s) => s.attrs.s === 'serverHold'));
    const cd = r.first('changePoll:changeData');
    assert.ok(cd, r.xml);
    assert.equal(cd.attrs.state, 'after');
    assert.equal(cd.textOf('changePoll:operation'), 'update');
    assert.equal(cd.textOf('changePoll:who'), 'staff:1');
    assert.equal(cd.textOf('changePoll:date'), '2026-03-02T09:00:00.000Z');
    assert.match(cd.textOf('changePoll:svTRID') ?? '', /^DMN-change-\d+$/);
    assert.equal((cd.textOf('changePoll:reason') ?? '').length <= 32, true);

    // A session that did not announce changePoll gets the plain message.
    const plain = await h.client('reg-cp', { login: false });
    assert.equal((await plain.login('reg-cp', PASSWORD, { extURIs: EXTENSION_URIS.filter((u) => u !== NS.changePoll) })).code, 1000);
    const p = await plain.command(poll.req());
    assert.equal(p.code, 1301);
    assert.equal(p.first('changePoll:changeData'), undefined);
    assert.equal(p.text('domain:name'), 'saxlanan.az');

    // The registrar's own updates do not queue messages for itself.
    const id = r.first('epp:msgQ')!.attrs.id!;
    assert.equal((await c.command(poll.ack(id))).code, 1000);
    assert.equal((await c.command(domain.update('saxlanan.az', { addStatus: ['clientTransferProhibited'] }))).code, 1000);
    assert.equal((await c.command(poll.req())).code, 1300);
  });
});
