package reportexport

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"iop/internal/money"
	"iop/internal/report"
)

// Number formats of the workbook. The codes are locale-neutral: a Swedish
// Excel shows "#,##0" as "1 251" and "0.0%" as "62,5 %".
const (
	xlsxCount   = `#,##0`
	xlsxKronor  = `#,##0 "kr"`
	xlsxOre     = `#,##0.00 "kr"`
	xlsxPercent = `0.0%`
	xlsxDate    = `yyyy-mm-dd`
)

// disclosed is r with disclosure control applied, once.
func disclosed(r report.Report) report.Report {
	if r.Disclosed {
		return r
	}
	return r.Disclose()
}

// xlsxStyles are the cell styles of the workbook, made once per file.
type xlsxStyles struct {
	title, caption, header, note, bold            int
	count, kronor, ore, percent, date, suppressed int
	boldCount, boldKronor, boldOre, boldPercent   int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	mk := func(dst *int, st excelize.Style) {
		if err != nil {
			return
		}
		*dst, err = f.NewStyle(&st)
	}
	num := func(format string, bold bool) excelize.Style {
		return excelize.Style{CustomNumFmt: &format, Font: &excelize.Font{Bold: bold}}
	}
	mk(&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	mk(&s.caption, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	mk(&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	mk(&s.note, excelize.Style{Font: &excelize.Font{Italic: true}})
	mk(&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}})
	mk(&s.count, num(xlsxCount, false))
	mk(&s.kronor, num(xlsxKronor, false))
	mk(&s.ore, num(xlsxOre, false))
	mk(&s.percent, num(xlsxPercent, false))
	mk(&s.date, num(xlsxDate, false))
	mk(&s.suppressed, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}})
	mk(&s.boldCount, num(xlsxCount, true))
	mk(&s.boldKronor, num(xlsxKronor, true))
	mk(&s.boldOre, num(xlsxOre, true))
	mk(&s.boldPercent, num(xlsxPercent, true))
	if err != nil {
		return s, fmt.Errorf("workbook styles: %w", err)
	}
	return s, nil
}

