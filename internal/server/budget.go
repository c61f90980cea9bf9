package server

import (
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

func budgetPath(agreementID int64) string { return agreementPath(agreementID) + "/budget" }

func budgetLinePath(agreementID, lineID int64) string {
	return budgetPath(agreementID) + "/lines/" + strconv.FormatInt(lineID, 10)
}

func budgetTotalPath(agreementID, totalID int64) string {
	return budgetPath(agreementID) + "/totals/" + strconv.FormatInt(totalID, 10)
}

// budgets is the budget store on the pool.
func (s *Server) budgets() *postgres.Budgets { return postgres.NewBudgets(s.db.Pool) }

// loadBudget reads the agreement of the route (through agreementID, which
// scopes association staff) and its whole budget.
func (s *Server) loadBudget(r *http.Request) (partnership.Agreement, partnership.Budget, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return partnership.Agreement{}, partnership.Budget{}, err
	}
	b, err := s.budgets().Budget(r.Context(), a.ID)
	return a, b, err
}

// loadBudgetLines is loadBudget for the pages that sum the lines by year
// and need no stated totals.
func (s *Server) loadBudgetLines(r *http.Request) (partnership.Agreement, []partnership.BudgetLine, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return partnership.Agreement{}, nil, err
	}
	lines, err := s.budgets().Lines(r.Context(), a.ID)
	return a, lines, err
}

// budgetSection is a party's lines under one section heading ("" for none).
type budgetSection struct {
	name  string
	lines []partnership.BudgetLine
}

// budgetParty is a party's lines by section, in the order of the lines.
type budgetParty struct {
	party    partnership.Party
	sections []budgetSection
	lines    []partnership.BudgetLine
}

// groupBudget arranges the lines by party, in party order, and by section
// in the order the sections first appear. Every party is listed, with or
// without lines.
func groupBudget(a partnership.Agreement, lines []partnership.BudgetLine) []budgetParty {
	out := make([]budgetParty, len(a.Parties))
	index := map[int64]int{}
	for i, p := range a.Parties {
		out[i].party = p
		index[p.ID] = i
	}
	for _, l := range lines {
		i, ok := index[l.PartyID]
		if !ok {
			continue
		}
		pb := &out[i]
		pb.lines = append(pb.lines, l)
		j := slices.IndexFunc(pb.sections, func(sec budgetSection) bool { return sec.name == l.Section })
		if j < 0 {
			pb.sections = append(pb.sections, budgetSection{name: l.Section})
			j = len(pb.sections) - 1
		}
		pb.sections[j].lines = append(pb.sections[j].lines, l)
	}
	return out
}

// budgetSum adds what amount gives for each line; totals are sums of lines,
// never rounded again.
func budgetSum(lines []partnership.BudgetLine, amount func(partnership.BudgetLine) money.Amount) money.Amount {
	var total money.Amount
	for _, l := range lines {
		total = money.Sum(total, amount(l))
	}
	return total
}

// budgetOfKind keeps the lines of one kind (cash or in-kind).
func budgetOfKind(lines []partnership.BudgetLine, kind partnership.ContributionKind) []partnership.BudgetLine {
	var out []partnership.BudgetLine
	for _, l := range lines {
		if l.Kind == kind {
			out = append(out, l)
		}
	}
	return out
}

// budgetIsAssociation reports whether a party contributes as an association,
// which is what the co-financing share counts.
func budgetIsAssociation(p partnership.Party) bool {
	return p.Role == partnership.PartyLeadAssociation || p.Role == partnership.PartyPartnerAssociation
}

func budgetStatedAmount(l partnership.BudgetLine) money.Amount { return l.Amount }

// budgetIndexTerms describes how an agreement's indexed lines follow price
// and wage development.
func budgetIndexTerms(a partnership.Agreement) string {
	rate := money.FormatPercent(a.IndexRateBP)
	if a.IndexMode == partnership.IndexMunicipal {
		return fmt.Sprintf("Kommunens beslutade index; %s för år utan beslut", rate)
	}
	return fmt.Sprintf("Fast procentsats, %s per kalenderår", rate)
}

// budgetVolunteerRate shows the value of a volunteer hour, or "" when the
// agreement does not state it.
func budgetVolunteerRate(a money.Amount) string {
	if a == 0 {
		return ""
	}
	return a.String() + " per timme"
}

