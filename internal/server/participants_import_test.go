package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const importPnr = "19880314-9825"

// participantImportFile is a file of three participants referred twenty days
// ago, the second with an identity; bad puts an unknown gender in the third.
func participantImportFile(a *app, bad bool) string {
	d := a.clock.Now().UTC().AddDate(0, 0, -20).Format(time.DateOnly)
	gender := "Man"
	if bad {
		gender = "Okänt kön"
	}
	return "Kön;Födelseår;Födelseregion;År i Sverige;Utbildningsnivå;Sysselsättning vid inskrivning;Försörjning vid inskrivning;" +
		"Bostadsområde;Arbetsförmåga (tim/vecka);Grupp;Anvisad datum;Anvisad av;Inskriven datum;Namn;Personnummer;Telefon;E-post;Samtycke datum\r\n" +
		"Kvinna;1988;Afrika;6;Förgymnasial (ISCED 0-2);Arbetssökande, inskriven på Arbetsförmedlingen;Försörjningsstöd;Skäggetorp;20;Importgruppen;" + d + ";Arbetsförmedlingen;" + d + ";;;;;\r\n" +
		"kvinna;1988;Asien;;Okänd;Okänd;Okänd;;;Importgruppen;" + d + ";Socialtjänsten;;Importa Persson;" + importPnr + ";;;" + d + "\r\n" +
		gender + ";1975;Sverige;;Okänd;Okänd;Lön;;;Importgruppen;" + d + ";Egen anmälan;;;;;;\r\n"
}

func importedCount(t *testing.T, a *app) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM participants WHERE cohort = 'Importgruppen'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParticipantImport(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	path := f.list + "/import"

	if res := c.get(f.list); !strings.Contains(res.Body, `href="`+path+`"`) {
		t.Error("the list does not link to the import")
	}
	if res := c.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="`+path+`/template.csv"`) {
		t.Fatalf("import page: %d", res.StatusCode)
	}
	if tmpl := c.get(path + "/template.csv"); tmpl.StatusCode != http.StatusOK || !strings.HasPrefix(tmpl.Body, "\uFEFFKön;Födelseår;") {
		t.Errorf("template: %d %q", tmpl.StatusCode, tmpl.Body)
	}

	// One bad row: nothing is registered, the row and column are named.
	res := c.postImport(path, "deltagare.csv", []byte(participantImportFile(a, true)))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d", res.StatusCode)
	}
	if got := importErrors(res.Body); len(got) != 1 || !strings.HasPrefix(got[0], "4|Kön|Okänt värde") {
		t.Errorf("errors %q", got)
	}
	if strings.Contains(res.Body, importPnr) {
		t.Error("the error page shows the personnummer")
	}
	if n := importedCount(t, a); n != 0 {
		t.Fatalf("%d participants registered from a bad file", n)
	}

	// The fixed file registers every row.
	res = c.postImport(path, "deltagare.csv", []byte(participantImportFile(a, false)))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.list {
		t.Fatalf("good file: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if page := c.followFlash(res); !strings.Contains(page.Body, "3 deltagare importerade.") {
		t.Error("no flash with the count")
	}
	if n := importedCount(t, a); n != 3 {
		t.Fatalf("%d participants registered", n)
	}
	var leaks int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE details::text ~ '(Importa|Persson|880314|9825)'`).Scan(&leaks); err != nil || leaks != 0 {
		t.Errorf("%d audit events hold the identity (%v)", leaks, err)
	}
	if !slices.Contains(agActions(t, a, budAgreement(t, a, budIKF).ID), "participant.import") {
		t.Error("import not audited")
	}
}

func TestParticipantImportEncodings(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	text := participantImportFile(a, false)
	cp1252, err := charmap.Windows1252.NewEncoder().String(strings.ReplaceAll(text, "Förgymnasial (ISCED 0-2)", "Okänd"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for name, file := range map[string]string{"windows-1252": cp1252, "utf-16": utf16} {
		res := c.postImport(f.list+"/import", name+".csv", []byte(file))
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d %q", name, res.StatusCode, importErrors(res.Body))
			continue
		}
		want += 3
	}
	if n := importedCount(t, a); n != want || want != 6 {
		t.Errorf("%d participants registered, want 6", n)
	}
}

func TestParticipantImportAccess(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	file := []byte(participantImportFile(a, false))
	for _, email := range []string{officerEmail, viewerEmail, coordinatorEmail, adminEmail} {
		c := loggedIn(a, email)
		if res := c.get(f.list + "/import"); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET as %s: %d", email, res.StatusCode)
		}
		if res := c.postImport(f.list+"/import", "d.csv", file); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST as %s: %d", email, res.StatusCode)
		}
	}
	other := loggedIn(a, stadsmissionenEmail)
	for _, p := range []string{"/import", "/import/template.csv"} {
		if res := other.get(f.list + p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as another association: %d", p, res.StatusCode)
		}
	}
	if res := other.postImport(f.list+"/import", "d.csv", file); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST as another association: %d", res.StatusCode)
	}
	if n := importedCount(t, a); n != 0 {
		t.Errorf("%d participants registered", n)
	}
}
