package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// maxActivityImportSize bounds an import file: ten thousand rows of
// activities fit with room to spare.
const maxActivityImportSize = 5 << 20

// Messages of the import form's file field.
const (
	msgImportTooLarge = "Filen är större än 5 MB. Dela upp den i flera filer och importera dem var för sig."
	msgImportMissing  = "Välj en CSV-fil att importera."
)

func activityImportPath(agreementID int64) string { return activitiesPath(agreementID) + "/import" }

// renderActivityImport shows the import page, with status 422 when the
// file was refused.
func (s *Server) renderActivityImport(w http.ResponseWriter, r *http.Request, c activityContext, fileName string,
	form templates.Form, problems partnership.ActivityImportErrors) {
	id := c.agreement.ID
	vm := templates.ActivityImportVM{
		Base: s.base(r, "Importera aktiviteter – "+c.agreement.Title), AgreementTitle: c.agreement.Title,
		ListURL: activitiesPath(id), Action: activityImportPath(id), TemplateURL: activityImportPath(id) + "/template.csv",
		MaxSize: "5 MB", Columns: partnership.ActivityImportColumns, FileName: fileName, Form: form,
	}
	for _, t := range c.types {
		if t.Active {
			vm.Types = append(vm.Types, t.Name)
		}
	}
	var status int
	vm.Errors, status = importProblems(form, problems)
	s.render(w, r, status, templates.ActivityImportPage(vm))
}

func (s *Server) handleActivityImportForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityImport(w, r, c, "", templates.Form{}, nil)
}

// handleActivityImportTemplate sends the file to fill in: the columns and
// an example row with the agreement's first type.
func (s *Server) handleActivityImportTemplate(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "text/csv; charset=utf-8", "aktiviteter-mall.csv")
	w.Write(partnership.ActivityImportTemplate(c.types, c.today)) //nolint:errcheck // the client went away
}

// importProblems are an import's problems as the page lists them, by row
// (none for a problem of the whole file) and column, and the page's status:
// 422 when the form or the file has any, so that nothing was imported.
func importProblems(form templates.Form, problems partnership.ImportErrors) ([]templates.ImportErrorRow, int) {
	var rows []templates.ImportErrorRow
	for _, p := range problems {
		row := ""
		if p.Row > 0 {
			row = strconv.Itoa(p.Row)
		}
		rows = append(rows, templates.ImportErrorRow{Row: row, Column: p.Column, Message: p.Message})
	}
	if form.HasErrors() || len(problems) > 0 {
		return rows, http.StatusUnprocessableEntity
	}
	return rows, http.StatusOK
}

// readImportFile reads the uploaded file, which readInput has parsed under
// the upload limit, against the import's own limit; a missing or too large
// file is a message for the file field.
func readImportFile(r *http.Request) (name string, data []byte, msg string, err error) {
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		return "", nil, msgImportMissing, nil
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files; the OS cleans up what is left
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return "", nil, msgImportMissing, nil
	}
	if err != nil {
		return "", nil, "", fmt.Errorf("open uploaded file: %w", err)
	}
	defer file.Close()
	if header.Size > maxActivityImportSize {
		return header.Filename, nil, msgImportTooLarge, nil
	}
	data, err = io.ReadAll(io.LimitReader(file, maxActivityImportSize+1))
	if err != nil {
		return "", nil, "", fmt.Errorf("read uploaded file: %w", err)
	}
	if len(data) > maxActivityImportSize {
		return header.Filename, nil, msgImportTooLarge, nil
	}
	return header.Filename, data, "", nil
}

// lockedImportYears lists, as import problems, the rows dated in a year
// that is locked for the agreement.
func lockedImportYears(list []partnership.Activity, locked map[int]bool) partnership.ActivityImportErrors {
	var years []int
	for _, a := range list {
		if y := a.Date.Year(); locked[y] && !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	var problems partnership.ActivityImportErrors
	for _, y := range years {
		problems = append(problems, partnership.ActivityImportError{Column: "Datum", Message: lockedMessage(y)})
	}
	return problems
}

// handleActivityImport imports a CSV file of activities: every row is
// checked first, and a file with any problem stores nothing and lists
// them all; a clean file is stored with one COPY in the transaction that
// audits the import.
func (s *Server) handleActivityImport(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, data, msg, err := readImportFile(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if msg != "" {
		s.renderActivityImport(w, r, c, name, templates.Form{Errors: map[string]string{"file": msg}}, nil)
		return
	}
	list, err := partnership.ParseActivityImport(data, c.types, c.today)
	var problems partnership.ActivityImportErrors
	if errors.As(err, &problems) {
		s.renderActivityImport(w, r, c, name, templates.Form{}, problems)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	locked, err := s.lockedYears(r.Context(), c.agreement.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if problems := lockedImportYears(list, locked); len(problems) > 0 {
		s.renderActivityImport(w, r, c, name, templates.Form{}, problems)
		return
	}
	u := currentUser(r)
	var org *int64
	if u.Role == partnership.RoleAssociationStaff {
		org = u.OrganisationID
	}
	ctx := r.Context()
	var n int64
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if n, err = postgres.NewActivities(tx).Import(ctx, c.agreement.ID, &u.ID, org, list); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, "activity.import", c.agreement.ID,
			map[string]any{"rows": n, "file_name": name}))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n == 1 {
		s.flash(r, "1 aktivitet importerades.")
	} else {
		s.flash(r, fmt.Sprintf("%d aktiviteter importerades.", n))
	}
	http.Redirect(w, r, activitiesPath(c.agreement.ID)+"?"+importedPeriod(list).Encode(), http.StatusSeeOther)
}

// importedPeriod is the list's filter that shows every imported activity.
func importedPeriod(list []partnership.Activity) url.Values {
	first, last := list[0].Date, list[0].Date
	for _, a := range list {
		if a.Date.Before(first) {
			first = a.Date
		}
		if a.Date.After(last) {
			last = a.Date
		}
	}
	return url.Values{"from": {first.Format(time.DateOnly)}, "to": {last.Format(time.DateOnly)}}
}
