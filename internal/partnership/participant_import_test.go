package partnership

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

var participantImportToday = time.Date(2024, time.June, 10, 0, 0, 0, 0, time.UTC)

const participantHeaderLine = "Kön;Födelseår;Födelseregion;År i Sverige;Utbildningsnivå;Sysselsättning vid inskrivning;" +
	"Försörjning vid inskrivning;Bostadsområde;Arbetsförmåga (tim/vecka);Grupp;Anvisad datum;Anvisad av;Inskriven datum;" +
	"Namn;Personnummer;Telefon;E-post;Samtycke datum"

const participantGoodRow = "Kvinna;1988;Afrika;6;Förgymnasial (ISCED 0-2);Arbetssökande, inskriven på Arbetsförmedlingen;" +
	"Försörjningsstöd;Centrum;20;Grupp 1;2024-03-01;Arbetsförmedlingen;2024-03-10;;;;;"

const participantIdentityRow = "man;1990;asien;;gymnasial (isced 3–4);Studerar;Lön;;;;2024-04-01;Socialtjänsten;;" +
	"Test Testsson;19880314-9825;070-123 45 67;test@exempel.se;2024-04-01"

func parseImportErrs(t *testing.T, data string) ImportErrors {
	t.Helper()
	_, err := ParseParticipantImport([]byte(data), participantImportToday)
	var errs ImportErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ImportErrors, got %v", err)
	}
	return errs
}

func TestParseParticipantImport(t *testing.T) {
	t.Parallel()
	rows, err := ParseParticipantImport([]byte(participantHeaderLine+"\r\n"+participantGoodRow+"\r\n;;;\r\n"+participantIdentityRow+"\r\n"), participantImportToday)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows: %d", len(rows))
	}
	a, b := rows[0], rows[1]
	if a.Row != 2 || b.Row != 4 {
		t.Errorf("rows %d, %d, want 2, 4", a.Row, b.Row)
	}
	p := a.Participant
	if p.Gender != GenderWoman || p.BirthYear != 1988 || p.BirthRegion != RegionAfrica || *p.YearsInSweden != 6 ||
		p.Education != EducationPrimary || p.LabourStatus != LabourRegistered || p.IncomeSource != IncomeSocialAssistance ||
		p.LivingArea != "Centrum" || *p.WorkCapacityHours != 20 || p.Cohort != "Grupp 1" ||
		p.ReferralSource != ReferralEmploymentService || p.Status() != StatusEnrolled || !a.Identity.IsZero() || a.ConsentGivenOn != nil {
		t.Errorf("first row: %+v", p)
	}
	if b.Participant.Status() != StatusReferred || b.Participant.YearsInSweden != nil || b.Participant.Education != EducationSecondary {
		t.Errorf("second row: %+v", b.Participant)
	}
	if b.Identity.Name != "Test Testsson" || b.Identity.Personnummer.Normalized() != "198803149825" || b.ConsentGivenOn == nil {
		t.Errorf("identity not read")
	}
}

