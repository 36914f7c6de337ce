/**
 * domen PKI: the registry's private certificate authority for EPP over TLS (RFC 5734).
 *
 * Registrars authenticate to the EPP server with client certificates issued by the
 * registry CA; the EPP server presents a server certificate issued by the same CA.
 * The server identifies a registrar's certificate by its SHA-256 fingerprint.
 *
 * Everything here is a pure function over PEM strings: no files, no database.
 * Keys are ECDSA P-256, exported as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY").
 * Certificates are X.509 v3, signed with ecdsa-with-SHA256 (SHA-384 for a P-384 CA).
 */
import * as nodeCrypto from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
// Must precede '@peculiar/x509': its tsyringe dependency needs Reflect.getMetadata at load time.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 needs a WebCrypto implementation; use Node's. Setting it is idempotent.
const webcrypto = nodeCrypto.webcrypto as unknown as Crypto;
x509.cryptoProvider.set(webcrypto);

/** A certificate and its private key, both PEM. The key is unencrypted PKCS#8. */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CreateCaOptions {
  commonName: string;
  /** Optional organization (O) in the CA's subject. */
  organization?: string;
  /** Validity in days from `now`. Default 3650 (10 years). */
  validDays?: number;
  /** Issuance time. Default: the current time. */
  now?: Date;
}

export interface IssueServerCertOptions {
  commonName: string;
  /** SAN dNSName entries, e.g. ['epp.nic.az', 'localhost']. ASCII (A-label) form only. */
  dnsNames: string[];
  /** SAN iPAddress entries, e.g. ['127.0.0.1', '::1']. */
  ipAddresses?: string[];
  organization?: string;
  /** Validity in days from `now`. Default 825. Never extends past the CA's notAfter. */
  validDays?: number;
  now?: Date;
}

export interface IssueClientCertOptions {
  commonName: string;
  organization?: string;
  /** Validity in days from `now`. Default 825. Never extends past the CA's notAfter. */
  validDays?: number;
  now?: Date;
}

export interface CertDescription {
  /** Subject DN, RFC 4514 style as rendered by @peculiar/x509, e.g. "CN=Registrar One, O=Example". */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial number, uppercase hex without a sign byte (as `openssl x509 -serial` prints it). */
  serialHex: string;
  /** Uppercase colon-separated SHA-256 fingerprint of the DER certificate. */
  fingerprintSha256: string;
}

export const DEFAULT_CA_VALID_DAYS = 3650;
export const DEFAULT_LEAF_VALID_DAYS = 825;
/**
 * notBefore is set this far before `now`, so a peer whose clock is slightly behind ours
 * does not reject a freshly issued certificate as "not yet valid".
 */
export const NOT_BEFORE_BACKDATE_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const P256_KEYGEN: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Thrown for invalid input (bad options, unusable CA, malformed PEM). */
export class PkiError extends Error {
  override name = 'PkiError';
}

// ---------------------------------------------------------------------------
// Issuance
// ---------------------------------------------------------------------------

/** Creates a self-signed ECDSA P-256 certificate authority. */
export async function createCa(opts: CreateCaOptions): Promise<KeyPairPem> {
  const commonName = checkName(opts.commonName, 'commonName');
  const organization = opts.organization === undefined ? undefined : checkName(opts.organization, 'organization');
  const { notBefore, notAfter } = validity(opts.now, opts.validDays, DEFAULT_CA_VALID_DAYS);
  const keys = await generateKeys();

  const extensions: x509.Extension[] = [
    // pathLenConstraint 0: this CA signs end-entity certificates only, never another CA.
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialHex(),
      name: subjectName(commonName, organization),
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      extensions,
    },
    webcrypto,
  );
  return { certPem: certToPem(cert), keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Issues an ECDSA P-256 TLS server certificate (EKU serverAuth) signed by `ca`. */
export async function issueServerCert(ca: KeyPairPem, opts: IssueServerCertOptions): Promise<KeyPairPem> {
  const commonName = checkName(opts.commonName, 'commonName');
  const organization = opts.organization === undefined ? undefined : checkName(opts.organization, 'organization');
  if (!Array.isArray(opts.dnsNames)) throw new PkiError('dnsNames must be an array');
  const dnsNames = dedupe(opts.dnsNames.map(normalizeDnsName));
  const ipAddresses = dedupe((opts.ipAddresses ?? []).map(normalizeIp));
  if (dnsNames.length === 0 && ipAddresses.length === 0) {
    throw new PkiError('a server certificate needs at least one DNS name or IP address');
  }
  const san: x509.JsonGeneralNames = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  return issueLeaf(ca, {
    subject: subjectName(commonName, organization),
    now: opts.now,
    validDays: opts.validDays,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(san, false),
    ],
  });
}

