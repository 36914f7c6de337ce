// RDAP entity searches (RFC 9082 §3.2.3: entities?fn=PATTERN, entities?handle=PATTERN) over what is public only:
// the registrars, legal entities, and natural persons who consented to publish their name (disclose flag 1).
// Nobody else is ever found, so a search cannot confirm that a person is a registrant (R8.8). Served by the
// indexes of migration 0016; paged by (fn, handle) in byte order (the C collation).
import { sql, type RawBuilder } from 'kysely';
import type { ContactRow } from '../db/schema.ts';
import type { RegistrarView } from '../core/registrars.ts';
import type { Registry } from '../core/registry.ts';

/** The search key of a contact: its jCard fn, lower-cased, in the C collation (as in the index contacts_public_fn). */
const CONTACT_FN = sql<string>`(lower(case when kind = 'legal' then coalesce(org_name, '')
  else btrim(coalesce(given_name, '') || coalesce(' ' || patronymic, '') || coalesce(' ' || family_name, '')) end) collate "C")`;
const PUBLIC_CONTACT = sql<boolean>`deleted_at is null and (kind = 'legal' or disclose->>'name' = 'true')`;

export type EntityPattern = { prefix: string } | { exact: string };
export interface EntityHit { key: string; handle: string; registrar?: RegistrarView; contact?: ContactRow }

const likePrefix = (p: string) => p.replace(/[\\%_]/g, (c) => `\\${c}`);
const utf8Order = (a: EntityHit, b: EntityHit) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || Buffer.compare(Buffer.from(a.handle), Buffer.from(b.handle));

/** One page (at most `limit` + 1 hits, to tell whether there is more) after the cursor (key, handle). */
export async function searchEntities(reg: Registry, by: 'fn' | 'handle', p: EntityPattern, cursor: [string, string] | null, limit: number): Promise<EntityHit[]> {
  const regKey = by === 'fn' ? sql<string>`(lower(name) collate "C")` : sql<string>`(id collate "C")`;
  const conKey = by === 'fn' ? CONTACT_FN : sql<string>`(handle collate "C")`;
  // fn patterns are lower-cased by the database, as the keys are ('İ' lower-cases differently in JavaScript).
  const fold = (v: string) => (by === 'fn' ? sql<string>`lower(${v}::text)` : sql<string>`${v}::text`);
  const match = (key: RawBuilder<string>) => 'exact' in p ? sql<boolean>`${key} = ${fold(p.exact)}` : sql<boolean>`${key} like ${fold(likePrefix(p.prefix))} || '%'`;
  const after = (key: RawBuilder<string>, handle: RawBuilder<string>) => cursor ? sql<boolean>`(${key}, ${handle}) > (${cursor[0]}, ${cursor[1]})` : sql<boolean>`true`;
  const registrars = await reg.db.selectFrom('registrars')
    .select(['id', 'name', 'legal_form', 'email', 'phone', 'address', 'url', 'status', 'created_at', 'updated_at', regKey.as('search_key')])
    .where(match(regKey)).where(after(regKey, sql<string>`(id collate "C")`))
    .orderBy(regKey).orderBy(sql`id collate "C"`).limit(limit + 1).execute();
  const contacts = await reg.db.selectFrom('contacts').selectAll().select(conKey.as('search_key'))
    .where(PUBLIC_CONTACT).where(match(conKey)).where(after(conKey, sql<string>`(handle collate "C")`))
    .orderBy(conKey).orderBy(sql`handle collate "C"`).limit(limit + 1).execute();
  const hits: EntityHit[] = [
    ...registrars.map((r) => ({
      key: r.search_key, handle: r.id,
      registrar: { id: r.id, name: r.name, legalForm: r.legal_form, email: r.email, phone: r.phone, address: r.address, url: r.url, status: r.status,
        ipAllowlist: [], createdAt: r.created_at, updatedAt: r.updated_at },
    })),
    ...contacts.map(({ search_key, ...c }) => ({ key: search_key, handle: c.handle, contact: c as ContactRow })),
  ];
  return hits.sort(utf8Order).slice(0, limit + 1);
}
