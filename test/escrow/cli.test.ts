// `domen escrow deposit|verify|restore` as an operator runs them (the full deposit through the real binary, the other
// commands in-process through runCli, the same code; embedded database): keys from the environment, the files and the report written, verify naming the signer, restore refusing a registry
// that holds domains and filling an empty one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CliHarness } from '../cli/harness.ts';
import { fails, ok, registrarArgs } from '../cli/flows.ts';
import { makeKeys, type KeyFiles } from './keys.ts';

describe('domen escrow (CLI)', () => {
  let h: CliHarness;
  let h2: CliHarness;
  let keys: KeyFiles;
  before(async () => {
    h = await CliHarness.create();
    h2 = await CliHarness.create();
    keys = await makeKeys(await h.tempDir());
  });
  after(async () => { await h?.cleanup(); await h2?.cleanup(); });

  it('deposit writes .ryde, .sig, .xml (--plain) and .rep; verify checks them; restore fills only an empty registry', async () => {
    ok(await h.cli(['migrate']));
    ok(await h.cli(registrarArgs('reg-cli')));
    const env = { DOMEN_ESCROW_AGENT_KEY: keys.agentPublic, DOMEN_ESCROW_SIGNING_KEY: keys.registryPrivate };
    fails(await h.cli(['escrow', 'deposit', '--out', await h.tempDir()]), /no escrow agent key/);
    fails(await h.cli(['escrow', 'deposit', '--diff', '--out', await h.tempDir()], { env }), /make a full deposit first/);
    const out = await h.tempDir();
    const d = ok(await h.run(['escrow', 'deposit', '--full', '--plain', '--out', out], { env }));
    assert.match(d.stdout, /^deposit \w{13} \(FULL\), watermark /m);
    const files = readdirSync(out).sort();
    assert.ok(files.some((f) => /^az_\d{4}-\d\d-\d\d_full_S1_R0\.ryde$/.test(f)), files.join(' '));
    assert.ok(files.some((f) => f.endsWith('_S1_R0.sig')) && files.some((f) => f.endsWith('_S1_R0.xml')) && files.some((f) => f.endsWith('_R0.rep')), files.join(' '));

    const deposit = files.filter((f) => f.endsWith('.ryde') || f.endsWith('.rep')).map((f) => path.join(out, f));
    const v = ok(await h.cli(['escrow', 'verify', '--key', keys.agentPrivate, '--signer', keys.registryPublic, ...deposit]));
    assert.match(v.stdout, /: ok\n/);
    assert.match(v.stdout, /signed by [0-9a-f]{40}, schema valid/);
    const nokey = await h.cli(['escrow', 'verify', '--signer', keys.registryPublic, ...deposit]);
    assert.equal(nokey.code, 1);
    assert.match(nokey.stdout, /encrypted: give the escrow agent's private key/);

    // Into the registry it came from (no domains yet): the registrar is already there and says so.
    const same = ok(await h.cli(['escrow', 'restore', '--key', keys.agentPrivate, ...deposit]));
    assert.match(same.stdout, /registrar reg-cli: already a registrar of this registry: kept as it is/);
    ok(await h2.cli(['migrate']));
    const r = ok(await h2.cli(['escrow', 'restore', '--key', keys.agentPrivate, '--signer', keys.registryPublic, ...deposit]));
    assert.match(r.stdout, /restored deposit \w{13} .*: 1 registrars, 0 contacts, 0 domains/);
    assert.match(r.stdout, /everything in the deposit was mapped/);
    assert.match(ok(await h2.cli(['registrar', 'list'])).stdout, /reg-cli/);
  });
});
