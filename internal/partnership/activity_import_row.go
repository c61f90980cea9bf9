package partnership

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
)

// rowParser turns one record of an import file into an activity.
type rowParser struct {
	cols  []int                   // position of each ActivityImportColumns entry, -1 when absent
	types map[string]ActivityType // by lower-cased name
	today time.Time
}

// parse reads the record of Excel row row and reports its problems in
// column order, one per column: a column's text that cannot be read (not
// a number, not a date) first, then the rules of Activity.Validate.
func (p rowParser) parse(row int, record []string) (Activity, ActivityImportErrors) {
	var errs ActivityImportErrors
	var msgs [len(columnFields)]string // the first problem of each column
	fail := func(col int, msg string) {
		if msgs[col] == "" {
			msgs[col] = msg
		}
	}
	cell := func(col int) string { return importCell(p.cols, record, col) }
	if extraImportFields(p.cols, record) {
		errs = append(errs, ActivityImportError{Row: row, Message: msgImportExtraFields})
	}

	var a Activity
	if name := cell(colType); name == "" {
		fail(colType, "Ange en aktivitetstyp.")
	} else if t, ok := p.types[strings.ToLower(name)]; !ok {
		fail(colType, "Okänd aktivitetstyp ”"+shownText(name)+"”. Använd en av: "+p.typeNames()+".")
	} else if !t.Active {
		fail(colType, "Aktivitetstypen ”"+t.Name+"” används inte längre.")
	} else {
		a.AgreementID, a.TypeID, a.TypeName, a.TypeUnit = t.AgreementID, t.ID, t.Name, t.Unit
	}
	if s := cell(colDate); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || len(s) != len(time.DateOnly) {
			fail(colDate, "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2024-03-05.")
		} else {
			a.Date = d
		}
	}
	hours := func(col int, dst *int) {
		if s := cell(col); s != "" {
			m, ok := ParseHours(s)
			if !ok {
				fail(col, "Ange timmar som ett tal med högst två decimaler, till exempel 1,5.")
				return
			}
			*dst = m
		}
	}
	hours(colHours, &a.DurationMinutes)
	hours(colVolunteer, &a.VolunteerMinutes)
	count := func(col int, dst *int) {
		if s := cell(col); s != "" {
			n, ok := parseCount(withoutSpaces(s))
			if !ok {
				fail(col, "Ange ett heltal, 0 eller mer.")
				return
			}
			*dst = n
		}
	}
	count(colWomen, &a.Women)
	count(colMen, &a.Men)
	count(colNonBinary, &a.NonBinary)
	count(colChildren, &a.Children)
	count(colStaff, &a.StaffPresent)
	a.Place, a.Notes = cell(colPlace), cell(colNotes)
	for _, col := range []int{colPlace, colNotes} {
		if !storableCell(cell(col)) {
			fail(col, msgImportControl)
		}
	}
	a = a.Normalize()

	var v ValidationError
	if err := a.Validate(p.today); errors.As(err, &v) {
		for col, field := range columnFields {
			if msg := v[field]; msg != "" {
				fail(col, msg)
			}
		}
	}
	for col, msg := range &msgs {
		if msg != "" {
			errs = append(errs, ActivityImportError{Row: row, Column: ActivityImportColumns[col], Message: msg})
		}
	}
	return a, errs
}

// withoutSpaces is s without spaces and no-break spaces, as Excel writes
// thousands ("1 200"); s itself when it has none, which is the common case
// and costs no allocation on a file of ten thousand rows.
func withoutSpaces(s string) string {
	if strings.IndexByte(s, ' ') < 0 && !strings.Contains(s, "\u00a0") {
		return s
	}
	return strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
}

func (p rowParser) typeNames() string {
	var names []string
	for _, t := range p.types {
		if t.Active {
			names = append(names, t.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// FormatActivityImportRow writes an activity as a record in the columns of
// ActivityImportColumns, so that a file of such rows imports again as the
// same activities.
func FormatActivityImportRow(a Activity) []string {
	return []string{
		a.TypeName, a.Date.Format(time.DateOnly), FormatHours(int64(a.DurationMinutes)),
		strconv.Itoa(a.Women), strconv.Itoa(a.Men), strconv.Itoa(a.NonBinary), strconv.Itoa(a.Children),
		FormatHours(int64(a.VolunteerMinutes)), strconv.Itoa(a.StaffPresent), a.Place, a.Notes,
	}
}

// WriteActivityCSV writes records as Excel on a Swedish computer saves
// them (see writeExcelCSV).
func WriteActivityCSV(records [][]string) []byte { return writeExcelCSV(records) }

// ActivityImportTemplate is the file users download to fill in: the
// header and one example row using the agreement's first active type (in
// position order) on the given date.
func ActivityImportTemplate(types []ActivityType, example time.Time) []byte {
	name := "Skapandeträff"
	sorted := append([]ActivityType(nil), types...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Position < sorted[j].Position })
	for _, t := range sorted {
		if t.Active {
			name = t.Name
			break
		}
	}
	row := FormatActivityImportRow(Activity{
		TypeName: name, Date: dayOf(example), DurationMinutes: 150, Women: 12, Men: 0, NonBinary: 1, Children: 8,
		VolunteerMinutes: 180, StaffPresent: 2, Place: "Föreningens lokal", Notes: "Tema: hälsa och kost",
	})
	return WriteActivityCSV([][]string{ActivityImportColumns, row})
}
