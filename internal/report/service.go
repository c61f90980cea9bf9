package report

import (
	"context"
	"fmt"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service computes the figures of annual reports on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the report service on db; now is the clock that
// decides which meetings have been held and how far a year in progress
// has come.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// MayRead reports whether a role may read annual reports: everyone but
// the referral coordinator (association staff only their own agreements').
func MayRead(role partnership.Role) bool {
	switch role {
	case partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer, partnership.RoleAssociationStaff:
		return true
	}
	return false
}

// MayReadPortfolio reports whether a role may read the portfolio of all
// agreements: the municipality's officers and administrators and the
// committee's readers.
func MayReadPortfolio(role partnership.Role) bool {
	switch role {
	case partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer:
		return true
	}
	return false
}

func validYear(year int) error {
	if year < 2000 || year > 2100 {
		return fmt.Errorf("report year %d: %w", year, partnership.ErrNotFound)
	}
	return nil
}

// Agreement computes the figures of the agreement's report for year,
// undisclosed. It returns partnership.ErrForbidden for a role that may not
// read reports and partnership.ErrNotFound for an agreement the actor may
// not see (association staff: not their organisation's).
func (s *Service) Agreement(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (Report, error) {
	if !MayRead(actor.Role) {
		return Report{}, fmt.Errorf("role %q reading reports: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := validYear(year); err != nil {
		return Report{}, err
	}
	u := partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
	if err := postgres.AgreementVisible(ctx, s.db.Pool, agreementID, u); err != nil {
		return Report{}, fmt.Errorf("report of agreement %d: %w", agreementID, err)
	}
	d, err := s.load(ctx, []int64{agreementID}, year)
	if err != nil {
		return Report{}, err
	}
	a := d.agreements[0]
	r := Report{Year: year, Agreement: &Agreement{ID: a.ID, Title: a.Title}}
	if p, ok := leadAssociation(a); ok {
		r.Agreement.Association, r.Agreement.OrgNumber = p.OrganisationName, d.orgNumbers[p.OrganisationID]
	}
	if a.StartDate != nil {
		r.Agreement.Start = a.StartDate.Format(time.DateOnly)
	}
	if end := a.CurrentEnd(); end != nil {
		r.Agreement.End = end.Format(time.DateOnly)
	}
	r.Sections = d.agreementSections()
	return r, nil
}

// Portfolio computes the portfolio of year: every agreement that is not a
// draft and whose period touches the year, one row per agreement in each
// table with totals, and the agreements that need attention. Undisclosed.
// It returns partnership.ErrForbidden for association staff and the
// coordinator.
func (s *Service) Portfolio(ctx context.Context, actor partnership.Actor, year int) (Report, error) {
	if !MayReadPortfolio(actor.Role) {
		return Report{}, fmt.Errorf("role %q reading the portfolio: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := validYear(year); err != nil {
		return Report{}, err
	}
	ids, err := postgres.NewReports(s.db.Pool).ReportAgreementIDs(ctx, year, nil)
	if err != nil {
		return Report{}, err
	}
	d, err := s.load(ctx, ids, year)
	if err != nil {
		return Report{}, err
	}
	return Report{Year: year, Sections: d.portfolioSections()}, nil
}

func leadAssociation(a partnership.Agreement) (partnership.Party, bool) {
	for _, role := range []partnership.PartyRole{partnership.PartyLeadAssociation, partnership.PartyPartnerAssociation} {
		for _, p := range a.Parties {
			if p.Role == role {
				return p, true
			}
		}
	}
	return partnership.Party{}, false
}