/** Issues an ECDSA P-256 TLS client certificate (EKU clientAuth) signed by `ca`, e.g. for a registrar. */
export async function issueClientCert(ca: KeyPairPem, opts: IssueClientCertOptions): Promise<KeyPairPem> {
  const commonName = checkName(opts.commonName, 'commonName');
  const organization = opts.organization === undefined ? undefined : checkName(opts.organization, 'organization');
  return issueLeaf(ca, {
    subject: subjectName(commonName, organization),
    now: opts.now,
    validDays: opts.validDays,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false)],
  });
}

interface LeafParams {
  subject: x509.JsonName;
  now: Date | undefined;
  validDays: number | undefined;
  extensions: x509.Extension[];
}

async function issueLeaf(caPair: KeyPairPem, params: LeafParams): Promise<KeyPairPem> {
  const { notBefore, notAfter: wanted } = validity(params.now, params.validDays, DEFAULT_LEAF_VALID_DAYS);
  const ca = await loadCa(caPair, new Date(notBefore.getTime() + NOT_BEFORE_BACKDATE_MS));
  // A certificate cannot usefully outlive its issuer: cap it at the CA's notAfter.
  const notAfter = wanted.getTime() > ca.cert.notAfter.getTime() ? ca.cert.notAfter : wanted;
  const keys = await generateKeys();

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ...params.extensions,
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
    ca.authorityKeyIdentifier,
  ];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: params.subject,
      issuer: ca.cert.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: ca.signingKey,
      signingAlgorithm: ca.signingAlgorithm,
      extensions,
    },
    webcrypto,
  );
  return { certPem: certToPem(cert), keyPem: await privateKeyToPem(keys.privateKey) };
}

interface LoadedCa {
  cert: x509.X509Certificate;
  signingKey: CryptoKey;
  signingAlgorithm: EcdsaParams;
  authorityKeyIdentifier: x509.AuthorityKeyIdentifierExtension;
}

const CURVES: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
};

