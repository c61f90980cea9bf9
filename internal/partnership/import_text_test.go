package partnership

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// importTextFile is two activities with å, ä and ö, the lines ended by CRLF.
const importTextFile = importHeaderLine + "\r\n" +
	"Skapandeträff;2024-03-05;2,5;12;0;1;8;1,5;2;Skäggetorps centrum;\"Tema: hälsa; kost\"\r\n" +
	"Motiverande samtal;2024-03-06;1,25;1;;;;;;;\r\n"

var importTextWant = []Activity{
	{AgreementID: 5, TypeID: 11, TypeName: "Skapandeträff", TypeUnit: UnitOccasions, Date: actDay("2024-03-05"),
		DurationMinutes: 150, Women: 12, NonBinary: 1, Children: 8, VolunteerMinutes: 90, StaffPresent: 2,
		Place: "Skäggetorps centrum", Notes: "Tema: hälsa; kost"},
	{AgreementID: 5, TypeID: 13, TypeName: "Motiverande samtal", TypeUnit: UnitHours, Date: actDay("2024-03-06"),
		DurationMinutes: 75, Women: 1},
}

// utf16File encodes s as UTF-16, with a byte order mark when bom is set.
func utf16File(t *testing.T, s string, order xunicode.Endianness, bom bool) string {
	t.Helper()
	policy := xunicode.IgnoreBOM
	if bom {
		policy = xunicode.UseBOM
	}
	out, err := xunicode.UTF16(order, policy).NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseActivityImportEncodings(t *testing.T) {
	t.Parallel()
	crOnly := strings.ReplaceAll(importTextFile, "\r\n", "\r")
	latin1CR, err := charmap.Windows1252.NewEncoder().String(crOnly)
	if err != nil {
		t.Fatal(err)
	}
	// Excel's "Unicode-text": UTF-16LE with a byte order mark, tabs between fields.
	unicodeText := strings.Replace(strings.ReplaceAll(importTextFile, ";", "\t"), "hälsa\t kost", "hälsa; kost", 1)
	variants := map[string]string{
		"UTF-16LE with BOM":                utf16File(t, importTextFile, xunicode.LittleEndian, true),
		"UTF-16BE with BOM":                utf16File(t, importTextFile, xunicode.BigEndian, true),
		"UTF-16LE with BOM, tab-separated": utf16File(t, unicodeText, xunicode.LittleEndian, true),
		"UTF-16LE with BOM, UTF-8 BOM too": utf16File(t, "\uFEFF"+importTextFile, xunicode.LittleEndian, true),
		"CR-only line ends":                crOnly,
		"CR-only, UTF-8 BOM":               "\xef\xbb\xbf" + crOnly,
		"CR-only, Windows-1252":            latin1CR,
		"CR-only, UTF-16LE with BOM":       utf16File(t, crOnly, xunicode.LittleEndian, true),
	}
	for name, data := range variants {
		t.Run(name, func(t *testing.T) {
			got, err := ParseActivityImport([]byte(data), importTypes, importToday)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, importTextWant) {
				t.Errorf("got\n%+v\nwant\n%+v", got, importTextWant)
			}
		})
	}
}

