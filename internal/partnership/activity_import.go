package partnership

import (
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

// ActivityImportError is one problem in an activity import file.
type ActivityImportError = ImportError

// ActivityImportErrors are every problem found in an activity import file.
type ActivityImportErrors = ImportErrors

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
	t, errs := readImportTable(data, MaxActivityImportRows, "Filen har fler än 10 000 aktiviteter. Dela upp den i flera filer.")
	if len(errs) > 0 {
		return nil, errs
	}
	cols, errs := importHeader(t.Header)
	if len(errs) > 0 {
		return nil, errs
	}
	p := rowParser{cols: cols, types: typesByName(types), today: today}
	out := make([]Activity, 0, len(t.Records))
	for _, rec := range t.Records {
		a, rowErrs := p.parse(rec.Row, rec.Fields)
		errs = append(errs, rowErrs...)
		out = append(out, a)
	}
	errs = append(errs, t.Stopped...)
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, ActivityImportErrors{{Row: 2, Message: "Filen innehåller inga aktiviteter under rubrikraden."}}
	}
	return out, nil
}

// activityImportColumns are ActivityImportColumns as import columns.
var activityImportColumns = func() []importColumn {
	out := make([]importColumn, len(ActivityImportColumns))
	for i, name := range ActivityImportColumns {
		out[i] = importColumn{Name: name}
	}
	return out
}()

// importHeader maps each column of ActivityImportColumns to its position
// in the file (-1 when absent), or lists what is wrong with the header.
func importHeader(header []string) ([]int, ActivityImportErrors) {
	return mapImportHeader(header, activityImportColumns, importRequired)
}

func typesByName(types []ActivityType) map[string]ActivityType {
	m := make(map[string]ActivityType, len(types))
	for _, t := range types {
		m[strings.ToLower(strings.TrimSpace(t.Name))] = t
	}
	return m
}
