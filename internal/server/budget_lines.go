package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// msgBudgetLineLocked explains why a line with locked amounts stays.
const msgBudgetLineLocked = "Budgetposten har belopp i ett låst år (fakturerat eller rapporterat) och kan därför inte tas bort. " +
	"Ändra den i stället: en ändring påverkar bara år som inte är låsta."

// budgetLineFieldNames are the line form's fields.
var budgetLineFieldNames = []string{
	"party_id", "section", "text", "category", "kind", "indexed", "amount", "basis_quantity", "basis_unit_price",
	"basis_unit", "basis_share", "basis_periods", "basis_persons", "basis_description",
}

// budgetBasisFieldNames are the fields of the optional basis.
var budgetBasisFieldNames = []string{
	"basis_quantity", "basis_unit_price", "basis_unit", "basis_share", "basis_periods", "basis_persons", "basis_description",
}

// budgetLineValues are the line form's values for l.
func budgetLineValues(l partnership.BudgetLine) map[string]string {
	values := map[string]string{
		"party_id": "", "section": l.Section, "text": l.Text, "category": l.Category, "kind": string(l.Kind),
		"indexed": "", "amount": budgetFormAmount(l.Amount),
	}
	if l.PartyID != 0 {
		values["party_id"] = strconv.FormatInt(l.PartyID, 10)
	}
	if l.Indexed {
		values["indexed"] = "on"
	}
	for _, f := range budgetBasisFieldNames {
		values[f] = ""
	}
	if b := l.Basis; b != nil {
		values["basis_quantity"] = strconv.FormatInt(b.Quantity, 10)
		values["basis_unit"], values["basis_description"] = b.Unit, b.Description
		values["basis_share"] = budgetFormPercent(b.ShareBP)
		values["basis_periods"], values["basis_persons"] = strconv.FormatInt(b.Periods, 10), strconv.FormatInt(b.Persons, 10)
		if b.Priced() {
			values["basis_unit_price"] = budgetFormAmount(b.UnitPrice)
		}
	}
	return values
}

// parseBudgetLine reads the line form. The values are kept for showing the
// form again; fields that do not parse are reported in verr. Without any
// basis field filled in, the line has no basis.
func parseBudgetLine(r *http.Request) (partnership.BudgetLine, map[string]string, partnership.ValidationError) {
	values := map[string]string{}
	for _, f := range budgetLineFieldNames {
		values[f] = r.PostForm.Get(f)
	}
	verr := partnership.ValidationError{}
	t := func(name string) string { return strings.TrimSpace(values[name]) }
	l := partnership.BudgetLine{
		PartyID: budgetPartyID(values, verr), Section: t("section"), Text: t("text"), Category: t("category"),
		Kind: partnership.ContributionKind(values["kind"]), Indexed: values["indexed"] == "on",
	}
	amount, err := money.Parse(values["amount"])
	if err != nil {
		verr.Add("amount", err.Error())
	}
	l.Amount = amount
	if slices.ContainsFunc(budgetBasisFieldNames, func(f string) bool { return t(f) != "" }) {
		b := partnership.Basis{
			Quantity: budgetInt(values, "basis_quantity", 1, verr), Unit: t("basis_unit"), ShareBP: partnership.FullShareBP,
			Periods: budgetInt(values, "basis_periods", 1, verr), Persons: budgetInt(values, "basis_persons", 1, verr),
			Description: t("basis_description"),
		}
		if v := t("basis_unit_price"); v != "" {
			if b.UnitPrice, err = money.Parse(v); err != nil {
				verr.Add("basis_unit_price", err.Error())
			}
		}
		if v := t("basis_share"); v != "" {
			if b.ShareBP, err = money.ParsePercent(v); err != nil {
				verr.Add("basis_share", err.Error())
			}
		}
		l.Basis = &b
	}
	return l, values, verr
}

// budgetLockedYears lists the years whose amounts of the line are locked,
// e.g. "2023, 2024", or "".
func (s *Server) budgetLockedYears(ctx context.Context, agreementID, lineID int64) (string, error) {
	amounts, err := postgres.NewYearAmounts(s.db.Pool).ForAgreement(ctx, agreementID)
	if err != nil {
		return "", err
	}
	var years []string
	for _, am := range amounts {
		if am.LineID == lineID && am.Locked {
			years = append(years, strconv.Itoa(am.Year))
		}
	}
	return strings.Join(years, ", "), nil
}

