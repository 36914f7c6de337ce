-- Documents attached to an application under review (R4.2, R4.8, R4.9: consent and approvals; R3.12, R5.1: the
-- decision's grounds): the file itself, its SHA-256, who attached it and when. Never edited; kept with the application.
CREATE TABLE application_documents (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES applications(id),
  kind           text NOT NULL CHECK (kind IN ('consent', 'decision', 'other')),
  filename       text NOT NULL,
  media_type     text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size           integer NOT NULL CHECK (size > 0),
  sha256         text NOT NULL,
  content        bytea NOT NULL,
  note           text,
  attached_by    text NOT NULL,
  attached_at    timestamptz NOT NULL
);
CREATE INDEX application_documents_application ON application_documents (application_id);
