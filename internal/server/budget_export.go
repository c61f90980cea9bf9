package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/templates"
)

// budgetExportHeaders are the columns of both exports of a year's budget.
var budgetExportHeaders = []string{"Part", "Avsnitt", "Budgetpost", "Kategori", "Typ", "Indexeras", "Belopp (kr)"}

// budgetExportRow is one row of an exported budget: a line, or a subtotal
// or total (sum), which the workbook shows in bold.
type budgetExportRow struct {
	party, section, text, category, kind, indexed string
	amount                                        money.Amount
	sum                                           bool
}

// budgetExport is a year's budget of an agreement, ready to write.
type budgetExport struct {
	agreementID int64
	year        int
	rows        []budgetExportRow
}

// budgetDefaultYear is the year an export is of when none is asked for:
// this year while the agreement covers it, else its first year.
func budgetDefaultYear(start, end time.Time, thisYear int) int {
	if thisYear >= start.Year() && thisYear <= end.Year() {
		return thisYear
	}
	return start.Year()
}

// budgetExportFail shows why an export cannot be made, with the status.
func (s *Server) budgetExportFail(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	s.render(w, r, status, templates.ErrorPage(templates.ErrorVM{
		Base: s.base(r, heading), Status: status, Heading: heading, Message: msg,
	}))
}

// loadBudgetExport reads the agreement and the year of the query (see
// budgetDefaultYear) and computes the year's rows. When it cannot, it has
// answered the request itself and returns ok false.
func (s *Server) loadBudgetExport(w http.ResponseWriter, r *http.Request) (budgetExport, bool) {
	a, lines, err := s.loadBudgetLines(r)
	if err != nil {
		s.fail(w, r, err)
		return budgetExport{}, false
	}
	y, ok, err := s.loadBudgetYears(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return budgetExport{}, false
	}
	if !ok {
		s.budgetExportFail(w, r, http.StatusUnprocessableEntity, "Budgeten kan inte exporteras", msgBudgetNoPeriod)
		return budgetExport{}, false
	}
	year := budgetDefaultYear(y.start, y.end, s.agreementToday().Year())
	if q := r.URL.Query().Get("year"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < partnership.MinBudgetYear || n > partnership.MaxBudgetYear {
			s.budgetExportFail(w, r, http.StatusUnprocessableEntity, "Året är ogiltigt",
				"Ange året med fyra siffror, till exempel year="+strconv.Itoa(year)+".")
			return budgetExport{}, false
		}
		year = n
	}
	if !y.covers(year) {
		s.budgetExportFail(w, r, http.StatusNotFound, "Året ingår inte i överenskommelsen",
			fmt.Sprintf("Överenskommelsen gäller inte år %d. Budgeten kan exporteras för %d–%d.", year, y.years[0], y.years[len(y.years)-1]))
		return budgetExport{}, false
	}
	return budgetExport{agreementID: a.ID, year: year, rows: budgetExportRows(a, lines, y.amountIn(year))}, true
}

// budgetExportRows are the lines of every party by section with the
// section subtotals, each party's cash, in-kind and total, and the whole
// agreement's.
func budgetExportRows(a partnership.Agreement, lines []partnership.BudgetLine, amount func(partnership.BudgetLine) money.Amount) []budgetExportRow {
	var rows []budgetExportRow
	sums := func(party, whose string, of []partnership.BudgetLine) {
		rows = append(rows,
			budgetExportRow{party: party, text: "Summa kontant", kind: partnership.Cash.Label(),
				amount: budgetSum(budgetOfKind(of, partnership.Cash), amount), sum: true},
			budgetExportRow{party: party, text: "Summa naturainsatser", kind: partnership.InKind.Label(),
				amount: budgetSum(budgetOfKind(of, partnership.InKind), amount), sum: true},
			budgetExportRow{party: party, text: "Summa " + whose, amount: budgetSum(of, amount), sum: true})
	}
	for _, g := range groupBudget(a, lines) {
		if len(g.lines) == 0 {
			continue
		}
		party := g.party.OrganisationName
		for _, sec := range g.sections {
			for _, l := range sec.lines {
				rows = append(rows, budgetExportRow{party: party, section: l.Section, text: l.Text, category: l.Category,
					kind: l.Kind.Label(), indexed: budgetYesNo(l.Indexed), amount: amount(l)})
			}
			if sec.name != "" {
				rows = append(rows, budgetExportRow{party: party, section: sec.name, text: "Summa " + sec.name,
					amount: budgetSum(sec.lines, amount), sum: true})
			}
		}
		sums(party, party, g.lines)
	}
	sums("Hela överenskommelsen", "hela överenskommelsen", lines)
	return rows
}

