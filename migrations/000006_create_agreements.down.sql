DROP TABLE agreement_extensions;
DROP TABLE agreement_parties;
DROP TABLE agreements;
