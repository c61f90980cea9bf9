DROP TABLE activities;
DROP TABLE activity_targets;
DROP TABLE activity_types;
