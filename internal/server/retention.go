package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"iop/internal/partnership"
	"iop/internal/retention"
	"iop/templates"
)

const retentionPath = "/admin/retention"

// retentionService is the retention use cases on the server's database
// and clock; it holds no state of its own, so one per request is cheap.
func (s *Server) retentionService() *retention.Service { return retention.NewService(s.db, s.now) }

func (s *Server) renderRetention(w http.ResponseWriter, r *http.Request, values, errs map[string]string) {
	svc := s.retentionService()
	actor := actorOf(r)
	vm := templates.RetentionVM{Base: s.base(r, "Gallring"), Form: templates.Form{Values: values, Errors: errs}}
	p, err := svc.Policy(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm.UpdatedAt = formatDateTime(&p.UpdatedAt, "")
	if values == nil {
		vm.Form.Values = map[string]string{"identity_months": strconv.Itoa(p.IdentityMonths),
			"notes_months": strconv.Itoa(p.NotesMonths), "assessment_months": strconv.Itoa(p.AssessmentMonths)}
	}
	c, err := svc.Purge(r.Context(), actor, true)
	switch {
	case errors.Is(err, retention.ErrBusy):
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		vm.Preview = []templates.RetentionCount{
			{Label: "Identitetsuppgifter", Count: strconv.Itoa(c.Identities)},
			{Label: "Samtycken som avslutas", Count: strconv.Itoa(c.Consents)},
			{Label: "Kommentarer vid avböjande", Count: strconv.Itoa(c.DeclineNotes)},
			{Label: "IUP-mål (text och utfall)", Count: strconv.Itoa(c.GoalNotes)},
			{Label: "Anteckningar vid uppföljning", Count: strconv.Itoa(c.FollowUpNotes)},
			{Label: "Skattningar", Count: strconv.Itoa(c.Assessments)},
		}
	}
	s.render(w, r, formStatus(vm.Form), templates.RetentionPage(vm))
}

func (s *Server) handleRetention(w http.ResponseWriter, r *http.Request) {
	s.renderRetention(w, r, nil, nil)
}

// handleRetentionUpdate stores the retention periods.
func (s *Server) handleRetentionUpdate(w http.ResponseWriter, r *http.Request) {
	values := postedValues(r, "identity_months", "notes_months", "assessment_months")
	verr := partnership.ValidationError{}
	month := func(field string) int {
		n, err := strconv.Atoi(strings.TrimSpace(values[field]))
		if err != nil {
			verr.Add(field, partnership.MsgRetentionMonths)
		}
		return n
	}
	p := partnership.RetentionPolicy{IdentityMonths: month("identity_months"), NotesMonths: month("notes_months"),
		AssessmentMonths: month("assessment_months")}
	if len(verr) == 0 {
		err := s.retentionService().SetPolicy(r.Context(), actorOf(r), p)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		s.renderRetention(w, r, values, verr)
		return
	}
	s.flash(r, "Gallringstiderna sparades.")
	http.Redirect(w, r, retentionPath, http.StatusSeeOther)
}
