import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate as NodeX509, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';

// The pki module must be imported before '@peculiar/x509' (it installs the Reflect shim x509 needs).
import {
  PkiError,
  createCa,
  describeCert,
  fingerprintSha256,
  fingerprintSha256Der,
  issueClientCert,
  issueServerCert,
  normalizeFingerprintSha256,
  type KeyPairPem,
} from '../../src/pki/index.ts';
import * as x509 from '@peculiar/x509';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const TEST_TIMEOUT = 20_000;

let ca: KeyPairPem;
let server: KeyPairPem;
let client: KeyPairPem;
let otherCa: KeyPairPem;
let otherClient: KeyPairPem;

before(async () => {
  ca = await createCa({ commonName: 'domen Test Registry CA', organization: 'domen' });
  server = await issueServerCert(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  client = await issueClientCert(ca, { commonName: 'Registrar One', organization: 'Registrar One LLC' });
  otherCa = await createCa({ commonName: 'Some Other CA' });
  otherClient = await issueClientCert(otherCa, { commonName: 'Registrar One', organization: 'Registrar One LLC' });
});

function ext<T extends x509.Extension>(pem: string, type: new (raw: BufferSource) => T): T {
  const e = new x509.X509Certificate(pem).getExtension(type);
  assert.ok(e, `extension ${type.name} missing`);
  return e;
}

// ---------------------------------------------------------------------------
// Certificate contents
// ---------------------------------------------------------------------------

describe('createCa', () => {
  it('creates a self-signed ECDSA P-256 CA with the required extensions', async () => {
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    assert.match(ca.certPem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);

    const cert = new NodeX509(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, cert.issuer);
    assert.ok(cert.verify(cert.publicKey), 'self-signature verifies');
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');

    const bc = ext(ca.certPem, x509.BasicConstraintsExtension);
    assert.equal(bc.ca, true);
    assert.equal(bc.critical, true);
    const ku = ext(ca.certPem, x509.KeyUsagesExtension);
    assert.equal(ku.critical, true);
    assert.equal(ku.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    assert.match(ext(ca.certPem, x509.SubjectKeyIdentifierExtension).keyId, /^[0-9a-f]{40}$/);
    assert.equal(new x509.X509Certificate(ca.certPem).signatureAlgorithm.name, 'ECDSA');
  });

  it('defaults to 10 years, honours now/validDays, backdates notBefore by an hour', async () => {
    const now = new Date('2030-01-02T03:04:05.678Z');
    const whole = new Date('2030-01-02T03:04:05.000Z').getTime();
    const d = describeCert((await createCa({ commonName: 'T', now })).certPem);
    assert.equal(d.notBefore.getTime(), whole - HOUR);
    assert.equal(d.notAfter.getTime(), whole + 3650 * DAY);
    const d2 = describeCert((await createCa({ commonName: 'T', now, validDays: 30 })).certPem);
    assert.equal(d2.notAfter.getTime(), whole + 30 * DAY);
  });

  it('rejects bad options', async () => {
    await assert.rejects(createCa({ commonName: '' }), PkiError);
    await assert.rejects(createCa({ commonName: 'x'.repeat(65) }), PkiError);
    await assert.rejects(createCa({ commonName: 'T', validDays: 0 }), PkiError);
    await assert.rejects(createCa({ commonName: 'T', validDays: 1.5 }), PkiError);
    await assert.rejects(createCa({ commonName: 'T', now: new Date('garbage') }), PkiError);
  });
});

describe('issueServerCert', () => {
  it('issues a serverAuth certificate with SANs, AKI and a random positive 16-byte serial', () => {
    const cert = new NodeX509(server.certPem);
    const caCert = new NodeX509(ca.certPem);
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(caCert));
    assert.ok(cert.verify(caCert.publicKey), 'signed by the CA');
    assert.match(server.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkIP('::1'), '::1');

    assert.deepEqual([...ext(server.certPem, x509.ExtendedKeyUsageExtension).usages], [x509.ExtendedKeyUsage.serverAuth]);
    const bc = ext(server.certPem, x509.BasicConstraintsExtension);
    assert.equal(bc.ca, false);
    const ku = ext(server.certPem, x509.KeyUsagesExtension);
    assert.equal(ku.usages, x509.KeyUsageFlags.digitalSignature);
    const aki = ext(server.certPem, x509.AuthorityKeyIdentifierExtension);
    assert.equal(aki.keyId, ext(ca.certPem, x509.SubjectKeyIdentifierExtension).keyId);

    const serial = describeCert(server.certPem).serialHex;
    assert.match(serial, /^[4-7][0-9A-F]{31}$/, 'exactly 16 bytes, high bit clear');
    assert.notEqual(serial, describeCert(client.certPem).serialHex);
  });

  it('private key matches the certificate', () => {
    for (const pair of [ca, server, client]) {
      assert.ok(new NodeX509(pair.certPem).checkPrivateKey(createPrivateKey(pair.keyPem)));
    }
  });

  it('defaults to 825 days and never outlives the CA', async () => {
    const now = new Date('2031-06-01T00:00:00Z');
    const shortCa = await createCa({ commonName: 'Short CA', now, validDays: 100 });
    const d = describeCert((await issueClientCert(ca, { commonName: 'R', now: new Date() })).certPem);
    assert.equal(Math.round((d.notAfter.getTime() - d.notBefore.getTime() - HOUR) / DAY), 825);
    const capped = describeCert((await issueServerCert(shortCa, { commonName: 'x', dnsNames: ['x.az'], now })).certPem);
    assert.equal(capped.notAfter.getTime(), describeCert(shortCa.certPem).notAfter.getTime());
    assert.equal(capped.notBefore.getTime(), now.getTime() - HOUR);
  });

  it('normalizes names and encodes IPv6 (including embedded IPv4) correctly', async () => {
    const s = await issueServerCert(ca, {
      commonName: 'epp.nic.az',
      dnsNames: ['EPP.nic.az.', 'epp.nic.az', 'xn--80ak6aa92e.az', '*.test.az'],
      ipAddresses: ['192.0.2.1', '2001:db8::1', '::ffff:192.0.2.1'],
    });
    assert.equal(
      new NodeX509(s.certPem).subjectAltName,
      'DNS:epp.nic.az, DNS:xn--80ak6aa92e.az, DNS:*.test.az, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:0:0:0:0:0:FFFF:C000:201',
    );
  });

  it('rejects bad names, addresses and CAs', async () => {
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: [] }), /at least one DNS name or IP/);
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: ['bad name'] }), PkiError);
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: ['-x.az'] }), PkiError);
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: ['bakı.az'] }), /A-label/);
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: ['a.az'], ipAddresses: ['256.1.1.1'] }), PkiError);
    await assert.rejects(issueServerCert(ca, { commonName: 'x', dnsNames: ['a.az'], ipAddresses: ['fe80::1%eth0'] }), PkiError);
    // Wrong key for the CA certificate.
    await assert.rejects(issueClientCert({ certPem: ca.certPem, keyPem: otherCa.keyPem }, { commonName: 'x' }), /does not match/);
    // A leaf certificate is not a CA.
    await assert.rejects(issueClientCert(client, { commonName: 'x' }), /not a CA/);
    // CA not valid at issuance time.
    await assert.rejects(issueClientCert(ca, { commonName: 'x', now: new Date(Date.now() + 20 * 365 * DAY) }), /not valid at/);
    await assert.rejects(issueClientCert({ certPem: 'nope', keyPem: ca.keyPem }, { commonName: 'x' }), PkiError);
  });
});