// renderBudgetLineForm shows the line form (lineID 0: a new line) with
// status 422 when it has errors.
func (s *Server) renderBudgetLineForm(w http.ResponseWriter, r *http.Request, a partnership.Agreement, lineID int64, form templates.Form) {
	ctx := r.Context()
	sections, err := s.budgetSections(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.BudgetLineFormVM{
		AgreementTitle: a.Title, LineID: lineID, Action: budgetPath(a.ID) + "/lines",
		BudgetURL: budgetPath(a.ID), Form: form, Sections: sections,
		Parties: budgetPartyOptions(a, form.Value("party_id"), templates.Option{Value: "", Label: "Välj part"}),
	}
	title := "Ny budgetpost"
	if lineID != 0 {
		title, vm.Action = "Ändra budgetpost", budgetLinePath(a.ID, lineID)
		if vm.LockedYears, err = s.budgetLockedYears(ctx, a.ID, lineID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	vm.Base = s.base(r, title+" – "+a.Title)
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, templates.BudgetLineFormPage(vm))
}

// budgetLineDetails are the audit details of a change to a line.
func budgetLineDetails(l partnership.BudgetLine) map[string]any {
	return map[string]any{"line_id": l.ID, "party_id": l.PartyID, "budget_line": l.Text, "amount": l.Amount.Plain()}
}

func (s *Server) handleBudgetLineNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := budgetLineValues(partnership.BudgetLine{Kind: partnership.Cash, Indexed: true})
	values["amount"] = ""
	s.renderBudgetLineForm(w, r, a, 0, templates.Form{Values: values})
}

func (s *Server) handleBudgetLineCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, values, verr := parseBudgetLine(r)
	l.AgreementID = a.ID
	validationOf(verr, l.Validate())
	l, ok := submitBudgetForm(s, w, r, a.ID, "budget.line_create", verr,
		func(store *postgres.Budgets) (partnership.BudgetLine, map[string]any, error) {
			created, err := store.CreateLine(r.Context(), l)
			return created, budgetLineDetails(created), err
		},
		func() { s.renderBudgetLineForm(w, r, a, 0, templates.Form{Values: values, Errors: verr}) })
	if ok {
		s.budgetDone(w, r, a.ID, fmt.Sprintf("Budgetposten %s lades till.", l.Text))
	}
}

// loadBudgetLine reads the agreement and the line of the route; the store
// finds a line only through its own agreement.
func (s *Server) loadBudgetLine(r *http.Request) (partnership.Agreement, partnership.BudgetLine, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return a, partnership.BudgetLine{}, err
	}
	lineID, err := urlID(r, "lineID")
	if err != nil {
		return a, partnership.BudgetLine{}, err
	}
	l, err := s.budgets().Line(r.Context(), a.ID, lineID)
	return a, l, err
}

func (s *Server) handleBudgetLineEdit(w http.ResponseWriter, r *http.Request) {
	a, l, err := s.loadBudgetLine(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderBudgetLineForm(w, r, a, l.ID, templates.Form{Values: budgetLineValues(l)})
}

func (s *Server) handleBudgetLineUpdate(w http.ResponseWriter, r *http.Request) {
	a, current, err := s.loadBudgetLine(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, values, verr := parseBudgetLine(r)
	l.ID, l.AgreementID, l.AcceptedNote = current.ID, a.ID, current.AcceptedNote
	validationOf(verr, l.Validate())
	changed := changedFields(budgetLineFieldNames, budgetLineValues(current), budgetLineValues(l))
	if len(verr) == 0 && len(changed) == 0 {
		s.budgetDone(w, r, a.ID, "Budgetposten var oförändrad.")
		return
	}
	l, ok := submitBudgetForm(s, w, r, a.ID, "budget.line_update", verr,
		func(store *postgres.Budgets) (partnership.BudgetLine, map[string]any, error) {
			updated, err := store.UpdateLine(r.Context(), l)
			details := budgetLineDetails(updated)
			details["changed"] = changed
			return updated, details, err
		},
		func() { s.renderBudgetLineForm(w, r, a, current.ID, templates.Form{Values: values, Errors: verr}) })
	if ok {
		s.budgetDone(w, r, a.ID, fmt.Sprintf("Ändringarna av budgetposten %s sparades.", l.Text))
	}
}

// budgetLineConfirmVM asks before removing l.
func budgetLineConfirmVM(a partnership.Agreement, l partnership.BudgetLine) templates.BudgetConfirmVM {
	return templates.BudgetConfirmVM{
		Heading: "Ta bort budgetpost",
		Text: fmt.Sprintf("Vill du ta bort budgetposten %s (%s, %s per år) ur budgeten? Den kan inte återställas.",
			l.Text, budgetPartyNames(a)[l.PartyID], l.Amount),
		Action: budgetLinePath(a.ID, l.ID) + "/delete", Confirm: "Ta bort budgetpost",
	}
}

func (s *Server) handleBudgetLineDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, l, err := s.loadBudgetLine(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := budgetLineConfirmVM(a, l)
	locked, err := s.budgetLockedYears(r.Context(), a.ID, l.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if locked != "" {
		vm.Error = msgBudgetLineLocked
	}
	s.budgetConfirm(w, r, http.StatusOK, a, vm)
}

func (s *Server) handleBudgetLineDelete(w http.ResponseWriter, r *http.Request) {
	a, l, err := s.loadBudgetLine(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = saveBudgetItem(s, r, a.ID, "budget.line_delete", func(store *postgres.Budgets) (partnership.BudgetLine, map[string]any, error) {
		deleted, err := store.DeleteLine(r.Context(), a.ID, l.ID)
		return deleted, budgetLineDetails(deleted), err
	})
	switch {
	case errors.Is(err, partnership.ErrYearLocked):
		vm := budgetLineConfirmVM(a, l)
		vm.Error = msgBudgetLineLocked
		s.budgetConfirm(w, r, http.StatusConflict, a, vm)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.budgetDone(w, r, a.ID, fmt.Sprintf("Budgetposten %s togs bort.", l.Text))
	}
}
