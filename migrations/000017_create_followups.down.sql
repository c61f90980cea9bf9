DROP TABLE IF EXISTS followups;
DROP TABLE IF EXISTS followup_schedules;
