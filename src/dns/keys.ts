// DNSSEC keys: ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605), one KSK (flags 257, signs the DNSKEY RRset)
// and one ZSK (flags 256, signs everything else) per zone, generated on first use and kept in dns_keys so
// that every node and every restart signs with the same keys.
// Private keys are stored encrypted (key-crypto.ts). To do (issue 5): ZSK pre-publish and KSK double-DS rollovers.
import { createHash, createPrivateKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, createPublicKey, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nameWire, rdataDnskey, rdataDs } from './wire.ts';
import { decryptPrivateKey, encryptPrivateKey, isEncrypted } from './key-crypto.ts';

export const ALG_ECDSAP256SHA256 = 13;
export const FLAGS_ZSK = 256;
export const FLAGS_KSK = 257;
const LOCK_KEY = 7_200_353; // 'domen dns keys'

export interface ZoneKey {
  id: number; zone: string; role: 'ksk' | 'zsk'; algorithm: number; flags: number; keyTag: number;
  publicKey: Buffer; privateKey: KeyObject; state: string;
  /** DNSKEY RDATA. */
  dnskey: Buffer;
}

/**
 * Which keys are in the DNSKEY RRset (RFC 7583): a ZSK from pre-publication ('published') until it is
 * removed ('retired' ZSKs stay while their signatures may be cached); a KSK only while 'active' (double-DS:
 * the new KSK enters and the old one leaves the DNSKEY RRset at once, their DS overlap at the parent).
 */
export function inDnskeySet(k: { role: string; state: string }): boolean {
  return k.role === 'zsk' ? ['published', 'active', 'retired'].includes(k.state) : k.state === 'active';
}

/** KSKs whose DS the parent must have (and our CDS/CDNSKEY list): the new one from 'created', the old one until removed. */
export function dsAtParent(k: { role: string; state: string }): boolean {
  return k.role === 'ksk' && ['created', 'active', 'retired'].includes(k.state);
}

/** RFC 4034 Appendix B. */
export function keyTag(dnskeyRdata: Buffer): number {
  let ac = 0;
  for (let i = 0; i < dnskeyRdata.length; i++) ac += i & 1 ? dnskeyRdata[i]! : dnskeyRdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** RFC 4509 (SHA-256, digest type 2) DS RDATA for a key of zone owner. */
export function dsFor(owner: string, dnskey: Buffer, digestType = 2): Buffer {
  if (digestType !== 2) throw new Error('only SHA-256 DS (digest type 2) is produced');
  const digest = createHash('sha256').update(Buffer.concat([nameWire(owner), dnskey])).digest();
  return rdataDs(keyTag(dnskey), dnskey[3]!, digestType, digest);
}

/** RFC 6605 §4: the public key field is Q = x | y, 64 octets. */
export function ecPublicKeyField(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

export function publicKeyFromField(field: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: field.subarray(0, 32).toString('base64url'), y: field.subarray(32, 64).toString('base64url') },
    format: 'jwk',
  });
}

export function signData(key: KeyObject, data: Buffer): Buffer {
  return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}

export function verifyData(publicKeyField: Buffer, data: Buffer, signature: Buffer): boolean {
  return cryptoVerify('sha256', data, { key: publicKeyFromField(publicKeyField), dsaEncoding: 'ieee-p1363' }, signature);
}

export function generateKey(zone: string, role: 'ksk' | 'zsk'): { flags: number; publicKey: Buffer; privatePem: string; keyTag: number; dnskey: Buffer } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKey = ecPublicKeyField(createPublicKey(privateKey));
  const flags = role === 'ksk' ? FLAGS_KSK : FLAGS_ZSK;
  const dnskey = rdataDnskey(flags, ALG_ECDSAP256SHA256, publicKey);
  void zone;
  return { flags, publicKey, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), keyTag: keyTag(dnskey), dnskey };
}

function rowToKey(r: { id: number; zone: string; role: 'ksk' | 'zsk'; algorithm: number; flags: number; key_tag: number; public_key: string; private_key: string; state: string }): ZoneKey {
  const publicKey = Buffer.from(r.public_key, 'base64');
  return {
    id: r.id, zone: r.zone, role: r.role, algorithm: r.algorithm, flags: r.flags, keyTag: r.key_tag, publicKey,
    privateKey: createPrivateKey(decryptPrivateKey(r.private_key, `${r.zone} ${r.role.toUpperCase()} ${r.key_tag}`)), state: r.state, dnskey: rdataDnskey(r.flags, r.algorithm, publicKey),
  };
}

/** The zone's keys that are in the DNSKEY RRset; a KSK and a ZSK are generated when the zone has none. */
export async function zoneKeys(db: Kysely<Database>, zone: string, now: Date): Promise<ZoneKey[]> {
  const rows = (q: Kysely<Database>) => q.selectFrom('dns_keys').selectAll().where('zone', '=', zone)
    .where('state', 'in', ['created', 'published', 'active', 'retired']).orderBy('id').execute();
  const first = await rows(db);
  const has = (role: string) => first.some((k) => k.role === role && k.state === 'active');
  if (has('ksk') && has('zsk') && first.every((r) => isEncrypted(r.private_key))) return first.map(rowToKey);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    const again = await rows(tx);
    // Keys stored before encryption at rest: encrypted now (the check above decrypts nothing).
    for (const r of again) {
      if (isEncrypted(r.private_key)) continue;
      await tx.updateTable('dns_keys').set({ private_key: encryptPrivateKey(r.private_key) }).where('id', '=', r.id).execute();
    }
    for (const role of ['ksk', 'zsk'] as const) {
      if (again.some((k) => k.role === role && k.state === 'active')) continue;
      const k = generateKey(zone, role);
      await tx.insertInto('dns_keys').values({
        zone, role, algorithm: ALG_ECDSAP256SHA256, key_tag: k.keyTag, flags: k.flags, public_key: k.publicKey.toString('base64'),
        private_key: encryptPrivateKey(k.privatePem), state: 'active', created_at: now, published_at: now, active_at: now,
      }).execute();
    }
    return (await rows(tx)).map(rowToKey);
  });
}
