package partnership

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// ActivityImportColumns are the columns of an activity import file, in
// the template's order. Headers are matched ignoring case and surrounding
// spaces; Typ, Datum and Timmar are required, the others may be left out.
var ActivityImportColumns = []string{
	"Typ", "Datum", "Timmar", "Kvinnor", "Män", "Icke-binära/ej angivet", "Barn",
	"Ideella timmar", "Personal", "Plats", "Anteckningar",
}

// The column indexes of ActivityImportColumns.
const (
	colType = iota
	colDate
	colHours
	colWomen
	colMen
	colNonBinary
	colChildren
	colVolunteer
	colStaff
	colPlace
	colNotes
)

// importRequired are the columns a file must have.
var importRequired = []int{colType, colDate, colHours}

// columnFields are Activity.Validate's field names of each column.
var columnFields = [...]string{
	colType: "type_id", colDate: "date", colHours: "hours", colWomen: "women", colMen: "men",
	colNonBinary: "non_binary", colChildren: "children", colVolunteer: "volunteer_hours",
	colStaff: "staff_present", colPlace: "place", colNotes: "notes",
}

// MaxActivityImportRows bounds the activities of one import file.
const MaxActivityImportRows = 10000

// ActivityImportError is one problem in an import file: the row as the
// user sees it in Excel (the header is row 1), the column's header (empty
// for a problem with the whole row or file) and a Swedish message.
type ActivityImportError struct {
	Row     int
	Column  string
	Message string
}

// ActivityImportErrors are every problem found in an import file, in row
// order. A file with any is imported not at all.
type ActivityImportErrors []ActivityImportError

// Error summarises the problems.
func (e ActivityImportErrors) Error() string {
	var b strings.Builder
	b.WriteString("activity import: " + strconv.Itoa(len(e)) + " problem(s)")
	for i, x := range e {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; row " + strconv.Itoa(x.Row) + " " + x.Column + ": " + x.Message)
	}
	return b.String()
}

// ParseActivityImport reads a CSV file of activities as Excel saves it:
// separated by ';', ',' or a tab (decided from the header line), UTF-8
// with or without a byte order mark, UTF-16 with a byte order mark
// (Excel's "Unicode-text") or, failing those, Windows-1252 (Excel's "CSV"
// on a Swedish Windows), lines ended by CRLF, LF or a lone CR (old Mac
// programs), ISO dates (2024-03-05) and hours with a decimal comma or
// point ("1,5"). A file that is not text (NUL bytes, UTF-16 without a byte
// order mark, UTF-32) is refused with one problem naming why. Types are
// matched by name, ignoring case, against the agreement's types. Every row
// is checked, also after the first problem; when any is found the result
// is nil and the error is ActivityImportErrors listing them all. Blank rows
// are skipped. Text from the file quoted in a message is made printable.
// The activities returned have AgreementID, TypeID, TypeName and TypeUnit
// set and pass Validate(today).
func ParseActivityImport(data []byte, types []ActivityType, today time.Time) ([]Activity, error) {
	text, msg := decodeImportText(data)
	if msg != "" {
		return nil, ActivityImportErrors{{Message: msg}}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffSeparator(text)
	r.FieldsPerRecord = -1

	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ActivityImportErrors{{Row: 1, Message: "Filen är tom."}}
		}
		return nil, ActivityImportErrors{{Row: 1, Message: csvMessage(err)}}
	}
	cols, errs := importHeader(header)
	if len(errs) > 0 {
		return nil, errs
	}
	p := rowParser{cols: cols, types: typesByName(types), today: today}

	var out []Activity
	extraLines := 0 // lines taken up by line breaks inside quoted fields
	for _, f := range header {
		extraLines += strings.Count(f, "\n")
	}
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			row := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				row = pe.StartLine - extraLines
			}
			errs = append(errs, ActivityImportError{Row: row, Message: csvMessage(err)})
			break
		}
		line, _ := r.FieldPos(0)
		row := line - extraLines
		for _, f := range record {
			extraLines += strings.Count(f, "\n")
		}
		if blankRecord(record) {
			continue
		}
		if len(out) >= MaxActivityImportRows {
			errs = append(errs, ActivityImportError{Row: row, Message: "Filen har fler än 10 000 aktiviteter. Dela upp den i flera filer."})
			break
		}
		a, rowErrs := p.parse(row, record)
		errs = append(errs, rowErrs...)
		out = append(out, a)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, ActivityImportErrors{{Row: 2, Message: "Filen innehåller inga aktiviteter under rubrikraden."}}
	}
	return out, nil
}

// sniffSeparator picks ';', ',' or a tab by counting them, outside quotes,
// on the header line; ';' wins a tie, as Swedish Excel uses it, and ','
// wins one with a tab.
func sniffSeparator(text string) rune {
	semicolons, commas, tabs := 0, 0, 0
	quoted := false
	for _, c := range []byte(text) {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		switch c {
		case ';':
			semicolons++
		case ',':
			commas++
		case '\t':
			tabs++
		}
	}
	switch {
	case semicolons >= commas && semicolons >= tabs:
		return ';'
	case commas >= tabs:
		return ','
	}
	return '\t'
}

// importHeader maps each column of ActivityImportColumns to its position
// in the file (-1 when absent), or lists what is wrong with the header.
func importHeader(header []string) ([]int, ActivityImportErrors) {
	cols := make([]int, len(ActivityImportColumns))
	for i := range cols {
		cols[i] = -1
	}
	var errs ActivityImportErrors
	for pos, h := range header {
		name := normalizeHeader(h)
		if name == "" {
			continue
		}
		idx := -1
		for i, c := range ActivityImportColumns {
			if normalizeHeader(c) == name {
				idx = i
			}
		}
		switch {
		case idx < 0:
			errs = append(errs, ActivityImportError{Row: 1, Column: shownText(h),
				Message: "Okänd kolumn. Kolumnerna heter: " + strings.Join(ActivityImportColumns, ", ") + "."})
		case cols[idx] >= 0:
			errs = append(errs, ActivityImportError{Row: 1, Column: ActivityImportColumns[idx], Message: "Kolumnen finns två gånger."})
		default:
			cols[idx] = pos
		}
	}
	for _, i := range importRequired {
		if cols[i] < 0 {
			errs = append(errs, ActivityImportError{Row: 1, Column: ActivityImportColumns[i],
				Message: "Kolumnen saknas. Ladda ner mallen för att se hur filen ska se ut."})
		}
	}
	return cols, errs
}

func normalizeHeader(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.ReplaceAll(strings.ReplaceAll(s, " /", "/"), "/ ", "/")
}

func blankRecord(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)) {
		return "Raden kunde inte läsas: ett citattecken (\") saknas eller står fel."
	}
	return "Raden kunde inte läsas som CSV."
}

func typesByName(types []ActivityType) map[string]ActivityType {
	m := make(map[string]ActivityType, len(types))
	for _, t := range types {
		m[strings.ToLower(strings.TrimSpace(t.Name))] = t
	}
	return m
}
