package annualreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/report"
)

// Detail is one agreement's report of a year as its page shows it; Report
// has ID 0 (and State "") when nobody has started it.
type Detail struct {
	Agreement partnership.Agreement
	Year      int
	Report    postgres.AnnualReport
	Comments  []postgres.AnnualReportComment
}

// State is the report's state.
func (d Detail) State() State { return State(d.Report.State) }

// YearReport is a year of an agreement with its report's state.
type YearReport struct {
	Year   int
	Report postgres.AnnualReport // ID 0 when not started
}

// AgreementReports is an agreement with its reportable years, newest first.
type AgreementReports struct {
	Agreement partnership.Agreement
	Years     []YearReport
}

// OverviewRow is an agreement in a year's list of reports.
type OverviewRow struct {
	AgreementID  int64
	Title        string
	Associations string // the associations that are parties, comma-separated
	Report       postgres.AnnualReport
}

// YearOverview is the reports of a year across the agreements the actor
// sees, by title.
type YearOverview struct {
	Year int
	Rows []OverviewRow
}

// ReportYears are the years an agreement reports on, newest first: every
// calendar year of its budget period up to today's, for an agreement that
// has been signed (a draft reports nothing).
func ReportYears(a partnership.Agreement, today time.Time) []int {
	if a.Status == partnership.StatusDraft {
		return nil
	}
	start, end, ok := partnership.BudgetPeriod(a)
	if !ok {
		return nil
	}
	var years []int
	for y := min(end.Year(), today.Year()); y >= start.Year(); y-- {
		years = append(years, y)
	}
	return years
}

// Get reads the agreement's report of year with its comments.
func (s *Service) Get(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (Detail, error) {
	pool := s.db.Pool
	a, err := s.visibleAgreement(ctx, pool, actor, agreementID, year)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Agreement: a, Year: year}
	store := postgres.NewAnnualReports(pool)
	d.Report, err = store.Get(ctx, agreementID, year)
	if errors.Is(err, partnership.ErrNotFound) {
		d.Report = postgres.AnnualReport{AgreementID: agreementID, Year: year}
		return d, nil
	}
	if err != nil {
		return Detail{}, err
	}
	d.Comments, err = store.Comments(ctx, d.Report.ID)
	return d, err
}

// List reads the agreement's reportable years with their reports.
func (s *Service) List(ctx context.Context, actor partnership.Actor, agreementID int64) (AgreementReports, error) {
	pool := s.db.Pool
	a, err := s.visibleAgreement(ctx, pool, actor, agreementID, 0)
	if err != nil {
		return AgreementReports{}, err
	}
	stored, err := postgres.NewAnnualReports(pool).ForAgreement(ctx, agreementID)
	if err != nil {
		return AgreementReports{}, err
	}
	byYear := map[int]postgres.AnnualReport{}
	for _, r := range stored {
		byYear[r.Year] = r
	}
	out := AgreementReports{Agreement: a}
	for _, y := range ReportYears(a, s.today()) {
		r, ok := byYear[y]
		if !ok {
			r = postgres.AnnualReport{AgreementID: agreementID, Year: y}
		}
		out.Years = append(out.Years, YearReport{Year: y, Report: r})
	}
	return out, nil
}

