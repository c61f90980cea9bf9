DROP TABLE assessment_ratings;
DROP TABLE assessments;
DROP TABLE step_dimensions;
DROP TABLE step_models;
DROP TABLE plan_goals;
