package retention_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
	"iop/internal/retention"
)

// registered is the day the fixtures are registered on.
var registered = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

func dayp(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

type fixture struct {
	db                           *postgres.DB
	staff, admin, officer        partnership.Actor
	exited, declined, recent, in int64
}

// newFixture registers four participants with identities to IKF's
// agreement: exited 2020-01-10 (follow-ups due 2020-07-10 and 2021-01-10,
// notes on them, a goal with an outcome note, an assessment), declined
// 2022-03-01 with a note, exited 2023-05-01 (last follow-up 2024-05-01)
// with a follow-up note, and one still enrolled with a goal.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		t.Fatal(err)
	}
	orgs := postgres.NewOrganisations(db.Pool)
	kommun, err := orgs.Create(ctx, partnership.Organisation{Name: "Linköpings kommun", Kind: partnership.OrgMunicipality})
	if err != nil {
		t.Fatal(err)
	}
	ikf, err := orgs.Create(ctx, partnership.Organisation{Name: "IKF", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	ag, err := postgres.NewAgreements(db.Pool).Create(ctx, partnership.Agreement{
		Title: "Inkludering", StartDate: dayp("2019-01-01"), EndDate: dayp("2026-12-31"), Status: partnership.StatusActive,
		IndexMode: partnership.IndexMunicipal, IndexRateBP: 200,
		Parties: []partnership.Party{
			{OrganisationID: kommun.ID, Role: partnership.PartyMunicipality, Representatives: []string{}},
			{OrganisationID: ikf.ID, Role: partnership.PartyLeadAssociation, Representatives: []string{}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	users := postgres.NewUsers(db.Pool)
	user := func(email string, role partnership.Role, org *int64) partnership.Actor {
		u, err := users.Create(ctx, partnership.User{Email: email, Name: email, Role: role, OrganisationID: org, Active: true}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return partnership.Actor{UserID: u.ID, Role: role, OrganisationID: org, Via: "web"}
	}
	f := &fixture{db: db, staff: user("staff@ikf.se", partnership.RoleAssociationStaff, &ikf.ID),
		admin: user("admin@kommun.se", partnership.RoleAdmin, nil), officer: user("handl@kommun.se", partnership.RoleOfficer, nil)}
	svc := participant.NewService(db, keys, func() time.Time { return registered })
	reg := func(pnr string, mod func(*partnership.Participant)) int64 {
		p := partnership.Participant{Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionAsia,
			Education: partnership.EducationSecondary, LabourStatus: partnership.LabourRegistered,
			IncomeSource: partnership.IncomeSocialAssistance, ReferredOn: *dayp("2019-12-01"),
			ReferralSource: partnership.ReferralSocialServices}
		mod(&p)
		id, err := partnership.ParseIdentity("Testperson", pnr, "070-123 45 67", "t@exempel.se", registered)
		if err != nil {
			t.Fatal(err)
		}
		r, err := svc.Register(ctx, f.staff, ag.ID, participant.Registration{Participant: p, Identity: id, ConsentGivenOn: dayp("2019-12-01")})
		if err != nil {
			t.Fatal(err)
		}
		return r.Participant.ID
	}
	f.exited = reg("19850101-1236", func(p *partnership.Participant) {
		p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2019-12-05"), dayp("2020-01-10"), partnership.ExitWork
	})
	f.declined = reg("19860202-1233", func(p *partnership.Participant) {
		p.DeclinedOn, p.DeclineReason, p.DeclineNote = dayp("2022-03-01"), partnership.DeclineOtherReason, "Flyttar till Malmö"
	})
	f.recent = reg("19870303-1230", func(p *partnership.Participant) {
		p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2019-12-05"), dayp("2023-05-01"), partnership.ExitStudies
	})
	f.in = reg("19880404-1237", func(p *partnership.Participant) { p.EnrolledOn = dayp("2019-12-05") })
	f.exec(t, `UPDATE followups SET note = 'Arbetar på lager', done_on = due_on, destination = 'work', self_supporting = 'yes'
		WHERE participant_id IN ($1, $2)`, f.exited, f.recent)
	for _, pid := range []int64{f.exited, f.in} {
		f.exec(t, `INSERT INTO plan_goals (participant_id, term, text, follow_up_on, status, outcome_on, outcome_note)
			VALUES ($1, 'short', 'Ta körkort', '2019-12-20', 'achieved', '2019-12-20', 'Klarade provet')`, pid)
	}
	f.exec(t, `INSERT INTO assessments (participant_id, assessed_on) VALUES ($1, '2019-12-10')`, f.exited)
	return f
}

func (f *fixture) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := f.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot is every column the purge may touch, as text, to see that a dry
// run or a second run changes nothing.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	var s string
	err := f.db.Pool.QueryRow(context.Background(), `SELECT concat_ws('|',
		(SELECT string_agg(concat_ws(',', id, encode(identity_ciphertext, 'hex'), encode(pnr_index, 'hex'), decline_note,
			identity_purged_on, exit_destination, gender), ';' ORDER BY id) FROM participants),
		(SELECT string_agg(concat_ws(',', id, withdrawn_on, ended_by_purge), ';' ORDER BY id) FROM participant_consents),
		(SELECT string_agg(concat_ws(',', id, text, outcome_note, status), ';' ORDER BY id) FROM plan_goals),
		(SELECT string_agg(concat_ws(',', id, note, destination), ';' ORDER BY id) FROM followups),
		(SELECT count(*) FROM assessments), (SELECT count(*) FROM audit_events))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func at(s string) func() time.Time {
	return func() time.Time { d := *dayp(s); return d.Add(12 * time.Hour) }
}

func TestPurgeRemovesExactlyTheExpiredAndKeepsStatistics(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// 2024-02-29: the exited participant's last follow-up (2021-01-10) is
	// more than 24 months ago; the decline (2022-03-01) is not yet.
	c, err := retention.NewService(f.db, at("2024-02-29")).Purge(ctx, partnership.SystemActor("test"), false)
	if err != nil {
		t.Fatal(err)
	}
	want := partnership.PurgeCounts{Identities: 1, Consents: 1, GoalNotes: 1, FollowUpNotes: 2}
	if c != want {
		t.Fatalf("purge on 2024-02-29 = %+v, want %+v", c, want)
	}
	svc := retention.NewService(f.db, at("2024-06-15"))
	if c, err = svc.Purge(ctx, partnership.SystemActor("test"), false); err != nil {
		t.Fatal(err)
	}
	if want := (partnership.PurgeCounts{Identities: 1, Consents: 1, DeclineNotes: 1}); c != want {
		t.Fatalf("purge on 2024-06-15 = %+v, want %+v", c, want)
	}
	gone := map[int64]bool{f.exited: true, f.declined: true}
	for _, pid := range []int64{f.exited, f.declined, f.recent, f.in} {
		has := f.count(t, `SELECT count(*) FROM participants WHERE id = $1 AND identity_ciphertext IS NOT NULL AND pnr_index IS NOT NULL`, pid) == 1
		if has == gone[pid] {
			t.Errorf("participant %d: identity kept = %v, want %v", pid, has, !gone[pid])
		}
		inForce := f.count(t, `SELECT count(*) FROM participant_consents WHERE participant_id = $1 AND withdrawn_on IS NULL`, pid)
		if (inForce == 0) != gone[pid] {
			t.Errorf("participant %d: %d consents in force after the purge", pid, inForce)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM followups WHERE participant_id = $1 AND note <> ''`, f.recent); n != 2 {
		t.Errorf("the recent exit's follow-up notes: %d left, want 2", n)
	}
	if n := f.count(t, `SELECT count(*) FROM plan_goals WHERE participant_id = $1 AND outcome_note <> '' AND text = 'Ta körkort'`, f.in); n != 1 {
		t.Errorf("the enrolled participant's goal: %d intact, want 1", n)
	}
	// The statistics stay: rows, fields, dates, destinations, outcomes, the
	// assessment (its period is longer) and the goal's status.
	checks := map[string]string{
		"participants":         `SELECT count(*) FROM participants WHERE gender = 'woman' AND birth_year = 1985`,
		"exit destinations":    `SELECT count(*) FROM participants WHERE exit_destination IS NOT NULL`,
		"follow-up outcomes":   `SELECT count(*) FROM followups WHERE destination = 'work' AND self_supporting = 'yes'`,
		"assessments":          `SELECT count(*) FROM assessments`,
		"goal statuses":        `SELECT count(*) FROM plan_goals WHERE status = 'achieved'`,
		"purged goal text":     `SELECT count(*) FROM plan_goals WHERE text = '[gallrad]' AND outcome_note = ''`,
		"purged dates":         `SELECT count(*) FROM participants WHERE identity_purged_on IS NOT NULL`,
		"consents ended purge": `SELECT count(*) FROM participant_consents WHERE ended_by_purge`,
	}
	want2 := map[string]int{"participants": 4, "exit destinations": 2, "follow-up outcomes": 4, "assessments": 1,
		"goal statuses": 2, "purged goal text": 1, "purged dates": 2, "consents ended purge": 2}
	for what, sql := range checks {
		if n := f.count(t, sql); n != want2[what] {
			t.Errorf("%s: %d, want %d", what, n, want2[what])
		}
	}
	// A second run the same day does nothing and records nothing.
	before := f.snapshot(t)
	if c, err = svc.Purge(ctx, partnership.SystemActor("test"), false); err != nil || c.Total() != 0 {
		t.Fatalf("second purge = %+v, %v; want nothing", c, err)
	}
	if after := f.snapshot(t); after != before {
		t.Errorf("the second purge changed the data:\n%s\n%s", before, after)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := f.snapshot(t)
	// 2026-02-01: identities and notes of the first two, and the assessment
	// (60 months after 2021-01-10 is 2026-01-10).
	c, err := retention.NewService(f.db, at("2026-02-01")).Purge(ctx, partnership.SystemActor("test"), true)
	if err != nil {
		t.Fatal(err)
	}
	want := partnership.PurgeCounts{Identities: 2, Consents: 2, DeclineNotes: 1, GoalNotes: 1, FollowUpNotes: 2, Assessments: 1}
	if c != want {
		t.Errorf("dry run = %+v, want %+v", c, want)
	}
	if after := f.snapshot(t); after != before {
		t.Errorf("the dry run changed the data:\n%s\n%s", before, after)
	}
}

func TestPurgeAuditsCountsOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := retention.NewService(f.db, at("2030-01-01")).Purge(ctx, partnership.SystemActor("cli"), false); err != nil {
		t.Fatal(err)
	}
	var n int
	var details string
	err := f.db.Pool.QueryRow(ctx, `SELECT count(*), max(details::text) FROM audit_events WHERE action = 'retention.purge'`).Scan(&n, &details)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d purge events, want 1", n)
	}
	if !strings.Contains(details, `"identities": 3`) && !strings.Contains(details, `"identities":3`) {
		t.Errorf("purge event details %s: want the identity count 3", details)
	}
	for _, leak := range []string{"Testperson", "1985", "Malmö", "lager", "körkort", "provet", "exempel"} {
		if strings.Contains(details, leak) {
			t.Errorf("purge event details hold %q: %s", leak, details)
		}
	}
}

func TestPolicyAdminOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := retention.NewService(f.db, at("2024-06-15"))
	p := partnership.RetentionPolicy{IdentityMonths: 12, NotesMonths: 6, AssessmentMonths: 36}
	for _, a := range []partnership.Actor{f.staff, f.officer} {
		if err := svc.SetPolicy(ctx, a, p); !errors.Is(err, partnership.ErrForbidden) {
			t.Errorf("SetPolicy by %s: %v, want forbidden", a.Role, err)
		}
		if _, err := svc.Purge(ctx, a, true); !errors.Is(err, partnership.ErrForbidden) {
			t.Errorf("Purge by %s: %v, want forbidden", a.Role, err)
		}
	}
	var v partnership.ValidationError
	if err := svc.SetPolicy(ctx, f.admin, partnership.RetentionPolicy{IdentityMonths: 0, NotesMonths: 6, AssessmentMonths: 241}); !errors.As(err, &v) || len(v) != 2 {
		t.Errorf("SetPolicy out of range: %v", err)
	}
	if err := svc.SetPolicy(ctx, f.admin, p); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Policy(ctx, f.admin)
	if err != nil || got.IdentityMonths != 12 || got.NotesMonths != 6 || got.AssessmentMonths != 36 {
		t.Errorf("Policy = %+v, %v", got, err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE action = 'retention.policy.update' AND actor_id = $1`, f.admin.UserID); n != 1 {
		t.Errorf("%d policy events, want 1", n)
	}
}

func TestPurgeSkipsWhileAnotherHoldsTheLock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tx, err := f.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // the test ends it
	if ok, err := postgres.TryAdvisoryLock(ctx, tx, postgres.RetentionLockKey); err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	svc := retention.NewService(f.db, at("2030-01-01"))
	if _, err := svc.Purge(ctx, partnership.SystemActor("test"), false); !errors.Is(err, retention.ErrBusy) {
		t.Fatalf("purge while locked: %v, want ErrBusy", err)
	}
	if n := f.count(t, `SELECT count(*) FROM participants WHERE identity_ciphertext IS NOT NULL`); n != 4 {
		t.Errorf("%d identities left after a refused purge, want 4", n)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := svc.Purge(ctx, partnership.SystemActor("test"), false); err != nil || c.Identities != 3 {
		t.Errorf("purge after the lock is free = %+v, %v; want 3 identities", c, err)
	}
}
