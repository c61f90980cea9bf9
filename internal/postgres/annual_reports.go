package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Narrative is the association's text of an annual report, one field per
// heading of the report.
type Narrative struct {
	Activities string // Genomförda aktiviteter
	Results    string // Resultat
	Lessons    string // Lärdomar
	Challenges string // Utmaningar
	NextYear   string // Nästa år
}

// AnnualReport is the yearly report of an agreement as stored: its state
// (draft, submitted, returned, approved), narrative and review. The
// approved figures are read on their own, see AnnualReports.Snapshot.
type AnnualReport struct {
	ID              int64
	AgreementID     int64
	Year            int
	State           string
	Narrative       Narrative
	Version         int
	SubmittedByName string
	SubmittedAt     *time.Time
	ApprovedByName  string
	ApprovedAt      *time.Time
	UpdatedAt       time.Time
}

// AnnualReportComment is an officer's comment on a report; Kind is
// "return" for the comment that returned it.
type AnnualReportComment struct {
	ID         int64
	Kind       string
	Body       string
	AuthorName string
	CreatedAt  time.Time
}

// PortfolioSummary is the officer's summary text of a year's portfolio;
// Version 0 when none has been written.
type PortfolioSummary struct {
	Year          int
	Summary       string
	Version       int
	UpdatedByName string
	UpdatedAt     *time.Time
}

// AnnualReports stores the annual reports of agreements, their comments
// and the portfolio's summaries. Every lookup names the agreement as well
// as the year; tenancy and the workflow's rules are decided before the
// store is called (see package annualreport).
type AnnualReports struct{ db DBTX }

// NewAnnualReports returns the annual report store on db (a pool or a
// transaction).
func NewAnnualReports(db DBTX) *AnnualReports { return &AnnualReports{db: db} }

const annualReportColumns = `r.id, r.agreement_id, r.year, r.state, r.activities, r.results, r.lessons,
	r.challenges, r.next_year, r.version, coalesce(su.name, '') AS submitted_by_name, r.submitted_at,
	coalesce(au.name, '') AS approved_by_name, r.approved_at, r.updated_at`

const annualReportFrom = ` FROM annual_reports r LEFT JOIN users su ON su.id = r.submitted_by
	LEFT JOIN users au ON au.id = r.approved_by`

type annualReportRow struct {
	ID              int64
	AgreementID     int64
	Year            int
	State           string
	Activities      string
	Results         string
	Lessons         string
	Challenges      string
	NextYear        string
	Version         int
	SubmittedByName string
	SubmittedAt     *time.Time
	ApprovedByName  string
	ApprovedAt      *time.Time
	UpdatedAt       time.Time
}

func (r annualReportRow) report() AnnualReport {
	return AnnualReport{
		ID: r.ID, AgreementID: r.AgreementID, Year: r.Year, State: r.State, Version: r.Version,
		Narrative: Narrative{Activities: r.Activities, Results: r.Results, Lessons: r.Lessons,
			Challenges: r.Challenges, NextYear: r.NextYear},
		SubmittedByName: r.SubmittedByName, SubmittedAt: r.SubmittedAt,
		ApprovedByName: r.ApprovedByName, ApprovedAt: r.ApprovedAt, UpdatedAt: r.UpdatedAt,
	}
}

// Get reads the agreement's report of year; partnership.ErrNotFound when
// none has been started.
func (s *AnnualReports) Get(ctx context.Context, agreementID int64, year int) (AnnualReport, error) {
	return s.one(ctx, fmt.Sprintf("annual report %d of agreement %d", year, agreementID),
		`SELECT `+annualReportColumns+annualReportFrom+` WHERE r.agreement_id = $1 AND r.year = $2`, agreementID, year)
}

// GetForUpdate reads the report like Get and locks its row until the
// transaction ends, so that a step is decided on the state it changes.
func (s *AnnualReports) GetForUpdate(ctx context.Context, agreementID int64, year int) (AnnualReport, error) {
	return s.one(ctx, fmt.Sprintf("annual report %d of agreement %d", year, agreementID),
		`SELECT `+annualReportColumns+annualReportFrom+` WHERE r.agreement_id = $1 AND r.year = $2 FOR UPDATE OF r`,
		agreementID, year)
}