func TestParseParticipantImportRowProblems(t *testing.T) {
	t.Parallel()
	header := participantHeaderLine + "\n"
	tests := map[string]struct {
		row    string
		column string
		msg    string // a part of the message
	}{
		"unknown gender":        {strings.Replace(participantGoodRow, "Kvinna", "Kvinnlig", 1), "Kön", "Okänt värde ”Kvinnlig”"},
		"empty region":          {strings.Replace(participantGoodRow, "Afrika", "", 1), "Födelseregion", "Ange födelseregion"},
		"birth year text":       {strings.Replace(participantGoodRow, "1988", "åttioåtta", 1), "Födelseår", msgImportYear},
		"birth year range":      {strings.Replace(participantGoodRow, "1988", "2015", 1), "Födelseår", "Ange ett födelseår mellan"},
		"capacity over 40":      {strings.Replace(participantGoodRow, ";20;", ";45;", 1), "Arbetsförmåga (tim/vecka)", "0–40"},
		"bad date":              {strings.Replace(participantGoodRow, "2024-03-01", "1/3/2024", 1), "Anvisad datum", msgImportDate},
		"enrol before referral": {strings.Replace(participantGoodRow, "2024-03-10", "2024-02-10", 1), "Inskriven datum", MsgEnrolBeforeRefer},
		"future enrolment":      {strings.Replace(participantGoodRow, "2024-03-10", "2024-07-10", 1), "Inskriven datum", MsgFutureDate},
		"identity no consent":   {strings.TrimSuffix(participantIdentityRow, "2024-04-01"), "Samtycke datum", "samtycke"},
		"consent alone":         {participantGoodRow + "2024-03-01", "Samtycke datum", msgImportConsentAlone},
		"bad email":             {strings.Replace(participantIdentityRow, "test@exempel.se", "test", 1), "E-post", "e-postadress"},
		"control char":          {strings.Replace(participantGoodRow, "Centrum", "Cen\x01trum", 1), "Bostadsområde", msgImportControl},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			errs := parseImportErrs(t, header+tt.row+"\n")
			if len(errs) != 1 || errs[0].Row != 2 || errs[0].Column != tt.column || !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("got %+v, want row 2 %q containing %q", errs, tt.column, tt.msg)
			}
		})
	}
}

func TestParseParticipantImportNeverEchoesPersonnummer(t *testing.T) {
	t.Parallel()
	for _, pnr := range []string{"19880314-9826", "1988031498", "19880314x9825", "198803149825-1"} {
		row := strings.Replace(participantIdentityRow, "19880314-9825", pnr, 1)
		// And one in a coded column, as when the columns are shifted.
		row = strings.Replace(row, "man;", pnr+";", 1)
		errs := parseImportErrs(t, participantHeaderLine+"\n"+row+"\n"+pnr+";x\n")
		cols := map[string]bool{}
		for _, e := range errs {
			cols[e.Column] = true
			if strings.Contains(e.Message, pnr) || strings.Contains(e.Column, pnr) || strings.Contains(e.Message, "19880314") {
				t.Errorf("%q echoed: %+v", pnr, e)
			}
		}
		if !cols["Personnummer"] || !cols["Kön"] {
			t.Errorf("%q: problems %+v", pnr, errs)
		}
	}
	// A file without its header line: the first row's personnummer is
	// taken for a column name, and not shown.
	for _, e := range parseImportErrs(t, participantIdentityRow+"\n") {
		if strings.Contains(e.Column, "19880314") || strings.Contains(e.Message, "19880314") {
			t.Errorf("echoed: %+v", e)
		}
	}
}

func TestParseParticipantImportFileProblems(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		data string
		want ImportError
	}{
		"empty":          {"", ImportError{Row: 1, Message: "Filen är tom."}},
		"no rows":        {participantHeaderLine + "\n;;\n", ImportError{Row: 2, Message: "Filen innehåller inga deltagare under rubrikraden."}},
		"missing column": {"Kön;Födelseår\nKvinna;1988\n", ImportError{Row: 1, Column: "Födelseregion", Message: "Kolumnen saknas. Ladda ner mallen för att se hur filen ska se ut."}},
		"duplicate":      {participantHeaderLine + ";kön\n", ImportError{Row: 1, Column: "Kön", Message: "Kolumnen finns två gånger."}},
		"extra fields":   {participantHeaderLine + "\n" + participantGoodRow + ";extra\n", ImportError{Row: 2, Message: msgImportExtraFields}},
		"zip":            {"PK\x03\x04rest", ImportError{Message: msgImportZIP}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			errs := parseImportErrs(t, tt.data)
			if errs[0] != tt.want {
				t.Errorf("got %+v, want %+v", errs[0], tt.want)
			}
		})
	}
}

