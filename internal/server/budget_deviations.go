package server

import (
	"errors"
	"maps"
	"net/http"
	"strings"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// budgetDeviation is a line or a stated total whose deviation an officer
// accepts with an explanation, or whose acceptance they withdraw.
type budgetDeviation struct {
	agreement partnership.Agreement
	dev       partnership.Deviation
	facts     []templates.AgreementFact
	path      string         // the deviation's route
	key       map[string]any // what the audit event names: line_id or total_id
	// validateNote checks an explanation the way the line or total does.
	validateNote func(note string) partnership.ValidationError
	// save records the explanation; an empty one withdraws the acceptance.
	save func(store *postgres.Budgets, note string) error
}

// loadBudgetLineDeviation reads the line of the route and its deviation. A line
// whose basis gives its stated amount, and that has no acceptance to
// withdraw, has nothing here: not found.
func (s *Server) loadBudgetLineDeviation(r *http.Request) (budgetDeviation, error) {
	a, l, err := s.loadBudgetLine(r)
	if err != nil {
		return budgetDeviation{}, err
	}
	d, ok := partnership.LineDeviation(l)
	if !(ok && d.Deviates()) && l.AcceptedNote == "" {
		return budgetDeviation{}, partnership.ErrNotFound
	}
	var basis []string
	if l.Basis != nil {
		for _, part := range []string{l.Basis.Description, budgetBasisFormula(*l.Basis)} {
			if part != "" {
				basis = append(basis, part)
			}
		}
	}
	return budgetDeviation{
		agreement: a, dev: d, path: budgetLinePath(a.ID, l.ID) + "/deviation", key: map[string]any{"line_id": l.ID, "budget_line": l.Text},
		facts: []templates.AgreementFact{
			{Label: "Budgetpost", Value: budgetPartyNames(a)[l.PartyID] + ": " + l.Text},
			{Label: "Underlag", Value: strings.Join(basis, "; ")},
			{Label: "Angivet belopp", Value: d.Stated.String()},
			{Label: "Underlaget ger", Value: d.Computed.String()},
			{Label: "Skillnad", Value: d.Diff.String(), TestID: "deviation-diff"},
		},
		validateNote: func(note string) partnership.ValidationError {
			l.AcceptedNote = note
			return budgetNoteError(l.Validate())
		},
		save: func(store *postgres.Budgets, note string) error {
			_, err := store.AcceptLineDeviation(r.Context(), a.ID, l.ID, note)
			return err
		},
	}, nil
}

// loadBudgetTotalDeviation reads the stated total of the route and its
// deviation from the sum of its lines, like loadBudgetLineDeviation.
func (s *Server) loadBudgetTotalDeviation(r *http.Request) (budgetDeviation, error) {
	a, t, err := s.loadBudgetTotal(r)
	if err != nil {
		return budgetDeviation{}, err
	}
	lines, err := s.budgets().Lines(r.Context(), a.ID)
	if err != nil {
		return budgetDeviation{}, err
	}
	d := partnership.TotalDeviation(t, lines)
	if !d.Deviates() && t.AcceptedNote == "" {
		return budgetDeviation{}, partnership.ErrNotFound
	}
	names := budgetPartyNames(a)
	return budgetDeviation{
		agreement: a, dev: d, path: budgetTotalPath(a.ID, t.ID) + "/deviation", key: map[string]any{"total_id": t.ID, "stated_total": budgetTotalLabel(t)},
		facts: []templates.AgreementFact{
			{Label: "Summa enligt underlaget", Value: budgetTotalLabel(t)},
			{Label: "Avser", Value: budgetTotalScope(t, names)},
			{Label: "Angivet belopp", Value: d.Stated.String()},
			{Label: "Summan av posterna", Value: d.Computed.String()},
			{Label: "Skillnad", Value: d.Diff.String(), TestID: "deviation-diff"},
		},
		validateNote: func(note string) partnership.ValidationError {
			t.AcceptedNote = note
			return budgetNoteError(t.Validate())
		},
		save: func(store *postgres.Budgets, note string) error {
			_, err := store.AcceptTotalDeviation(r.Context(), a.ID, t.ID, note)
			return err
		},
	}, nil
}

// budgetNoteError keeps only the explanation's problem of a validation error.
func budgetNoteError(err error) partnership.ValidationError {
	verr := partnership.ValidationError{}
	var v partnership.ValidationError
	if errors.As(err, &v) && v["accepted_note"] != "" {
		verr.Add("accepted_note", v["accepted_note"])
	}
	return verr
}

// renderBudgetDeviation shows the accept form, with 422 when it has errors.
func (s *Server) renderBudgetDeviation(w http.ResponseWriter, r *http.Request, d budgetDeviation, form templates.Form) {
	a := d.agreement
	vm := templates.BudgetDeviationFormVM{
		Base: s.base(r, "Godta avvikelse – "+a.Title), AgreementTitle: a.Title, BudgetURL: budgetPath(a.ID),
		Facts: d.facts, Form: form, Action: d.path,
	}
	if d.dev.Accepted {
		vm.WithdrawAction = d.path + "/withdraw"
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, templates.BudgetDeviationFormPage(vm))
}

// saveBudgetDeviation records the explanation (empty: withdraws) and its
// audit event in one transaction.
func (s *Server) saveBudgetDeviation(r *http.Request, d budgetDeviation, action, note string) error {
	_, err := saveBudgetItem(s, r, d.agreement.ID, action, func(store *postgres.Budgets) (struct{}, map[string]any, error) {
		details := map[string]any{"stated": d.dev.Stated.Plain(), "computed": d.dev.Computed.Plain(), "explanation": note}
		maps.Copy(details, d.key)
		return struct{}{}, details, d.save(store, note)
	})
	return err
}

// budgetShowDeviation answers the GET of an accept form.
func (s *Server) budgetShowDeviation(w http.ResponseWriter, r *http.Request, load func(*http.Request) (budgetDeviation, error)) {
	d, err := load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderBudgetDeviation(w, r, d, templates.Form{Values: map[string]string{"accepted_note": d.dev.Note}})
}

// budgetAcceptDeviation answers the POST of an accept form: an explanation is
// required.
func (s *Server) budgetAcceptDeviation(w http.ResponseWriter, r *http.Request, load func(*http.Request) (budgetDeviation, error)) {
	d, err := load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw := r.PostForm.Get("accepted_note")
	note := strings.TrimSpace(raw)
	verr := d.validateNote(note)
	if note == "" {
		verr.Add("accepted_note", "Skriv varför avvikelsen godtas.")
	}
	if len(verr) > 0 {
		s.renderBudgetDeviation(w, r, d, templates.Form{Values: map[string]string{"accepted_note": raw}, Errors: verr})
		return
	}
	if err := s.saveBudgetDeviation(r, d, "budget.accept_deviation", note); err != nil {
		s.fail(w, r, err)
		return
	}
	s.budgetDone(w, r, d.agreement.ID, "Avvikelsen godtogs: "+d.dev.Diff.String()+".")
}

// budgetWithdrawDeviation removes the acceptance of a deviation.
func (s *Server) budgetWithdrawDeviation(w http.ResponseWriter, r *http.Request, load func(*http.Request) (budgetDeviation, error)) {
	d, err := load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !d.dev.Accepted {
		s.budgetDone(w, r, d.agreement.ID, "Avvikelsen var inte godkänd.")
		return
	}
	if err := s.saveBudgetDeviation(r, d, "budget.withdraw_deviation", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.budgetDone(w, r, d.agreement.ID, "Godkännandet av avvikelsen återkallades.")
}

func (s *Server) handleBudgetLineDeviationForm(w http.ResponseWriter, r *http.Request) {
	s.budgetShowDeviation(w, r, s.loadBudgetLineDeviation)
}

func (s *Server) handleBudgetLineDeviationAccept(w http.ResponseWriter, r *http.Request) {
	s.budgetAcceptDeviation(w, r, s.loadBudgetLineDeviation)
}

func (s *Server) handleBudgetLineDeviationWithdraw(w http.ResponseWriter, r *http.Request) {
	s.budgetWithdrawDeviation(w, r, s.loadBudgetLineDeviation)
}

func (s *Server) handleBudgetTotalDeviationForm(w http.ResponseWriter, r *http.Request) {
	s.budgetShowDeviation(w, r, s.loadBudgetTotalDeviation)
}

func (s *Server) handleBudgetTotalDeviationAccept(w http.ResponseWriter, r *http.Request) {
	s.budgetAcceptDeviation(w, r, s.loadBudgetTotalDeviation)
}

func (s *Server) handleBudgetTotalDeviationWithdraw(w http.ResponseWriter, r *http.Request) {
	s.budgetWithdrawDeviation(w, r, s.loadBudgetTotalDeviation)
}
