package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// budgetTotalFieldNames are the stated total form's fields.
var budgetTotalFieldNames = []string{"party_id", "section", "label", "amount"}

// budgetTotalValues are the total form's values for t; party "0" is the
// whole agreement.
func budgetTotalValues(t partnership.StatedTotal) map[string]string {
	return map[string]string{
		"party_id": strconv.FormatInt(t.PartyID, 10), "section": t.Section, "label": t.Label,
		"amount": budgetFormAmount(t.Amount),
	}
}

// parseBudgetTotal reads the total form; values are kept for showing the
// form again and fields that do not parse are reported in verr.
func parseBudgetTotal(r *http.Request) (partnership.StatedTotal, map[string]string, partnership.ValidationError) {
	values := map[string]string{}
	for _, f := range budgetTotalFieldNames {
		values[f] = r.PostForm.Get(f)
	}
	verr := partnership.ValidationError{}
	t := partnership.StatedTotal{
		PartyID: budgetPartyID(values, verr), Section: strings.TrimSpace(values["section"]),
		Label: strings.TrimSpace(values["label"]),
	}
	amount, err := money.Parse(values["amount"])
	if err != nil {
		verr.Add("amount", err.Error())
	}
	t.Amount = amount
	return t, values, verr
}

// renderBudgetTotalForm shows the total form (totalID 0: a new total) with
// status 422 when it has errors.
func (s *Server) renderBudgetTotalForm(w http.ResponseWriter, r *http.Request, a partnership.Agreement, totalID int64, form templates.Form) {
	sections, err := s.budgetSections(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.BudgetTotalFormVM{
		AgreementTitle: a.Title, TotalID: totalID, Action: budgetPath(a.ID) + "/totals",
		BudgetURL: budgetPath(a.ID), Form: form, Sections: sections,
		Parties: budgetPartyOptions(a, form.Value("party_id"), templates.Option{Value: "0", Label: "Hela överenskommelsen"}),
	}
	title := "Ny angiven summa"
	if totalID != 0 {
		title, vm.Action = "Ändra angiven summa", budgetTotalPath(a.ID, totalID)
	}
	vm.Base = s.base(r, title+" – "+a.Title)
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, templates.BudgetTotalFormPage(vm))
}

// budgetTotalDetails are the audit details of a change to a stated total.
func budgetTotalDetails(t partnership.StatedTotal) map[string]any {
	return map[string]any{"total_id": t.ID, "party_id": t.PartyID, "section": t.Section, "stated_total": t.Label, "amount": t.Amount.Plain()}
}

func (s *Server) handleBudgetTotalNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := budgetTotalValues(partnership.StatedTotal{})
	values["amount"] = ""
	s.renderBudgetTotalForm(w, r, a, 0, templates.Form{Values: values})
}

func (s *Server) handleBudgetTotalCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, values, verr := parseBudgetTotal(r)
	t.AgreementID = a.ID
	validationOf(verr, t.Validate())
	t, ok := submitBudgetForm(s, w, r, a.ID, "budget.total_create", verr,
		func(store *postgres.Budgets) (partnership.StatedTotal, map[string]any, error) {
			created, err := store.CreateTotal(r.Context(), t)
			return created, budgetTotalDetails(created), err
		},
		func() { s.renderBudgetTotalForm(w, r, a, 0, templates.Form{Values: values, Errors: verr}) })
	if ok {
		s.budgetDone(w, r, a.ID, fmt.Sprintf("Summan %s lades till.", t.Amount))
	}
}

// loadBudgetTotal reads the agreement and the stated total of the route.
func (s *Server) loadBudgetTotal(r *http.Request) (partnership.Agreement, partnership.StatedTotal, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return a, partnership.StatedTotal{}, err
	}
	totalID, err := urlID(r, "totalID")
	if err != nil {
		return a, partnership.StatedTotal{}, err
	}
	t, err := s.budgets().Total(r.Context(), a.ID, totalID)
	return a, t, err
}

func (s *Server) handleBudgetTotalEdit(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadBudgetTotal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderBudgetTotalForm(w, r, a, t.ID, templates.Form{Values: budgetTotalValues(t)})
}

func (s *Server) handleBudgetTotalUpdate(w http.ResponseWriter, r *http.Request) {
	a, current, err := s.loadBudgetTotal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, values, verr := parseBudgetTotal(r)
	t.ID, t.AgreementID, t.AcceptedNote = current.ID, a.ID, current.AcceptedNote
	validationOf(verr, t.Validate())
	changed := changedFields(budgetTotalFieldNames, budgetTotalValues(current), budgetTotalValues(t))
	if len(verr) == 0 && len(changed) == 0 {
		s.budgetDone(w, r, a.ID, "Summan var oförändrad.")
		return
	}
	_, ok := submitBudgetForm(s, w, r, a.ID, "budget.total_update", verr,
		func(store *postgres.Budgets) (partnership.StatedTotal, map[string]any, error) {
			updated, err := store.UpdateTotal(r.Context(), t)
			details := budgetTotalDetails(updated)
			details["changed"] = changed
			return updated, details, err
		},
		func() { s.renderBudgetTotalForm(w, r, a, current.ID, templates.Form{Values: values, Errors: verr}) })
	if ok {
		s.budgetDone(w, r, a.ID, "Ändringarna av summan sparades.")
	}
}

func (s *Server) handleBudgetTotalDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadBudgetTotal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := budgetPartyNames(a)
	s.budgetConfirm(w, r, http.StatusOK, a, templates.BudgetConfirmVM{
		Heading: "Ta bort angiven summa",
		Text: fmt.Sprintf("Vill du ta bort summan %s (%s, %s)? Budgetposterna påverkas inte.",
			budgetTotalLabel(t), budgetTotalScope(t, names), t.Amount),
		Action: budgetTotalPath(a.ID, t.ID) + "/delete", Confirm: "Ta bort summa",
	})
}

func (s *Server) handleBudgetTotalDelete(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadBudgetTotal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = saveBudgetItem(s, r, a.ID, "budget.total_delete", func(store *postgres.Budgets) (partnership.StatedTotal, map[string]any, error) {
		deleted, err := store.DeleteTotal(r.Context(), a.ID, t.ID)
		return deleted, budgetTotalDetails(deleted), err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.budgetDone(w, r, a.ID, fmt.Sprintf("Summan %s (%s) togs bort.", budgetTotalLabel(t), budgetTotalScope(t, budgetPartyNames(a))))
}
