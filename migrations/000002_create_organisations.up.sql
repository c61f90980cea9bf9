CREATE TABLE organisations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    -- Ten digits without separator; the Luhn check digit is validated by the application.
    org_number TEXT UNIQUE CHECK (org_number ~ '^[0-9]{10}$'),
    kind       TEXT NOT NULL CHECK (kind IN ('municipality', 'association', 'authority', 'other')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX organisations_name_idx ON organisations (lower(name));
