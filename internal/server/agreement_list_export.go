package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"iop/internal/postgres"
)

// agreementExportHeaders are the columns of both exports of the list.
var agreementExportHeaders = []string{
	"Namn", "Diarienummer", "Parter", "Startdatum", "Slutdatum", "Gällande slutdatum", "Status", "Varningar",
}

// agreementExportRows are every agreement the list's query string selects
// and the user may see, in the list's order, without paging.
func (s *Server) agreementExportRows(r *http.Request) ([]postgres.AgreementListRow, time.Time, error) {
	today := s.agreementToday()
	p := parseAgreementListParams(r.URL.Query(), today)
	rows, err := postgres.NewAgreementList(s.db.Pool).All(r.Context(), *currentUser(r), p.query)
	return rows, today, err
}

// agreementExportParties names each party with its role, in one cell.
func agreementExportParties(row postgres.AgreementListRow) string {
	names := make([]string, len(row.Parties))
	for i, p := range row.Parties {
		names[i] = p.Name + " (" + p.Role.Label() + ")"
	}
	return strings.Join(names, ", ")
}

// agreementExportWarnings are the row's warnings on today, in one cell.
func agreementExportWarnings(row postgres.AgreementListRow, today time.Time) string {
	return strings.Join(row.Agreement().Warnings(today), ". ")
}

// handleAgreementListCSV exports the list as CSV for Swedish spreadsheet
// programs: UTF-8 with a byte order mark, semicolon-separated, RFC 4180
// quoting, Swedish headers.
func (s *Server) handleAgreementListCSV(w http.ResponseWriter, r *http.Request) {
	rows, today, err := s.agreementExportRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records := [][]string{agreementExportHeaders}
	for _, row := range rows {
		record := []string{
			row.Title, row.CaseNumber, agreementExportParties(row), agreementDate(row.StartDate), agreementDate(row.EndDate),
			agreementDate(row.CurrentEnd), row.Status.Label(), agreementExportWarnings(row, today),
		}
		for i := range record {
			record[i] = csvSafe(record[i])
		}
		records = append(records, record)
	}
	s.writeCSV(w, r, "overenskommelser-"+today.Format(time.DateOnly)+".csv", records)
}

// handleAgreementListXLSX exports the list as an Excel workbook: a bold,
// frozen header row with an autofilter, and dates as real date cells.
func (s *Server) handleAgreementListXLSX(w http.ResponseWriter, r *http.Request) {
	rows, today, err := s.agreementExportRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	buf, err := agreementWorkbook(rows, today)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, xlsxType, "overenskommelser-"+today.Format(time.DateOnly)+".xlsx")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// agreementWorkbook builds the workbook. Text goes into string cells, which
// spreadsheet programs never evaluate, so it needs no formula guard.
func agreementWorkbook(rows []postgres.AgreementListRow, today time.Time) (*bytes.Buffer, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Överenskommelser"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	if err := f.SetSheetRow(sheet, "A1", &agreementExportHeaders); err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	date := func(d *time.Time) any {
		if d == nil {
			return nil
		}
		return *d
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		values := []any{
			row.Title, row.CaseNumber, agreementExportParties(row), date(row.StartDate), date(row.EndDate),
			date(row.CurrentEnd), row.Status.Label(), agreementExportWarnings(row, today),
		}
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+2, err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(agreementExportHeaders), len(rows)+1)
	if err := agreementWorkbookLayout(f, sheet, last, len(rows)); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf, nil
}

// agreementWorkbookLayout makes the sheet readable: a bold header that stays
// in view, an autofilter over the data, column widths, and the date columns
// (D–F) shown as ISO dates.
func agreementWorkbookLayout(f *excelize.File, sheet, last string, n int) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	if err := f.SetCellStyle(sheet, "A1", "H1", bold); err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	if n > 0 {
		isoDate := "yyyy-mm-dd"
		dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &isoDate})
		if err != nil {
			return fmt.Errorf("date style: %w", err)
		}
		if err := f.SetCellStyle(sheet, "D2", fmt.Sprintf("F%d", n+1), dateStyle); err != nil {
			return fmt.Errorf("date style: %w", err)
		}
	}
	for i, width := range []float64{45, 18, 60, 13, 13, 18, 12, 60} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	return nil
}