describe('issueClientCert', () => {
  it('issues a clientAuth certificate with O and CN', () => {
    const cert = new NodeX509(client.certPem);
    assert.ok(cert.verify(new NodeX509(ca.certPem).publicKey));
    assert.equal(cert.ca, false);
    assert.deepEqual([...ext(client.certPem, x509.ExtendedKeyUsageExtension).usages], [x509.ExtendedKeyUsage.clientAuth]);
    assert.equal(cert.subjectAltName, undefined);
    const d = describeCert(client.certPem);
    assert.equal(d.subject, 'O=Registrar One LLC, CN=Registrar One');
    assert.equal(d.issuer, 'O=domen, CN=domen Test Registry CA');
  });
});

describe('fingerprintSha256 / describeCert', () => {
  it("matches Node's fingerprint256 and tolerates chains, CRLF and surrounding text", () => {
    const expected = new NodeX509(client.certPem).fingerprint256;
    assert.match(expected, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(fingerprintSha256(client.certPem), expected);
    assert.equal(fingerprintSha256(client.certPem + ca.certPem), expected, 'first certificate of a chain');
    assert.equal(fingerprintSha256('subject=...\r\n' + client.certPem.replace(/\n/g, '\r\n')), expected);
    assert.equal(fingerprintSha256Der(new NodeX509(client.certPem).raw), expected);
    assert.throws(() => fingerprintSha256('not a certificate'), PkiError);
    assert.throws(() => fingerprintSha256(client.keyPem), PkiError);
  });

  it('normalizes fingerprints typed in other formats', () => {
    const fp = fingerprintSha256(client.certPem);
    assert.equal(normalizeFingerprintSha256(fp.toLowerCase()), fp);
    assert.equal(normalizeFingerprintSha256(fp.replace(/:/g, '')), fp);
    assert.equal(normalizeFingerprintSha256(`sha256 Fingerprint=${fp}`), fp);
    assert.throws(() => normalizeFingerprintSha256('AB:CD'), PkiError);
  });

  it('describes a certificate', async () => {
    const now = new Date('2032-02-03T04:05:06Z');
    const c = await createCa({ commonName: 'Describe CA', now, validDays: 10 });
    const d = describeCert(c.certPem);
    assert.equal(d.subject, 'CN=Describe CA');
    assert.equal(d.issuer, 'CN=Describe CA');
    assert.deepEqual(d.notBefore, new Date(now.getTime() - HOUR));
    assert.deepEqual(d.notAfter, new Date(now.getTime() + 10 * DAY));
    assert.equal(d.serialHex, new NodeX509(c.certPem).serialNumber);
    assert.equal(d.fingerprintSha256, fingerprintSha256(c.certPem));
  });
});

// ---------------------------------------------------------------------------
// Real mutually-authenticated TLS
// ---------------------------------------------------------------------------

interface ServerSeen {
  fingerprint256: string;
  rawFingerprint: string;
  authorized: boolean;
  protocol: string | null;
  subjectCN: string | undefined;
}

interface TestServer {
  port: number;
  seen: ServerSeen[];
  clientErrors: Error[];
  nextClientError(): Promise<Error>;
  close(): Promise<void>;
}

async function startServer(version: tls.SecureVersion, endAfterHello = true): Promise<TestServer> {
  const seen: ServerSeen[] = [];
  const clientErrors: Error[] = [];
  const waiters: Array<(e: Error) => void> = [];
  const srv = tls.createServer(
    {
      key: server.keyPem,
      cert: server.certPem,
      ca: [ca.certPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: version,
      maxVersion: version,
    },
    (socket) => {
      const peer = socket.getPeerCertificate();
      seen.push({
        fingerprint256: peer.fingerprint256,
        rawFingerprint: fingerprintSha256Der(peer.raw),
        authorized: socket.authorized,
        protocol: socket.getProtocol(),
        subjectCN: typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined,
      });
      socket.on('error', () => {});
      if (endAfterHello) socket.end('hello\n');
      else socket.write('hello\n');
    },
  );
  srv.on('tlsClientError', (err) => {
    clientErrors.push(err);
    waiters.shift()?.(err);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  return {
    port,
    seen,
    clientErrors,
    nextClientError: () =>
      new Promise<Error>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server reported no tlsClientError')), 5000);
        waiters.push((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      }),
    close: () => new Promise<void>((resolve) => srv.close(() => resolve())),
  };
}

interface ClientResult {
  secureConnected: boolean;
  authorized: boolean;
  protocol: string | null;
  serverFingerprint: string | undefined;
  data: string;
  error: (Error & { code?: string }) | undefined;
}

function connect(port: number, opts: tls.ConnectionOptions): Promise<ClientResult> {
  return new Promise((resolve) => {
    const result: ClientResult = {
      secureConnected: false,
      authorized: false,
      protocol: null,
      serverFingerprint: undefined,
      data: '',
      error: undefined,
    };
    const socket = tls.connect({ host: '127.0.0.1', port, ...opts });
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error('client timeout')));
    socket.on('secureConnect', () => {
      result.secureConnected = true;
      result.authorized = socket.authorized;
      result.protocol = socket.getProtocol();
      result.serverFingerprint = socket.getPeerCertificate().fingerprint256;
    });
    socket.on('data', (chunk: string) => (result.data += chunk));
    socket.on('error', (err) => (result.error ??= err));
    socket.on('close', () => resolve(result));
  });
}

for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
  describe(`mutual TLS over ${version}`, () => {
    let srv: TestServer;
    let pinned: tls.ConnectionOptions;
    before(async () => {
      srv = await startServer(version);
      pinned = { ca: [ca.certPem], minVersion: version, maxVersion: version };
    });
    after(async () => {
      await srv.close();
    });

    it('handshake succeeds; server sees the client certificate and its fingerprint', { timeout: TEST_TIMEOUT }, async () => {
      const res = await connect(srv.port, { ...pinned, servername: 'localhost', key: client.keyPem, cert: client.certPem });
      assert.equal(res.error, undefined, `client error: ${res.error?.message}`);
      assert.equal(res.secureConnected, true);
      assert.equal(res.authorized, true, 'client verified the server certificate against the registry CA');
      assert.equal(res.protocol, version);
      assert.equal(res.serverFingerprint, fingerprintSha256(server.certPem));
      assert.equal(res.data, 'hello\n');

      const seen = srv.seen.at(-1);
      assert.ok(seen, 'server saw a connection');
      assert.equal(seen.authorized, true);
      assert.equal(seen.protocol, version);
      assert.equal(seen.subjectCN, 'Registrar One');
      assert.equal(seen.fingerprint256, fingerprintSha256(client.certPem));
      assert.equal(seen.rawFingerprint, fingerprintSha256(client.certPem));
    });

    it('the server certificate also verifies by IP address (no SNI)', { timeout: TEST_TIMEOUT }, async () => {
      const res = await connect(srv.port, { ...pinned, key: client.keyPem, cert: client.certPem });
      assert.equal(res.error, undefined, `client error: ${res.error?.message}`);
      assert.equal(res.authorized, true);
      assert.equal(res.data, 'hello\n');
    });

    it('rejects a client certificate issued by another CA', { timeout: TEST_TIMEOUT }, async () => {
      const acceptedBefore = srv.seen.length;
      const serverError = srv.nextClientError();
      const res = await connect(srv.port, { ...pinned, servername: 'localhost', key: otherClient.keyPem, cert: otherClient.certPem });
      const err = await serverError;
      assert.ok(err, 'server reported a TLS client error');
      // Node verifies the client certificate after the handshake and then destroys the socket
      // without an alert, so on TLS 1.3 the client sees its handshake complete and then an EOF.
      assert.equal(res.data, '', 'client received no application data');
      assert.equal(srv.seen.length, acceptedBefore, 'server never accepted the connection');
    });

    it('rejects a client without a certificate', { timeout: TEST_TIMEOUT }, async () => {
      const acceptedBefore = srv.seen.length;
      const serverError = srv.nextClientError();
      const res = await connect(srv.port, { ...pinned, servername: 'localhost' });
      const err = await serverError;
      assert.ok(err, 'server reported a TLS client error');
      assert.equal(res.data, '');
      assert.ok(res.error, 'client saw the connection fail');
      assert.equal(srv.seen.length, acceptedBefore);
    });

    it('a client that trusts another CA rejects our server', { timeout: TEST_TIMEOUT }, async () => {
      const res = await connect(srv.port, {
        ...pinned,
        ca: [otherCa.certPem],
        servername: 'localhost',
        key: client.keyPem,
        cert: client.certPem,
      });
      assert.equal(res.secureConnected, false);
      // Node's server sends the CA certificate along with its own, hence "self-signed in chain".
      assert.ok(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'].includes(res.error?.code ?? ''), res.error?.code);
    });
  });
}

// ---------------------------------------------------------------------------
// Interoperability with OpenSSL, when available
// ---------------------------------------------------------------------------

const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = opensslVersion.error === undefined && opensslVersion.status === 0;
const noOpenssl = haveOpenssl ? false : 'openssl not found on PATH; skipping OpenSSL interoperability checks';

function openssl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('OpenSSL interoperability', { skip: noOpenssl }, () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'domen-pki-'));
    writeFileSync(file('ca.pem'), ca.certPem);
    writeFileSync(file('server.pem'), server.certPem);
    writeFileSync(file('client.pem'), client.certPem);
    writeFileSync(file('client.key'), client.keyPem, { mode: 0o600 });
    writeFileSync(file('other-client.pem'), otherClient.certPem);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('openssl verify accepts the client certificate (and the server certificate for localhost)', () => {
    const c = openssl(['verify', '-CAfile', file('ca.pem'), file('client.pem')]);
    assert.equal(c.status, 0, c.stdout + c.stderr);
    assert.match(c.stdout, /client\.pem: OK/);
    const cs = openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', file('ca.pem'), file('client.pem')]);
    assert.equal(cs.status, 0, cs.stdout + cs.stderr);
    const s = openssl(['verify', '-x509_strict', '-purpose', 'sslserver', '-verify_hostname', 'localhost', '-verify_ip', '127.0.0.1', '-CAfile', file('ca.pem'), file('server.pem')]);
    assert.equal(s.status, 0, s.stdout + s.stderr);
    const bad = openssl(['verify', '-CAfile', file('ca.pem'), file('other-client.pem')]);
    assert.notEqual(bad.status, 0, 'a certificate from another CA must not verify');
  });

  it('openssl x509 -fingerprint -sha256 prints our fingerprint', () => {
    for (const name of ['ca.pem', 'server.pem', 'client.pem']) {
      const r = openssl(['x509', '-in', file(name), '-noout', '-fingerprint', '-sha256']);
      assert.equal(r.status, 0, r.stderr);
      const printed = r.stdout.trim().replace(/^sha256 Fingerprint=/i, '');
      const ours = name === 'ca.pem' ? ca.certPem : name === 'server.pem' ? server.certPem : client.certPem;
      assert.equal(printed, fingerprintSha256(ours));
      assert.equal(normalizeFingerprintSha256(r.stdout), fingerprintSha256(ours));
    }
  });

  it('openssl x509 -serial prints our serialHex', () => {
    const r = openssl(['x509', '-in', file('client.pem'), '-noout', '-serial']);
    assert.equal(r.stdout.trim(), `serial=${describeCert(client.certPem).serialHex}`);
  });

  it('openssl s_client connects with the registrar files', { timeout: TEST_TIMEOUT }, async () => {
    const srv = await startServer('TLSv1.3', false);
    try {
      const child = spawn(
        'openssl',
        [
          's_client', '-connect', `127.0.0.1:${srv.port}`, '-servername', 'localhost',
          '-CAfile', file('ca.pem'), '-cert', file('client.pem'), '-key', file('client.key'),
          '-verify_return_error', '-verify_hostname', 'localhost', '-brief',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        // Got the greeting: close stdin so s_client sends close_notify and exits.
        if (stdout.includes('hello\n')) child.stdin.end();
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill(), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      clearTimeout(timer);
      assert.equal(stdout, 'hello\n', `s_client stdout=${JSON.stringify(stdout)} stderr=${stderr}`);
      assert.equal(code, 0, stderr);
      assert.match(stderr, /Verification: OK/);
      assert.match(stderr, /Protocol version: TLSv1\.3/);
      assert.equal(srv.seen.at(-1)?.fingerprint256, fingerprintSha256(client.certPem));
    } finally {
      await srv.close();
    }
  });
});
