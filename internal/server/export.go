package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
)

// csvSafe keeps a spreadsheet program from reading a text cell as a
// formula: a leading = + - @ (or tab or carriage return) gets a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// download sets the headers of a file download named name.
func download(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
}

// writeCSV sends records as a CSV download named name, the way Swedish
// spreadsheet programs read it: UTF-8 with a byte order mark, semicolons,
// RFC 4180 quoting and CRLF line ends. Guarding text cells against formulas
// (csvSafe) is left to the caller, which knows which cells are text.
func (s *Server) writeCSV(w http.ResponseWriter, r *http.Request, name string, records [][]string) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.WriteAll(records); err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, "text/csv; charset=utf-8", name)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// xlsxType is the media type of an Office Open XML workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
