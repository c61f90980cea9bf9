package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// budLineForm is a complete line form for the party.
func budLineForm(party int64, text, amount string) url.Values {
	return url.Values{
		"party_id": {itoa(party)}, "section": {"Kunskapsutflykter"}, "text": {text}, "category": {"Resor"},
		"kind": {"cash"}, "indexed": {"on"}, "amount": {amount},
	}
}

func TestBudgetLineCreateEditDelete(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ag := budAgreement(t, a, budIKF)
	ikf := budParty(t, ag, ikfName)
	base := agPath(ag.ID) + "/budget"

	res := c.get(base + "/lines/new")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="line-form"`) ||
		!regexp.MustCompile(`id="indexed"[^>]*checked`).MatchString(res.Body) {
		t.Fatalf("new line form: %d", res.StatusCode)
	}

	// Invalid: every problem named, every value kept.
	bad := budLineForm(ikf, " ", "12 34")
	bad.Set("basis_share", "tjugo")
	bad.Set("basis_periods", "tolv")
	bad.Set("section", "Kvar <efter> felet")
	res = c.post(base+"/lines", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid line: %d", res.StatusCode)
	}
	for _, want := range []string{"Ange budgetpostens text.", "Dela upp siffrorna i grupper om tre", "Ange ett heltal.",
		`value="12 34"`, `value="tjugo"`, "Kvar &lt;efter&gt; felet", `data-testid="error-summary"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid line: no %q", want)
		}
	}
	// A party of another agreement is refused on the field.
	other := budAgreement(t, a, budHopp)
	res = c.post(base+"/lines", budLineForm(other.Parties[0].ID, "Fel part", "1 000"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Välj en av överenskommelsens parter.") {
		t.Errorf("other agreement's party: %d", res.StatusCode)
	}

	// Valid, with a basis that gives a different amount.
	form := budLineForm(ikf, "Busshyra heldag", "125 000")
	form.Set("basis_unit_price", "12 000")
	form.Set("basis_unit", "kr/dag")
	form.Set("basis_periods", "10")
	form.Set("basis_description", "12 000 kr/dag, 10 heldagar/år")
	if res = c.post(base+"/lines", form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
		t.Fatalf("create: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	l := budLine(t, a, ag.ID, "Busshyra heldag")
	if l.Amount != money.Kronor(125000) || l.Basis == nil || l.Basis.UnitPrice != money.Kronor(12000) || l.Basis.Periods != 10 ||
		l.Basis.ShareBP != partnership.FullShareBP || l.Kind != partnership.Cash || !l.Indexed || l.Section != "Kunskapsutflykter" {
		t.Fatalf("stored %+v %+v", l, l.Basis)
	}
	page := c.get(base)
	for _, want := range []string{"Budgetposten Busshyra heldag lades till.", kr("12 000 kr/dag") + " × 10 = " + kr("120 000 kr"),
		"Summa Kunskapsutflykter"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("budget page after create: no %q", want)
		}
	}
	if devs := budDeviations(page.Body); len(devs) != 3 || !strings.Contains(devs[0], "Busshyra heldag") || !strings.Contains(devs[0], ">"+kr("5 000 kr")+"<") {
		t.Errorf("deviations after create: %q", devs)
	}

	// Edit: the form shows the stored values; the amount is corrected.
	edit := base + "/lines/" + itoa(l.ID)
	res = c.get(edit)
	for _, want := range []string{`value="125 000"`, `value="12 000"`, `value="100"`, `value="kr/dag"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("edit form: no %q", want)
		}
	}
	form.Set("amount", "120 000")
	form.Del("indexed")
	if res = c.post(edit, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	if l = budLine(t, a, ag.ID, "Busshyra heldag"); l.Amount != money.Kronor(120000) || l.Indexed {
		t.Errorf("after update %+v", l)
	}
	// Sending the same again changes nothing and records nothing.
	if res = c.post(edit, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unchanged update: %d", res.StatusCode)
	}

	// Delete asks first.
	if res = c.get(edit + "/delete"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Vill du ta bort budgetposten Busshyra heldag") {
		t.Fatalf("delete confirmation: %d", res.StatusCode)
	}
	if res = c.post(edit+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res = c.get(edit); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted line: %d", res.StatusCode)
	}
	got := agActions(t, a, ag.ID)
	if want := []string{"budget.line_create", "budget.line_update", "budget.line_delete"}; !slices.Equal(got[len(got)-3:], want) {
		t.Errorf("audit %v", got)
	}

	// A line of another agreement is not found through this one.
	hopp := budLines(t, a, other.ID)[0]
	if res = c.get(base + "/lines/" + itoa(hopp.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another agreement's line: %d", res.StatusCode)
	}
}

func TestBudgetLineInALockedYearStays(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ctx := context.Background()
	ag := budAgreement(t, a, budIKF)
	l := budLine(t, a, ag.ID, "Lokalkostnader")
	lockYear(t, a, ag.ID, 2023, map[int64]money.Amount{l.ID: money.Kronor(75000)})

	path := agPath(ag.ID) + "/budget/lines/" + itoa(l.ID)
	res := c.get(path)
	if !strings.Contains(res.Body, `data-testid="locked-years"`) || !strings.Contains(res.Body, "Beloppen för 2023 är låsta") {
		t.Error("edit form does not say the year is locked")
	}
	if res = c.get(path + "/delete"); !strings.Contains(res.Body, "kan därför inte tas bort") || strings.Contains(res.Body, "Ta bort budgetpost</button>") {
		t.Error("delete confirmation offers to delete a line with a locked year")
	}
	res = c.post(path+"/delete", nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "kan därför inte tas bort") {
		t.Errorf("delete of a locked line: %d", res.StatusCode)
	}
	if _, err := postgres.NewBudgets(a.db.Pool).Line(ctx, ag.ID, l.ID); err != nil {
		t.Errorf("the line is gone: %v", err)
	}
}

// lockYear materialises the amounts of a year of an agreement and locks it.
func lockYear(t *testing.T, a *app, agreementID int64, year int, amounts map[int64]money.Amount) {
	t.Helper()
	ctx := context.Background()
	store := postgres.NewYearAmounts(a.db.Pool)
	var list []partnership.YearAmount
	for id, am := range amounts {
		list = append(list, partnership.YearAmount{LineID: id, Amount: am})
	}
	if _, err := store.Upsert(ctx, agreementID, year, list); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LockYear(ctx, agreementID, year, "Faktura godkänd"); err != nil {
		t.Fatal(err)
	}
}

func TestBudgetTotalCreateEditDelete(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	ag := budAgreement(t, a, budHopp)
	base := agPath(ag.ID) + "/budget"
	if res := c.get(base + "/totals/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Hela överenskommelsen") {
		t.Fatalf("new total form: %d", res.StatusCode)
	}
	// A section total needs a party; the amount must be an amount.
	res := c.post(base+"/totals", url.Values{"party_id": {"0"}, "section": {"Lön"}, "label": {"Totalt"}, "amount": {"två miljoner"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "En delsumma för ett avsnitt gäller en part") ||
		!strings.Contains(res.Body, `value="två miljoner"`) {
		t.Fatalf("invalid total: %d", res.StatusCode)
	}
	form := url.Values{"party_id": {"0"}, "label": {"Totalt per år"}, "amount": {"2 080 500 kr"}}
	if res = c.post(base+"/totals", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	// The same place twice is refused on the field.
	if res = c.post(base+"/totals", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Det finns redan en summa") {
		t.Errorf("second total for the same place: %d", res.StatusCode)
	}
	total := budTotal(t, a, ag.ID, 2080500)
	page := c.get(base)
	if !strings.Contains(budRow(t, page.Body, "stated-total", "Totalt per år"), kr("2 080 500 kr")) || len(budDeviations(page.Body)) != 1 {
		t.Errorf("budget page with the agreement's total: %d deviations", len(budDeviations(page.Body)))
	}
	path := base + "/totals/" + itoa(total.ID)
	form.Set("amount", "2 100 000")
	if res = c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	page = c.get(base)
	devs := budDeviations(page.Body)
	if len(devs) != 2 || !strings.Contains(strings.Join(devs, ""), kr("19 500 kr")) {
		t.Errorf("after update: %q", devs)
	}
	if res = c.get(path + "/delete"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Vill du ta bort summan Totalt per år") {
		t.Fatalf("delete confirmation: %d", res.StatusCode)
	}
	if res = c.post(path+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	got := agActions(t, a, ag.ID)
	if want := []string{"budget.total_create", "budget.total_update", "budget.total_delete"}; !slices.Equal(got[len(got)-3:], want) {
		t.Errorf("audit %v", got)
	}
}

func TestBudgetWritesAreForEditorsOnly(t *testing.T) {
	a := newApp(t)
	ag := budAgreement(t, a, budIKF)
	l := budLine(t, a, ag.ID, "Lokalkostnader")
	base := agPath(ag.ID) + "/budget"
	form := budLineForm(budParty(t, ag, ikfName), "Smygpost", "1 000")
	for _, email := range []string{viewerEmail, coordinatorEmail, ikfEmail} {
		c := loggedIn(a, email)
		for _, res := range []response{
			c.get(base + "/lines/new"), c.post(base+"/lines", form), c.post(base+"/lines/"+itoa(l.ID), form),
			c.post(base+"/lines/"+itoa(l.ID)+"/delete", nil), c.get(base + "/totals/new"),
		} {
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s %d, want 403", email, res.Request.URL.Path, res.StatusCode)
			}
		}
		if res := c.get(base); res.StatusCode != http.StatusOK {
			t.Errorf("%s reads the budget: %d", email, res.StatusCode)
		}
	}
	if got := len(budLines(t, a, ag.ID)); got != 5 {
		t.Errorf("IKF's budget has %d lines", got)
	}
}
