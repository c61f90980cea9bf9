package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// activityExport is what both exports of the list write: every activity
// the list's filter selects, newest first, without paging, read as it is
// written (postgres.Activities.Each).
type activityExport struct {
	agreementID int64
	filter      partnership.ActivityFilter
	today       time.Time
}

// activityExportFilter reads the list's query string, so that the export
// holds the same rows as the list. A filter that cannot be read is a
// validation error (422).
func (s *Server) activityExportFilter(r *http.Request) (activityExport, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return activityExport{}, err
	}
	types, err := s.activityTypes().Types(r.Context(), id)
	if err != nil {
		return activityExport{}, err
	}
	today := s.agreementToday()
	f := parseActivityFilter(r.URL.Query(), today, types)
	if len(f.errs) > 0 {
		return activityExport{}, f.errs
	}
	return activityExport{agreementID: id, filter: f.filter, today: today}, nil
}

// each calls fn with each exported activity as it is read.
func (s *Server) eachExported(ctx context.Context, e activityExport, fn func(partnership.Activity) error) error {
	return postgres.NewActivities(s.db.Pool).Each(ctx, e.agreementID, e.filter, fn)
}

// fileName names an export file after the agreement and the day.
func (e activityExport) fileName(ext string) string {
	return fmt.Sprintf("aktiviteter-%d-%s.%s", e.agreementID, e.today.Format(time.DateOnly), ext)
}

// handleActivityCSV exports the list in the columns of the import file,
// as Excel on a Swedish computer saves CSV, so that a file exported from
// one agreement imports into another. Text that a spreadsheet would read as
// a formula is quoted. Rows are written as they are read.
func (s *Server) handleActivityCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.activityExportFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.streamExport(w, r, "text/csv; charset=utf-8", e.fileName("csv"), func(out io.Writer) error {
		cw := csvExportWriter(out)
		if err := cw.Write(partnership.ActivityImportColumns); err != nil {
			return err
		}
		err := s.eachExported(r.Context(), e, func(a partnership.Activity) error {
			record := partnership.FormatActivityImportRow(a)
			for i := range record {
				record[i] = csvSafe(record[i])
			}
			return cw.Write(record)
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// handleActivityXLSX exports the list as an Excel workbook with the same
// columns: dates as date cells, hours and counts as numbers. The sheet is
// written with excelize's stream writer as the rows are read (it keeps at
// most 16 MB of them in memory and the rest in a temporary file).
func (s *Server) handleActivityXLSX(w http.ResponseWriter, r *http.Request) {
	e, err := s.activityExportFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.streamExport(w, r, xlsxType, e.fileName("xlsx"), func(out io.Writer) error {
		return activityWorkbook(out, func(fn func(partnership.Activity) error) error {
			return s.eachExported(r.Context(), e, fn)
		})
	})
}

// workbookHours is a duration as a number of hours for a spreadsheet cell,
// rounded to hundredths as partnership.FormatHours shows it.
func workbookHours(minutes int) float64 {
	return float64((int64(minutes)*100+30)/60) / 100
}

// activityWorkbook writes the workbook to out: a bold, frozen header row,
// then one row per activity that each yields, and a table over them whose
// header has the filter buttons.
func activityWorkbook(out io.Writer, each func(func(partnership.Activity) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Aktiviteter"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	isoDate := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &isoDate})
	if err != nil {
		return fmt.Errorf("date style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("stream sheet: %w", err)
	}
	for i, width := range []float64{30, 12, 9, 9, 9, 22, 9, 14, 10, 30, 50} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	header := make([]any, len(partnership.ActivityImportColumns))
	for i, name := range partnership.ActivityImportColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("header row: %w", err)
	}
	row := 1
	values := make([]any, len(partnership.ActivityImportColumns))
	err = each(func(a partnership.Activity) error {
		row++
		values[0], values[1], values[2] = a.TypeName, excelize.Cell{StyleID: dateStyle, Value: a.Date}, workbookHours(a.DurationMinutes)
		values[3], values[4], values[5], values[6] = a.Women, a.Men, a.NonBinary, a.Children
		values[7], values[8], values[9], values[10] = workbookHours(a.VolunteerMinutes), a.StaffPresent, a.Place, a.Notes
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, values); err != nil {
			return fmt.Errorf("row %d: %w", row, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(partnership.ActivityImportColumns))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:%s%d", lastCol, max(row, 2)), Name: "Aktiviteter",
		ShowRowStripes: &noStripes}); err != nil {
		return fmt.Errorf("filter table: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	if err := f.Write(out); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