// budgetExportName is the file name of an export.
func budgetExportName(e budgetExport, ext string) string {
	return fmt.Sprintf("budget-%d-%d.%s", e.agreementID, e.year, ext)
}

// budgetKronor is an amount in whole kronor, rounded half away from zero;
// the yearly amounts are whole already, so only stated öre are rounded.
func budgetKronor(a money.Amount) int64 { return a.RoundKronor().Ore() / 100 }

// handleBudgetCSV exports a year's budget as CSV for Swedish spreadsheet
// programs: UTF-8 with a byte order mark, semicolons, Swedish headers and
// amounts in whole kronor without spaces. Text cells are guarded against
// formula injection like the agreement list's export.
func (s *Server) handleBudgetCSV(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadBudgetExport(w, r)
	if !ok {
		return
	}
	records := [][]string{budgetExportHeaders}
	for _, row := range e.rows {
		record := []string{row.party, row.section, row.text, row.category, row.kind, row.indexed}
		for i := range record {
			record[i] = csvSafe(record[i])
		}
		records = append(records, append(record, strconv.FormatInt(budgetKronor(row.amount), 10)))
	}
	s.writeCSV(w, r, budgetExportName(e, "csv"), records)
}

// handleBudgetXLSX exports a year's budget as an Excel workbook with the
// amounts as numbers formatted as kronor.
func (s *Server) handleBudgetXLSX(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadBudgetExport(w, r)
	if !ok {
		return
	}
	buf, err := budgetWorkbook(e)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, xlsxType, budgetExportName(e, "xlsx"))
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// xlsxKronorFormat shows whole kronor with digit grouping and "kr", in
// the budget's and the invoice overview's workbooks. The comma is the
// format code's grouping mark, which spreadsheet programs show as the
// reader's own separator: Swedish Excel shows 1 251 000 kr and names the
// format # ##0 "kr".
const xlsxKronorFormat = `#,##0 "kr"`

// budgetWorkbook builds the workbook: a bold header row that stays in
// view, amounts as numeric cells, sums in bold. Text goes into string
// cells, which spreadsheet programs never evaluate.
func budgetWorkbook(e budgetExport) (*bytes.Buffer, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Budget " + strconv.Itoa(e.year)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	format := xlsxKronorFormat
	styles := map[string]*excelize.Style{
		"bold":       {Font: &excelize.Font{Bold: true}},
		"amount":     {CustomNumFmt: &format},
		"boldAmount": {Font: &excelize.Font{Bold: true}, CustomNumFmt: &format},
	}
	ids := map[string]int{}
	for name, st := range styles {
		id, err := f.NewStyle(st)
		if err != nil {
			return nil, fmt.Errorf("%s style: %w", name, err)
		}
		ids[name] = id
	}
	if err := f.SetSheetRow(sheet, "A1", &budgetExportHeaders); err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	if err := f.SetCellStyle(sheet, "A1", "G1", ids["bold"]); err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	for i, row := range e.rows {
		n := i + 2
		values := []any{row.party, row.section, row.text, row.category, row.kind, row.indexed, budgetKronor(row.amount)}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", n), &values); err != nil {
			return nil, fmt.Errorf("row %d: %w", n, err)
		}
		text, amount := 0, ids["amount"]
		if row.sum {
			text, amount = ids["bold"], ids["boldAmount"]
		}
		if text != 0 {
			if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", n), fmt.Sprintf("F%d", n), text); err != nil {
				return nil, fmt.Errorf("row %d style: %w", n, err)
			}
		}
		if err := f.SetCellStyle(sheet, fmt.Sprintf("G%d", n), fmt.Sprintf("G%d", n), amount); err != nil {
			return nil, fmt.Errorf("row %d style: %w", n, err)
		}
	}
	for i, width := range []float64{40, 36, 50, 20, 14, 10, 16} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf, nil
}
