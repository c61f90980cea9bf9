package annualreport_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/activity"
	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/report"
)

// now is a day in February 2025: the report of 2024 is being written.
var now = time.Date(2025, time.February, 10, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// world is a database of its own with an active agreement between the
// municipality and IKF from 2023 to 2024, an activity type of it, and
// users of every role; Stadsmissionen's staff belong to another
// association.
type world struct {
	db                              *postgres.DB
	svc                             *annualreport.Service
	agreement, typeID               int64
	ikf, sm, officer, admin, viewer partnership.Actor
	coordinator                     partnership.Actor
}

func day(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	w := &world{db: pgtest.New(t)}
	w.svc = annualreport.NewService(w.db, report.NewService(w.db, clock), clock)
	err := w.db.InTx(ctx, func(tx pgx.Tx) error {
		orgs := postgres.NewOrganisations(tx)
		org := func(name string, kind partnership.OrgKind) int64 {
			o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		kommun := org("Linköpings kommun", partnership.OrgMunicipality)
		ikfOrg := org("IKF", partnership.OrgAssociation)
		smOrg := org("Linköpings Stadsmission", partnership.OrgAssociation)
		users := postgres.NewUsers(tx)
		actor := func(email string, role partnership.Role, orgID *int64) partnership.Actor {
			u, err := users.Create(ctx, partnership.User{Email: email, Name: email, Role: role, OrganisationID: orgID}, "not a hash")
			if err != nil {
				t.Fatal(err)
			}
			return partnership.ActorOf(u, "192.0.2.8")
		}
		w.ikf = actor("ikf@example.org", partnership.RoleAssociationStaff, &ikfOrg)
		w.sm = actor("sm@example.org", partnership.RoleAssociationStaff, &smOrg)
		w.officer = actor("officer@example.org", partnership.RoleOfficer, nil)
		w.admin = actor("admin@example.org", partnership.RoleAdmin, nil)
		w.viewer = actor("viewer@example.org", partnership.RoleViewer, nil)
		w.coordinator = actor("coordinator@example.org", partnership.RoleCoordinator, nil)
		a, err := postgres.NewAgreements(tx).Create(ctx, partnership.Agreement{
			Title: "Inkludering på lika villkor", Status: partnership.StatusActive,
			StartDate: day("2023-01-01"), EndDate: day("2024-12-31"), ReportingDuties: "Årlig rapport",
			IndexMode: partnership.IndexMunicipal, IndexRateBP: 200,
			Parties: []partnership.Party{
				{OrganisationID: kommun, Role: partnership.PartyMunicipality},
				{OrganisationID: ikfOrg, Role: partnership.PartyLeadAssociation},
			}})
		if err != nil {
			return err
		}
		w.agreement = a.ID
		typ, err := postgres.NewActivityTypes(tx).CreateType(ctx, partnership.ActivityType{
			AgreementID: a.ID, Name: "Gruppträff", Unit: partnership.UnitOccasions, Position: 1, Active: true})
		w.typeID = typ.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

var narrative = postgres.Narrative{
	Activities: "Promenader, utflykter och gruppsamtal.", Results: "Gruppverksamheten når målgruppen.",
	Lessons: "Deltagarnas idéer styr.", Challenges: "Språket.", NextYear: "Fortsatt verksamhet.",
}

func (w *world) logActivity(t *testing.T, on string) error {
	t.Helper()
	_, err := activity.NewService(w.db, clock).Log(context.Background(), w.ikf, w.agreement, partnership.Activity{
		TypeID: w.typeID, Date: *day(on), DurationMinutes: 90, Women: 6})
	return err
}

func auditActions(t *testing.T, w *world) []string {
	t.Helper()
	rows, _ := w.db.Pool.Query(context.Background(),
		`SELECT action FROM audit_events WHERE action LIKE 'annual_report.%' ORDER BY id`)
	actions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return actions
}

// TestWorkflow walks a report from draft to approval: staff save and
// submit, the officer returns it with a comment, staff submit again, the
// officer approves. Approval stores the figures and locks the year: an
// activity of 2024 is then refused, one of 2023 is not, and the stored
// figures do not move.
func TestWorkflow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.logActivity(t, "2024-05-14"); err != nil {
		t.Fatal(err)
	}
	draft, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, 0, postgres.Narrative{Activities: "Påbörjad"})
	if err != nil || draft.State != "draft" || draft.Version != 1 {
		t.Fatalf("save draft: %+v %v", draft, err)
	}
	// A submit with headings left empty is refused per field.
	var verr partnership.ValidationError
	if _, err := w.svc.Submit(ctx, w.ikf, w.agreement, 2024, draft.Version, postgres.Narrative{Activities: "Påbörjad"}); !errors.As(err, &verr) || verr["results"] == "" {
		t.Fatalf("incomplete submit: %v", err)
	}
	sub, err := w.svc.Submit(ctx, w.ikf, w.agreement, 2024, draft.Version, narrative)
	if err != nil || sub.State != "submitted" || sub.SubmittedAt == nil || sub.SubmittedByName != "ikf@example.org" {
		t.Fatalf("submit: %+v %v", sub, err)
	}
	// Submitted: staff cannot change it, the viewer cannot review it.
	if _, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, sub.Version, narrative); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("save over a submitted report: %v", err)
	}
	if _, err := w.svc.Approve(ctx, w.viewer, w.agreement, 2024, sub.Version); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("viewer approves: %v", err)
	}
	if _, err := w.svc.Comment(ctx, w.officer, w.agreement, 2024, "Bra beskrivet."); err != nil {
		t.Fatal(err)
	}
	ret, err := w.svc.Return(ctx, w.officer, w.agreement, 2024, sub.Version, "Beskriv resultaten närmare.")
	if err != nil || ret.State != "returned" {
		t.Fatalf("return: %+v %v", ret, err)
	}
	better := narrative
	better.Results = "Gruppverksamheten når målgruppen; fler deltagare går vidare till studier."
	sub, err = w.svc.Submit(ctx, w.ikf, w.agreement, 2024, ret.Version, better)
	if err != nil || sub.State != "submitted" {
		t.Fatalf("submit again: %+v %v", sub, err)
	}
	approved, err := w.svc.Approve(ctx, w.admin, w.agreement, 2024, sub.Version)
	if err != nil || approved.State != "approved" || approved.ApprovedAt == nil || approved.ApprovedByName != "admin@example.org" {
		t.Fatalf("approve: %+v %v", approved, err)
	}

	d, err := w.svc.Get(ctx, w.ikf, w.agreement, 2024)
	if err != nil || d.State() != annualreport.Approved || d.Report.Narrative.Results != better.Results || len(d.Comments) != 2 ||
		d.Comments[1].Kind != "return" || d.Comments[1].Body != "Beskriv resultaten närmare." {
		t.Fatalf("approved report: %+v %v", d, err)
	}
	locked, err := postgres.NewYearAmounts(w.db.Pool).YearLocked(ctx, w.agreement, 2024)
	if err != nil || !locked {
		t.Fatalf("2024 locked after approval: %v %v", locked, err)
	}
	snap, err := postgres.NewAnnualReports(w.db.Pool).Snapshot(ctx, w.agreement, 2024)
	if err != nil || !json.Valid(snap) {
		t.Fatalf("snapshot: %v", err)
	}
	fig, fromSnapshot, err := w.svc.Figures(ctx, w.viewer, w.agreement, 2024)
	if err != nil || !fromSnapshot || fig.Year != 2024 || fig.Agreement == nil || fig.Agreement.ID != w.agreement ||
		len(fig.Sections) == 0 || fig.Disclosed {
		t.Fatalf("figures of the approved report: %+v approved=%v %v", fig, fromSnapshot, err)
	}
	var stored report.Report
	if err := json.Unmarshal(snap, &stored); err != nil || !sameJSON(t, stored, fig) {
		t.Errorf("Figures is not the stored snapshot: %v", err)
	}

	// The year is locked: an activity of 2024 is refused on its date.
	verr = nil
	if err := w.logActivity(t, "2024-06-11"); !errors.As(err, &verr) || verr["date"] == "" {
		t.Errorf("activity in the locked year: %v", err)
	}
	if err := w.logActivity(t, "2023-06-13"); err != nil {
		t.Errorf("activity in 2023, not locked: %v", err)
	}
	// The approved figures did not move; the live ones of 2023 are computed.
	if again, _, err := w.svc.Figures(ctx, w.officer, w.agreement, 2024); err != nil || !sameJSON(t, again, fig) {
		t.Errorf("approved figures changed: %v", err)
	}
	if _, fromSnapshot, err := w.svc.Figures(ctx, w.officer, w.agreement, 2023); err != nil || fromSnapshot {
		t.Errorf("2023 figures: snapshot %v, %v", fromSnapshot, err)
	}
	// Nobody changes an approved report.
	for _, step := range []func() error{
		func() error {
			_, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, approved.Version, narrative)
			return err
		},
		func() error {
			_, err := w.svc.Return(ctx, w.officer, w.agreement, 2024, approved.Version, "Nej")
			return err
		},
		func() error { _, err := w.svc.Approve(ctx, w.officer, w.agreement, 2024, approved.Version); return err },
		func() error { _, err := w.svc.Comment(ctx, w.officer, w.agreement, 2024, "Sent"); return err },
	} {
		if err := step(); !errors.Is(err, partnership.ErrConflict) {
			t.Errorf("change of an approved report: %v, want a conflict", err)
		}
	}
	want := []string{"annual_report.save", "annual_report.submit", "annual_report.comment", "annual_report.return",
		"annual_report.submit", "annual_report.approve"}
	if got := auditActions(t, w); !equal(got, want) {
		t.Errorf("audit %v, want %v", got, want)
	}
}

