package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Who gets what on the organisation routes: every municipal role reads,
// admins and officers change, association staff get 403.
var (
	orgReaders        = want{login, 200, 200, 200, 403, 200}
	orgEditors        = want{login, 200, 200, 403, 403, 403}
	orgEditorsInvalid = want{login, 422, 422, 403, 403, 403}
	orgEditorsPRGOnce = want{login, 303, 404, 403, 403, 403}
)

const ikfOrganisation = "Internationella Kvinnoföreningen Linköping (IKF)"

// ikfContact adds a contact person to IKF for the matrix's paths.
func ikfContact(t *testing.T, a *app, name string) int64 {
	t.Helper()
	c, err := postgres.NewOrganisationContacts(a.db.Pool).Create(context.Background(),
		partnership.Contact{OrganisationID: orgID(t, a, ikfOrganisation), Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// auditActions lists the actions recorded for an organisation, oldest first.
func auditActions(t *testing.T, a *app, orgID int64) []string {
	t.Helper()
	events, err := postgres.NewAudit(a.db.Pool).ForEntity(context.Background(), "organisation", itoa(orgID), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].ActorID == nil || events[i].ClientIP == "" {
			t.Errorf("audit event %s without actor or client address", events[i].Action)
		}
		out = append(out, events[i].Action)
	}
	return out
}

func countOrganisations(t *testing.T, a *app) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM organisations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOrganisationInvalidOrgNumberNamesTheRule(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	before := countOrganisations(t, a)
	tests := []struct {
		number string
		want   string
	}{
		{"212000-0448", "Fel kontrollsiffra: den sista siffran stämmer inte med de nio första."},
		{"212000-044", "Fel längd: organisationsnumret ska ha 10 siffror, men du angav 9."},
		{"21200-004499", "Fel längd: organisationsnumret ska ha 10 siffror, men du angav 11."},
		{"2120OO-0449", "Otillåtna tecken"},
		{"822001-3331", "Det finns redan en organisation med det organisationsnumret."}, // IKF's
	}
	for _, tt := range tests {
		res := c.post("/organisations", url.Values{
			"name": {"Föreningen Gemenskap"}, "org_number": {tt.number}, "kind": {"association"},
			"postal_address": {"Storgatan 1\n582 22 Linköping"},
		})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tt.number, res.StatusCode)
			continue
		}
		body := html.UnescapeString(res.Body)
		if !strings.Contains(body, tt.want) {
			t.Errorf("%s: no message %q", tt.number, tt.want)
		}
		for _, kept := range []string{`value="Föreningen Gemenskap"`, `value="` + tt.number + `"`, "Storgatan 1\n582 22 Linköping</textarea>", `<option value="association" selected>`} {
			if !strings.Contains(body, kept) {
				t.Errorf("%s: entered value %q not kept", tt.number, kept)
			}
		}
		if !strings.Contains(body, `data-testid="error-summary"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: no error summary or marked field", tt.number)
		}
	}
	if after := countOrganisations(t, a); after != before {
		t.Errorf("%d organisations stored by invalid posts", after-before)
	}
}

var locationID = regexp.MustCompile(`^/organisations/(\d+)$`)

func TestOrganisationCreateEditAndConcurrentEdit(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	res := c.post("/organisations", url.Values{
		"name": {"  Föreningen Gemenskap "}, "org_number": {"8020001288"}, "kind": {"association"},
		"postal_address": {"Storgatan 1\r\n582 22 Linköping"},
	})
	m := locationID.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	path := m[0]
	page := html.UnescapeString(c.get(path).Body)
	for _, s := range []string{"Organisationen Föreningen Gemenskap skapades.", "802000-1288", "Förening", "Samma som postadressen", "Inga kontaktpersoner"} {
		if !strings.Contains(page, s) {
			t.Errorf("organisation page lacks %q", s)
		}
	}
	if !regexp.MustCompile(`Storgatan 1<br>\s*582 22 Linköping`).MatchString(page) {
		t.Errorf("postal address not shown line by line:\n%s", page)
	}

	edit := html.UnescapeString(c.get(path + "/edit").Body)
	if !strings.Contains(edit, `name="version" value="1"`) || !strings.Contains(edit, `value="802000-1288"`) {
		t.Fatalf("edit form:\n%s", edit)
	}
	form := url.Values{
		"name": {"Föreningen Gemenskap"}, "org_number": {"802000-1288"}, "kind": {"association"},
		"postal_address": {"Storgatan 1\n582 22 Linköping"}, "invoice_address": {"Box 7\n581 01 Linköping"}, "version": {"1"},
	}
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	if page := c.get(path).Body; !regexp.MustCompile(`Box 7<br>\s*581 01 Linköping`).MatchString(page) {
		t.Errorf("invoice address not shown:\n%s", page)
	}

	// A second editor still holding version 1 is refused, and keeps the input.
	form.Set("name", "Gemenskapsföreningen")
	res = loggedIn(a, adminEmail).post(path, form)
	body := html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, `data-testid="conflict"`) ||
		!strings.Contains(body, `value="Gemenskapsföreningen"`) || !strings.Contains(body, `name="version" value="2"`) {
		t.Fatalf("stale edit: %d\n%s", res.StatusCode, body)
	}
	o, err := postgres.NewOrganisations(a.db.Pool).ByName(context.Background(), "Föreningen Gemenskap")
	if err != nil || o.Version != 2 {
		t.Fatalf("stale edit changed the organisation: %+v %v", o, err)
	}
	// Saving again from the conflict page is a deliberate overwrite.
	form.Set("version", "2")
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save after conflict: %d", res.StatusCode)
	}

	// Renaming to a taken name is a field error.
	form.Set("name", "Linköpings kommun")
	form.Set("version", "3")
	if res := c.post(path, form); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(html.UnescapeString(res.Body), "Det finns redan en organisation med det namnet.") {
		t.Errorf("taken name: %d", res.StatusCode)
	}
	if got, want := fmt.Sprint(auditActions(t, a, o.ID)), "[organisation.create organisation.update organisation.update]"; got != want {
		t.Errorf("audit %s, want %s", got, want)
	}
	if res := c.get("/organisations/999999/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("edit of a missing organisation: %d", res.StatusCode)
	}
}

// withCheckDigit completes nine digits to a valid org number.
func withCheckDigit(nine string) string {
	sum := 0
	for i, c := range nine {
		d := int(c - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return nine + fmt.Sprint((10-sum%10)%10)
}

func TestOrganisationListSearchSortAndPages(t *testing.T) {
	a := newApp(t)
	orgs := postgres.NewOrganisations(a.db.Pool)
	// 55 organisations of every kind; the first five have org numbers.
	for i := 1; i <= 55; i++ {
		o := partnership.Organisation{Name: fmt.Sprintf("Testförening %02d", i), Kind: partnership.OrgKinds[i%4]}
		if i <= 5 {
			o.OrgNumber = partnership.OrgNumber(withCheckDigit(fmt.Sprintf("80200000%d", i)))
		}
		if _, err := orgs.Create(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	all, err := orgs.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := loggedIn(a, viewerEmail)
	rows := regexp.MustCompile(`<tr><td><a href="/organisations/\d+">([^<]+)</a>`)
	names := func(path string) ([]string, string) {
		t.Helper()
		res := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		body := html.UnescapeString(res.Body)
		var out []string
		for _, m := range rows.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out, body
	}

	list, body := names("/organisations")
	if len(list) != 50 || list[0] != all[0].Name || list[49] != all[49].Name {
		t.Errorf("first page: %d rows, %q", len(list), list)
	}
	pages := (len(all) + 49) / 50
	for _, s := range []string{fmt.Sprintf("Visar 1–50 av %d organisationer", len(all)), fmt.Sprintf("Sida 1 av %d", pages),
		`href="/organisations?page=2"`, `aria-sort="ascending"`, "822001-3331"} {
		if !strings.Contains(body, s) {
			t.Errorf("first page lacks %q", s)
		}
	}
	if strings.Contains(body, "Ny organisation") {
		t.Error("a viewer is offered to create an organisation")
	}

	// Search, filter and pages combine.
	list, body = names("/organisations?q=testf%C3%B6rening&page=2")
	if len(list) != 5 || list[0] != "Testförening 51" || !strings.Contains(body, "Visar 51–55 av 55 organisationer") ||
		!strings.Contains(body, `href="/organisations?q=testf%C3%B6rening"`) {
		t.Errorf("second page of a search: %q", list)
	}
	if list, _ := names("/organisations?q=testf%C3%B6rening&page=9"); len(list) != 5 {
		t.Errorf("a page past the end shows %d rows, want the last page", len(list))
	}
	list, body = names("/organisations?q=STADSMISSION")
	if len(list) != 1 || list[0] != "Linköpings Stadsmission" || !strings.Contains(body, "1 organisation") {
		t.Errorf("search by name: %q", list)
	}
	if list, _ := names("/organisations?q=822001-3331"); len(list) != 1 || list[0] != "Internationella Kvinnoföreningen Linköping (IKF)" {
		t.Errorf("search by org number: %q", list)
	}
	if list, body := names("/organisations?q=Testf%C3%B6rening&kind=authority"); len(list) != 14 || list[0] != "Testförening 02" ||
		!strings.Contains(body, `<option value="authority" selected>`) {
		t.Errorf("filter by kind: %q", list)
	}
	if list, body := names("/organisations?q=finns+inte"); len(list) != 0 || !strings.Contains(body, "Inga organisationer matchar sökningen.") {
		t.Errorf("no match: %q", list)
	}

	// Sorting: organisations without a number come last either way.
	if list, _ := names("/organisations?q=Testf%C3%B6rening&sort=org_number"); list[0] != "Testförening 01" || list[4] != "Testförening 05" || list[5] != "Testförening 06" {
		t.Errorf("by org number: %q", list[:6])
	}
	list, body = names("/organisations?q=Testf%C3%B6rening&sort=org_number&dir=desc")
	if list[0] != "Testförening 05" || list[4] != "Testförening 01" || list[5] != "Testförening 55" {
		t.Errorf("by org number, descending: %q", list[:6])
	}
	if !strings.Contains(body, `aria-sort="descending"`) || !strings.Contains(body, `href="/organisations?q=Testf%C3%B6rening&sort=org_number"`) {
		t.Error("the sorted column does not offer the other direction")
	}
	// By kind is by the Swedish label: Förening, Kommun, Myndighet, Övrig.
	if list, _ := names("/organisations?q=Testf%C3%B6rening&sort=kind"); list[0] != "Testförening 01" || list[13] != "Testförening 53" || list[14] != "Testförening 04" {
		t.Errorf("by kind: %q", list[:15])
	}
	if list, _ := names("/organisations?q=Testf%C3%B6rening&sort=kind&dir=desc"); list[0] != "Testförening 03" {
		t.Errorf("by kind, descending: %q", list[:3])
	}
	// Unknown parameters fall back to the defaults.
	if list, _ := names("/organisations?sort=evil%3BDROP&dir=x&page=-3&kind=x"); len(list) != 50 || list[0] != all[0].Name {
		t.Errorf("garbled parameters: %d rows", len(list))
	}
	// A query that is not form encoding (a raw semicolon) is refused whole.
	if res := c.get("/organisations?sort=evil;DROP"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a raw semicolon in the query: %d, want 400", res.StatusCode)
	}
}

func TestOrganisationContacts(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	ikf := orgID(t, a, ikfOrganisation)
	path := "/organisations/" + itoa(ikf)

	res := c.post(path+"/contacts", url.Values{"name": {" "}, "email": {"amina"}, "phone": {"ring"}})
	body := html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Ange kontaktpersonens namn.") ||
		!strings.Contains(body, "Ange en giltig e-postadress") || !strings.Contains(body, `value="amina"`) {
		t.Fatalf("invalid contact: %d\n%s", res.StatusCode, body)
	}
	res = c.post(path+"/contacts", url.Values{"name": {"Amina Hassan"}, "title": {"Verksamhetsledare"}, "email": {"amina@ikf.example"}, "phone": {"013-12 34 56"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("add contact: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := html.UnescapeString(c.get(path).Body)
	for _, s := range []string{"Kontaktpersonen Amina Hassan lades till.", "Verksamhetsledare", `href="mailto:amina@ikf.example"`, "013-12 34 56"} {
		if !strings.Contains(page, s) {
			t.Errorf("organisation page lacks %q", s)
		}
	}
	contacts, err := postgres.NewOrganisationContacts(a.db.Pool).List(context.Background(), ikf)
	if err != nil || len(contacts) != 1 {
		t.Fatalf("contacts %+v %v", contacts, err)
	}
	cp := path + "/contacts/" + itoa(contacts[0].ID)

	if res := c.post(cp, url.Values{"name": {"Amina Hassan"}, "title": {"Ordförande"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit contact: %d", res.StatusCode)
	}
	if page := c.get(path).Body; !strings.Contains(page, "Ordförande") || strings.Contains(page, "amina@ikf.example") {
		t.Error("edit not shown")
	}

	// The confirmation page changes nothing; the POST removes.
	confirm := html.UnescapeString(c.get(cp + "/delete").Body)
	if !strings.Contains(confirm, "Vill du ta bort Amina Hassan som kontaktperson för Internationella Kvinnoföreningen") {
		t.Errorf("confirmation page:\n%s", confirm)
	}
	// A contact is reached only through its own organisation.
	other := "/organisations/" + itoa(orgID(t, a, "Linköpings Stadsmission")) + "/contacts/" + itoa(contacts[0].ID)
	for _, p := range []string{other, other + "/delete", path + "/contacts/x", "/organisations/999999/contacts/new"} {
		if res := c.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := c.post(other+"/delete", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete through another organisation: %d", res.StatusCode)
	}
	if res := c.post(cp+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if page := html.UnescapeString(c.get(path).Body); !strings.Contains(page, "Kontaktpersonen Amina Hassan togs bort.") || !strings.Contains(page, "Inga kontaktpersoner") {
		t.Error("contact still shown after removal")
	}
	if res := c.get(cp); res.StatusCode != http.StatusNotFound {
		t.Errorf("removed contact: %d", res.StatusCode)
	}
	want := "[organisation.contact.create organisation.contact.update organisation.contact.delete]"
	if got := fmt.Sprint(auditActions(t, a, ikf)); got != want {
		t.Errorf("audit %s, want %s", got, want)
	}

	// Coordinators read organisations with their contacts but are offered no changes.
	page = loggedIn(a, coordinatorEmail).get(path).Body
	if strings.Contains(page, "Lägg till kontaktperson") || strings.Contains(page, "Ändra uppgifter") {
		t.Error("a coordinator is offered changes")
	}
}