// XLSX writes the report as an Excel workbook, after disclosure control:
// a first sheet about the report, then one sheet per section with its
// tables one under the other (caption, bold header row, rows). The first
// table's header row stays in view. Numbers are number cells in Swedish
// formats: counts "#,##0", money in kronor `#,##0 "kr"`, shares as
// fractions "0.0%", dates as dates; a suppressed cell holds the text
// "<5" or ".". Text goes into string cells, which spreadsheet programs
// never evaluate, so it needs no formula guard.
func XLSX(r report.Report, title string) ([]byte, error) {
	r = disclosed(r)
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	first := sheetName("Om rapporten", names)
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	if err := aboutSheet(f, first, r, title, st); err != nil {
		return nil, err
	}
	for _, sec := range r.Sections {
		name := sheetName(sec.Title, names)
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
		if err := sectionSheet(f, name, sec, st); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// sheetName makes a valid, unique sheet name of title: at most 31
// characters, none of : \ / ? * [ ].
func sheetName(title string, used map[string]bool) string {
	clean := strings.Map(func(c rune) rune {
		if strings.ContainsRune(`:\/?*[]`, c) {
			return '-'
		}
		return c
	}, strings.TrimSpace(title))
	if clean == "" {
		clean = "Avsnitt"
	}
	name := truncateRunes(clean, 31)
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		name = truncateRunes(clean, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// aboutSheet says what the workbook holds and how small groups are shown.
func aboutSheet(f *excelize.File, sheet string, r report.Report, title string, st xlsxStyles) error {
	rows := [][]string{{title}, {""}, {"År", strconv.Itoa(r.Year)}}
	if a := r.Agreement; a != nil {
		rows = append(rows, []string{"Överenskommelse", a.Title}, []string{"Förening", a.Association})
		if a.OrgNumber != "" {
			rows = append(rows, []string{"Organisationsnummer", a.OrgNumber})
		}
		if a.Start != "" || a.End != "" {
			rows = append(rows, []string{"Period", a.Start + "–" + a.End})
		}
	} else {
		rows = append(rows, []string{"Omfattning", "Alla överenskommelser som gäller någon dag under året"})
	}
	rows = append(rows, []string{""}, []string{"Röjandeskydd", report.SuppressionNote})
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		values := make([]any, len(row))
		for j, v := range row {
			values[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return fmt.Errorf("about sheet: %w", err)
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", st.title); err != nil {
		return fmt.Errorf("about sheet: %w", err)
	}
	if err := f.SetColWidth(sheet, "A", "A", 24); err != nil {
		return fmt.Errorf("about sheet: %w", err)
	}
	return f.SetColWidth(sheet, "B", "B", 90)
}

// sectionSheet writes the tables of a section one under the other.
func sectionSheet(f *excelize.File, sheet string, sec report.Section, st xlsxStyles) error {
	row := 1
	set := func(col int, v any, style int) error {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sheet, cell, cell, style)
		}
		return nil
	}
	if sec.NotRecorded || len(sec.Tables) == 0 {
		if err := set(1, sec.Title, st.caption); err != nil {
			return err
		}
		row++
		return set(1, report.NotRecordedText, st.note)
	}
	widest, frozen := 1, false
	for _, t := range sec.Tables {
		if err := set(1, t.Title, st.caption); err != nil {
			return err
		}
		row++
		for j, c := range t.Columns {
			if err := set(j+1, c, st.header); err != nil {
				return err
			}
		}
		widest = max(widest, len(t.Columns))
		if !frozen {
			// The first table's header row (and its caption) stay in view.
			if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: fmt.Sprintf("A%d", row+1), ActivePane: "bottomLeft"}); err != nil {
				return err
			}
			frozen = true
		}
		row++
		if len(t.Rows) == 0 {
			note := t.Note
			if note == "" {
				note = report.NotRecordedText
			}
			if err := set(1, note, st.note); err != nil {
				return err
			}
			row++
		}
		for i, cells := range t.Rows {
			bold := t.ColTotal && i == len(t.Rows)-1
			for j, c := range cells {
				boldCell := bold || (t.RowTotal && j == len(cells)-1)
				if err := xlsxCell(f, sheet, j+1, row, c, boldCell, st); err != nil {
					return err
				}
			}
			row++
		}
		if t.Note != "" && len(t.Rows) > 0 {
			if err := set(1, t.Note, st.note); err != nil {
				return err
			}
			row++
		}
		row++ // a blank row between tables
	}
	if err := f.SetColWidth(sheet, "A", "A", 38); err != nil {
		return err
	}
	if widest > 1 {
		last, _ := excelize.ColumnNumberToName(widest)
		return f.SetColWidth(sheet, "B", last, 16)
	}
	return nil
}

// xlsxCell writes one cell of a table as its kind demands.
func xlsxCell(f *excelize.File, sheet string, col, row int, c report.Cell, bold bool, st xlsxStyles) error {
	cell, _ := excelize.CoordinatesToCellName(col, row)
	style := func(plain, strong int) error {
		if bold {
			plain = strong
		}
		return f.SetCellStyle(sheet, cell, cell, plain)
	}
	switch {
	case c.Suppressed:
		if err := f.SetCellStr(sheet, cell, c.Display()); err != nil {
			return err
		}
		return style(st.suppressed, st.suppressed)
	case c.Empty && c.Numeric():
		if err := f.SetCellStr(sheet, cell, "–"); err != nil {
			return err
		}
		return style(st.suppressed, st.suppressed)
	}
	switch c.Kind {
	case report.People, report.Count:
		if err := f.SetCellInt(sheet, cell, c.Value); err != nil {
			return err
		}
		return style(st.count, st.boldCount)
	case report.Money:
		a := money.Amount(c.Value)
		// The exact decimal of the amount in kronor, "1251000" or "1251000.50".
		if err := f.SetCellDefault(sheet, cell, kronorNumber(a)); err != nil {
			return err
		}
		if a.IsWhole() {
			return style(st.kronor, st.boldKronor)
		}
		return style(st.ore, st.boldOre)
	case report.Percent:
		// Tenths of a percent as a fraction: 625 → 0.625, shown "62,5 %".
		if err := f.SetCellDefault(sheet, cell, fractionOfTenths(c.Value)); err != nil {
			return err
		}
		return style(st.percent, st.boldPercent)
	case report.Date:
		d, err := time.Parse(time.DateOnly, c.Text)
		if err != nil {
			return f.SetCellStr(sheet, cell, c.Text)
		}
		if err := f.SetCellValue(sheet, cell, d); err != nil {
			return err
		}
		return style(st.date, st.date)
	default:
		if err := f.SetCellStr(sheet, cell, c.Text); err != nil {
			return err
		}
		if bold {
			return f.SetCellStyle(sheet, cell, cell, st.bold)
		}
		return nil
	}
}

// fractionOfTenths writes tenths of a percent as an exact decimal
// fraction: 625 → "0.625", -5 → "-0.005".
func fractionOfTenths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%03d", sign, v/1000, v%1000)
}