// TestStaleVersionConflicts: a save or a step based on an older version
// is refused as a conflict and changes nothing; starting a report that
// someone else started meanwhile is one too.
func TestStaleVersionConflicts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	first, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, 0, narrative)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, 0, narrative); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("second start: %v", err)
	}
	second, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, first.Version, postgres.Narrative{Activities: "Nyare"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, first.Version, postgres.Narrative{Activities: "Äldre"}); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale save: %v", err)
	}
	if _, err := w.svc.Submit(ctx, w.ikf, w.agreement, 2024, first.Version, narrative); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale submit: %v", err)
	}
	sub, err := w.svc.Submit(ctx, w.ikf, w.agreement, 2024, second.Version, narrative)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Approve(ctx, w.officer, w.agreement, 2024, sub.Version-1); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale approve: %v", err)
	}
	if locked, _ := postgres.NewYearAmounts(w.db.Pool).YearLocked(ctx, w.agreement, 2024); locked {
		t.Error("a refused approval locked the year")
	}
	d, err := w.svc.Get(ctx, w.officer, w.agreement, 2024)
	if err != nil || d.State() != annualreport.Submitted || d.Report.Version != sub.Version {
		t.Errorf("after the refused steps: %+v %v", d.Report, err)
	}
	// The portfolio summary is versioned the same way.
	s1, err := w.svc.SaveSummary(ctx, w.officer, 2024, 0, "Portföljen följer plan.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SaveSummary(ctx, w.admin, 2024, 0, "Annan"); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale summary: %v", err)
	}
	if _, err := w.svc.SaveSummary(ctx, w.admin, 2024, s1.Version, "Uppdaterad."); err != nil {
		t.Error(err)
	}
	if _, err := w.svc.SaveSummary(ctx, w.viewer, 2024, 2, "Läsare"); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("viewer writes the summary: %v", err)
	}
}

