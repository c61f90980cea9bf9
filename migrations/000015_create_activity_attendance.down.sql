DROP TABLE activity_participants;
