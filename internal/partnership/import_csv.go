package partnership

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// ImportError is one problem in an import file: the row as the user sees
// it in Excel (the header is row 1, 0 for the whole file), the column's
// header (empty for a problem with the whole row or file) and a Swedish
// message.
type ImportError struct {
	Row     int
	Column  string
	Message string
}

// ImportErrors are every problem found in an import file, in row order. A
// file with any is imported not at all.
type ImportErrors []ImportError

// Error summarises the problems.
func (e ImportErrors) Error() string {
	var b strings.Builder
	b.WriteString("import: " + strconv.Itoa(len(e)) + " problem(s)")
	for i, x := range e {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; row " + strconv.Itoa(x.Row) + " " + x.Column + ": " + x.Message)
	}
	return b.String()
}

// importRecord is a non-blank record of an import file and the Excel row
// it starts on.
type importRecord struct {
	Row    int
	Fields []string
}

// importTable is an import file read as CSV: the header, the non-blank
// records below it, and the problem that stopped the reading early (a
// record that is not CSV, or one record too many), reported after the
// problems of the records before it.
type importTable struct {
	Header  []string
	Records []importRecord
	Stopped ImportErrors
}

// readImportTable reads an import file as Excel saves it (see
// decodeImportText for the encodings, sniffSeparator for the separators),
// keeping at most maxRows records; tooMany is the message for more. A file
// that cannot be read at all, or has no header line, is refused with one
// problem.
func readImportTable(data []byte, maxRows int, tooMany string) (importTable, ImportErrors) {
	text, msg := decodeImportText(data)
	if msg != "" {
		return importTable{}, ImportErrors{{Message: msg}}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffSeparator(text)
	r.FieldsPerRecord = -1

	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return importTable{}, ImportErrors{{Row: 1, Message: "Filen är tom."}}
		}
		return importTable{}, ImportErrors{{Row: 1, Message: csvMessage(err)}}
	}
	t := importTable{Header: header}
	// Excel numbers rows, not lines: a line break inside a quoted field
	// does not start a new row.
	extraLines := 0
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
			t.Stopped = ImportErrors{{Row: row, Message: csvMessage(err)}}
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
		if len(t.Records) >= maxRows {
			t.Stopped = ImportErrors{{Row: row, Message: tooMany}}
			break
		}
		t.Records = append(t.Records, importRecord{Row: row, Fields: record})
	}
	return t, nil
}

// importColumn is a column of an import file: the header the template
// uses and other headers accepted for it, such as a form's label.
type importColumn struct {
	Name    string
	Aliases []string
}

// mapImportHeader maps each of columns to its position in the file's
// header (-1 when absent), or lists what is wrong with the header:
// unknown or repeated columns, and missing required ones. Headers are
// matched ignoring case, runs of spaces and spaces around a '/'.
func mapImportHeader(header []string, columns []importColumn, required []int) ([]int, ImportErrors) {
	cols := make([]int, len(columns))
	for i := range cols {
		cols[i] = -1
	}
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.Name
	}
	var errs ImportErrors
	for pos, h := range header {
		name := normalizeHeader(h)
		if name == "" {
			continue
		}
		idx := -1
		for i, c := range columns {
			if normalizeHeader(c.Name) == name {
				idx = i
			}
			for _, a := range c.Aliases {
				if normalizeHeader(a) == name {
					idx = i
				}
			}
		}
		switch {
		case idx < 0:
			errs = append(errs, ImportError{Row: 1, Column: shownText(h),
				Message: "Okänd kolumn. Kolumnerna heter: " + strings.Join(names, ", ") + "."})
		case cols[idx] >= 0:
			errs = append(errs, ImportError{Row: 1, Column: columns[idx].Name, Message: "Kolumnen finns två gånger."})
		default:
			cols[idx] = pos
		}
	}
	for _, i := range required {
		if cols[i] < 0 {
			errs = append(errs, ImportError{Row: 1, Column: columns[i].Name,
				Message: "Kolumnen saknas. Ladda ner mallen för att se hur filen ska se ut."})
		}
	}
	return cols, errs
}

// importCell is the trimmed text of column col of record, "" when the
// column is absent from the file or the record is short.
func importCell(cols []int, record []string, col int) string {
	pos := cols[col]
	if pos < 0 || pos >= len(record) {
		return ""
	}
	return strings.TrimSpace(record[pos])
}

// extraImportFields reports whether the record has text beyond the
// header's columns.
func extraImportFields(cols []int, record []string) bool {
	last := -1
	for _, pos := range cols {
		last = max(last, pos)
	}
	for i := last + 1; i < len(record); i++ {
		if strings.TrimSpace(record[i]) != "" {
			return true
		}
	}
	return false
}

// msgImportExtraFields is the problem of a record with text beyond the
// header's columns.
const msgImportExtraFields = "Raden har fler fält än rubrikraden."

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

// writeExcelCSV writes records as Excel on a Swedish computer saves them:
// a UTF-8 byte order mark (so that Excel reads å, ä and ö right), ';'
// between fields and CRLF line ends.
func writeExcelCSV(records [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	_ = w.WriteAll(records) // a bytes.Buffer does not fail
	return buf.Bytes()
}
