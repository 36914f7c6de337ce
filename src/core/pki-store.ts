// The registry's CA (signs the EPP server's certificate and registrars' client certificates), kept in
// settings so every node shares it. Created on first use under an advisory lock.
import { sql } from 'kysely';
import { createCa, issueClientCert, issueServerCert, fingerprintSha256, type KeyPairPem } from '../pki/index.ts';
import type { Registry } from './registry.ts';

const CA_KEY = 'pki.ca';

export async function registryCa(reg: Registry): Promise<KeyPairPem> {
  const existing = await reg.db.selectFrom('settings').select('value').where('key', '=', CA_KEY).executeTakeFirst();
  if (existing) return existing.value as KeyPairPem;
  const ca = await createCa({ commonName: `domen .${reg.profile.tld} registry CA`, now: reg.clock.now() });
  return reg.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${CA_KEY}))`.execute(tx);
    const raced = await tx.selectFrom('settings').select('value').where('key', '=', CA_KEY).executeTakeFirst();
    if (raced) return raced.value as KeyPairPem;
    await tx.insertInto('settings').values({ key: CA_KEY, value: JSON.stringify(ca) }).execute();
    return ca;
  });
}

export async function issueRegistrarCertificate(reg: Registry, registrarId: string, registrarName: string): Promise<{ client: KeyPairPem; caPem: string; fingerprint: string }> {
  const ca = await registryCa(reg);
  const client = await issueClientCert(ca, { commonName: registrarId, organization: registrarName, now: reg.clock.now() });
  return { client, caPem: ca.certPem, fingerprint: fingerprintSha256(client.certPem) };
}

export async function issueEppServerCertificate(reg: Registry, dnsNames: string[], ipAddresses: string[]): Promise<KeyPairPem & { caPem: string }> {
  const ca = await registryCa(reg);
  const server = await issueServerCert(ca, { commonName: dnsNames[0] ?? 'localhost', dnsNames, ipAddresses, now: reg.clock.now() });
  return { ...server, caPem: ca.certPem };
}
