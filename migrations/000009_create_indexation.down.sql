DROP TABLE indexation_runs;
DROP TABLE budget_year_amounts;
DROP TABLE budget_year_locks;
DROP TABLE index_rates;