/** Parses and checks a CA key pair: it must be a CA, valid at `at`, and the key must match. */
async function loadCa(ca: KeyPairPem, at: Date): Promise<LoadedCa> {
  if (ca === null || typeof ca !== 'object') throw new PkiError('CA key pair is required');
  const certPem = firstPemBlock(ca.certPem, 'CERTIFICATE', 'CA certificate');
  let nodeCert: nodeCrypto.X509Certificate;
  let cert: x509.X509Certificate;
  try {
    nodeCert = new nodeCrypto.X509Certificate(certPem);
    cert = new x509.X509Certificate(certPem);
  } catch (err) {
    throw new PkiError(`CA certificate cannot be parsed: ${errorMessage(err)}`);
  }
  if (!nodeCert.ca) throw new PkiError(`certificate "${cert.subject}" is not a CA certificate (basicConstraints CA:TRUE missing)`);
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && (keyUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new PkiError(`CA certificate "${cert.subject}" does not allow keyCertSign`);
  }
  if (at.getTime() < cert.notBefore.getTime() || at.getTime() > cert.notAfter.getTime()) {
    throw new PkiError(
      `CA certificate "${cert.subject}" is not valid at ${at.toISOString()} ` +
        `(valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`,
    );
  }

  if (typeof ca.keyPem !== 'string') throw new PkiError('CA private key PEM is required');
  let keyObject: nodeCrypto.KeyObject;
  try {
    keyObject = nodeCrypto.createPrivateKey(ca.keyPem);
  } catch (err) {
    throw new PkiError(`CA private key cannot be read (must be unencrypted PEM): ${errorMessage(err)}`);
  }
  if (!nodeCert.checkPrivateKey(keyObject)) {
    throw new PkiError(`CA private key does not match CA certificate "${cert.subject}"`);
  }
  const curve = keyObject.asymmetricKeyType === 'ec' ? CURVES[keyObject.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!curve) {
    const kind = keyObject.asymmetricKeyType === 'ec' ? `EC ${keyObject.asymmetricKeyDetails?.namedCurve}` : keyObject.asymmetricKeyType;
    throw new PkiError(`unsupported CA key type ${kind}: expected ECDSA P-256 or P-384`);
  }
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'ECDSA', namedCurve: curve.namedCurve } as EcKeyImportParams,
    false,
    ['sign'],
  );

  // The leaf's authorityKeyIdentifier must equal the CA's subjectKeyIdentifier, whatever
  // method the CA's issuer used to compute it; derive one only when the CA has none.
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const authorityKeyIdentifier = ski
    ? new x509.AuthorityKeyIdentifierExtension(ski.keyId, false)
    : await x509.AuthorityKeyIdentifierExtension.create(cert.publicKey, false, webcrypto);

  return {
    cert,
    signingKey,
    signingAlgorithm: { name: 'ECDSA', hash: curve.hash } as EcdsaParams,
    authorityKeyIdentifier,
  };
}

// ---------------------------------------------------------------------------
// Inspection
// ---------------------------------------------------------------------------

/**
 * SHA-256 fingerprint of a PEM certificate (the first one, if several are concatenated):
 * uppercase hex pairs separated by colons, exactly as `openssl x509 -fingerprint -sha256`
 * and Node's `tlsSocket.getPeerCertificate().fingerprint256` print it.
 */
export function fingerprintSha256(certPem: string): string {
  return fingerprintSha256Der(pemToDer(certPem));
}

/** SHA-256 fingerprint of a DER certificate, e.g. `tlsSocket.getPeerCertificate().raw`. */
export function fingerprintSha256Der(certDer: Uint8Array): string {
  return formatFingerprint(nodeCrypto.createHash('sha256').update(certDer).digest());
}

/**
 * Normalizes a fingerprint as typed by a human or another tool ("ab:cd…", "ABCD…",
 * "AB CD …", "sha256 Fingerprint=AB:CD…") to our canonical form, for comparisons.
 * Throws PkiError unless it is exactly 32 bytes of hex.
 */
export function normalizeFingerprintSha256(input: string): string {
  const hex = input.replace(/^\s*(sha-?256\s*)?(fingerprint\s*)?[=:]?\s*/i, '').replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new PkiError(`not a SHA-256 fingerprint: ${JSON.stringify(input)}`);
  return formatFingerprint(Buffer.from(hex, 'hex'));
}

/** Parses a PEM certificate (the first one, if several) into the fields the registry shows and stores. */
export function describeCert(certPem: string): CertDescription {
  const der = pemToDer(certPem);
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(new Uint8Array(der));
  } catch (err) {
    throw new PkiError(`certificate cannot be parsed: ${errorMessage(err)}`);
  }
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialHex: cert.serialNumber.toUpperCase(),
    fingerprintSha256: fingerprintSha256Der(der),
  };
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function formatFingerprint(digest: Uint8Array): string {
  return Buffer.from(digest).toString('hex').toUpperCase().match(/../g)!.join(':');
}

