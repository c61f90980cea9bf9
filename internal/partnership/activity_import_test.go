package partnership

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

var importTypes = []ActivityType{
	{ID: 11, AgreementID: 5, Name: "Skapandeträff", Unit: UnitOccasions, Position: 1, Active: true},
	{ID: 12, AgreementID: 5, Name: "Må bra-grupp", Unit: UnitOccasions, Position: 2, Active: true},
	{ID: 13, AgreementID: 5, Name: "Motiverande samtal", Unit: UnitHours, Position: 3, Active: true},
	{ID: 14, AgreementID: 5, Name: "Gammal typ", Unit: UnitOccasions, Position: 4},
}

var importToday = actDay("2026-11-22")

const importHeaderLine = "Typ;Datum;Timmar;Kvinnor;Män;Icke-binära/ej angivet;Barn;Ideella timmar;Personal;Plats;Anteckningar"

func importErrors(t *testing.T, err error) ActivityImportErrors {
	t.Helper()
	var errs ActivityImportErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ActivityImportErrors, got %v", err)
	}
	return errs
}

func TestParseActivityImportExcelVariants(t *testing.T) {
	t.Parallel()
	want := []Activity{
		{AgreementID: 5, TypeID: 11, TypeName: "Skapandeträff", TypeUnit: UnitOccasions, Date: actDay("2024-03-05"),
			DurationMinutes: 150, Women: 12, NonBinary: 1, Children: 8, VolunteerMinutes: 90, StaffPresent: 2,
			Place: "Skäggetorps centrum", Notes: "Tema: hälsa; kost"},
		{AgreementID: 5, TypeID: 13, TypeName: "Motiverande samtal", TypeUnit: UnitHours, Date: actDay("2024-03-06"),
			DurationMinutes: 75, Women: 1},
	}
	semicolon := importHeaderLine + "\r\n" +
		"Skapandeträff;2024-03-05;2,5;12;0;1;8;1,5;2;Skäggetorps centrum;\"Tema: hälsa; kost\"\r\n" +
		"motiverande SAMTAL;2024-03-06;1,25;1;;;;;;;\r\n"
	comma := "Typ,Datum,Timmar,Kvinnor,Män,Icke-binära/ej angivet,Barn,Ideella timmar,Personal,Plats,Anteckningar\n" +
		"Skapandeträff,2024-03-05,\"2,5\",12,0,1,8,\"1,5\",2,Skäggetorps centrum,Tema: hälsa; kost\n" +
		"Motiverande samtal,2024-03-06,1.25,1,,,,,,,\n"
	latin1, err := charmap.Windows1252.NewEncoder().String(semicolon)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]string{
		"semicolon with BOM":        "\xef\xbb\xbf" + semicolon,
		"semicolon without BOM":     semicolon,
		"comma with BOM":            "\xef\xbb\xbf" + comma,
		"comma, LF, decimal point":  comma,
		"Windows-1252":              latin1,
		"headers in other case":     strings.Replace(semicolon, "Typ;Datum;Timmar", " TYP ; datum;timmar", 1),
		"blank rows and trailing":   strings.Replace(semicolon, "\r\nmotiverande", "\r\n;;;;;;;;;;\r\n\r\nmotiverande", 1) + ";;;\r\n",
		"optional columns left out": "Typ;Datum;Timmar;Kvinnor;Plats;Anteckningar;Ideella timmar;Barn;Icke-binära / ej angivet;Personal\n" + "Skapandeträff;2024-03-05;2,5;12;Skäggetorps centrum;\"Tema: hälsa; kost\";1,5;8;1;2\nMotiverande samtal;2024-03-06;1,25;1\n",
	}
	for name, data := range variants {
		t.Run(name, func(t *testing.T) {
			got, err := ParseActivityImport([]byte(data), importTypes, importToday)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestParseActivityImportReportsEveryProblem(t *testing.T) {
	t.Parallel()
	data := importHeaderLine + "\n" +
		"Skapandeträff;2024-03-05;2;3;;;;;;;\n" + // row 2: fine
		"Yoga;05/03/2024;x;-1;;;;;;;\n" + // row 3: four problems
		"Skapandeträff;2024-03-07;2;3;;;;;;;\"två\nrader\"\n" + // row 4: fine, spans two lines
		"Gammal typ;2027-01-01;25;;;;;1,234;;;\n" + // row 5
		";;;;;;;;;;\n" + // row 6: blank, skipped
		"Må bra-grupp;2024-3-5;;;;;;;;;;extra\n" // row 7
	_, err := ParseActivityImport([]byte(data), importTypes, importToday)
	errs := importErrors(t, err)
	type key struct {
		row    int
		column string
	}
	var got []key
	for _, e := range errs {
		if e.Message == "" {
			t.Errorf("no message: %+v", e)
		}
		got = append(got, key{e.Row, e.Column})
	}
	want := []key{
		{3, "Typ"}, {3, "Datum"}, {3, "Timmar"}, {3, "Kvinnor"},
		{5, "Typ"}, {5, "Datum"}, {5, "Timmar"}, {5, "Ideella timmar"},
		{7, ""}, {7, "Datum"}, {7, "Timmar"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors at\n%v\nwant\n%v\n%v", got, want, errs)
	}
	if !strings.Contains(errs[0].Message, "Skapandeträff") || !strings.Contains(errs[4].Message, "används inte längre") {
		t.Errorf("messages: %q / %q", errs[0].Message, errs[4].Message)
	}
	if !strings.Contains(errs[5].Message, "2026-11-22") {
		t.Errorf("future date message: %q", errs[5].Message)
	}
}

func TestParseActivityImportFileProblems(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		data string
		want ActivityImportError
	}{
		"empty":             {"", ActivityImportError{Row: 1, Message: "Filen är tom."}},
		"only BOM":          {"\xef\xbb\xbf", ActivityImportError{Row: 1, Message: "Filen är tom."}},
		"no rows":           {importHeaderLine + "\n;;;\n", ActivityImportError{Row: 2, Message: "Filen innehåller inga aktiviteter under rubrikraden."}},
		"missing column":    {"Typ;Datum\nSkapandeträff;2024-03-05\n", ActivityImportError{Row: 1, Column: "Timmar", Message: "Kolumnen saknas. Ladda ner mallen för att se hur filen ska se ut."}},
		"unknown column":    {"Typ;Datum;Timmar;Deltagare\n", ActivityImportError{Row: 1, Column: "Deltagare"}},
		"duplicate column":  {"Typ;Datum;Timmar;typ\n", ActivityImportError{Row: 1, Column: "Typ", Message: "Kolumnen finns två gånger."}},
		"broken quote":      {importHeaderLine + "\nSkapandeträff;2024-03-05;2;3;;;;;;;\nSkapandeträff;2024-03-05;2;3;;;;;;\"a\"b;\n", ActivityImportError{Row: 3}},
		"broken quote late": {importHeaderLine + "\nSkapandeträff;2024-03-05;2;3;;;;;;;\"a\nb\"\nSkapandeträff;2024-03-05;2;\"3;\n", ActivityImportError{Row: 3}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseActivityImport([]byte(tt.data), importTypes, importToday)
			errs := importErrors(t, err)
			e := errs[0]
			if e.Row != tt.want.Row || e.Column != tt.want.Column || tt.want.Message != "" && e.Message != tt.want.Message || e.Message == "" {
				t.Errorf("got %+v, want %+v", errs, tt.want)
			}
		})
	}
}

func TestParseActivityImportRowLimit(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(importHeaderLine + "\n")
	for i := 0; i <= MaxActivityImportRows; i++ {
		b.WriteString("Skapandeträff;2024-03-05;2;3;;;;;;;\n")
	}
	errs := importErrors(t, func() error {
		_, err := ParseActivityImport([]byte(b.String()), importTypes, importToday)
		return err
	}())
	if len(errs) != 1 || errs[0].Row != MaxActivityImportRows+2 {
		t.Errorf("got %+v", errs)
	}
}

func TestActivityImportTemplateImports(t *testing.T) {
	t.Parallel()
	tmpl := ActivityImportTemplate(importTypes, actDay("2026-03-05"))
	if !bytes.HasPrefix(tmpl, []byte("\xef\xbb\xbf"+importHeaderLine+"\r\n")) {
		t.Errorf("template starts %q", tmpl[:min(len(tmpl), 120)])
	}
	got, err := ParseActivityImport(tmpl, importTypes, importToday)
	if err != nil || len(got) != 1 || got[0].TypeID != 11 || got[0].DurationMinutes != 150 || got[0].VolunteerMinutes != 180 {
		t.Errorf("template imports as %+v, %v", got, err)
	}
}

// randomActivity draws a valid activity of one of the active import types.
func randomActivity(r *rand.Rand) Activity {
	typ := importTypes[r.IntN(3)]
	texts := []string{"", "Skäggetorp", "Lokal; övre plan", "\"Citat\", sa hon", "rad ett\nrad två", " mellanslag "}
	return Activity{
		AgreementID: typ.AgreementID, TypeID: typ.ID, TypeName: typ.Name, TypeUnit: typ.Unit,
		Date:            actDay("2000-01-01").AddDate(0, 0, r.IntN(9000)),
		DurationMinutes: 1 + r.IntN(MaxActivityMinutes), Women: r.IntN(50), Men: r.IntN(10), NonBinary: r.IntN(3),
		Children: r.IntN(30), VolunteerMinutes: r.IntN(MaxVolunteerMinutes + 1), StaffPresent: r.IntN(5),
		Place: texts[r.IntN(len(texts))], Notes: texts[r.IntN(len(texts))],
	}.Normalize()
}

func TestActivityImportRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 2026))
	records := [][]string{ActivityImportColumns}
	var want []Activity
	for range 500 {
		a := randomActivity(r)
		want = append(want, a)
		records = append(records, FormatActivityImportRow(a))
	}
	got, err := ParseActivityImport(WriteActivityCSV(records), importTypes, importToday)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("row %d: got %+v, want %+v", i+2, got[i], want[i])
			}
		}
	}
}

