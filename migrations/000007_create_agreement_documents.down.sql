DROP TABLE agreement_documents;
