package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
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
