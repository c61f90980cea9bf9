DROP TABLE meeting_action_items;
DROP TABLE meeting_decisions;
DROP TABLE meeting_agenda_points;
DROP TABLE meeting_attendees;
DROP TABLE meetings;
