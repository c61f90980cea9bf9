package server

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// activityExport is what both exports of the list write: every activity
// the list's filter selects, newest first, without paging.
type activityExport struct {
	agreementID int64
	activities  []partnership.Activity
	today       time.Time
}

// activityExportRows reads the activities of the list's query string page
// by page (keyset), so that the export holds the same rows as the list.
// A filter that cannot be read is a validation error (422).
func (s *Server) activityExportRows(r *http.Request) (activityExport, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return activityExport{}, err
	}
	ctx := r.Context()
	types, err := s.activityTypes().Types(ctx, id)
	if err != nil {
		return activityExport{}, err
	}
	today := s.agreementToday()
	f := parseActivityFilter(r.URL.Query(), today, types)
	if len(f.errs) > 0 {
		return activityExport{}, f.errs
	}
	out := activityExport{agreementID: id, today: today}
	store := postgres.NewActivities(s.db.Pool)
	var after *partnership.ActivityCursor
	for {
		page, err := store.List(ctx, id, f.filter, after, postgres.MaxActivityPage)
		if err != nil {
			return activityExport{}, err
		}
		out.activities = append(out.activities, page.Activities...)
		if page.Next == nil {
			return out, nil
		}
		after = page.Next
	}
}

// fileName names an export file after the agreement and the day.
func (e activityExport) fileName(ext string) string {
	return fmt.Sprintf("aktiviteter-%d-%s.%s", e.agreementID, e.today.Format(time.DateOnly), ext)
}

// handleActivityCSV exports the list in the columns of the import file,
// as Excel on a Swedish computer saves CSV, so that a file exported from
// one agreement imports into another. Text that a spreadsheet would read as
// a formula is quoted.
func (s *Server) handleActivityCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.activityExportRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records := make([][]string, 0, len(e.activities)+1)
	records = append(records, partnership.ActivityImportColumns)
	for _, a := range e.activities {
		record := partnership.FormatActivityImportRow(a)
		for i := range record {
			record[i] = csvSafe(record[i])
		}
		records = append(records, record)
	}
	download(w, "text/csv; charset=utf-8", e.fileName("csv"))
	w.Write(partnership.WriteActivityCSV(records)) //nolint:errcheck // the client went away
}

// handleActivityXLSX exports the list as an Excel workbook with the same
// columns: dates as date cells, hours and counts as numbers.
func (s *Server) handleActivityXLSX(w http.ResponseWriter, r *http.Request) {
	e, err := s.activityExportRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	buf, err := activityWorkbook(e.activities)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, xlsxType, e.fileName("xlsx"))
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// workbookHours is a duration as a number of hours for a spreadsheet cell,
// rounded to hundredths as partnership.FormatHours shows it.
func workbookHours(minutes int) float64 {
	return float64((int64(minutes)*100+30)/60) / 100
}

// activityWorkbook builds the workbook: a bold, frozen header row with an
// autofilter, then one row per activity.
func activityWorkbook(list []partnership.Activity) (*bytes.Buffer, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Aktiviteter"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	if err := f.SetSheetRow(sheet, "A1", &partnership.ActivityImportColumns); err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	for i, a := range list {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		values := []any{
			a.TypeName, a.Date, workbookHours(a.DurationMinutes), a.Women, a.Men, a.NonBinary, a.Children,
			workbookHours(a.VolunteerMinutes), a.StaffPresent, a.Place, a.Notes,
		}
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+2, err)
		}
	}
	cols := len(partnership.ActivityImportColumns)
	lastCol, _ := excelize.ColumnNumberToName(cols)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if err := f.SetCellStyle(sheet, "A1", lastCol+"1", bold); err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if len(list) > 0 {
		isoDate := "yyyy-mm-dd"
		dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &isoDate})
		if err != nil {
			return nil, fmt.Errorf("date style: %w", err)
		}
		if err := f.SetCellStyle(sheet, "B2", fmt.Sprintf("B%d", len(list)+1), dateStyle); err != nil {
			return nil, fmt.Errorf("date style: %w", err)
		}
	}
	for i, width := range []float64{30, 12, 9, 9, 9, 22, 9, 14, 10, 30, 50} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	if err := f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", lastCol, len(list)+1), nil); err != nil {
		return nil, fmt.Errorf("autofilter: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf, nil
}
