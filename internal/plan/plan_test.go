package plan_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/plan"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

var now = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

type world struct {
	db                                                            *postgres.DB
	svc                                                           *plan.Service
	ikf, other                                                    int64
	staff, otherStaff, coordinator, coordinator2, officer, viewer partnership.Actor
	// mine is an IKF participant referred by coordinator; theirs Hela Människan's.
	mine, theirs int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	key := func() []byte {
		s, _ := privacy.GenerateKey()
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
	w := &world{db: db, svc: plan.NewService(db, func() time.Time { return now })}
	orgs := postgres.NewOrganisations(db.Pool)
	org := func(name string, kind partnership.OrgKind) partnership.Organisation {
		o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kommun, ikf, hm := org("Linköpings kommun", partnership.OrgMunicipality), org("IKF", partnership.OrgAssociation), org("Hela Människan", partnership.OrgAssociation)
	agreement := func(title string, lead partnership.Organisation) int64 {
		start, end := day("2023-01-01"), day("2026-12-31")
		a, err := postgres.NewAgreements(db.Pool).Create(ctx, partnership.Agreement{
			Title: title, StartDate: &start, EndDate: &end, Status: partnership.StatusActive,
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
	w.ikf, w.other = agreement("Inkludering", ikf), agreement("Hoppfull framtid", hm)
	user := func(email string, role partnership.Role, org *int64) partnership.Actor {
		u, err := postgres.NewUsers(db.Pool).Create(ctx, partnership.User{Email: email, Name: "U", Role: role, OrganisationID: org, Active: true}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return partnership.Actor{UserID: u.ID, Role: role, OrganisationID: org, IP: "192.0.2.7", Via: "web"}
	}
	w.staff, w.otherStaff = user("s@ikf.se", partnership.RoleAssociationStaff, &ikf.ID), user("s@hm.se", partnership.RoleAssociationStaff, &hm.ID)
	w.coordinator, w.coordinator2 = user("k@kommun.se", partnership.RoleCoordinator, nil), user("k2@kommun.se", partnership.RoleCoordinator, nil)
	w.officer, w.viewer = user("h@kommun.se", partnership.RoleOfficer, nil), user("l@kommun.se", partnership.RoleViewer, nil)
	parts := participant.NewService(db, keys, func() time.Time { return now })
	register := func(actor partnership.Actor, agreementID int64) int64 {
		h := 20
		r, err := parts.Register(ctx, actor, agreementID, participant.Registration{Participant: partnership.Participant{
			Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionAsia,
			Education: partnership.EducationSecondary, LabourStatus: partnership.LabourRegistered,
			IncomeSource: partnership.IncomeSocialAssistance, WorkCapacityHours: &h,
			ReferredOn: day("2024-01-10"), ReferralSource: partnership.ReferralSocialServices,
		}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Participant.ID
	}
	w.mine, w.theirs = register(w.coordinator, w.ikf), register(w.otherStaff, w.other)
	return w
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func TestGoalsAccessAndAudit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const secret = "Hemlig plan om Anna"
	g, err := w.svc.AddGoal(ctx, w.staff, w.mine, partnership.Goal{Term: partnership.GoalShortTerm, Text: secret, FollowUpOn: day("2024-05-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddGoal(ctx, w.staff, w.mine, partnership.Goal{Term: partnership.GoalLongTerm, Text: "Arbete", FollowUpOn: day("2024-12-01")}); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddGoal(ctx, w.staff, w.mine, partnership.Goal{Term: "x", FollowUpOn: day("2024-05-01")})
	var v partnership.ValidationError
	if !errors.As(err, &v) || v["term"] == "" || v["text"] == "" {
		t.Errorf("invalid goal: %v", err)
	}
	wantErr(t, "other association adds", func() error {
		_, err := w.svc.AddGoal(ctx, w.otherStaff, w.mine, partnership.Goal{Term: partnership.GoalShortTerm, Text: "x", FollowUpOn: day("2024-05-01")})
		return err
	}(), partnership.ErrNotFound)
	wantErr(t, "coordinator adds", func() error {
		_, err := w.svc.AddGoal(ctx, w.coordinator, w.mine, partnership.Goal{Term: partnership.GoalShortTerm, Text: "x", FollowUpOn: day("2024-05-01")})
		return err
	}(), partnership.ErrForbidden)

	overdue, err := w.svc.OverdueGoals(ctx, w.staff, w.ikf)
	if err != nil || len(overdue) != 1 || overdue[0].Goal.ID != g.ID {
		t.Errorf("overdue = %+v, %v; want the goal followed up 2024-05-01", overdue, err)
	}
	for _, a := range []partnership.Actor{w.officer, w.otherStaff, w.coordinator} {
		_, err := w.svc.OverdueGoals(ctx, a, w.ikf)
		wantErr(t, "overdue list for "+string(a.Role), err, partnership.ErrNotFound)
	}

	if _, err := w.svc.RecordGoalOutcome(ctx, w.staff, w.mine, g.ID, day("2024-05-02"), partnership.GoalPartlyAchieved, "Anna sökte två jobb"); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.RecordGoalOutcome(ctx, w.staff, w.theirs, g.ID, day("2024-05-02"), partnership.GoalAchieved, "")
	wantErr(t, "outcome through another participant", err, partnership.ErrNotFound)
	if overdue, _ := w.svc.OverdueGoals(ctx, w.staff, w.ikf); len(overdue) != 0 {
		t.Errorf("a goal with an outcome is not overdue: %+v", overdue)
	}

	for _, tc := range []struct {
		actor partnership.Actor
		texts bool
		err   error
	}{
		{w.staff, true, nil}, {w.coordinator, true, nil}, {w.officer, false, nil}, {w.viewer, false, partnership.ErrNotFound},
		{w.coordinator2, false, partnership.ErrNotFound}, {w.otherStaff, false, partnership.ErrNotFound},
	} {
		got, err := w.svc.Goals(ctx, tc.actor, w.mine)
		if tc.err != nil {
			wantErr(t, "goals for "+string(tc.actor.Role), err, tc.err)
			continue
		}
		if err != nil || got.Texts != tc.texts || (len(got.Goals) > 0) != tc.texts ||
			got.Counts[partnership.GoalPartlyAchieved] != 1 || got.Counts[partnership.GoalInProgress] != 1 {
			t.Errorf("goals for %s = %+v, %v", tc.actor.Role, got, err)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action LIKE 'plan.goal.%'`); n != 3 {
		t.Errorf("%d goal audit events, want 3", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE details::text LIKE '%Anna%' OR details::text LIKE '%Arbete%'`); n != 0 {
		t.Errorf("%d audit events hold goal text", n)
	}
}

func TestAssessmentsAndModel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	m, err := w.svc.Model(ctx, w.officer, w.ikf)
	if err != nil || m.Name != "GA-modellen" || len(m.Dimensions) != 6 || m.Assessed {
		t.Fatalf("default model = %+v, %v", m, err)
	}
	// Before any assessment the officer may shrink the model and its scale.
	next := partnership.StepModel{Name: "GA-modellen", ScaleMin: 1, ScaleMax: 4, Dimensions: []partnership.Dimension{{Name: "Motivation"}, {Name: "Språk"}}}
	_, err = w.svc.ConfigureModel(ctx, w.staff, w.ikf, next)
	wantErr(t, "staff configures", err, partnership.ErrForbidden)
	saved, err := w.svc.ConfigureModel(ctx, w.officer, w.ikf, next)
	if err != nil || len(saved.Dimensions) != 2 || saved.ScaleMax != 4 {
		t.Fatalf("configure = %+v, %v", saved, err)
	}
	mot, spr := saved.Dimensions[0].ID, saved.Dimensions[1].ID
	assess := func(actor partnership.Actor, p int64, on string, a, b int) error {
		_, err := w.svc.Assess(ctx, actor, p, partnership.Assessment{AssessedOn: day(on), Ratings: map[int64]int{mot: a, spr: b}})
		return err
	}
	if err := assess(w.staff, w.mine, "2024-02-01", 1, 3); err != nil {
		t.Fatal(err)
	}
	var v partnership.ValidationError
	if err := assess(w.staff, w.mine, "2024-07-01", 9, 3); !errors.As(err, &v) || v["assessed_on"] == "" || v[partnership.RatingField(mot)] == "" {
		t.Errorf("future date and rating off the scale: %v", err)
	}
	wantErr(t, "other association assesses", assess(w.otherStaff, w.mine, "2024-03-01", 1, 1), partnership.ErrNotFound)
	wantErr(t, "officer assesses", assess(w.officer, w.mine, "2024-03-01", 1, 1), partnership.ErrForbidden)
	if err := assess(w.staff, w.mine, "2024-06-01", 3, 2); err != nil {
		t.Fatal(err)
	}
	// Now assessed: renaming and adding pass, shrinking the scale does not.
	renamed := partnership.StepModel{Name: "GA-modellen", ScaleMin: 1, ScaleMax: 4, Dimensions: []partnership.Dimension{{ID: mot, Name: "Drivkraft"}, {ID: spr, Name: "Språk"}, {Name: "Struktur"}}}
	if _, err := w.svc.ConfigureModel(ctx, w.officer, w.ikf, renamed); err != nil {
		t.Fatalf("rename and add: %v", err)
	}
	shrunk := renamed
	shrunk.ScaleMax = 3
	if _, err := w.svc.ConfigureModel(ctx, w.officer, w.ikf, shrunk); !errors.As(err, &v) {
		t.Errorf("scale change with assessments: %v", err)
	}
	got, err := w.svc.Assessments(ctx, w.officer, w.mine)
	if err != nil || len(got.Assessments) != 2 || got.MayAssess {
		t.Fatalf("officer reads assessments: %+v, %v", got, err)
	}
	if p := got.Progression; p[0].Name != "Drivkraft" || p[0].Change != 2 || p[1].Change != -1 || p[2].First != nil {
		t.Errorf("progression = %+v", p)
	}
	_, err = w.svc.Assessments(ctx, w.coordinator2, w.mine)
	wantErr(t, "another coordinator reads", err, partnership.ErrNotFound)

	share, err := w.svc.ShareMoved(ctx, w.viewer, w.ikf, 2024)
	if err != nil || share.Assessed != 1 || share.Moved != 1 {
		t.Errorf("share 2024 = %+v, %v", share, err)
	}
	if share, _ := w.svc.ShareMoved(ctx, w.viewer, w.ikf, 2023); share.Assessed != 0 {
		t.Errorf("share 2023 = %+v", share)
	}
	_, err = w.svc.ShareMoved(ctx, w.otherStaff, w.ikf, 2024)
	wantErr(t, "other association's share", err, partnership.ErrNotFound)
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'plan.assessment.create'`); n != 2 {
		t.Errorf("%d assessment audit events, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'plan.step_model.update'`); n != 2 {
		t.Errorf("%d model audit events, want 2", n)
	}
}

// TestAssessOnTheUnstoredDefault: a form drawn from the default model
// before it was stored names its dimensions -1, -2, …; the first
// assessment stores the model and keeps every rating.
func TestAssessOnTheUnstoredDefault(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	m, err := w.svc.Model(ctx, w.otherStaff, w.other)
	if err != nil || m.Dimensions[0].ID != -1 {
		t.Fatalf("model %+v, %v", m, err)
	}
	ratings := map[int64]int{}
	for i, d := range m.Dimensions {
		ratings[d.ID] = 1 + i%5
	}
	if _, err := w.svc.Assess(ctx, w.otherStaff, w.theirs, partnership.Assessment{AssessedOn: day("2024-03-01"), Ratings: ratings}); err != nil {
		t.Fatal(err)
	}
	got, err := w.svc.Assessments(ctx, w.otherStaff, w.theirs)
	if err != nil || len(got.Assessments) != 1 || len(got.Assessments[0].Ratings) != 6 || got.Model.Dimensions[0].ID <= 0 ||
		*got.Progression[1].First != 2 {
		t.Errorf("assessments %+v, %v", got, err)
	}
}
