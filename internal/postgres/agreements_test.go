package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// newOrgs stores a municipality and an association for the agreement tests.
func newOrgs(t *testing.T, db *postgres.DB) (municipality, association partnership.Organisation) {
	t.Helper()
	ctx := context.Background()
	orgs := postgres.NewOrganisations(db.Pool)
	m, err := orgs.Create(ctx, partnership.Organisation{Name: "Linköpings kommun", Kind: partnership.OrgMunicipality})
	if err != nil {
		t.Fatal(err)
	}
	a, err := orgs.Create(ctx, partnership.Organisation{Name: "Hela Människan", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	return m, a
}

func sampleAgreement(m, a partnership.Organisation) partnership.Agreement {
	lo, hi := 20, 40
	return partnership.Agreement{
		Title: "Hoppfull framtid", CaseNumber: "AMN 2017-123", Committee: "Arbetsmarknadsnämnden",
		Administration: "Integration- och arbetsmarknadsförvaltningen",
		Sections: partnership.Sections{
			Purpose: "Att stärka kvinnor.\n\n- språk\n- arbete", Background: "B", Values: "V", TargetGroup: "T",
			Activities: "A", Organisation: "O", FollowUp: "F", Economy: "E", TerminationTerms: "TT",
		},
		StartDate: date("2018-01-01"), EndDate: date("2019-12-31"), ExtensionMonths: 24, MaxExtensions: 2,
		NoticeMonths: 6, Status: partnership.StatusActive, ParticipantsMin: &lo, ParticipantsMax: &hi,
		DialogueMeetingsPerYear: 2, RepresentativesPerParty: 2, ReportingDuties: "Skriftlig årsrapport",
		InvoiceFrequency: partnership.InvoiceQuarterly, InvoiceAddress: "Box 1", InvoiceReference: "REF1",
		InvoiceMarking: "IOP", ActivityCode: "4711", InvoiceLabel: "Hoppfull framtid",
		IndexMode: partnership.IndexMunicipal, IndexRateBP: 250, VolunteerHourRate: money.Kronor(200),
		Parties: []partnership.Party{
			{OrganisationID: m.ID, Role: partnership.PartyMunicipality, SignatoryName: "Kim Ordförande",
				SignatoryTitle: "Ordförande", SignedOn: date("2017-12-01"), Representatives: []string{"A, chef", "B, handläggare"},
				Contribution: "Pengar"},
			{OrganisationID: a.ID, Role: partnership.PartyLeadAssociation, SignatoryName: "Lo Verksamhetschef",
				Representatives: []string{}, Contribution: "Personal"},
		},
		Extensions: []partnership.Extension{
			{DecidedOn: *date("2019-05-10"), DecisionRef: "AMN 2019 § 12", NewEndDate: *date("2021-12-31")},
		},
	}
}

func TestAgreementCreateReadRoundTrip(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	want := sampleAgreement(m, a)
	var got partnership.Agreement
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		got, err = postgres.NewAgreements(tx).Create(ctx, want)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Version != 1 {
		t.Fatalf("id %d version %d", got.ID, got.Version)
	}
	if len(got.Parties) != 2 || got.Parties[0].ID == 0 || got.Parties[0].OrganisationName != "Linköpings kommun" ||
		got.Parties[0].OrganisationKind != partnership.OrgMunicipality || got.Parties[1].OrganisationName != "Hela Människan" {
		t.Fatalf("parties %+v", got.Parties)
	}
	if len(got.Extensions) != 1 || got.Extensions[0].ID == 0 {
		t.Fatalf("extensions %+v", got.Extensions)
	}
	byID, err := postgres.NewAgreements(db.Pool).ByID(ctx, got.ID)
	if err != nil || !reflect.DeepEqual(byID, got) {
		t.Errorf("ByID: %v\n%+v", err, byID)
	}
	// Apart from what the database assigns, the aggregate reads back as written.
	norm := got
	norm.ID, norm.Version, norm.CreatedAt, norm.UpdatedAt = 0, 0, time.Time{}, time.Time{}
	for i := range norm.Parties {
		norm.Parties[i].ID, norm.Parties[i].OrganisationName, norm.Parties[i].OrganisationKind = 0, "", ""
	}
	norm.Extensions[0].ID = 0
	if !reflect.DeepEqual(norm, want) {
		t.Errorf("round trip:\n got  %+v\n want %+v", norm, want)
	}
	byTitle, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, "hoppfull FRAMTID")
	if err != nil || byTitle.ID != got.ID {
		t.Errorf("ByTitle: %v %d", err, byTitle.ID)
	}
	if _, err := postgres.NewAgreements(db.Pool).ByID(ctx, got.ID+1000); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, "Finns inte"); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unknown title: %v", err)
	}
}