// budgetBasisFormula writes a basis as a product, e.g. "20 % av 25 000 kr/månad
// × 12 × 2 personer", or "" when there is nothing but words. A unit that
// starts with "kr" belongs to the price; any other unit to the quantity.
func budgetBasisFormula(b partnership.Basis) string {
	priceUnit := strings.HasPrefix(b.Unit, "kr")
	var factors []string
	if b.Quantity != 1 || (!b.Priced() && b.Unit != "") {
		q := budgetDigits(b.Quantity)
		if !priceUnit && b.Unit != "" {
			q += " " + b.Unit
		}
		factors = append(factors, q)
	}
	if b.Priced() {
		price := b.UnitPrice.String()
		if priceUnit {
			price = strings.TrimSuffix(price, "kr") + b.Unit
		}
		factors = append(factors, price)
	}
	if len(factors) == 0 {
		return ""
	}
	out := strings.Join(factors, " × ")
	if b.ShareBP != 0 && b.ShareBP != partnership.FullShareBP {
		out = money.FormatPercent(b.ShareBP) + " av " + out
	}
	if b.Periods > 1 {
		out += " × " + budgetDigits(b.Periods)
	}
	if b.Persons > 1 {
		out += " × " + budgetDigits(b.Persons) + " personer"
	}
	if amount, ok := partnership.BasisAmount(b); ok {
		out += " = " + amount.String()
	}
	return out
}

// budgetDigits writes a whole number with digit groups, like amounts.
func budgetDigits(n int64) string {
	return strings.TrimSuffix(money.Kronor(n).String(), "\u00a0kr")
}

func (s *Server) handleBudgetShow(w http.ResponseWriter, r *http.Request) {
	a, b, err := s.loadBudget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := budgetVM(a, b, currentUser(r).Role.CanEditAgreements(), s.agreementToday().Year())
	vm.Base = s.base(r, "Budget – "+a.Title)
	s.render(w, r, http.StatusOK, templates.BudgetPage(vm))
}

// budgetVM shapes the budget page; the export offers this year when the
// agreement covers it, else its first year.
func budgetVM(a partnership.Agreement, b partnership.Budget, canEdit bool, thisYear int) templates.BudgetVM {
	vm := templates.BudgetVM{
		AgreementID: a.ID, AgreementTitle: a.Title, CanEdit: canEdit, AmountHeading: "Belopp per år",
		YearsURL: budgetPath(a.ID) + "/years", NewLineURL: budgetPath(a.ID) + "/lines/new",
		NewTotalURL: budgetPath(a.ID) + "/totals/new",
	}
	baseYear := ""
	if a.StartDate != nil {
		baseYear = strconv.Itoa(a.StartDate.Year())
		vm.AmountHeading = "Belopp per år (basår " + baseYear + ")"
	}
	vm.Facts = []templates.AgreementFact{
		{Label: "Basår", Value: baseYear, TestID: "base-year"},
		{Label: "Indexering", Value: budgetIndexTerms(a), TestID: "index-terms"},
	}
	if start, end, ok := partnership.BudgetPeriod(a); ok {
		chosen := budgetDefaultYear(start, end, thisYear)
		for _, y := range partnership.Years(start, end) {
			v := strconv.Itoa(y)
			vm.ExportYears = append(vm.ExportYears, templates.Option{Value: v, Label: v, Selected: y == chosen})
		}
	}
	names := budgetPartyNames(a)
	vm.Deviations = budgetDeviationRows(a, b, names, canEdit)
	for _, pb := range groupBudget(a, b.Lines) {
		vm.Parties = append(vm.Parties, budgetPartyVM(a.ID, b, pb, names, canEdit))
	}
	vm.Summary = budgetSumRows(b.Lines, "hela överenskommelsen", "agreement-total")
	for _, t := range b.Totals {
		if t.PartyID == 0 {
			vm.AgreementTotals = append(vm.AgreementTotals, budgetStatedRow(a.ID, t, b.Lines, names, canEdit))
		}
	}
	return vm
}

// budgetPartyVM is a party's section of the budget page.
func budgetPartyVM(agreementID int64, b partnership.Budget, pb budgetParty, names map[int64]string, canEdit bool) templates.BudgetPartyVM {
	p := templates.BudgetPartyVM{ID: pb.party.ID, Name: pb.party.OrganisationName, Role: pb.party.Role.Label()}
	for _, sec := range pb.sections {
		vs := templates.BudgetSectionVM{Name: sec.name, Subtotal: budgetSum(sec.lines, budgetStatedAmount).String()}
		for _, l := range sec.lines {
			vs.Lines = append(vs.Lines, budgetLineRow(agreementID, l, canEdit))
		}
		p.Sections = append(p.Sections, vs)
	}
	if len(pb.lines) > 0 {
		p.Sums = budgetSumRows(pb.lines, pb.party.OrganisationName, "party-total")
	}
	for _, t := range b.Totals {
		if t.PartyID == pb.party.ID {
			p.Stated = append(p.Stated, budgetStatedRow(agreementID, t, b.Lines, names, canEdit))
		}
	}
	return p
}

