package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// budgetFormAmount writes an amount for a form field: "1 251 000" or
// "18,50", which money.Parse reads back.
func budgetFormAmount(a money.Amount) string {
	return strings.TrimSuffix(strings.ReplaceAll(a.String(), "\u00a0", " "), " kr")
}

// budgetFormPercent writes basis points for a form field: "20" or "2,5".
func budgetFormPercent(bp int64) string {
	return strings.TrimSuffix(strings.ReplaceAll(money.FormatPercent(bp), "\u00a0", " "), " %")
}

// budgetInt reads a whole number field (digit groups may be spaced); an
// empty field is def.
func budgetInt(values map[string]string, field string, def int64, verr partnership.ValidationError) int64 {
	v := strings.Join(strings.Fields(values[field]), "")
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		verr.Add(field, "Ange ett heltal.")
		return def
	}
	return n
}

// budgetPartyID reads the party field: empty is 0.
func budgetPartyID(values map[string]string, verr partnership.ValidationError) int64 {
	v := strings.TrimSpace(values["party_id"])
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		verr.Add("party_id", "Välj en av överenskommelsens parter.")
	}
	return id
}

// budgetPartyOptions are the agreement's parties for a select, the chosen
// one selected; first the given empty choice.
func budgetPartyOptions(a partnership.Agreement, chosen string, empty templates.Option) []templates.Option {
	empty.Selected = chosen == empty.Value
	opts := []templates.Option{empty}
	for _, p := range a.Parties {
		v := strconv.FormatInt(p.ID, 10)
		opts = append(opts, templates.Option{Value: v, Label: p.OrganisationName + " (" + p.Role.Label() + ")", Selected: chosen == v})
	}
	return opts
}

// budgetSections are the distinct sections of the agreement's lines.
func (s *Server) budgetSections(ctx context.Context, agreementID int64) ([]string, error) {
	lines, err := s.budgets().Lines(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range lines {
		if l.Section != "" && !slices.Contains(out, l.Section) {
			out = append(out, l.Section)
		}
	}
	return out, nil
}

// budgetConfirm shows a confirmation page, or why there is nothing to
// confirm, with the status.
func (s *Server) budgetConfirm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, vm templates.BudgetConfirmVM) {
	vm.Base = s.base(r, vm.Heading+" – "+a.Title)
	vm.AgreementTitle, vm.BudgetURL = a.Title, budgetPath(a.ID)
	s.render(w, r, status, templates.BudgetConfirmPage(vm))
}

// saveBudgetItem runs save, a change to a line, a stated total or the
// acceptance of a deviation, in a transaction and records the audit event
// with the details it returns.
func saveBudgetItem[T any](s *Server, r *http.Request, agreementID int64, action string,
	save func(store *postgres.Budgets) (T, map[string]any, error)) (T, error) {
	ctx := r.Context()
	var saved T
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		item, details, err := save(postgres.NewBudgets(tx))
		if err != nil {
			return err
		}
		saved = item
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, action, agreementID, details))
	})
	return saved, err
}

// submitBudgetForm saves a line or total form through saveBudgetItem when
// verr is empty. When the form or the store finds the input invalid, it
// shows the form again through showForm, with the errors added to verr.
// ok is false when it has answered the request itself.
func submitBudgetForm[T any](s *Server, w http.ResponseWriter, r *http.Request, agreementID int64, action string,
	verr partnership.ValidationError, save func(store *postgres.Budgets) (T, map[string]any, error), showForm func()) (saved T, ok bool) {
	if len(verr) == 0 {
		var err error
		saved, err = saveBudgetItem(s, r, agreementID, action, save)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return saved, false
		}
	}
	if len(verr) > 0 {
		showForm()
		return saved, false
	}
	return saved, true
}

// budgetDone goes back to the agreement's budget with the flash message.
func (s *Server) budgetDone(w http.ResponseWriter, r *http.Request, agreementID int64, msg string) {
	s.flash(r, msg)
	http.Redirect(w, r, budgetPath(agreementID), http.StatusSeeOther)
}
