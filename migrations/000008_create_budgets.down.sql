DROP TABLE budget_stated_totals;
DROP TABLE budget_lines;
ALTER TABLE agreement_parties DROP CONSTRAINT agreement_parties_agreement_id_id_key;
ALTER TABLE agreements
    DROP COLUMN volunteer_hour_rate,
    DROP COLUMN index_rate_bp,
    DROP COLUMN index_mode;
