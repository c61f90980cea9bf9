package templates

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"iop/internal/report"
)

// TestReportTablesRendering: sections as headings, tables with a caption
// and column and row headers, numbers right-aligned in Swedish format,
// suppressed cells as "<5" and "." with the footnote, and "Ej registrerat"
// for a section without data.
func TestReportTablesRendering(t *testing.T) {
	tb := report.Table{ID: "t", Title: "Nya deltagare", Columns: []string{"Ålder", "Kvinnor", "Män", "Totalt"},
		RowTotal: true, ColTotal: true, Rows: [][]report.Cell{
			{{Kind: report.Text, Text: "Under 30 år"}, {Kind: report.People, Value: 3}, {Kind: report.People, Value: 1200}, {Kind: report.People, Value: 1203}},
			{{Kind: report.Text, Text: "30–54 år"}, {Kind: report.People, Value: 7}, {Kind: report.People, Value: 8}, {Kind: report.People, Value: 15}},
			{{Kind: report.Text, Text: "Totalt"}, {Kind: report.People, Value: 10}, {Kind: report.People, Value: 1208}, {Kind: report.People, Value: 1218}},
		}}
	money := report.Table{ID: "m", Title: "Budget", Columns: []string{"Part", "Kontant"},
		Rows: [][]report.Cell{{{Kind: report.Text, Text: "Kommunen"}, {Kind: report.Money, Value: 125100000}}}}
	r := report.Report{Year: 2024, Agreement: &report.Agreement{ID: 7, Title: "IOP"}, Sections: []report.Section{
		{ID: "deltagare", Title: "Deltagare", Tables: []report.Table{tb, money}},
		{ID: "steg", Title: "Stegförflyttning", NotRecorded: true},
	}}.Disclose()
	var buf bytes.Buffer
	if err := ReportTables(r).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`<h2 id="rubrik-deltagare">Deltagare</h2>`,
		`<caption id="rubrik-tabell-t">Nya deltagare</caption>`,
		`role="group" aria-labelledby="rubrik-tabell-t"`,
		`<th scope="col" class="num">Kvinnor</th>`,
		`<th scope="row">Under 30 år</th>`,
		`>&lt;5</td>`,
		`>.</td>`,
		"<td class=\"num\">1\u00a0251\u00a0000\u00a0kr</td>",
		"<td class=\"num report-total\">1\u00a0218</td>",
		`data-testid="report-suppression-note"`,
		`aria-describedby="report-note-7"`,
		report.NotRecordedText,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendering lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, ">3<") || strings.Contains(html, ">1\u00a0200<") {
		t.Errorf("a suppressed figure was rendered:\n%s", html)
	}
}