// FuzzParseActivityRow feeds arbitrary rows after a valid header: the
// parser must never panic, must either return activities or errors with a
// row and a message, and what it accepts must pass validation and
// survive being written and read again unchanged.
func FuzzParseActivityRow(f *testing.F) {
	f.Add("Skapandeträff;2024-03-05;2,5;12;0;1;8;1,5;2;Skäggetorps centrum;Tema")
	f.Add("må bra-grupp;2024-02-29;,5;;;;;;;;\"a\nb\"")
	f.Add("Motiverande samtal;2024-03-06;24;10000;0;0;0;1000;1000;;")
	f.Add("Yoga;05/03/2024;x;-1;;;;;;;")
	f.Add("\"Skapandeträff\";2024-03-05;1 200;1 2;;;;;;;\"\"\"\"")
	f.Add(";;;;;;;;;;")
	f.Fuzz(func(t *testing.T, row string) {
		got, err := ParseActivityImport([]byte(importHeaderLine+"\n"+row), importTypes, importToday)
		if err != nil {
			errs := importErrors(t, err)
			for _, e := range errs {
				if e.Message == "" || e.Row < 0 {
					t.Fatalf("bad error %+v", e)
				}
			}
			return
		}
		records := [][]string{ActivityImportColumns}
		for _, a := range got {
			if err := a.Validate(importToday); err != nil {
				t.Fatalf("accepted an invalid activity %+v: %v", a, err)
			}
			records = append(records, FormatActivityImportRow(a))
		}
		again, err := ParseActivityImport(WriteActivityCSV(records), importTypes, importToday)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", row, again, err, got)
		}
	})
}
