DROP TABLE IF EXISTS sent_reminders;
DROP TABLE IF EXISTS calendar_feeds;