// TestOtherOrganisationNotFound: staff of another association cannot tell
// IKF's report from a missing one, whatever they try; the coordinator
// reads no reports; a year outside the agreement does not exist.
func TestOtherOrganisationNotFound(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.SaveDraft(ctx, w.ikf, w.agreement, 2024, 0, narrative); err != nil {
		t.Fatal(err)
	}
	for name, try := range map[string]func() error{
		"get":     func() error { _, err := w.svc.Get(ctx, w.sm, w.agreement, 2024); return err },
		"list":    func() error { _, err := w.svc.List(ctx, w.sm, w.agreement); return err },
		"figures": func() error { _, _, err := w.svc.Figures(ctx, w.sm, w.agreement, 2024); return err },
		"save":    func() error { _, err := w.svc.SaveDraft(ctx, w.sm, w.agreement, 2024, 1, narrative); return err },
		"submit":  func() error { _, err := w.svc.Submit(ctx, w.sm, w.agreement, 2024, 1, narrative); return err },
	} {
		if err := try(); !errors.Is(err, partnership.ErrNotFound) {
			t.Errorf("Stadsmissionen's staff %s: %v, want not found", name, err)
		}
	}
	if _, err := w.svc.Get(ctx, w.coordinator, w.agreement, 2024); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("coordinator: %v", err)
	}
	for _, year := range []int{2022, 2025} {
		if _, err := w.svc.Get(ctx, w.officer, w.agreement, year); !errors.Is(err, partnership.ErrNotFound) {
			t.Errorf("year %d: %v", year, err)
		}
	}
	// Written and handed in in one go, without a draft first.
	if r, err := w.svc.Submit(ctx, w.ikf, w.agreement, 2023, 0, narrative); err != nil || r.State != "submitted" {
		t.Errorf("submit of a report not started: %+v %v", r, err)
	}
	over, err := w.svc.Overview(ctx, w.sm)
	if err != nil || len(over) != 0 {
		t.Errorf("Stadsmissionen's overview: %+v %v", over, err)
	}
	over, err = w.svc.Overview(ctx, w.ikf)
	if err != nil || len(over) != 2 || over[0].Year != 2024 || over[0].Rows[0].Report.State != "draft" ||
		over[1].Rows[0].Report.State != "submitted" || over[0].Rows[0].Associations != "IKF" {
		t.Errorf("IKF's overview: %+v %v", over, err)
	}
}

func sameJSON(t *testing.T, a, b report.Report) bool {
	t.Helper()
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return string(ja) == string(jb)
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
