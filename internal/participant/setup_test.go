package participant_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// now is the fixed clock of the tests: midsummer week 2024.
var now = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time { d := day(s); return &d }

// world is a database with two associations' agreements and a user of
// every role.
type world struct {
	db   *postgres.DB
	keys *privacy.Keyring
	svc  *participant.Service
	// ikf is IKF's agreement, ikf2 a second one with IKF as lead, other
	// Hela Människan's.
	ikf, ikf2, other                                                     int64
	staff, otherStaff, coordinator, coordinator2, officer, viewer, admin partnership.Actor
}

func randomKey(t *testing.T) []byte {
	t.Helper()
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

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	keys, err := privacy.NewKeyring(randomKey(t), nil, randomKey(t))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, keys: keys, svc: participant.NewService(db, keys, func() time.Time { return now })}
	orgs := postgres.NewOrganisations(db.Pool)
	org := func(name string, kind partnership.OrgKind) partnership.Organisation {
		o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kommun := org("Linköpings kommun", partnership.OrgMunicipality)
	ikf := org("Internationella Kvinnoföreningen Linköping (IKF)", partnership.OrgAssociation)
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
	w.ikf, w.ikf2, w.other = agreement("Inkludering på lika villkor", ikf), agreement("Språkcafé", ikf), agreement("Hoppfull framtid", hm)
	users := postgres.NewUsers(db.Pool)
	user := func(email string, role partnership.Role, org *int64) partnership.Actor {
		u, err := users.Create(ctx, partnership.User{Email: email, Name: "Användare " + email, Role: role, OrganisationID: org, Active: true}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return partnership.Actor{UserID: u.ID, Role: role, OrganisationID: org, IP: "192.0.2.7", Via: "web"}
	}
	w.staff = user("staff@ikf.se", partnership.RoleAssociationStaff, &ikf.ID)
	w.otherStaff = user("staff@hm.se", partnership.RoleAssociationStaff, &hm.ID)
	w.coordinator = user("koord@kommun.se", partnership.RoleCoordinator, nil)
	w.coordinator2 = user("koord2@kommun.se", partnership.RoleCoordinator, nil)
	w.officer = user("handl@kommun.se", partnership.RoleOfficer, nil)
	w.viewer = user("las@kommun.se", partnership.RoleViewer, nil)
	w.admin = user("admin@kommun.se", partnership.RoleAdmin, nil)
	return w
}

// stats is a valid participant referred on the date.
func stats(referred string) partnership.Participant {
	h := 20
	return partnership.Participant{
		Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionAsia,
		Education: partnership.EducationSecondary, LabourStatus: partnership.LabourRegistered,
		IncomeSource: partnership.IncomeSocialAssistance, WorkCapacityHours: &h, Cohort: "Grupp 1",
		ReferredOn: day(referred), ReferralSource: partnership.ReferralSocialServices,
	}
}

// identity is a fictitious person with a personnummer as entered.
func identity(t *testing.T, name, pnr string) partnership.Identity {
	t.Helper()
	id, err := partnership.ParseIdentity(name, pnr, "070-123 45 67", "deltagare@exempel.se", now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) register(t *testing.T, actor partnership.Actor, agreementID int64, referred string, id partnership.Identity) participant.Registered {
	t.Helper()
	in := participant.Registration{Participant: stats(referred), Identity: id}
	if !id.IsZero() {
		in.ConsentGivenOn = dayp(referred)
	}
	r, err := w.svc.Register(context.Background(), actor, agreementID, in)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return r
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
