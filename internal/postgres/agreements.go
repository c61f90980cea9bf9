package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"iop/internal/money"
	"iop/internal/partnership"
)

// Agreements stores IOP agreements with their parties and extensions as one
// aggregate. Every change bumps the agreement's version, so that an edit
// based on an older version is refused (optimistic concurrency).
type Agreements struct{ db DBTX }

// NewAgreements returns an agreement store on db. Create and Update write
// several tables: pass a transaction (DB.InTx) so that they are atomic.
func NewAgreements(db DBTX) *Agreements { return &Agreements{db: db} }

const agreementColumns = `id, version, title, case_number, committee, administration,
	purpose, background, values_text, target_group, activities, organisation_text, follow_up, economy,
	termination_terms, start_date, end_date, extension_months, max_extensions, notice_months, status,
	terminated_on, termination_kind, termination_reason, termination_settlement,
	participants_min, participants_max, dialogue_meetings_per_year, representatives_per_party,
	reporting_duties, invoice_frequency, invoice_address, invoice_reference, invoice_marking,
	activity_code, invoice_label, index_mode, index_rate_bp, volunteer_hour_rate, created_at, updated_at`

type agreementRow struct {
	ID                      int64
	Version                 int
	Title                   string
	CaseNumber              string
	Committee               string
	Administration          string
	Purpose                 string
	Background              string
	ValuesText              string
	TargetGroup             string
	Activities              string
	OrganisationText        string
	FollowUp                string
	Economy                 string
	TerminationTerms        string
	StartDate               *time.Time
	EndDate                 *time.Time
	ExtensionMonths         int
	MaxExtensions           int
	NoticeMonths            int
	Status                  string
	TerminatedOn            *time.Time
	TerminationKind         *string
	TerminationReason       string
	TerminationSettlement   string
	ParticipantsMin         *int
	ParticipantsMax         *int
	DialogueMeetingsPerYear int
	RepresentativesPerParty int
	ReportingDuties         string
	InvoiceFrequency        string
	InvoiceAddress          string
	InvoiceReference        string
	InvoiceMarking          string
	ActivityCode            string
	InvoiceLabel            string
	IndexMode               string
	IndexRateBP             int64 `db:"index_rate_bp"`
	VolunteerHourRate       int64
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

func (r agreementRow) agreement() partnership.Agreement {
	a := partnership.Agreement{
		ID: r.ID, Version: r.Version, Title: r.Title, CaseNumber: r.CaseNumber,
		Committee: r.Committee, Administration: r.Administration,
		Sections: partnership.Sections{
			Purpose: r.Purpose, Background: r.Background, Values: r.ValuesText, TargetGroup: r.TargetGroup,
			Activities: r.Activities, Organisation: r.OrganisationText, FollowUp: r.FollowUp,
			Economy: r.Economy, TerminationTerms: r.TerminationTerms,
		},
		StartDate: r.StartDate, EndDate: r.EndDate, ExtensionMonths: r.ExtensionMonths,
		MaxExtensions: r.MaxExtensions, NoticeMonths: r.NoticeMonths, Status: partnership.AgreementStatus(r.Status),
		ParticipantsMin: r.ParticipantsMin, ParticipantsMax: r.ParticipantsMax,
		DialogueMeetingsPerYear: r.DialogueMeetingsPerYear, RepresentativesPerParty: r.RepresentativesPerParty,
		ReportingDuties: r.ReportingDuties, InvoiceFrequency: partnership.InvoiceFrequency(r.InvoiceFrequency),
		InvoiceAddress: r.InvoiceAddress, InvoiceReference: r.InvoiceReference, InvoiceMarking: r.InvoiceMarking,
		ActivityCode: r.ActivityCode, InvoiceLabel: r.InvoiceLabel,
		IndexMode: partnership.IndexMode(r.IndexMode), IndexRateBP: r.IndexRateBP,
		VolunteerHourRate: money.Amount(r.VolunteerHourRate), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.TerminatedOn != nil && r.TerminationKind != nil {
		a.Termination = &partnership.Termination{
			On: *r.TerminatedOn, Kind: partnership.TerminationKind(*r.TerminationKind),
			Reason: r.TerminationReason, Settlement: r.TerminationSettlement,
		}
	}
	return a
}

// agreementArgs are the values of every writable column, in the order of
// agreementWritable, starting at $2 ($1 is the id in updates).
func agreementArgs(a partnership.Agreement) []any {
	var on *time.Time
	var kind *string
	var reason, settlement string
	if t := a.Termination; t != nil {
		on, reason, settlement = &t.On, t.Reason, t.Settlement
		k := string(t.Kind)
		kind = &k
	}
	s := a.Sections
	status := a.Status
	switch status {
	case "":
		status = partnership.StatusDraft
	case partnership.StatusEnded:
		// Ended is derived from the dates, never stored (see StatusOn).
		status = partnership.StatusActive
	}
	mode, rate := a.IndexMode, a.IndexRateBP
	if mode == "" {
		// Built without indexation terms: the defaults, fixed 2 %.
		mode = partnership.IndexFixed
		if rate == 0 {
			rate = partnership.DefaultIndexRateBP
		}
	}
	return []any{
		a.Title, a.CaseNumber, a.Committee, a.Administration,
		s.Purpose, s.Background, s.Values, s.TargetGroup, s.Activities, s.Organisation, s.FollowUp, s.Economy,
		s.TerminationTerms, a.StartDate, a.EndDate, a.ExtensionMonths, a.MaxExtensions, a.NoticeMonths, string(status),
		on, kind, reason, settlement,
		a.ParticipantsMin, a.ParticipantsMax, a.DialogueMeetingsPerYear, a.RepresentativesPerParty,
		a.ReportingDuties, string(a.InvoiceFrequency), a.InvoiceAddress, a.InvoiceReference, a.InvoiceMarking,
		a.ActivityCode, a.InvoiceLabel, string(mode), rate, int64(a.VolunteerHourRate),
	}
}

var agreementWritable = []string{
	"title", "case_number", "committee", "administration",
	"purpose", "background", "values_text", "target_group", "activities", "organisation_text", "follow_up", "economy",
	"termination_terms", "start_date", "end_date", "extension_months", "max_extensions", "notice_months", "status",
	"terminated_on", "termination_kind", "termination_reason", "termination_settlement",
	"participants_min", "participants_max", "dialogue_meetings_per_year", "representatives_per_party",
	"reporting_duties", "invoice_frequency", "invoice_address", "invoice_reference", "invoice_marking",
	"activity_code", "invoice_label", "index_mode", "index_rate_bp", "volunteer_hour_rate",
}

// Create inserts a with its parties (in the order given) and extensions, and
// returns the stored aggregate with its ids and version 1.
func (s *Agreements) Create(ctx context.Context, a partnership.Agreement) (partnership.Agreement, error) {
	cols, params := "", ""
	for i, c := range agreementWritable {
		if i > 0 {
			cols, params = cols+", ", params+", "
		}
		cols += c
		params += fmt.Sprintf("$%d", i+1)
	}
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO agreements (`+cols+`) VALUES (`+params+`) RETURNING id`,
		agreementArgs(a)...).Scan(&id)
	if err != nil {
		return partnership.Agreement{}, fmt.Errorf("create agreement %q: %w", a.Title, mapError(err))
	}
	a.ID = id
	if err := s.saveParts(ctx, a); err != nil {
		return partnership.Agreement{}, fmt.Errorf("create agreement %q: %w", a.Title, err)
	}
	return s.ByID(ctx, id)
}

// Update saves every field of a, its status and termination, and replaces
// its parties and extensions, provided the stored version is still
// a.Version. It returns the stored aggregate with the next version, or an
// error wrapping partnership.ErrConflict when someone else changed the
// agreement meanwhile (partnership.ErrNotFound when it no longer exists).
func (s *Agreements) Update(ctx context.Context, a partnership.Agreement) (partnership.Agreement, error) {
	set := ""
	for i, c := range agreementWritable {
		set += fmt.Sprintf("%s = $%d, ", c, i+3)
	}
	args := append([]any{a.ID, a.Version}, agreementArgs(a)...)
	tag, err := s.db.Exec(ctx, `UPDATE agreements SET `+set+`version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $2`, args...)
	if err != nil {
		return partnership.Agreement{}, fmt.Errorf("update agreement %d: %w", a.ID, mapError(err))
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM agreements WHERE id = $1)`, a.ID).Scan(&exists); err != nil {
			return partnership.Agreement{}, fmt.Errorf("update agreement %d: %w", a.ID, err)
		}
		if !exists {
			return partnership.Agreement{}, fmt.Errorf("update agreement %d: %w", a.ID, partnership.ErrNotFound)
		}
		return partnership.Agreement{}, fmt.Errorf("update agreement %d from version %d: %w", a.ID, a.Version, partnership.ErrConflict)
	}
	if err := s.saveParts(ctx, a); err != nil {
		return partnership.Agreement{}, fmt.Errorf("update agreement %d: %w", a.ID, err)
	}
	return s.ByID(ctx, a.ID)
}

