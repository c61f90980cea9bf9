package followup_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/followup"
	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// now is the fixed clock of the tests.
var now = time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time { d := day(s); return &d }

type world struct {
	db                                      *postgres.DB
	participants                            *participant.Service
	svc                                     *followup.Service
	ikf, other                              int64
	staff, otherStaff, officer, coordinator partnership.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	key := func() []byte {
		s, err := privacy.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		k, err := privacy.DecodeKey(s)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	keys, err := privacy.NewKeyring(key(), nil, key())
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	w := &world{db: db, participants: participant.NewService(db, keys, clock), svc: followup.NewService(db, clock)}
	orgs := postgres.NewOrganisations(db.Pool)
	org := func(name string, kind partnership.OrgKind) partnership.Organisation {
		o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kommun := org("Linköpings kommun", partnership.OrgMunicipality)
	ikf := org("IKF", partnership.OrgAssociation)
	hm := org("Hela Människan", partnership.OrgAssociation)
	agreement := func(title string, lead partnership.Organisation) int64 {
		a, err := postgres.NewAgreements(db.Pool).Create(ctx, partnership.Agreement{
			Title: title, StartDate: dayp("2023-01-01"), EndDate: dayp("2026-12-31"), Status: partnership.StatusActive,
			IndexMode: partnership.IndexMunicipal, IndexRateBP: 200,
			Parties: []partnership.Party{
				{OrganisationID: kommun.ID, Role: partnership.PartyMunicipality, Representatives: []string{}},
				{OrganisationID: lead.ID, Role: partnership.PartyLeadAssociation, Representatives: []string{}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	w.ikf, w.other = agreement("Inkludering på lika villkor", ikf), agreement("Hoppfull framtid", hm)
	users := postgres.NewUsers(db.Pool)
	user := func(email string, role partnership.Role, org *int64) partnership.Actor {
		u, err := users.Create(ctx, partnership.User{Email: email, Name: "Användare", Role: role, OrganisationID: org, Active: true}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return partnership.Actor{UserID: u.ID, Role: role, OrganisationID: org, IP: "192.0.2.7", Via: "web"}
	}
	w.staff = user("staff@ikf.se", partnership.RoleAssociationStaff, &ikf.ID)
	w.otherStaff = user("staff@hm.se", partnership.RoleAssociationStaff, &hm.ID)
	w.officer = user("handl@kommun.se", partnership.RoleOfficer, nil)
	w.coordinator = user("koord@kommun.se", partnership.RoleCoordinator, nil)
	return w
}

// exited registers an enrolled participant of IKF and exits them on exit.
func (w *world) exited(t *testing.T, exit string) partnership.Participant {
	t.Helper()
	ctx := context.Background()
	h := 20
	r, err := w.participants.Register(ctx, w.staff, w.ikf, participant.Registration{Participant: partnership.Participant{
		Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionAsia,
		Education: partnership.EducationSecondary, LabourStatus: partnership.LabourRegistered,
		IncomeSource: partnership.IncomeSocialAssistance, WorkCapacityHours: &h,
		ReferredOn: day("2023-02-01"), ReferralSource: partnership.ReferralSocialServices, EnrolledOn: dayp("2023-02-15"),
	}})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	p, err := w.participants.Exit(ctx, w.staff, r.Participant.ID, day(exit), partnership.ExitWork)
	if err != nil {
		t.Fatalf("Exit: %v", err)
	}
	return p
}

func dues(list []partnership.FollowUp) []string {
	var out []string
	for _, f := range list {
		out = append(out, f.DueOn.Format(time.DateOnly))
	}
	return out
}

func TestExitCreatesFollowUpsAndScheduleAppliesToLaterExits(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := w.exited(t, "2024-08-31")
	list, err := w.svc.ForParticipant(ctx, w.staff, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dues(list), []string{"2025-02-28", "2025-08-31"}; !slices.Equal(got, want) {
		t.Fatalf("follow-ups due %v, want %v", got, want)
	}

	if err := w.svc.ConfigureSchedule(ctx, w.staff, w.ikf, []int{2, 4}); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("staff configuring: %v, want forbidden", err)
	}
	if err := w.svc.ConfigureSchedule(ctx, w.officer, w.ikf, []int{2, 4, 6, 12}); err != nil {
		t.Fatal(err)
	}
	list, _ = w.svc.ForParticipant(ctx, w.staff, p.ID)
	if len(list) != 2 {
		t.Errorf("an earlier exit got %d follow-ups after the schedule changed, want 2", len(list))
	}
	q := w.exited(t, "2024-12-31")
	list, _ = w.svc.ForParticipant(ctx, w.staff, q.ID)
	if got, want := dues(list), []string{"2025-02-28", "2025-04-30", "2025-06-30", "2025-12-31"}; !slices.Equal(got, want) {
		t.Errorf("later exit due %v, want %v", got, want)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_events WHERE action = 'followup_schedule.update'`); n != 1 {
		t.Errorf("%d schedule audit events, want 1", n)
	}
}

func TestExitMovedRecreatesOpenFollowUpsKeepsRecorded(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := w.exited(t, "2024-03-01")
	list, _ := w.svc.ForParticipant(ctx, w.staff, p.ID)
	if _, err := w.svc.Record(ctx, w.staff, p.ID, list[0].ID, partnership.FollowUpOutcome{
		DoneOn: day("2024-09-02"), Destination: partnership.ExitWork, SelfSupporting: partnership.SelfSupportingYes}); err != nil {
		t.Fatal(err)
	}
	p.ExitedOn = dayp("2024-04-30")
	if _, err := w.participants.Update(ctx, w.staff, p); err != nil {
		t.Fatal(err)
	}
	list, _ = w.svc.ForParticipant(ctx, w.staff, p.ID)
	if got, want := dues(list), []string{"2024-09-01", "2025-04-30"}; !slices.Equal(got, want) {
		t.Errorf("after moving the exit: due %v, want %v (the recorded 6-month one kept)", got, want)
	}
	p, _ = w.participants.Get(ctx, w.staff, p.ID)
	p.ExitedOn, p.ExitDestination = nil, ""
	if _, err := w.participants.Update(ctx, w.staff, p); err != nil {
		t.Fatal(err)
	}
	list, _ = w.svc.ForParticipant(ctx, w.staff, p.ID)
	if len(list) != 1 || !list[0].Recorded() {
		t.Errorf("after undoing the exit: %+v, want only the recorded follow-up", list)
	}
}

func TestRecordAuditedNotesHiddenAndTenancy(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := w.exited(t, "2024-03-01")
	list, _ := w.svc.ForParticipant(ctx, w.staff, p.ID)
	o := partnership.FollowUpOutcome{DoneOn: day("2024-09-05"), Destination: partnership.ExitStudies,
		SelfSupporting: partnership.SelfSupportingYes, Note: "Läser på Komvux, hemlig detalj"}

	for _, a := range []partnership.Actor{w.officer, w.coordinator} {
		if _, err := w.svc.Record(ctx, a, p.ID, list[0].ID, o); !errors.Is(err, partnership.ErrForbidden) && !errors.Is(err, partnership.ErrNotFound) {
			t.Errorf("%s recording: %v, want refused", a.Role, err)
		}
	}
	if _, err := w.svc.Record(ctx, w.otherStaff, p.ID, list[0].ID, o); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("other association recording: %v, want not found", err)
	}
	if _, err := w.svc.ForParticipant(ctx, w.otherStaff, p.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("other association reading: %v, want not found", err)
	}
	if _, err := w.svc.Overdue(ctx, w.otherStaff, w.ikf); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("other association's overdue list: %v, want not found", err)
	}
	bad := o
	bad.DoneOn = day("2025-03-11")
	var v partnership.ValidationError
	if _, err := w.svc.Record(ctx, w.staff, p.ID, list[0].ID, bad); !errors.As(err, &v) || v["done_on"] == "" {
		t.Errorf("a follow-up done tomorrow: %v, want a done_on error", err)
	}

	if _, err := w.svc.Record(ctx, w.staff, p.ID, list[0].ID, o); err != nil {
		t.Fatal(err)
	}
	got, _ := w.svc.ForParticipant(ctx, w.staff, p.ID)
	if got[0].Note != o.Note || got[0].SelfSupporting != partnership.SelfSupportingYes {
		t.Errorf("staff read back %+v", got[0])
	}
	got, err := w.svc.ForParticipant(ctx, w.officer, p.ID)
	if err != nil || got[0].Note != "" || !got[0].Recorded() {
		t.Errorf("officer read %+v, %v; want the outcome without the note", got, err)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_events WHERE action = 'followup.record' AND entity_id = $1`, itoa(list[0].ID)); n != 1 {
		t.Errorf("%d record audit events, want 1", n)
	}
	if n := count(t, w, `SELECT count(*) FROM audit_events WHERE details::text LIKE '%hemlig%'`); n != 0 {
		t.Errorf("the note is in %d audit events", n)
	}

	overdue, err := w.svc.Overdue(ctx, w.officer, w.ikf)
	if err != nil || len(overdue) != 1 || overdue[0].Months != 12 {
		t.Errorf("officer's overdue list %+v, %v; want the 12-month follow-up due 2025-03-01", overdue, err)
	}
}

func TestOverdueAndSelfSupportingShare(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	record := func(p partnership.Participant, months int, s partnership.SelfSupporting) {
		t.Helper()
		list, _ := w.svc.ForParticipant(ctx, w.staff, p.ID)
		for _, f := range list {
			if f.Months == months {
				if _, err := w.svc.Record(ctx, w.staff, p.ID, f.ID, partnership.FollowUpOutcome{
					DoneOn: f.DueOn, Destination: partnership.ExitWork, SelfSupporting: s}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	a, b, c := w.exited(t, "2024-01-10"), w.exited(t, "2024-02-10"), w.exited(t, "2024-09-20")
	record(a, 6, partnership.SelfSupportingYes)
	record(b, 6, partnership.SelfSupportingNo)
	record(a, 12, partnership.SelfSupportingYes)

	overdue, err := w.svc.Overdue(ctx, w.staff, w.ikf)
	if err != nil {
		t.Fatal(err)
	}
	// b's 12-month one (due 2025-02-10) is overdue; c's 6-month one is due
	// 2025-03-20, not yet.
	if len(overdue) != 1 || overdue[0].ParticipantID != b.ID || overdue[0].Months != 12 || !strings.HasPrefix(overdue[0].Code, "IKF") {
		t.Errorf("overdue %+v, want b's 12-month follow-up", overdue)
	}
	counts, err := w.svc.CountOverdue(ctx, w.staff)
	if err != nil || counts[w.ikf] != 1 {
		t.Errorf("CountOverdue = %v, %v", counts, err)
	}
	if counts, _ := w.svc.CountOverdue(ctx, w.otherStaff); counts[w.ikf] != 0 {
		t.Errorf("another association counts IKF's overdue follow-ups: %v", counts)
	}
	_ = c

	shares, err := w.svc.SelfSupportingShare(ctx, w.officer, w.ikf)
	if err != nil {
		t.Fatal(err)
	}
	want := []partnership.SelfSupportingShare{
		{ExitYear: 2024, Months: 6, Recorded: 2, SelfSupporting: 1},
		{ExitYear: 2024, Months: 12, Recorded: 1, SelfSupporting: 1},
	}
	if !slices.Equal(shares, want) {
		t.Errorf("shares %+v, want %+v", shares, want)
	}
}

func count(t *testing.T, w *world, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
