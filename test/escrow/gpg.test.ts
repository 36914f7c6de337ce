// Encrypted and signed deposits as an escrow agent checks them with Debian's gpg: a throwaway GNUPGHOME,
// the agent's secret key and the registry's public key imported, `gpg --decrypt` gives back the plain XML
// and `gpg --verify` accepts the detached signature; a flipped byte is caught by gpg and by our verify.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEscrowKeys, makeDeposit, rdeSchema, readPrivateKeyFile, readPublicKeyFile, verifyDeposit } from '../../src/escrow/index.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { operator } from '../helpers/fixtures.ts';
import { makeKeys, type KeyFiles } from './keys.ts';
import { seedEscrowFixture } from './setup.ts';

const hasGpg = spawnSync('gpg', ['--version'], { stdio: 'ignore' }).status === 0;
let t: TestRegistry;
let tmp: string;
let keys: KeyFiles;
let gnupg: string;

function gpg(args: string[], input?: Buffer) {
  return spawnSync('gpg', ['--homedir', gnupg, '--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--trust-model', 'always', ...args], { input, maxBuffer: 256 << 20 });
}

before(async () => {
  t = await testRegistry();
  await seedEscrowFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-escrow-gpg-'));
  keys = await makeKeys(tmp);
  gnupg = mkdtempSync(path.join(os.tmpdir(), 'domen-gnupg-'));
});
after(async () => {
  await t?.close();
  if (gnupg) { spawnSync('gpgconf', ['--homedir', gnupg, '--kill', 'all']); rmSync(gnupg, { recursive: true, force: true }); }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('encrypted, signed deposits', { skip: hasGpg ? false : 'gpg is not installed (apt-get install gnupg)' }, () => {
  test('gpg decrypts the .ryde to the plain XML and verifies the .sig; our verify agrees', async () => {
    const out = path.join(tmp, 'dep');
    const k = await loadEscrowKeys({ agentKey: keys.agentPublic, signingKey: keys.registryPrivate }, {});
    const d = await makeDeposit(t.reg, operator, { type: 'FULL', outDir: out, keys: k, plain: true, splitBytes: 20_000 });
    assert.ok(d.files.length >= 2);
    const names = readdirSync(out).sort();
    assert.ok(names.includes('az_2026-03-02_full_S1_R0.ryde') && names.includes('az_2026-03-02_full_S1_R0.sig') && names.includes('az_2026-03-02_full_R0.rep'), names.join(' '));

    assert.equal(gpg(['--import', keys.agentPrivate]).status, 0);
    assert.equal(gpg(['--import', keys.registryPublic]).status, 0);
    for (const f of d.files) {
      const plain = readFileSync(f.xml!);
      const dec = gpg(['--decrypt', f.ryde!]);
      assert.equal(dec.status, 0, dec.stderr.toString());
      assert.ok(dec.stdout.equals(plain), 'gpg --decrypt gives the plain XML byte for byte');
      // The message is Compressed(zlib) around the Literal data, as RFC 9580 §5.6 packs it (we compress ourselves).
      const packets = gpg(['--list-packets', f.ryde!]).stdout.toString();
      assert.match(packets, /:compressed packet: algo=2/);
      assert.match(packets, /:literal data packet:/);
      // The .ryde is encrypted (not just signed or compressed): the XML does not show through.
      assert.ok(!readFileSync(f.ryde!).includes(Buffer.from('rdeDomain')));
      const ver = gpg(['--verify', f.sig!, f.ryde!]);
      assert.equal(ver.status, 0, ver.stderr.toString());
      assert.match(ver.stderr.toString(), /Good signature from "Registry Escrow Signing/);
    }

    const agent = await readPrivateKeyFile(keys.agentPrivate);
    const signer = await readPublicKeyFile(keys.registryPublic);
    const rydes = d.files.map((f) => f.ryde!).concat(d.report);
    const v = await verifyDeposit(rydes, { agent, signer }, rdeSchema());
    assert.deepEqual(v.problems, []);
    assert.ok(v.files.every((f) => f.signature === signer.getFingerprint()));

    // One flipped byte in a .ryde: gpg --verify and our verify both refuse it.
    const bad = path.join(tmp, 'bad_S1_R0.ryde');
    const bytes = readFileSync(d.files[0]!.ryde!); bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01; writeFileSync(bad, bytes);
    writeFileSync(bad.replace('.ryde', '.sig'), readFileSync(d.files[0]!.sig!));
    assert.notEqual(gpg(['--verify', bad.replace('.ryde', '.sig'), bad]).status, 0);
    const vb = await verifyDeposit([bad], { agent, signer }, rdeSchema());
    assert.equal(vb.ok, false);
    assert.ok(vb.problems.some((p) => /signature does not verify/.test(p)), vb.problems.join('\n'));

    // Signed by someone else: refused.
    const other = await makeKeys(mkdtempSync(path.join(tmp, 'other-')));
    const vo = await verifyDeposit([d.files[0]!.ryde!], { agent, signer: await readPublicKeyFile(other.registryPublic) }, null);
    assert.equal(vo.ok, false);
  });
});
