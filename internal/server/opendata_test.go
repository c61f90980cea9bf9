package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

type grantsFile struct {
	Grants []struct {
		ID            string      `json:"id"`
		Title         string      `json:"title"`
		Description   string      `json:"description"`
		Currency      string      `json:"currency"`
		AmountAwarded json.Number `json:"amountAwarded"`
		AwardDate     string      `json:"awardDate"`
		PlannedDates  []struct {
			StartDate string `json:"startDate"`
			EndDate   string `json:"endDate"`
		} `json:"plannedDates"`
		RecipientOrganization []struct{ ID, Name string } `json:"recipientOrganization"`
		FundingOrganization   []struct{ ID, Name string } `json:"fundingOrganization"`
	} `json:"grants"`
}

// Anything that looks like a way to reach or identify a person.
var (
	emailLike        = regexp.MustCompile(`[^\s@"]+@[^\s@"]+\.[a-z]{2,}`)
	phoneLike        = regexp.MustCompile(`(\+46|\b0)[1-9][0-9 -]{6,12}[0-9]\b`)
	personnummerLike = regexp.MustCompile(`\b(19|20)?[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[-+]?[0-9]{4}\b`)
)

// TestOpenDataGrants: the 360Giving files of a year hold the agreements in
// force that year — the demo's IKF agreement with the municipality's
// 450 000 kr indexed by 2 % to 459 000 kr for 2024, Stadsmissionen's two
// 550 000 kr wages indexed to 561 000 kr each for 2019 — and no draft, no
// person, no e-mail, phone number or personnummer. Anyone may read them.
func TestOpenDataGrants(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	// A draft with dates and a municipal cash line is not a grant.
	draft, err := postgres.NewAgreements(a.db.Pool).Create(ctx, partnership.Agreement{
		Title: "Utkast som inte publiceras", Status: partnership.StatusDraft,
		StartDate: openDataDay("2024-01-01"), EndDate: openDataDay("2024-12-31"),
		Parties: []partnership.Party{
			{OrganisationID: orgID(t, a, "Linköpings kommun"), Role: partnership.PartyMunicipality},
			{OrganisationID: orgID(t, a, ikfOrganisation), Role: partnership.PartyLeadAssociation},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewBudgets(a.db.Pool).CreateLine(ctx, partnership.BudgetLine{
		AgreementID: draft.ID, PartyID: draft.Parties[0].ID, Text: "Bidrag", Kind: partnership.Cash, Indexed: true,
		Amount: money.Kronor(100000),
	}); err != nil {
		t.Fatal(err)
	}

	anon := a.client()
	grants := func(year string) grantsFile {
		t.Helper()
		res := anon.get("/reports/" + year + "/grants.json")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("grants.json %s: %d %s", year, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("grants.json %s: not readable from the open-data page's origin", year)
		}
		checkNoPersonalData(t, "grants.json "+year, res.Body)
		var f grantsFile
		if err := json.Unmarshal([]byte(res.Body), &f); err != nil {
			t.Fatalf("grants.json %s: %v", year, err)
		}
		return f
	}

	ikf := budAgreement(t, a, budIKF)
	f := grants("2024")
	if len(f.Grants) != 1 {
		t.Fatalf("2024: %d grants, want IKF's only: %+v", len(f.Grants), f.Grants)
	}
	g := f.Grants[0]
	if g.ID != "360G-iop-"+itoa(ikf.ID)+"-2024" || g.Title != budIKF || g.Currency != "SEK" || g.AmountAwarded != "459000" ||
		g.AwardDate != "2023-01-01" || len(g.PlannedDates) != 1 || g.PlannedDates[0].StartDate != "2024-01-01" ||
		g.PlannedDates[0].EndDate != "2024-12-31" {
		t.Errorf("IKF's grant of 2024: %+v", g)
	}
	if len(g.RecipientOrganization) != 1 || g.RecipientOrganization[0].ID != "SE-BO-8220013331" ||
		g.RecipientOrganization[0].Name != ikfOrganisation || len(g.FundingOrganization) != 1 ||
		g.FundingOrganization[0].ID != "SE-BO-2120000449" || g.FundingOrganization[0].Name != "Linköpings kommun" {
		t.Errorf("IKF's grant's organisations: %+v %+v", g.RecipientOrganization, g.FundingOrganization)
	}
	if f := grants("2023"); len(f.Grants) != 1 || f.Grants[0].AmountAwarded != "450000" {
		t.Errorf("2023: %+v, want IKF's 450 000 kr of the base year", f.Grants)
	}
	if f := grants("2019"); len(f.Grants) != 1 || f.Grants[0].Title != budHopp || f.Grants[0].AmountAwarded != "1122000" {
		t.Errorf("2019: %+v, want Stadsmissionen's 2 × 561 000 kr", f.Grants)
	}
	if f := grants("2030"); len(f.Grants) != 0 {
		t.Errorf("2030: %+v, want none", f.Grants)
	}

	// Once the indexation has materialised the year, its amounts stand
	// (here a year locked with amounts one krona above the rules').
	lines, err := postgres.NewBudgets(a.db.Pool).Lines(ctx, ikf.ID)
	if err != nil {
		t.Fatal(err)
	}
	var amounts []partnership.YearAmount
	for _, l := range lines {
		amounts = append(amounts, partnership.YearAmount{LineID: l.ID, Amount: l.Amount.MulRatio(102, 100) + money.Kronor(1)})
	}
	if _, err := postgres.NewYearAmounts(a.db.Pool).Upsert(ctx, ikf.ID, 2024, amounts); err != nil {
		t.Fatal(err)
	}
	municipalCash := 0
	for _, l := range lines {
		if l.Kind == partnership.Cash && budPartyIsMunicipal(ikf, l.PartyID) {
			municipalCash++
		}
	}
	want := 459000 + municipalCash
	if f := grants("2024"); len(f.Grants) != 1 || f.Grants[0].AmountAwarded != json.Number(itoa(int64(want))) {
		t.Errorf("materialised 2024: %+v, want %d", f.Grants, want)
	}

	res := anon.get("/reports/2024/grants.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("grants.csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	checkNoPersonalData(t, "grants.csv", res.Body)
	lines2 := strings.Split(strings.TrimSpace(res.Body), "\r\n")
	if len(lines2) != 2 || lines2[0] != "Identifier,Title,Description,Currency,Amount Awarded,Award Date,"+
		"Planned Dates:Start Date,Planned Dates:End Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,Funding Org:Name" ||
		!strings.Contains(lines2[1], ",SEK,"+itoa(int64(want))+",2023-01-01,2024-01-01,2024-12-31,SE-BO-8220013331,") {
		t.Errorf("grants.csv:\n%s", res.Body)
	}

	for _, year := range []string{"1999", "abc", "20245"} {
		if res := anon.get("/reports/" + year + "/grants.json"); res.StatusCode != http.StatusNotFound {
			t.Errorf("grants.json of %q: %d, want 404", year, res.StatusCode)
		}
	}
}

func openDataDay(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func budPartyIsMunicipal(ag partnership.Agreement, partyID int64) bool {
	for _, p := range ag.Parties {
		if p.ID == partyID {
			return p.Role == partnership.PartyMunicipality
		}
	}
	return false
}

// checkNoPersonalData fails when body holds an e-mail address, a phone
// number, a personnummer or a name of a signatory of the demo agreements.
func checkNoPersonalData(t *testing.T, what, body string) {
	t.Helper()
	for name, re := range map[string]*regexp.Regexp{"e-mail": emailLike, "phone number": phoneLike, "personnummer": personnummerLike} {
		if m := re.FindString(body); m != "" {
			t.Errorf("%s holds something like a %s: %q", what, name, m)
		}
	}
	for _, person := range []string{"Mikaela Schullström", "Gunilla Rolling", "Helena Paulsson", "Sanna Detlefsen"} {
		if strings.Contains(body, person) {
			t.Errorf("%s names %s", what, person)
		}
	}
}