// Overview lists, year by year (newest first), the reports of every
// agreement the actor sees: all for the municipality's roles, their own
// for association staff.
func (s *Service) Overview(ctx context.Context, actor partnership.Actor) ([]YearOverview, error) {
	if err := Check(actor.Role, NotStarted, ActRead); err != nil {
		return nil, err
	}
	pool := s.db.Pool
	today := s.today()
	rows, err := postgres.NewAgreementList(pool).All(ctx, asUser(actor), postgres.AgreementListQuery{Today: today})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, row := range rows {
		if row.Status == partnership.StatusDraft || row.StartDate == nil {
			continue
		}
		ids = append(ids, row.ID)
	}
	byYear := map[int][]OverviewRow{}
	if len(ids) > 0 {
		agreements, err := postgres.NewAgreements(pool).ByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		reports, err := postgres.NewAnnualReports(pool).ForAgreements(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range agreements {
			years := ReportYears(a, today)
			if len(years) == 0 {
				continue
			}
			have := map[int]postgres.AnnualReport{}
			for _, r := range reports[a.ID] {
				have[r.Year] = r
			}
			for _, y := range years {
				r, ok := have[y]
				if !ok {
					r = postgres.AnnualReport{AgreementID: a.ID, Year: y}
				}
				byYear[y] = append(byYear[y], OverviewRow{AgreementID: a.ID, Title: a.Title, Associations: associations(a), Report: r})
			}
		}
	}
	out := make([]YearOverview, 0, len(byYear))
	for y, list := range byYear {
		sort.SliceStable(list, func(i, j int) bool { return list[i].Title < list[j].Title })
		out = append(out, YearOverview{Year: y, Rows: list})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out, nil
}

// Portfolio is the reports of one year and the officer's summary, for the
// portfolio page of the committee.
type Portfolio struct {
	Year    int
	Summary postgres.PortfolioSummary
	Rows    []OverviewRow
}

// Portfolio reads the year's summary and reports for the municipality's
// roles that read the portfolio (officers, admins, viewers).
func (s *Service) Portfolio(ctx context.Context, actor partnership.Actor, year int) (Portfolio, error) {
	if !MayReadPortfolio(actor.Role) {
		return Portfolio{}, fmt.Errorf("role %q reading the portfolio: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := s.validYear(year); err != nil {
		return Portfolio{}, err
	}
	sum, err := postgres.NewAnnualReports(s.db.Pool).Summary(ctx, year)
	if err != nil {
		return Portfolio{}, err
	}
	all, err := s.Overview(ctx, actor)
	if err != nil {
		return Portfolio{}, err
	}
	p := Portfolio{Year: year, Summary: sum}
	for _, y := range all {
		if y.Year == year {
			p.Rows = y.Rows
		}
	}
	return p, nil
}

// MayReadPortfolio reports whether a role reads the whole portfolio: the
// municipality's officers and admins and the committee's viewer.
func MayReadPortfolio(r partnership.Role) bool { return reviewer(r) || r == partnership.RoleViewer }

// Figures are the figures of the agreement's report of year: those stored
// at approval (approved true), so that an approved report never moves, or
// else computed now. Undisclosed: the caller applies Disclose where the
// figures leave the system or reach a viewer.
func (s *Service) Figures(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (report.Report, bool, error) {
	d, err := s.Get(ctx, actor, agreementID, year)
	if err != nil {
		return report.Report{}, false, err
	}
	return s.FiguresOf(ctx, actor, d)
}

// FiguresOf are Figures of a report Get has read (and checked the actor
// may read): the stored figures are looked for only when the report exists.
func (s *Service) FiguresOf(ctx context.Context, actor partnership.Actor, d Detail) (report.Report, bool, error) {
	agreementID, year := d.Agreement.ID, d.Year
	var snap []byte
	if d.Report.ID != 0 {
		var err error
		snap, err = postgres.NewAnnualReports(s.db.Pool).Snapshot(ctx, agreementID, year)
		if err != nil && !errors.Is(err, partnership.ErrNotFound) {
			return report.Report{}, false, err
		}
	}
	if snap != nil {
		var r report.Report
		if err := json.Unmarshal(snap, &r); err != nil {
			return report.Report{}, false, fmt.Errorf("read snapshot of annual report %d of agreement %d: %w", year, agreementID, err)
		}
		return r, true, nil
	}
	if s.figures == nil {
		return report.Report{}, false, fmt.Errorf("figures of annual report: no figure source")
	}
	r, err := s.figures.Agreement(ctx, actor, agreementID, year)
	return r, false, err
}

// visibleAgreement reads the agreement for an actor that reads reports:
// not found when the actor may not see it, so that association staff
// cannot tell another organisation's agreements from missing ones, nor a
// year the agreement does not report on (year 0 skips that check).
func (s *Service) visibleAgreement(ctx context.Context, db postgres.DBTX, actor partnership.Actor, agreementID int64, year int) (partnership.Agreement, error) {
	if err := Check(actor.Role, NotStarted, ActRead); err != nil {
		return partnership.Agreement{}, err
	}
	if err := postgres.AgreementVisible(ctx, db, agreementID, asUser(actor)); err != nil {
		return partnership.Agreement{}, fmt.Errorf("annual reports of agreement %d: %w", agreementID, err)
	}
	a, err := postgres.NewAgreements(db).ByID(ctx, agreementID)
	if err != nil || year == 0 {
		return a, err
	}
	for _, y := range ReportYears(a, s.today()) {
		if y == year {
			return a, nil
		}
	}
	return partnership.Agreement{}, fmt.Errorf("annual report %d of agreement %d: no such year: %w", year, agreementID, partnership.ErrNotFound)
}

// validYear accepts a year of the portfolio: from 2000 to this year.
func (s *Service) validYear(year int) error {
	if year < 2000 || year > s.today().Year() {
		return fmt.Errorf("portfolio of %d: %w", year, partnership.ErrNotFound)
	}
	return nil
}

// associations names the associations that are parties to the agreement.
func associations(a partnership.Agreement) string {
	var names []string
	for _, p := range a.Parties {
		if p.Role == partnership.PartyLeadAssociation || p.Role == partnership.PartyPartnerAssociation {
			names = append(names, p.OrganisationName)
		}
	}
	return strings.Join(names, ", ")
}

// today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) today() time.Time { return partnership.Today(s.now()) }

// asUser is the actor as the access rules phrased on users see it.
func asUser(actor partnership.Actor) partnership.User {
	return partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
}
