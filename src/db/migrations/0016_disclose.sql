-- RDAP entity searches (RFC 9082 §3.2.3: entities?fn= and ?handle=) over what is public only: legal entities, and
-- natural persons who consented to publish their name (RFC 5733 §2.9 disclose flag 1, kept in contacts.disclose).
-- The key is the jCard 'fn' lower-cased, in the C collation so that 'prefix%' and the paging order use the index.
CREATE INDEX contacts_public_fn ON contacts (
  (lower(CASE WHEN kind = 'legal' THEN coalesce(org_name, '')
         ELSE btrim(coalesce(given_name, '') || coalesce(' ' || patronymic, '') || coalesce(' ' || family_name, '')) END) COLLATE "C"),
  handle)
  WHERE deleted_at IS NULL AND (kind = 'legal' OR disclose->>'name' = 'true');
CREATE INDEX contacts_public_handle ON contacts ((handle COLLATE "C"))
  WHERE deleted_at IS NULL AND (kind = 'legal' OR disclose->>'name' = 'true');
