DROP TABLE participant_consents;
DROP TABLE participants;
DROP TABLE participant_code_sequences;
DROP TABLE participant_code_prefixes;