func (s *AnnualReports) one(ctx context.Context, what, sql string, args ...any) (AnnualReport, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	r, err := pgx.CollectExactlyOneRow(rows, rowTo(annualReportRow.report))
	if err != nil {
		return AnnualReport{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return r, nil
}

// ForAgreement reads the agreement's reports, newest year first.
func (s *AnnualReports) ForAgreement(ctx context.Context, agreementID int64) ([]AnnualReport, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+annualReportColumns+annualReportFrom+`
		WHERE r.agreement_id = $1 ORDER BY r.year DESC`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(annualReportRow.report))
	if err != nil {
		return nil, fmt.Errorf("annual reports of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// ForYear reads every agreement's report of year, by agreement.
func (s *AnnualReports) ForYear(ctx context.Context, year int) ([]AnnualReport, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+annualReportColumns+annualReportFrom+`
		WHERE r.year = $1 ORDER BY r.agreement_id`, year)
	list, err := pgx.CollectRows(rows, rowTo(annualReportRow.report))
	if err != nil {
		return nil, fmt.Errorf("annual reports of %d: %w", year, err)
	}
	return list, nil
}

// Years lists the years that have a report of any agreement, newest first.
func (s *AnnualReports) Years(ctx context.Context) ([]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT year FROM annual_reports ORDER BY year DESC`)
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("years of annual reports: %w", err)
	}
	return years, nil
}

// SaveNarrative writes the narrative of the agreement's report of year as
// a draft. Version 0 starts the report; any other version must be the
// stored one, and the report must be a draft or returned (it becomes a
// draft again): otherwise a wrapped partnership.ErrConflict.
func (s *AnnualReports) SaveNarrative(ctx context.Context, agreementID int64, year, version int, n Narrative, by *int64) (AnnualReport, error) {
	what := fmt.Sprintf("save annual report %d of agreement %d", year, agreementID)
	var id int64
	var err error
	if version == 0 {
		err = s.db.QueryRow(ctx, `INSERT INTO annual_reports (agreement_id, year, activities, results, lessons,
			challenges, next_year, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (agreement_id, year) DO NOTHING RETURNING id`,
			agreementID, year, n.Activities, n.Results, n.Lessons, n.Challenges, n.NextYear, by).Scan(&id)
	} else {
		err = s.db.QueryRow(ctx, `UPDATE annual_reports SET activities = $4, results = $5, lessons = $6,
			challenges = $7, next_year = $8, state = 'draft', version = version + 1, updated_at = now()
			WHERE agreement_id = $1 AND year = $2 AND version = $3 AND state IN ('draft', 'returned')
			RETURNING id`,
			agreementID, year, version, n.Activities, n.Results, n.Lessons, n.Challenges, n.NextYear).Scan(&id)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return AnnualReport{}, s.conflict(ctx, what, agreementID, year)
	}
	if err != nil {
		return AnnualReport{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return s.Get(ctx, agreementID, year)
}

// Submit hands the report in: from draft or returned at version, by the
// user by.
func (s *AnnualReports) Submit(ctx context.Context, agreementID int64, year, version int, by *int64) (AnnualReport, error) {
	return s.step(ctx, "submit", agreementID, year, version, `state = 'submitted', submitted_by = $4, submitted_at = now()`,
		[]string{"draft", "returned"}, by)
}

// Return sends a submitted report at version back to the association.
func (s *AnnualReports) Return(ctx context.Context, agreementID int64, year, version int) (AnnualReport, error) {
	return s.step(ctx, "return", agreementID, year, version, `state = 'returned'`, []string{"submitted"})
}

// Approve approves a submitted report at version by the user by and
// stores its figures, snapshot (JSON), with it.
func (s *AnnualReports) Approve(ctx context.Context, agreementID int64, year, version int, by *int64, snapshot []byte) (AnnualReport, error) {
	return s.step(ctx, "approve", agreementID, year, version,
		`state = 'approved', approved_by = $4, approved_at = now(), snapshot = $5`, []string{"submitted"}, by, snapshot)
}

// step changes the state of the report at version with set (whose
// parameters start at $4), provided its state is one of from.
func (s *AnnualReports) step(ctx context.Context, name string, agreementID int64, year, version int, set string, from []string, args ...any) (AnnualReport, error) {
	what := fmt.Sprintf("%s annual report %d of agreement %d", name, year, agreementID)
	var id int64
	params := append([]any{agreementID, year, version}, args...)
	params = append(params, from)
	err := s.db.QueryRow(ctx, fmt.Sprintf(`UPDATE annual_reports SET %s, version = version + 1, updated_at = now()
		WHERE agreement_id = $1 AND year = $2 AND version = $3 AND state = ANY($%d) RETURNING id`, set, len(params)),
		params...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return AnnualReport{}, s.conflict(ctx, what, agreementID, year)
	}
	if err != nil {
		return AnnualReport{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return s.Get(ctx, agreementID, year)
}

// conflict explains a write that matched no row: not found when there is
// no report, a conflict when it changed meanwhile.
func (s *AnnualReports) conflict(ctx context.Context, what string, agreementID int64, year int) error {
	if _, err := s.Get(ctx, agreementID, year); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: changed meanwhile: %w", what, partnership.ErrConflict)
}

// Snapshot reads the figures stored when the report was approved; nil for
// a report that is not approved.
func (s *AnnualReports) Snapshot(ctx context.Context, agreementID int64, year int) ([]byte, error) {
	var snap []byte
	err := s.db.QueryRow(ctx, `SELECT snapshot FROM annual_reports WHERE agreement_id = $1 AND year = $2`,
		agreementID, year).Scan(&snap)
	if err != nil {
		return nil, fmt.Errorf("snapshot of annual report %d of agreement %d: %w", year, agreementID, mapError(err))
	}
	return snap, nil
}

// AddComment stores a comment of kind ("comment" or "return") on the
// report by the user author.
func (s *AnnualReports) AddComment(ctx context.Context, reportID int64, kind, body string, author *int64) (AnnualReportComment, error) {
	rows, _ := s.db.Query(ctx, `WITH added AS (
			INSERT INTO annual_report_comments (report_id, kind, body, author_id) VALUES ($1, $2, $3, $4)
			RETURNING id, kind, body, author_id, created_at)
		SELECT a.id, a.kind, a.body, coalesce(u.name, '') AS author_name, a.created_at
		FROM added a LEFT JOIN users u ON u.id = a.author_id`, reportID, kind, body, author)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[AnnualReportComment])
	if err != nil {
		return AnnualReportComment{}, fmt.Errorf("comment on annual report %d: %w", reportID, mapError(err))
	}
	return c, nil
}

// Comments reads the report's comments, oldest first.
func (s *AnnualReports) Comments(ctx context.Context, reportID int64) ([]AnnualReportComment, error) {
	rows, _ := s.db.Query(ctx, `SELECT c.id, c.kind, c.body, coalesce(u.name, '') AS author_name, c.created_at
		FROM annual_report_comments c LEFT JOIN users u ON u.id = c.author_id
		WHERE c.report_id = $1 ORDER BY c.id`, reportID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[AnnualReportComment])
	if err != nil {
		return nil, fmt.Errorf("comments on annual report %d: %w", reportID, err)
	}
	return list, nil
}

// Summary reads the portfolio's summary of year; an empty one at Version 0
// when none has been written.
func (s *AnnualReports) Summary(ctx context.Context, year int) (PortfolioSummary, error) {
	rows, _ := s.db.Query(ctx, `SELECT p.year, p.summary, p.version, coalesce(u.name, '') AS updated_by_name, p.updated_at
		FROM portfolio_summaries p LEFT JOIN users u ON u.id = p.updated_by WHERE p.year = $1`, year)
	sum, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[PortfolioSummary])
	if errors.Is(err, pgx.ErrNoRows) {
		return PortfolioSummary{Year: year}, nil
	}
	if err != nil {
		return PortfolioSummary{}, fmt.Errorf("portfolio summary %d: %w", year, err)
	}
	return sum, nil
}

// SaveSummary writes the portfolio's summary of year over version (0 for
// the first); a wrapped partnership.ErrConflict when it changed meanwhile.
func (s *AnnualReports) SaveSummary(ctx context.Context, year, version int, summary string, by *int64) (PortfolioSummary, error) {
	what := fmt.Sprintf("save portfolio summary %d", year)
	var err error
	var y int
	if version == 0 {
		err = s.db.QueryRow(ctx, `INSERT INTO portfolio_summaries (year, summary, updated_by) VALUES ($1, $2, $3)
			ON CONFLICT (year) DO NOTHING RETURNING year`, year, summary, by).Scan(&y)
	} else {
		err = s.db.QueryRow(ctx, `UPDATE portfolio_summaries SET summary = $3, updated_by = $4,
			version = version + 1, updated_at = now() WHERE year = $1 AND version = $2 RETURNING year`,
			year, version, summary, by).Scan(&y)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return PortfolioSummary{}, fmt.Errorf("%s: changed meanwhile: %w", what, partnership.ErrConflict)
	}
	if err != nil {
		return PortfolioSummary{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return s.Summary(ctx, year)
}
