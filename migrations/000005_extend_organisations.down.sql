DROP TABLE organisation_contacts;

ALTER TABLE organisations
    DROP COLUMN version,
    DROP COLUMN invoice_address,
    DROP COLUMN postal_address;
