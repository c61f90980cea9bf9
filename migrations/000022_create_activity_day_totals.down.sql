DROP INDEX IF EXISTS participants_enrolled_code_idx;
DROP TRIGGER IF EXISTS activity_day_totals_insert ON activities;
DROP TRIGGER IF EXISTS activity_day_totals_update ON activities;
DROP TRIGGER IF EXISTS activity_day_totals_delete ON activities;
DROP FUNCTION IF EXISTS activity_day_totals_insert();
DROP FUNCTION IF EXISTS activity_day_totals_update();
DROP FUNCTION IF EXISTS activity_day_totals_delete();
DROP TABLE IF EXISTS activity_day_totals;
