// DNSSEC private keys at rest: encrypted with AES-256-GCM under a scrypt key from the passphrase; a wrong
// or missing passphrase is a clear error; keys stored unencrypted are encrypted when first loaded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { generateKey, zoneKeys, signData, verifyData } from '../../src/dns/keys.ts';
import { keyPassphrase, resetKeyPassphrase } from '../../src/dns/key-crypto.ts';
import './setup.ts';

let t: TestRegistry;
let tmp: string;
const saved = { ...process.env };

before(async () => { t = await testRegistry(); tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-keys-')); });
after(async () => {
  for (const k of ['DOMEN_KEY_PASSPHRASE', 'DOMEN_KEY_FILE', 'DOMEN_DATA_DIR']) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; }
  resetKeyPassphrase();
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function usePassphrase(p: string | undefined, file?: string): void {
  if (p === undefined) delete process.env.DOMEN_KEY_PASSPHRASE; else process.env.DOMEN_KEY_PASSPHRASE = p;
  if (file === undefined) delete process.env.DOMEN_KEY_FILE; else process.env.DOMEN_KEY_FILE = file;
  resetKeyPassphrase();
}

describe('DNSSEC private keys at rest', () => {
  test('stored encrypted; loaded and usable with the passphrase; a wrong one is a clear error', async () => {
    usePassphrase('correct horse');
    const keys = await zoneKeys(t.reg.db, 'az', t.clock.now());
    const rows = await t.reg.db.selectFrom('dns_keys').select(['private_key']).where('zone', '=', 'az').execute();
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.match(r.private_key, /^domen-enc:v1:/);
      assert.doesNotMatch(r.private_key, /PRIVATE KEY/);
    }
    const data = Buffer.from('signed data');
    assert.ok(verifyData(keys[0]!.publicKey, data, signData(keys[0]!.privateKey, data)));
    usePassphrase('wrong horse');
    await assert.rejects(zoneKeys(t.reg.db, 'az', t.clock.now()), /cannot be decrypted with the passphrase from DOMEN_KEY_PASSPHRASE/);
    // The same passphrase from a key file works.
    usePassphrase(undefined, path.join(tmp, 'missing'));
    await assert.rejects(zoneKeys(t.reg.db, 'az', t.clock.now()), /DOMEN_KEY_FILE .*missing cannot be read/);
    const file = path.join(tmp, 'kek');
    (await import('node:fs')).writeFileSync(file, 'correct horse\n', { mode: 0o600 });
    usePassphrase(undefined, file);
    assert.equal((await zoneKeys(t.reg.db, 'az', t.clock.now())).length, 2);
  });

  test('keys stored unencrypted are encrypted when loaded', async () => {
    usePassphrase('correct horse');
    const k = generateKey('legacy.az', 'zsk');
    const k2 = generateKey('legacy.az', 'ksk');
    const now = t.clock.now();
    for (const [role, g] of [['zsk', k], ['ksk', k2]] as const) {
      await t.reg.db.insertInto('dns_keys').values({ zone: 'legacy.az', role, algorithm: 13, key_tag: g.keyTag, flags: g.flags, public_key: g.publicKey.toString('base64'),
        private_key: g.privatePem, state: 'active', created_at: now, published_at: now, active_at: now }).execute();
    }
    const keys = await zoneKeys(t.reg.db, 'legacy.az', now);
    assert.deepEqual(keys.map((x) => x.keyTag).sort(), [k.keyTag, k2.keyTag].sort());
    const rows = await t.reg.db.selectFrom('dns_keys').select('private_key').where('zone', '=', 'legacy.az').execute();
    assert.ok(rows.every((r) => r.private_key.startsWith('domen-enc:v1:')));
  });

  test('without a passphrase, a key file is created in the data directory with mode 0600', () => {
    const dataDir = path.join(tmp, 'data');
    process.env.DOMEN_DATA_DIR = dataDir;
    usePassphrase(undefined);
    const p = keyPassphrase();
    const file = path.join(dataDir, 'dnssec-kek');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), p.passphrase);
    assert.ok(p.passphrase.length >= 40);
    resetKeyPassphrase();
    assert.equal(keyPassphrase().passphrase, p.passphrase, 'the same file is read again');
  });
});