func TestAgreementUpdate(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	store := postgres.NewAgreements(db.Pool)
	created, err := store.Create(ctx, sampleAgreement(m, a))
	if err != nil {
		t.Fatal(err)
	}
	edit := created
	edit.Title = "Hoppfull framtid 2.0"
	edit.Parties = []partnership.Party{created.Parties[1], created.Parties[0]} // reordered, ids kept
	edit.Parties[0].SignatoryTitle = "Verksamhetschef"
	if err := edit.Terminate(partnership.Termination{On: *date("2019-06-30"), Kind: partnership.TerminationNotice, Reason: "Lokalen stängs"}); err != nil {
		t.Fatal(err)
	}
	updated, err := store.Update(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Title != "Hoppfull framtid 2.0" || updated.Status != partnership.StatusTerminated ||
		updated.Termination == nil || updated.Termination.Reason != "Lokalen stängs" {
		t.Errorf("updated %+v", updated)
	}
	if updated.Parties[0].ID != created.Parties[1].ID || updated.Parties[0].SignatoryTitle != "Verksamhetschef" ||
		updated.Parties[1].ID != created.Parties[0].ID {
		t.Errorf("parties after update %+v", updated.Parties)
	}

	// A second edit from version 1 is refused and changes nothing.
	stale := created
	stale.Title = "Gammal titel"
	if _, err := store.Update(ctx, stale); !errors.Is(err, partnership.ErrConflict) {
		t.Fatalf("stale update: %v, want ErrConflict", err)
	}
	if now, _ := store.ByID(ctx, created.ID); now.Title != "Hoppfull framtid 2.0" || now.Version != 2 {
		t.Errorf("after refused update: %q version %d", now.Title, now.Version)
	}
	gone := updated
	gone.ID += 1000
	if _, err := store.Update(ctx, gone); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unknown agreement: %v", err)
	}

	// Removing a party deletes it; the same organisation twice is a validation error.
	drop := updated
	drop.Parties = drop.Parties[:1]
	dropped, err := store.Update(ctx, drop)
	if err != nil || len(dropped.Parties) != 1 || dropped.Version != 3 {
		t.Fatalf("drop party: %v %+v", err, dropped.Parties)
	}
	twice := dropped
	twice.Parties = append(twice.Parties, partnership.Party{OrganisationID: twice.Parties[0].OrganisationID, Role: partnership.PartyPartnerAssociation})
	err = db.InTx(ctx, func(tx pgx.Tx) error { _, err := postgres.NewAgreements(tx).Update(ctx, twice); return err })
	var verr partnership.ValidationError
	if !errors.As(err, &verr) || verr["organisation_id"] == "" {
		t.Errorf("same organisation twice: %v", err)
	}
}

func TestAuditHistoryNamesTheActor(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var uid int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role, password_hash)
		VALUES ('h@iop.example', 'Hanna Handläggare', 'officer', 'x') RETURNING id`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	audit := postgres.NewAudit(db.Pool)
	for _, e := range []partnership.AuditEvent{
		{ActorID: &uid, Action: "agreement.create", Entity: "agreement", EntityID: "7"},
		{Action: "agreement.update", Entity: "agreement", EntityID: "7", Details: map[string]any{"fields": []string{"title"}}},
		{ActorID: &uid, Action: "agreement.create", Entity: "agreement", EntityID: "8"},
	} {
		if err := audit.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	list, err := audit.History(ctx, "agreement", "7", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Action != "agreement.update" || list[0].ActorName != "" ||
		list[1].ActorName != "Hanna Handläggare" || list[0].Details["fields"] == nil {
		t.Errorf("history %+v", list)
	}
}
