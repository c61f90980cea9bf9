package reportexport

import (
	"strconv"

	"iop/internal/money"
	"iop/internal/report"
)

// CSVRecords is the report as CSV records, after disclosure control: every
// table one under the other, each with a header record, and before each
// record the section and the table it belongs to, so that the file can be
// filtered by them. Numbers are written for a Swedish spreadsheet program:
// counts as integers, money in kronor and shares in percent with a decimal
// comma ("1251000", "62,5"); a suppressed cell is "<5" or ".". guard
// protects the text cells against being read as a formula. Write the
// records with semicolons and a byte order mark.
func CSVRecords(r report.Report, guard func(string) string) [][]string {
	r = disclosed(r)
	records := [][]string{}
	for _, sec := range r.Sections {
		if sec.NotRecorded || len(sec.Tables) == 0 {
			records = append(records, []string{"Avsnitt", "Tabell", "Uppgift"},
				[]string{guard(sec.Title), "", report.NotRecordedText})
			continue
		}
		for _, t := range sec.Tables {
			header := []string{"Avsnitt", "Tabell"}
			for _, c := range t.Columns {
				header = append(header, guard(c))
			}
			records = append(records, header)
			if len(t.Rows) == 0 {
				note := t.Note
				if note == "" {
					note = report.NotRecordedText
				}
				records = append(records, []string{guard(sec.Title), guard(t.Title), guard(note)})
			}
			for _, row := range t.Rows {
				record := []string{guard(sec.Title), guard(t.Title)}
				for _, c := range row {
					record = append(record, csvCell(c, guard))
				}
				records = append(records, record)
			}
		}
	}
	if r.HasSuppressed() {
		records = append(records, []string{"Röjandeskydd", "", report.SuppressionNote})
	}
	return records
}

// csvCell is one cell as CSV text.
func csvCell(c report.Cell, guard func(string) string) string {
	switch {
	case c.Suppressed:
		return c.Display()
	case c.Empty && c.Numeric():
		return ""
	}
	switch c.Kind {
	case report.People, report.Count:
		return strconv.FormatInt(c.Value, 10)
	case report.Money:
		return money.Amount(c.Value).Plain()
	case report.Percent:
		return csvTenths(c.Value)
	case report.Date:
		return c.Text
	default:
		return guard(c.Text)
	}
}

// csvTenths writes tenths of a percent as a percent with a decimal comma
// and no digit groups: 625 → "62,5", 12345 → "1234,5", 500 → "50".
func csvTenths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := sign + strconv.FormatInt(v/10, 10)
	if f := v % 10; f != 0 {
		s += "," + strconv.FormatInt(f, 10)
	}
	return s
}
