// Interop: Net::EPP (Debian's libnet-epp-perl, Net::EPP::Simple) drives a registrar's session against our
// server over TLS with the registrar's client certificate: login, a contact, a host and a domain through
// create, info, update, renew and delete, logout. Skipped when Perl or Net::EPP::Simple is not installed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness, PASSWORD, type Harness } from './harness.ts';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'perl', 'lifecycle.pl');
const probe = spawnSync('perl', ['-MNet::EPP::Simple', '-e1'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'Net::EPP::Simple is not installed (apt-get install libnet-epp-perl)';

function runPerl(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('perl', [SCRIPT, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('Net::EPP interop', { skip }, () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    h = await harness();
    const creds = await h.registrar('reg-perl');
    dir = mkdtempSync(path.join(tmpdir(), 'domen-netepp-'));
    writeFileSync(path.join(dir, 'client.crt'), creds.certPem);
    writeFileSync(path.join(dir, 'client.key'), creds.keyPem, { mode: 0o600 });
    writeFileSync(path.join(dir, 'ca.crt'), creds.caPem);
  });
  after(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Net::EPP::Simple logs in and runs a contact, host and domain lifecycle', async () => {
    const r = await runPerl(['127.0.0.1', String(h.port), path.join(dir, 'client.crt'), path.join(dir, 'client.key'),
      path.join(dir, 'ca.crt'), 'reg-perl', PASSWORD, 'life'], 60_000);
    const lines = r.stdout.trim().split('\n');
    const codes = new Map<string, string[]>();
    for (const l of lines) {
      const [step, code] = l.split(' ');
      codes.set(step!, [...(codes.get(step!) ?? []), code!]);
    }
    const detail = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    assert.equal(r.code, 0, detail);
    assert.deepEqual(Object.fromEntries([...codes].filter(([k]) => !k.startsWith('info.'))), {
      'login': ['1000'], 'contact:create': ['1000'], 'host:create': ['1000', '1000'], 'domain:check': ['1000'], 'domain:create': ['1000'],
      'domain:info': ['1000', '1000'], 'domain:update': ['1000'], 'domain:renew': ['1000'], 'contact:info': ['1000'], 'host:info': ['1000'],
      'domain:delete': ['1000'], 'host:delete': ['1000', '1000'], 'contact:delete': ['1000'], 'logout': ['1500'],
    }, detail);
    assert.deepEqual(codes.get('info.clID'), ['reg-perl'], detail);
    assert.match(r.stdout, /^info\.exDate 2027-03-02T09:00:00/m, detail);
    assert.match(r.stdout, /^info\.status .*clientTransferProhibited/m, detail);
  });
});
