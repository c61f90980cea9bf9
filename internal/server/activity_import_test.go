package server_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/encoding/unicode"

	"iop/internal/postgres"
)

// postImport sends the import form as a browser does: multipart, with the
// file under "file".
func (c *client) postImport(path, fileName string, content []byte) response {
	c.app.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			c.app.t.Fatal(err)
		}
		fw.Write(content) //nolint:errcheck // a bytes.Buffer
	}
	mw.Close() //nolint:errcheck // a bytes.Buffer
	req, _ := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var importErrorRE = regexp.MustCompile(`(?s)<tr data-testid="import-error"><td class="num">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>`)

// importErrors are the rows of the error table: "row|column|message".
func importErrors(body string) []string {
	var out []string
	for _, m := range importErrorRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+"|"+html.UnescapeString(m[2])+"|"+html.UnescapeString(m[3]))
	}
	return out
}

// logImportFile is a file of three activities; bad puts a problem in the
// second one's hours.
func logImportFile(sep string, bad bool) string {
	hours := "2,5"
	if bad {
		hours = "två"
	}
	rows := [][]string{
		{"Typ", "Datum", "Timmar", "Kvinnor", "Män", "Icke-binära/ej angivet", "Barn", "Ideella timmar", "Personal", "Plats", "Anteckningar"},
		{"Må bra-grupp", "2026-05-05", "1,5", "12", "0", "1", "3", "2", "2", "IKF:s lokal", "Tema: sömn"},
		{"samtal", "2026-05-06", hours, "1", "0", "0", "0", "0", "1", "", ""},
		{"Må bra-grupp", "2026-05-12", "2", "9", "1", "0", "0", "0,75", "1", "Parken", `Promenad; "lätt"`},
	}
	var b strings.Builder
	for _, r := range rows {
		for i, f := range r {
			if strings.ContainsAny(f, `;,"`) {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(f)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func TestActivityImport(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, _ := logAgreement(t, a, "Import", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	path := logPath(ag.ID) + "/import"

	if res := c.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="`+path+`/template.csv"`) {
		t.Fatalf("import page: %d", res.StatusCode)
	}
	tmpl := c.get(path + "/template.csv")
	if tmpl.StatusCode != http.StatusOK || !strings.HasPrefix(tmpl.Body, "\uFEFFTyp;Datum;Timmar;") || !strings.Contains(tmpl.Body, "Må bra-grupp;2026-06-15;2,5;") {
		t.Errorf("template: %d %q", tmpl.StatusCode, tmpl.Body)
	}

	// One bad row: nothing is stored, the row and column are named.
	res := c.postImport(path, "aktiviteter.csv", []byte(logImportFile(";", true)))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d\n%s", res.StatusCode, res.Body)
	}
	if got := importErrors(res.Body); !slices.Equal(got, []string{"3|Timmar|Ange timmar som ett tal med högst två decimaler, till exempel 1,5."}) {
		t.Errorf("errors %q", got)
	}
	if !strings.Contains(res.Body, "Ingenting har sparats") {
		t.Error("the page does not say that nothing was stored")
	}
	if n := len(logActivities(t, a, ag.ID)); n != 0 {
		t.Fatalf("%d activities stored from a bad file", n)
	}

	// The same file fixed imports every row, in one audited transaction.
	res = c.postImport(path, "aktiviteter.csv", []byte(logImportFile(";", false)))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good file: %d\n%s", res.StatusCode, res.Body)
	}
	if loc := res.Header.Get("Location"); loc != logPath(ag.ID)+"?from=2026-05-05&to=2026-05-12" {
		t.Errorf("redirect to %q", loc)
	}
	if page := c.followFlash(res); !strings.Contains(page.Body, "3 aktiviteter importerades.") || len(logRowIDs(page.Body)) != 3 {
		t.Errorf("after import: flash or rows missing")
	}
	list := logActivities(t, a, ag.ID)
	if len(list) != 3 || list[0].Notes != `Promenad; "lätt"` || list[0].VolunteerMinutes != 45 || list[1].TypeName != "Samtal" ||
		list[1].DurationMinutes != 150 || list[2].OrganisationID == nil || list[2].CreatedByName != "Amina Hassan" {
		t.Errorf("imported %+v", list)
	}
	if !slices.Contains(agActions(t, a, ag.ID), "activity.import") {
		t.Error("import not audited")
	}

	// Excel's variants: comma-separated, with or without a byte order
	// mark, Windows-1252.
	for name, file := range map[string][]byte{
		"comma":            []byte(logImportFile(",", false)),
		"bom":              append([]byte("\xef\xbb\xbf"), logImportFile(";", false)...),
		"comma with bom":   append([]byte("\xef\xbb\xbf"), logImportFile(",", false)...),
		"windows-1252":     []byte(strings.NewReplacer("å", "\xe5", "ä", "\xe4", "ö", "\xf6").Replace(logImportFile(";", false))),
		"decimal point":    []byte(strings.ReplaceAll(logImportFile(";", false), "1,5", "1.5")),
		"lf line endings":  []byte(strings.ReplaceAll(logImportFile(";", false), "\r\n", "\n")),
		"columns reversed": []byte("Anteckningar;Timmar;Datum;Typ\r\nUte;1,25;2026-05-20;Må bra-grupp\r\nInne;0,5;2026-05-21;Samtal\r\nLång;3;2026-05-22;Samtal\r\n"),
	} {
		before := len(logActivities(t, a, ag.ID))
		if res := c.postImport(path, name+".csv", file); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d\n%q", name, res.StatusCode, importErrors(res.Body))
			continue
		}
		if n := len(logActivities(t, a, ag.ID)) - before; n != 3 {
			t.Errorf("%s: %d rows imported, want 3", name, n)
		}
	}

	// Every problem of a file is listed, by row and column.
	res = c.postImport(path, "fel.csv", []byte("Typ;Datum;Timmar;Barn\r\nOkänd;2026-13-01;1;\r\nMå bra-grupp;2026-05-01;0;-1\r\nMå bra-grupp;2030-01-01;1;2\r\n"))
	got := importErrors(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || len(got) != 5 || !strings.HasPrefix(got[0], "2|Typ|Okänd aktivitetstyp") ||
		!strings.HasPrefix(got[1], "2|Datum|") || !strings.HasPrefix(got[2], "3|Timmar|") || !strings.HasPrefix(got[3], "3|Barn|") ||
		!strings.HasPrefix(got[4], "4|Datum|Datumet får inte vara senare än i dag") {
		t.Errorf("problems: %d %q", res.StatusCode, got)
	}

	// No file, and a file over 5 MB.
	if res := c.postImport(path, "", nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Välj en CSV-fil att importera.") {
		t.Errorf("no file: %d", res.StatusCode)
	}
	big := bytes.Repeat([]byte("Må bra-grupp;2026-05-05;1\r\n"), 5<<20/25)
	if res := c.postImport(path, "stor.csv", append([]byte("Typ;Datum;Timmar\r\n"), big...)); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Filen är större än 5 MB.") {
		t.Errorf("large file: %d", res.StatusCode)
	}

	// A locked year takes no imported rows.
	ctx := context.Background()
	if err := a.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, ag.ID, 2025, "Faktura godkänd")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := len(logActivities(t, a, ag.ID))
	res = c.postImport(path, "last.csv", []byte("Typ;Datum;Timmar\r\nMå bra-grupp;2025-12-01;1\r\nMå bra-grupp;2026-01-01;1\r\n"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "År 2025 är låst") || len(logActivities(t, a, ag.ID)) != before {
		t.Errorf("locked year import: %d", res.StatusCode)
	}
}

// utf16LE encodes s as Excel's "Unicode-text" does: UTF-16LE, with a byte
// order mark when bom is set.
func utf16LE(t *testing.T, s string, bom bool) []byte {
	t.Helper()
	policy := unicode.IgnoreBOM
	if bom {
		policy = unicode.UseBOM
	}
	out, err := unicode.UTF16(unicode.LittleEndian, policy).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pageText reports what in body cannot be shown as text: invalid UTF-8 or
// a control character other than tab and line breaks.
func pageText(body string) string {
	if !utf8.ValidString(body) {
		return "invalid UTF-8"
	}
	for _, c := range body {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return fmt.Sprintf("control character %U", c)
		}
	}
	return ""
}

func TestActivityImportEncodings(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, _ := logAgreement(t, a, "Import UTF-16", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	path := logPath(ag.ID) + "/import"

	// Excel's "Unicode-text" (UTF-16LE with a byte order mark, tabs) and
	// a UTF-16 CSV with semicolons and CR-only line ends both import.
	for name, file := range map[string][]byte{
		"unicode text":   utf16LE(t, logImportFile("\t", false), true),
		"utf-16 cr-only": utf16LE(t, strings.ReplaceAll(logImportFile(";", false), "\r\n", "\r"), true),
	} {
		before := len(logActivities(t, a, ag.ID))
		res := c.postImport(path, name+".csv", file)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d\n%q", name, res.StatusCode, importErrors(res.Body))
			continue
		}
		list := logActivities(t, a, ag.ID)
		if len(list)-before != 3 || list[0].Notes != `Promenad; "lätt"` || list[0].Place != "Parken" {
			t.Errorf("%s: %d rows imported, newest %+v", name, len(list)-before, list[0])
		}
	}

	// Without a byte order mark UTF-16 is refused, naming the problem; so
	// is a file with NUL bytes, and text from the file is never echoed raw.
	before := len(logActivities(t, a, ag.ID))
	for name, tc := range map[string]struct {
		file []byte
		want string
	}{
		"utf-16 without bom": {utf16LE(t, logImportFile(";", false), false), "UTF-16 (Unicode-text) utan byteordningsmärke"},
		"nul bytes":          {[]byte("Typ;Datum;Timmar\r\nMå bra-grupp;2026-05-05;1;\x00\xff\xfe\x01\r\n"), "nolltecken (NUL)"},
		"raw bytes":          {[]byte("Typ;Datum;Timmar;Del\x01\x02\xfftagare\x1b[2J\r\nMå bra-grupp;2026-05-05;1;x\r\n"), "Okänd kolumn"},
	} {
		res := c.postImport(path, name+".csv", tc.file)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, res.StatusCode)
			continue
		}
		if got := importErrors(res.Body); len(got) != 1 || !strings.Contains(got[0], tc.want) {
			t.Errorf("%s: problems %q, want one naming %q", name, got, tc.want)
		}
		if bad := pageText(res.Body); bad != "" {
			t.Errorf("%s: the page holds %s", name, bad)
		}
	}
	if got := importErrors(c.postImport(path, "raw.csv", []byte("Typ;Datum;Timmar;Del\x01tagare\r\n")).Body); len(got) != 1 ||
		got[0] != "1|Del\uFFFDtagare|Okänd kolumn. Kolumnerna heter: Typ, Datum, Timmar, Kvinnor, Män, Icke-binära/ej angivet, Barn, Ideella timmar, Personal, Plats, Anteckningar." {
		t.Errorf("unknown column shown as %q", got)
	}
	if n := len(logActivities(t, a, ag.ID)); n != before {
		t.Errorf("refused files stored %d activities", n-before)
	}
}
