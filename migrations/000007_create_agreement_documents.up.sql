-- The signed agreement and its attachments, kept in the database so that a
-- backup (pg_dump) holds everything and app instances stay stateless.
CREATE TABLE agreement_documents (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('signed_agreement', 'attachment')),
    file_name    TEXT NOT NULL CHECK (btrim(file_name) <> '' AND length(file_name) <= 255),
    content_type TEXT NOT NULL CHECK (content_type IN (
        'application/pdf',
        'image/png',
        'image/jpeg',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    size_bytes   BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 20971520),
    sha256       TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    content      BYTEA NOT NULL,
    uploaded_by  BIGINT REFERENCES users (id),
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (octet_length(content) = size_bytes)
);

-- PDF, Office and image files are compressed already: store them out of line
-- without trying to compress them again.
ALTER TABLE agreement_documents ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE INDEX agreement_documents_agreement_idx ON agreement_documents (agreement_id, uploaded_at DESC);
