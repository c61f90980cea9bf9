package reportexport

import (
	"fmt"
	"testing"

	"iop/internal/report"
)

// portfolioOf is a portfolio of n agreements: one table of a row per
// agreement and a totals row, and one list of agreements without totals.
func portfolioOf(n int) report.Report {
	perAgreement := report.Table{ID: "deltagare", Title: "Deltagare", Columns: []string{"Överenskommelse", "Aktiva"},
		ColTotal: true, Note: "– = inte registrerat för överenskommelsen."}
	list := report.Table{ID: "uppmarksamhet", Title: "Behöver uppmärksamhet", Columns: []string{"Överenskommelse", "Vad"}}
	for i := range n {
		title := fmt.Sprintf("Överenskommelse %d", i+1)
		perAgreement.Rows = append(perAgreement.Rows, row(text(title), people(10)))
		list.Rows = append(list.Rows, row(text(title), text("Möten saknas")))
	}
	perAgreement.Rows = append(perAgreement.Rows, row(text("Totalt"), people(int64(10*n))))
	perAgreement.Sums = []report.Sum{{Members: []report.CellRef{{Row: 0, Col: 1}}, Total: report.CellRef{Row: n, Col: 1}}}
	return report.Report{Year: 2025, Sections: []report.Section{
		{ID: "deltagare", Title: "Deltagare", Tables: []report.Table{perAgreement}},
		{ID: "uppmarksamhet", Title: "Behöver uppmärksamhet", Tables: []report.Table{list}},
	}}
}

func TestLargePortfolioPrintsTotalsOfPerAgreementTables(t *testing.T) {
	full := portfolioOf(PrintAgreementRows + 1)
	printed := forPrint(full)
	got := printed.Sections[0].Tables[0]
	if len(got.Rows) != 1 || got.Rows[0][0].Text != "Totalt" || got.Rows[0][1].Value != int64(10*(PrintAgreementRows+1)) {
		t.Fatalf("printed rows %v, want the totals row alone", got.Rows)
	}
	if want := fmt.Sprintf("Summan för alla %d överenskommelser. Excel- och CSV-filen har en rad per överenskommelse.",
		PrintAgreementRows+1); got.Note != want || got.Sums != nil {
		t.Errorf("note %q sums %v, want %q and no sums", got.Note, got.Sums, want)
	}
	if n := len(printed.Sections[1].Tables[0].Rows); n != PrintAgreementRows+1 {
		t.Errorf("the attention list printed %d rows, want all %d", n, PrintAgreementRows+1)
	}
	if n := len(full.Sections[0].Tables[0].Rows); n != PrintAgreementRows+2 {
		t.Errorf("forPrint changed the report it was given: %d rows", n)
	}
}

func TestSmallPortfolioAndAgreementPrintWhole(t *testing.T) {
	small := portfolioOf(PrintAgreementRows)
	if n := len(forPrint(small).Sections[0].Tables[0].Rows); n != PrintAgreementRows+1 {
		t.Errorf("a portfolio of %d agreements printed %d rows, want every one and the totals", PrintAgreementRows, n)
	}
	agreement := portfolioOf(PrintAgreementRows + 5)
	agreement.Agreement = &report.Agreement{ID: 1, Title: "Överenskommelse 1"}
	if n := len(forPrint(agreement).Sections[0].Tables[0].Rows); n != PrintAgreementRows+6 {
		t.Errorf("an agreement's report printed %d rows, want all", n)
	}
}