/** The base64 body of the first `-----BEGIN <label>-----` block, re-wrapped as clean PEM. */
function firstPemBlock(pem: unknown, label: string, what: string): string {
  if (typeof pem !== 'string') throw new PkiError(`${what}: PEM string expected`);
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`);
  const m = re.exec(pem);
  if (!m) throw new PkiError(`${what}: no "-----BEGIN ${label}-----" block found`);
  const body = (m[1] ?? '').replace(/\s+/g, '');
  if (body.length === 0) throw new PkiError(`${what}: empty PEM block`);
  return `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

function pemToDer(certPem: string): Buffer {
  const pem = firstPemBlock(certPem, 'CERTIFICATE', 'certificate');
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  return Buffer.from(body, 'base64');
}

function certToPem(cert: x509.X509Certificate): string {
  return firstPemBlock(cert.toString('pem'), 'CERTIFICATE', 'generated certificate');
}

async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const pem = nodeCrypto.createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
  return pem.toString();
}

async function generateKeys(): Promise<CryptoKeyPair> {
  // Extractable, so the private key can be exported as PKCS#8.
  return webcrypto.subtle.generateKey(P256_KEYGEN, true, ['sign', 'verify']);
}

/** 16 random bytes, top bit clear and second-highest bit set: positive, always 16 bytes in DER. */
function randomSerialHex(): string {
  const bytes = nodeCrypto.randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return bytes.toString('hex');
}

function validity(now: Date | undefined, validDays: number | undefined, defaultDays: number): { notBefore: Date; notAfter: Date } {
  const base = now ?? new Date();
  if (!(base instanceof Date) || Number.isNaN(base.getTime())) throw new PkiError('now must be a valid Date');
  const days = validDays ?? defaultDays;
  if (!Number.isInteger(days) || days < 1 || days > 100 * 365) {
    throw new PkiError(`validDays must be an integer from 1 to ${100 * 365}, got ${String(validDays)}`);
  }
  // X.509 times have one-second resolution; truncate so describeCert() round-trips exactly.
  const t = Math.floor(base.getTime() / 1000) * 1000;
  return { notBefore: new Date(t - NOT_BEFORE_BACKDATE_MS), notAfter: new Date(t + days * DAY_MS) };
}

function subjectName(commonName: string, organization: string | undefined): x509.JsonName {
  const name: x509.JsonName = [];
  if (organization !== undefined) name.push({ O: [organization] });
  name.push({ CN: [commonName] });
  return name;
}

/** RFC 5280 upper bounds: ub-common-name and ub-organization-name are both 64. */
function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new PkiError(`${field} must be a string`);
  const v = value.trim();
  if (v.length === 0) throw new PkiError(`${field} must not be empty`);
  if ([...v].length > 64) throw new PkiError(`${field} must be at most 64 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new PkiError(`${field} must not contain control characters`);
  return v;
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function normalizeDnsName(input: unknown): string {
  if (typeof input !== 'string') throw new PkiError('DNS names must be strings');
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(name)) {
    throw new PkiError(`DNS name ${JSON.stringify(input)} must be in ASCII (A-label, "xn--") form`);
  }
  const labels = name.split('.');
  const ok =
    name.length > 0 &&
    name.length <= 253 &&
    labels.every((label, i) => DNS_LABEL.test(label) || (i === 0 && label === '*' && labels.length > 2));
  if (!ok) throw new PkiError(`invalid DNS name ${JSON.stringify(input)}`);
  return name;
}

/**
 * Validates an IP address and returns a form @peculiar/x509's encoder handles correctly:
 * dotted quad for IPv4, eight uncompressed hex groups for IPv6 (its own parser mis-encodes
 * embedded IPv4 like "::ffff:192.0.2.1" and zone IDs like "fe80::1%eth0").
 */
function normalizeIp(input: unknown): string {
  if (typeof input !== 'string') throw new PkiError('IP addresses must be strings');
  const ip = input.trim();
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip) || ip.includes('%')) throw new PkiError(`invalid IP address ${JSON.stringify(input)}`);
  let groups = ip.split(':');
  const last = groups[groups.length - 1] ?? '';
  if (last.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    groups = [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  }
  const joined = groups.join(':');
  const [head = '', tail] = joined.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  const full = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  if (full.length !== 8) throw new PkiError(`invalid IP address ${JSON.stringify(input)}`);
  return full.map((g) => parseInt(g, 16).toString(16)).join(':');
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