// TestParseParticipantImportEveryRowChecked: all problems of all rows are
// listed, in row order.
func TestParseParticipantImportEveryRowChecked(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(strings.Replace(participantGoodRow, "Kvinna", "?", 1), "Afrika", "", 1)
	errs := parseImportErrs(t, participantHeaderLine+"\n"+bad+"\n"+participantGoodRow+"\n"+bad+"\n")
	var got []string
	for _, e := range errs {
		got = append(got, strings.Join([]string{string(rune('0' + e.Row)), e.Column}, " "))
	}
	want := "2 Kön|2 Födelseregion|4 Kön|4 Födelseregion"
	if strings.Join(got, "|") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestParseParticipantImportEncodingsAndAliases(t *testing.T) {
	t.Parallel()
	// The form's labels as headers, commas, CR-only line ends.
	header := "Kön,Födelseår,Födelseregion,Utbildningsnivå,Ställning på arbetsmarknaden vid inskrivning,Försörjning,Anvisningsdatum,Anvisad av"
	row := `Icke-binär,1990,Sverige,Okänd,"Anställd (även deltid eller timanställning)",Lön,2024-01-02,Egen anmälan`
	text := header + "\r" + row + "\r"
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf-8": text, "windows-1252": cp1252, "utf-16": utf16} {
		rows, err := ParseParticipantImport([]byte(data), participantImportToday)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(rows) != 1 || rows[0].Participant.Gender != GenderNonBinary || rows[0].Participant.LabourStatus != LabourEmployed {
			t.Errorf("%s: %+v", name, rows)
		}
	}
}

func TestParticipantImportTemplateImports(t *testing.T) {
	t.Parallel()
	tmpl := ParticipantImportTemplate(participantImportToday)
	if !bytes.HasPrefix(tmpl, []byte("\xef\xbb\xbf"+participantHeaderLine+"\r\n")) {
		t.Errorf("template header: %q", tmpl)
	}
	rows, err := ParseParticipantImport(tmpl, participantImportToday)
	if err != nil || len(rows) != 1 || !rows[0].Identity.IsZero() {
		t.Errorf("template does not import: %v %+v", err, rows)
	}
}

func TestParticipantImportErrorsByColumn(t *testing.T) {
	t.Parallel()
	errs := ParticipantImportErrors(7, ValidationError{"agreement_id": "A", "personnummer": "P", "gender": "G"})
	want := ImportErrors{{7, "Kön", "G"}, {7, "Personnummer", "P"}, {7, "", "A"}}
	if len(errs) != len(want) {
		t.Fatalf("got %+v", errs)
	}
	for i := range want {
		if errs[i] != want[i] {
			t.Errorf("got %+v, want %+v", errs[i], want[i])
		}
	}
}

// FuzzParseParticipantImport: any row is either imported as valid
// participants or refused with problems that name a row, and no problem
// quotes the personnummer cell.
func FuzzParseParticipantImport(f *testing.F) {
	f.Add("Kvinna", "1988", "2024-03-01", "19880314-9825", "2024-03-01", "Test")
	f.Add("man", "x", "", "198803149826", "", "")
	f.Add("\x00", "1988", "2024-13-01", "1988-0314-9825", "2024-03-01", "\"")
	f.Fuzz(func(t *testing.T, gender, year, referred, pnr, consent, name string) {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = ';'
		header := strings.Split(participantHeaderLine, ";")
		_ = w.Write(header)
		_ = w.Write([]string{gender, year, "Afrika", "", "Okänd", "Okänd", "Okänd", "", "", "", referred, "Annan", "", name, pnr, "", "", consent})
		w.Flush()
		rows, err := ParseParticipantImport(buf.Bytes(), participantImportToday)
		if err == nil {
			for _, r := range rows {
				if verr := r.Participant.Validate(participantImportToday); verr != nil {
					t.Fatalf("imported an invalid participant: %v", verr)
				}
				if !r.Identity.IsZero() && r.ConsentGivenOn == nil {
					t.Fatal("identity without consent")
				}
			}
			return
		}
		var errs ImportErrors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %v is not ImportErrors", err)
		}
		digits := strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return c
			}
			return -1
		}, pnr)
		for _, e := range errs {
			if len(digits) >= 10 && len(strings.TrimSpace(pnr)) >= 10 &&
				(strings.Contains(e.Message, strings.TrimSpace(pnr)) || strings.Contains(e.Column, strings.TrimSpace(pnr))) {
				t.Fatalf("personnummer cell quoted: %+v", e)
			}
		}
	})
}