// budgetSumRows are the cash, in-kind and whole sums of the lines.
func budgetSumRows(lines []partnership.BudgetLine, whose, testID string) []templates.BudgetSumRow {
	return []templates.BudgetSumRow{
		{Label: "Summa kontant", Amount: budgetSum(budgetOfKind(lines, partnership.Cash), budgetStatedAmount).String(), TestID: testID + "-cash"},
		{Label: "Summa naturainsatser", Amount: budgetSum(budgetOfKind(lines, partnership.InKind), budgetStatedAmount).String(), TestID: testID + "-in-kind"},
		{Label: "Summa " + whose, Amount: budgetSum(lines, budgetStatedAmount).String(), TestID: testID},
	}
}

func budgetLineRow(agreementID int64, l partnership.BudgetLine, canEdit bool) templates.BudgetLineRow {
	row := templates.BudgetLineRow{
		ID: l.ID, Text: l.Text, Category: l.Category, Kind: l.Kind.Label(), Indexed: budgetYesNo(l.Indexed),
		Amount: l.Amount.String(),
	}
	if l.Basis != nil {
		row.BasisWords = l.Basis.Description
		row.BasisFormula = budgetBasisFormula(*l.Basis)
	}
	if d, ok := partnership.LineDeviation(l); ok && d.Deviates() {
		row.Deviates = true
	}
	if canEdit {
		row.EditURL = budgetLinePath(agreementID, l.ID)
		row.DeleteURL = budgetLinePath(agreementID, l.ID) + "/delete"
	}
	return row
}

func budgetYesNo(b bool) string {
	if b {
		return "Ja"
	}
	return "Nej"
}

// budgetPartyNames maps party ids to organisation names.
func budgetPartyNames(a partnership.Agreement) map[int64]string {
	names := make(map[int64]string, len(a.Parties))
	for _, p := range a.Parties {
		names[p.ID] = p.OrganisationName
	}
	return names
}

// budgetTotalScope says what a stated total covers.
func budgetTotalScope(t partnership.StatedTotal, names map[int64]string) string {
	scope := "Hela överenskommelsen"
	if t.PartyID != 0 {
		scope = names[t.PartyID]
	}
	if t.Section != "" {
		scope += ", avsnitt " + t.Section
	}
	return scope
}

// budgetTotalLabel is the source's wording of a total, or what kind of
// total it is when the source words it not at all.
func budgetTotalLabel(t partnership.StatedTotal) string {
	switch {
	case t.Label != "":
		return t.Label
	case t.Section != "":
		return "Delsumma"
	}
	return "Summa"
}

func budgetStatedRow(agreementID int64, t partnership.StatedTotal, lines []partnership.BudgetLine, names map[int64]string, canEdit bool) templates.BudgetStatedRow {
	d := partnership.TotalDeviation(t, lines)
	row := templates.BudgetStatedRow{
		Label: budgetTotalLabel(t), Scope: budgetTotalScope(t, names), Stated: d.Stated.String(),
		Computed: d.Computed.String(), Diff: d.Diff.String(), Deviates: d.Deviates(), Accepted: d.Accepted,
	}
	if canEdit {
		row.EditURL = budgetTotalPath(agreementID, t.ID)
		row.DeleteURL = budgetTotalPath(agreementID, t.ID) + "/delete"
	}
	return row
}

// budgetDeviationRows are the failed consistency checks, in the order
// partnership.BudgetDeviations gives them.
func budgetDeviationRows(a partnership.Agreement, b partnership.Budget, names map[int64]string, canEdit bool) []templates.BudgetDeviationRow {
	lines := make(map[int64]partnership.BudgetLine, len(b.Lines))
	for _, l := range b.Lines {
		lines[l.ID] = l
	}
	totals := make(map[int64]partnership.StatedTotal, len(b.Totals))
	for _, t := range b.Totals {
		totals[t.ID] = t
	}
	var rows []templates.BudgetDeviationRow
	for _, d := range partnership.BudgetDeviations(b.Lines, b.Totals) {
		row := templates.BudgetDeviationRow{
			Stated: d.Stated.String(), Computed: d.Computed.String(), Diff: d.Diff.String(),
			Accepted: d.Accepted, Note: d.Note,
		}
		if d.LineID != 0 {
			row.Kind, row.What = "Underlag mot belopp", budgetLineDeviationText(lines[d.LineID], names)
			if canEdit {
				row.AcceptURL = budgetLinePath(a.ID, d.LineID) + "/deviation"
			}
		} else {
			t := totals[d.TotalID]
			row.Kind, row.What = "Summa mot poster", budgetTotalLabel(t)+" ("+budgetTotalScope(t, names)+")"
			if canEdit {
				row.AcceptURL = budgetTotalPath(a.ID, d.TotalID) + "/deviation"
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// budgetLineDeviationText names a line and its basis.
func budgetLineDeviationText(l partnership.BudgetLine, names map[int64]string) string {
	out := names[l.PartyID] + ": " + l.Text
	if l.Basis != nil {
		words := l.Basis.Description
		if words == "" {
			words = budgetBasisFormula(*l.Basis)
		}
		out += " – underlag: " + words
	}
	return out
}