// saveParts makes the stored parties and extensions of a.ID those of a:
// rows whose id a no longer holds are deleted, known ones updated in place
// (so that links to a party stay valid) and new ones (id 0) inserted.
func (s *Agreements) saveParts(ctx context.Context, a partnership.Agreement) error {
	keepParties := []int64{}
	for _, p := range a.Parties {
		if p.ID != 0 {
			keepParties = append(keepParties, p.ID)
		}
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM agreement_parties WHERE agreement_id = $1 AND NOT (id = ANY($2))`,
		a.ID, keepParties); err != nil {
		return fmt.Errorf("remove parties: %w", mapPartyError(err))
	}
	for i, p := range a.Parties {
		reps := p.Representatives
		if reps == nil {
			reps = []string{}
		}
		args := []any{a.ID, p.OrganisationID, string(p.Role), i, p.SignatoryName, p.SignatoryTitle, p.SignedOn, reps, p.Contribution}
		var tag pgconn.CommandTag
		var err error
		if p.ID == 0 {
			_, err = s.db.Exec(ctx, `INSERT INTO agreement_parties (agreement_id, organisation_id, role, position,
				signatory_name, signatory_title, signed_on, representatives, contribution)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
		} else {
			tag, err = s.db.Exec(ctx, `UPDATE agreement_parties SET organisation_id = $2, role = $3, position = $4,
				signatory_name = $5, signatory_title = $6, signed_on = $7, representatives = $8, contribution = $9
				WHERE agreement_id = $1 AND id = $10`, append(args, p.ID)...)
			if err == nil && tag.RowsAffected() == 0 {
				err = fmt.Errorf("party %d: %w", p.ID, partnership.ErrNotFound)
			}
		}
		if err != nil {
			return fmt.Errorf("save party %d: %w", p.OrganisationID, mapPartyError(err))
		}
	}
	keepExtensions := []int64{}
	for _, e := range a.Extensions {
		if e.ID != 0 {
			keepExtensions = append(keepExtensions, e.ID)
		}
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM agreement_extensions WHERE agreement_id = $1 AND NOT (id = ANY($2))`,
		a.ID, keepExtensions); err != nil {
		return fmt.Errorf("remove extensions: %w", err)
	}
	for _, e := range a.Extensions {
		var err error
		if e.ID == 0 {
			_, err = s.db.Exec(ctx, `INSERT INTO agreement_extensions (agreement_id, decided_on, decision_ref, new_end_date)
				VALUES ($1, $2, $3, $4)`, a.ID, e.DecidedOn, e.DecisionRef, e.NewEndDate)
		} else {
			_, err = s.db.Exec(ctx, `UPDATE agreement_extensions SET decided_on = $3, decision_ref = $4, new_end_date = $5
				WHERE agreement_id = $1 AND id = $2`, a.ID, e.ID, e.DecidedOn, e.DecisionRef, e.NewEndDate)
		}
		if err != nil {
			return fmt.Errorf("save extension to %s: %w", e.NewEndDate.Format(time.DateOnly), mapError(err))
		}
	}
	return nil
}

// mapPartyError explains a party that would appear twice, or that cannot be
// removed because the budget names it.
func mapPartyError(err error) error {
	if uniqueViolation(err, "agreement_parties_agreement_id_organisation_id_key") {
		return partnership.ValidationError{"organisation_id": partnership.MsgPartyTwice}
	}
	if foreignKeyViolation(err, "budget_lines_party_fkey") || foreignKeyViolation(err, "budget_stated_totals_party_fkey") {
		return partnership.ValidationError{"party": "Parten har budgetposter eller summor i budgeten. Ta bort dem först."}
	}
	return mapError(err)
}

// ByID returns the whole agreement: its fields, its parties in order with
// their organisation's name and kind, and its extensions.
func (s *Agreements) ByID(ctx context.Context, id int64) (partnership.Agreement, error) {
	return s.one(ctx, fmt.Sprintf("find agreement %d", id), `SELECT `+agreementColumns+` FROM agreements WHERE id = $1`, id)
}

// ByTitle returns the whole agreement with the title, case-insensitively;
// of several with the same title, the oldest.
func (s *Agreements) ByTitle(ctx context.Context, title string) (partnership.Agreement, error) {
	return s.one(ctx, fmt.Sprintf("find agreement %q", title),
		`SELECT `+agreementColumns+` FROM agreements WHERE lower(title) = lower($1) ORDER BY id LIMIT 1`, title)
}

func (s *Agreements) one(ctx context.Context, what, sql string, args ...any) (partnership.Agreement, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	a, err := pgx.CollectExactlyOneRow(rows, rowTo(agreementRow.agreement))
	if err != nil {
		return partnership.Agreement{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	if a.Parties, err = s.parties(ctx, a.ID); err != nil {
		return partnership.Agreement{}, fmt.Errorf("%s: %w", what, err)
	}
	if a.Extensions, err = s.extensions(ctx, a.ID); err != nil {
		return partnership.Agreement{}, fmt.Errorf("%s: %w", what, err)
	}
	return a, nil
}

type partyRow struct {
	ID               int64
	OrganisationID   int64
	OrganisationName string
	OrganisationKind string
	Role             string
	SignatoryName    string
	SignatoryTitle   string
	SignedOn         *time.Time
	Representatives  []string
	Contribution     string
}

func (r partyRow) party() partnership.Party {
	return partnership.Party{
		ID: r.ID, OrganisationID: r.OrganisationID, OrganisationName: r.OrganisationName,
		OrganisationKind: partnership.OrgKind(r.OrganisationKind), Role: partnership.PartyRole(r.Role),
		SignatoryName: r.SignatoryName, SignatoryTitle: r.SignatoryTitle, SignedOn: r.SignedOn,
		Representatives: r.Representatives, Contribution: r.Contribution,
	}
}

// parties are the agreement's parties, as partiesOf reads them for many.
func (s *Agreements) parties(ctx context.Context, agreementID int64) ([]partnership.Party, error) {
	rows, err := s.partiesOf(ctx, []int64{agreementID})
	if err != nil {
		return nil, err
	}
	list := make([]partnership.Party, len(rows))
	for i, r := range rows {
		list[i] = r.party()
	}
	return list, nil
}

// extensions are the agreement's extensions, as extensionsOf reads them
// for many.
func (s *Agreements) extensions(ctx context.Context, agreementID int64) ([]partnership.Extension, error) {
	rows, err := s.extensionsOf(ctx, []int64{agreementID})
	if err != nil {
		return nil, err
	}
	list := make([]partnership.Extension, len(rows))
	for i, r := range rows {
		list[i] = r.Extension
	}
	return list, nil
}
