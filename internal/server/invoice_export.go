package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"iop/internal/money"
)

// invoiceExportHeaders are the columns of both exports of the overview.
var invoiceExportHeaders = []string{
	"Överenskommelse", "Diarienummer", "År", "Antal fakturor", "Förväntat (kr)", "Fakturerat (kr)",
	"Godkänt (kr)", "Betalt (kr)", "Differens (kr)", "Förväntat enligt",
}

// invoiceExportSource says where the expected amount comes from.
func invoiceExportSource(l invoiceOverviewLine) string {
	if l.Estimated {
		return "Beräkning, året ej indexerat"
	}
	return "Indexering"
}

// invoiceExportAmounts are a line's amounts in column order.
func invoiceExportAmounts(l invoiceOverviewLine) []money.Amount {
	return []money.Amount{l.Expected, l.Invoiced, l.Approved, l.Paid, l.Difference()}
}

// invoiceExportLines are the overview's lines and totals for the query's
// year and order, as the user may see them, and the year.
func (s *Server) invoiceExportLines(r *http.Request) ([]invoiceOverviewLine, invoiceOverviewLine, int, error) {
	p := s.parseInvoiceOverviewParams(r.URL.Query())
	lines, err := s.invoiceOverviewLines(r, p)
	if err != nil {
		return nil, invoiceOverviewLine{}, 0, err
	}
	total := invoiceOverviewTotal(lines)
	total.Title = "Totalt"
	return lines, total, p.year, nil
}

// handleInvoiceOverviewCSV exports the overview for Swedish spreadsheet
// programs as the agreement list does: UTF-8 with a byte order mark,
// semicolon-separated, Swedish headers, amounts in kronor without spaces
// (money.Plain), and a last row with the totals.
func (s *Server) handleInvoiceOverviewCSV(w http.ResponseWriter, r *http.Request) {
	lines, total, year, err := s.invoiceExportLines(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records := [][]string{invoiceExportHeaders}
	for i, l := range append(lines[:len(lines):len(lines)], total) {
		// Only the text cells need the formula guard: the numbers are ours,
		// and a negative amount must stay a number.
		record := []string{csvSafe(l.Title), csvSafe(l.CaseNumber), strconv.Itoa(year), strconv.Itoa(l.Invoices)}
		for _, a := range invoiceExportAmounts(l) {
			record = append(record, a.Plain())
		}
		source := "" // the totals row mixes sources
		if i < len(lines) {
			source = invoiceExportSource(l)
		}
		records = append(records, append(record, source))
	}
	s.writeCSV(w, r, "fakturor-"+strconv.Itoa(year)+".csv", records)
}

// handleInvoiceOverviewXLSX exports the overview as an Excel workbook:
// a bold header, amounts as numeric cells shown as "1 251 000 kr"
// (xlsxKronorFormat), and the totals in a last, bold row.
func (s *Server) handleInvoiceOverviewXLSX(w http.ResponseWriter, r *http.Request) {
	lines, total, year, err := s.invoiceExportLines(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	buf, err := invoiceWorkbook(lines, total, year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, xlsxType, "fakturor-"+strconv.Itoa(year)+".xlsx")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// invoiceWorkbook builds the workbook. Amounts are written as exact
// decimal numbers, never through a float.
func invoiceWorkbook(lines []invoiceOverviewLine, total invoiceOverviewLine, year int) (*bytes.Buffer, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Fakturor"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	if err := f.SetSheetRow(sheet, "A1", &invoiceExportHeaders); err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	all := append(lines[:len(lines):len(lines)], total)
	for i, l := range all {
		row := i + 2
		cell, _ := excelize.CoordinatesToCellName(1, row)
		values := []any{l.Title, l.CaseNumber, year, l.Invoices}
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return nil, fmt.Errorf("row %d: %w", row, err)
		}
		for j, a := range invoiceExportAmounts(l) {
			cell, _ := excelize.CoordinatesToCellName(5+j, row)
			// A number cell holds the exact decimal: "1251000" or "1251000.50".
			if err := f.SetCellDefault(sheet, cell, strings.Replace(a.Plain(), ",", ".", 1)); err != nil {
				return nil, fmt.Errorf("row %d: %w", row, err)
			}
		}
		if i < len(lines) {
			cell, _ := excelize.CoordinatesToCellName(10, row)
			if err := f.SetCellStr(sheet, cell, invoiceExportSource(l)); err != nil {
				return nil, fmt.Errorf("row %d: %w", row, err)
			}
		}
	}
	if err := invoiceWorkbookLayout(f, sheet, len(all)+1); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf, nil
}

// invoiceWorkbookLayout styles the sheet: a bold header and totals row, the
// amount columns (E–I) in kronor, column widths and a header that stays in
// view. last is the number of the totals row.
func invoiceWorkbookLayout(f *excelize.File, sheet string, last int) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("bold style: %w", err)
	}
	format := xlsxKronorFormat
	kronor, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return fmt.Errorf("amount style: %w", err)
	}
	boldKronor, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("amount style: %w", err)
	}
	lastRow := strconv.Itoa(last)
	for _, s := range []struct {
		from, to string
		style    int
	}{
		{"A1", "J1", bold}, {"E2", "I" + lastRow, kronor}, {"A" + lastRow, "D" + lastRow, bold},
		{"E" + lastRow, "I" + lastRow, boldKronor},
	} {
		if err := f.SetCellStyle(sheet, s.from, s.to, s.style); err != nil {
			return fmt.Errorf("style %s:%s: %w", s.from, s.to, err)
		}
	}
	for i, width := range []float64{40, 18, 8, 14, 16, 16, 16, 16, 16, 28} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	return nil
}
