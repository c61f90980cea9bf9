package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// TestDemoAgreementsAsTheSourcesStateThem loads the demo data twice and
// checks the four partnerships against the source documents.
func TestDemoAgreementsAsTheSourcesStateThem(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db, hasher, time.Now)
	for i := 0; i < 2; i++ {
		if err := demo.Load(ctx, db, svc); err != nil {
			t.Fatalf("load #%d: %v", i+1, err)
		}
	}
	var count int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM agreements`).Scan(&count); err != nil || count != 4 {
		t.Fatalf("agreements after two loads: %d, %v", count, err)
	}
	store := postgres.NewAgreements(db.Pool)
	get := func(title string) partnership.Agreement {
		a, err := store.ByTitle(ctx, title)
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		return a
	}
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

	kisam := get("Förstegsinsats med KISAM-Världens mammor")
	if kisam.Status != partnership.StatusDraft || kisam.StartDate != nil || kisam.RepresentativesPerParty != 2 {
		t.Errorf("KISAM: status %s, start %v, representatives %d", kisam.Status, kisam.StartDate, kisam.RepresentativesPerParty)
	}
	missing := kisam.MissingForActivation()
	if !slices.Contains(missing, "Giltighetstid (start- och slutdatum)") || !slices.Contains(missing, "Firmatecknare för varje part") {
		t.Errorf("KISAM missing for activation: %q", missing)
	}

	ikf := get("Inkludering på lika villkor")
	if ikf.StartDate.Format(time.DateOnly) != "2023-01-01" || ikf.EndDate.Format(time.DateOnly) != "2024-12-31" ||
		ikf.Status != partnership.StatusActive || ikf.StatusOn(today) != partnership.StatusEnded {
		t.Errorf("IKF: %v – %v, %s / %s", ikf.StartDate, ikf.EndDate, ikf.Status, ikf.StatusOn(today))
	}
	if ikf.InvoiceReference != "150Z" || ikf.ActivityCode != "450211" || ikf.InvoiceFrequency != partnership.InvoiceYearly {
		t.Errorf("IKF invoicing: %q %q %q", ikf.InvoiceReference, ikf.ActivityCode, ikf.InvoiceFrequency)
	}
	if len(ikf.Parties) != 2 || ikf.Parties[1].SignatoryName != "Gunilla Rolling" || ikf.Parties[1].OrganisationName != "Internationella Kvinnoföreningen Linköping (IKF)" {
		t.Errorf("IKF parties: %+v", ikf.Parties)
	}

	sm := get("Hoppfull framtid")
	if sm.ExtensionMonths != 24 || sm.MaxExtensions != 2 || sm.EndDate.Format(time.DateOnly) != "2019-12-31" ||
		*sm.ParticipantsMin != 40 || *sm.ParticipantsMax != 80 {
		t.Errorf("Stadsmissionen terms: %+v", sm)
	}

	botkyrka := get("IOP Kvinna Botkyrka – Tillväxt Kvinna")
	var roles []partnership.PartyRole
	for _, p := range botkyrka.Parties {
		roles = append(roles, p.Role)
	}
	want := []partnership.PartyRole{partnership.PartyMunicipality, partnership.PartyReferringAuthority,
		partnership.PartyPartnerAssociation, partnership.PartyPartnerAssociation, partnership.PartyPartnerAssociation}
	if !slices.Equal(roles, want) {
		t.Errorf("Botkyrka roles %v, want %v", roles, want)
	}
}