func TestParseActivityImportRefusesNonText(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		data string
		want string
	}{
		"UTF-16LE without BOM":   {utf16File(t, importTextFile, xunicode.LittleEndian, false), msgImportUTF16NoBOM},
		"UTF-16BE without BOM":   {utf16File(t, importTextFile, xunicode.BigEndian, false), msgImportUTF16NoBOM},
		"NUL bytes in UTF-8":     {strings.Replace(importTextFile, "Skäggetorps", "Skägg\x00\x00torps", 1), msgImportNUL},
		"NUL bytes, not UTF-8":   {"Typ;Datum;Timmar\r\n\xff\x00\xfe\x00\x00\x00\x01\x02\x03\r\n", msgImportNUL},
		"NUL in a UTF-16 file":   {utf16File(t, strings.Replace(importTextFile, "kost", "ko\x00st", 1), xunicode.LittleEndian, true), msgImportNUL},
		"UTF-32LE with BOM":      {"\xff\xfe\x00\x00T\x00\x00\x00y\x00\x00\x00p\x00\x00\x00", msgImportUTF32},
		"UTF-32BE with BOM":      {"\x00\x00\xfe\xff\x00\x00\x00T\x00\x00\x00y\x00\x00\x00p", msgImportUTF32},
		"an XLSX workbook":       {"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", msgImportZIP},
		"UTF-16 BOM, no content": {"\xff\xfe", "Filen är tom."},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseActivityImport([]byte(tt.data), importTypes, importToday)
			errs := importErrors(t, err)
			if len(errs) != 1 || errs[0].Message != tt.want || errs[0].Column != "" {
				t.Errorf("got %+v, want one problem %q", errs, tt.want)
			}
		})
	}
}

// printable reports whether s can be shown on a page as it is: valid
// UTF-8 of printable characters and plain spaces.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if !unicode.IsPrint(c) {
			return false
		}
	}
	return true
}

func TestParseActivityImportQuotesOnlyPrintableText(t *testing.T) {
	t.Parallel()
	data := "Typ;Datum;Timmar;Del\x01tagare\x1b[31m;\u202eevil;\xc3\x28bad;" + strings.Repeat("x", 500) + "\r\n"
	_, err := ParseActivityImport([]byte(data), importTypes, importToday)
	errs := importErrors(t, err)
	if len(errs) != 4 {
		t.Fatalf("want four unknown columns, got %+v", errs)
	}
	for _, e := range errs {
		if !printable(e.Column) || !printable(e.Message) || utf8.RuneCountInString(e.Column) > maxShownText+1 {
			t.Errorf("not printable or too long: %+q / %+q", e.Column, e.Message)
		}
	}
	if errs[0].Column != "Del\uFFFDtagare\uFFFD[31m" {
		t.Errorf("control characters shown as %q", errs[0].Column)
	}

	data = importHeaderLine + "\r\n" +
		"Yoga\x07\u200f;2024-03-05;2;;;;;;;;\r\n" +
		"Skapandeträff;2024-03-05;2;;;;;;;Lokal\x1b;Rad ett\tett\x7f\r\n"
	_, err = ParseActivityImport([]byte(data), importTypes, importToday)
	errs = importErrors(t, err)
	type key struct {
		row    int
		column string
	}
	var got []key
	for _, e := range errs {
		got = append(got, key{e.Row, e.Column})
		if !printable(e.Message) {
			t.Errorf("message not printable: %+q", e.Message)
		}
	}
	if want := []key{{2, "Typ"}, {3, "Plats"}, {3, "Anteckningar"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("problems at %v, want %v: %+v", got, want, errs)
	}
	if !strings.Contains(errs[0].Message, "”Yoga\uFFFD\uFFFD”") || errs[1].Message != msgImportControl {
		t.Errorf("messages %q, %q", errs[0].Message, errs[1].Message)
	}
}

func TestShownText(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"  Deltagare ":                   "Deltagare",
		"Icke-binära\u00a0/\tej angivet": "Icke-binära / ej angivet",
		"a\x00b\x1fc\x7fd":               "a\uFFFDb\uFFFDc\uFFFDd",
		"\u202eabc\u200b":                "\uFFFDabc\uFFFD",
		"\xff\xfeT":                      "\uFFFDT",
		strings.Repeat("å", 61):          strings.Repeat("å", 60) + "…",
		strings.Repeat("å", 60):          strings.Repeat("å", 60),
		strings.Repeat("€", 5000):        strings.Repeat("€", 60) + "…",
	}
	for in, want := range tests {
		if got := shownText(in); got != want {
			t.Errorf("shownText(%+q) = %+q, want %+q", in, got, want)
		}
	}
}
