package demo_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// demoIdentities are the fictitious people the demo gives identities, by
// agreement: name and personnummer as the demo enters them.
var demoIdentities = map[string][][2]string{
	"Hoppfull framtid": {
		{"Jonas Lindgren", "19760408-9917"}, {"Nasra Yusuf", "19880314-9825"},
		{"Ahmad Rahimi", "19901205-9938"}, {"Petra Sjöberg", "19830217-9802"},
	},
	"Inkludering på lika villkor": {
		{"Leyla Karimi", "19791102-9846"}, {"Amal Haddad", "19920621-9868"},
		{"Hodan Warsame", "19850930-9889"}, {"Nasra Yusuf", "19880314-9825"},
	},
}

func TestDemoPersonnummerAreValidTestNumbers(t *testing.T) {
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, people := range demoIdentities {
		for _, p := range people {
			pnr, err := partnership.ParsePersonnummer(p[1], today)
			if err != nil {
				t.Errorf("%s: %v", p[1], err)
				continue
			}
			// Skatteverket's test series uses individual numbers 980–999.
			if n := pnr.Normalized(); n[8] != '9' || n[9] < '8' {
				t.Errorf("%s is not from Skatteverket's test series", p[1])
			}
		}
	}
}

// TestDemoParticipants loads the demo data twice and checks the
// participants of IKF 2024 and Stadsmissionen 2019 against their
// agreements' expected participants per year, their identities, the
// duplicate across the two and that nothing identifying is stored in
// plaintext.
func TestDemoParticipants(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	accounts := auth.NewService(db, hasher, time.Now)
	keys := ephemeralKeys(t)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := demo.Load(ctx, db, accounts, keys); err != nil {
		t.Fatalf("first load: %v", err)
	}
	participants, events := count(`SELECT count(*) FROM participants`), count(`SELECT count(*) FROM audit_events`)
	if err := demo.Load(ctx, db, accounts, keys); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if p, e := count(`SELECT count(*) FROM participants`), count(`SELECT count(*) FROM audit_events`); p != participants || e != events {
		t.Errorf("second load: participants %d → %d, audit events %d → %d", participants, p, events, e)
	}

	svc := participant.NewService(db, keys, time.Now)
	users := postgres.NewUsers(db.Pool)
	actor := func(email string) partnership.Actor {
		u, err := users.ByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return partnership.ActorOf(u, "")
	}
	coordinator := actor("koordinator@iop.example")
	for _, c := range []struct {
		title, staff string
		year         int
	}{
		{"Hoppfull framtid", "stadsmissionen@iop.example", 2019},
		{"Inkludering på lika villkor", "ikf@iop.example", 2024},
	} {
		staff := actor(c.staff)
		ag, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, c.title)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := svc.Counts(ctx, staff, ag.ID, c.year, c.year)
		if err != nil || len(counts) != 1 {
			t.Fatalf("%s counts: %v, %v", c.title, counts, err)
		}
		got := counts[0]
		if got.Active < *ag.ParticipantsMin || (ag.ParticipantsMax != nil && got.Active > *ag.ParticipantsMax) || got.Exited == 0 {
			t.Errorf("%s %d: %+v, expected %d–%v active", c.title, c.year, got, *ag.ParticipantsMin, ag.ParticipantsMax)
		}
		page, err := svc.List(ctx, staff, ag.ID, partnership.ParticipantFilter{Limit: partnership.MaxParticipantPage})
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[partnership.ParticipantStatus]int{}
		destinations := map[partnership.ExitDestination]bool{}
		var names []string
		for _, p := range page.Participants {
			statuses[p.Status()]++
			if p.ExitedOn != nil {
				destinations[p.ExitDestination] = true
			}
			if p.ReferredOn.Year() != c.year {
				t.Errorf("%s referred on %s, outside %d", p.Code, p.ReferredOn.Format(time.DateOnly), c.year)
			}
			if !p.HasIdentity {
				continue
			}
			id, err := svc.Identity(ctx, staff, p.ID)
			if err != nil {
				t.Fatalf("%s identity: %v", p.Code, err)
			}
			names = append(names, id.Name)
			if id.Personnummer.BirthYear() != p.BirthYear {
				t.Errorf("%s born %d by the statistics, %d by the personnummer", p.Code, p.BirthYear, id.Personnummer.BirthYear())
			}
		}
		var want []string
		for _, p := range demoIdentities[c.title] {
			want = append(want, p[0])
		}
		slices.Sort(names)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("%s identities %q, want %q", c.title, names, want)
		}
		t.Logf("%s %d: %+v; statuses %v; destinations %v", c.title, c.year, got, statuses, destinations)
		if statuses[partnership.StatusDeclined] == 0 || statuses[partnership.StatusEnrolled] == 0 || len(destinations) < 4 {
			t.Errorf("%s: statuses %v, destinations %v", c.title, statuses, destinations)
		}
		referred, err := svc.List(ctx, coordinator, ag.ID, partnership.ParticipantFilter{})
		if err != nil || referred.Total == 0 {
			t.Errorf("%s: the coordinator referred %d (%v)", c.title, referred.Total, err)
		}
	}

	// The same person entered a third time, without the century, matches
	// both demo registrations.
	ikf, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, "Inkludering på lika villkor")
	if err != nil {
		t.Fatal(err)
	}
	referred := time.Date(2024, 12, 2, 0, 0, 0, 0, time.UTC)
	id, err := partnership.ParseIdentity("Nasra Yusuf", "880314-9825", "", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := svc.Register(ctx, actor("ikf@iop.example"), ikf.ID, participant.Registration{
		Participant: partnership.Participant{Gender: partnership.GenderWoman, BirthYear: 1988, BirthRegion: partnership.RegionAfrica,
			Education: partnership.EducationUnknown, LabourStatus: partnership.LabourUnknown, IncomeSource: partnership.IncomeUnknown,
			ReferredOn: referred, ReferralSource: partnership.ReferralSelf},
		Identity: id, ConsentGivenOn: &referred,
	})
	if err != nil {
		t.Fatal(err)
	}
	if reg.Duplicate.Count != 2 || len(reg.Duplicate.Visible) != 1 {
		t.Errorf("duplicate: %d found, %d visible to IKF's staff; want 2 and 1", reg.Duplicate.Count, len(reg.Duplicate.Visible))
	}

	rows, err := db.Pool.Query(ctx, `SELECT p::text, coalesce(identity_ciphertext, ''::bytea) FROM participants p`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		var ct []byte
		if err := rows.Scan(&text, &ct); err != nil {
			t.Fatal(err)
		}
		for _, people := range demoIdentities {
			for _, p := range people {
				digits := strings.ReplaceAll(p[1], "-", "")
				for _, s := range []string{p[0], strings.Fields(p[0])[1], digits, digits[2:], "example.org"} {
					if strings.Contains(text, s) || bytes.Contains(ct, []byte(s)) {
						t.Errorf("a participant row contains %q in plaintext", s)
					}
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
