DROP TABLE portfolio_summaries;
DROP TABLE annual_report_comments;
DROP TABLE annual_reports;
