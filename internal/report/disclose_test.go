package report

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// ref names a cell of a report: table index and position.
type ref struct{ table, row, col int }

// peel plays the attacker: it knows every released cell and that each
// row and column of a table with totals adds up (and any stated Sum), and
// that cells with the same Key hold the same figure; it solves any line
// with exactly one unknown, repeatedly. It returns the suppressed cells
// it recovered. The lines are derived here from the tables' shape, not
// through the code under test.
func peel(tables []Table) []ref {
	known := map[ref]bool{}
	byKey := map[string][]ref{}
	for ti, t := range tables {
		for i, row := range t.Rows {
			for j, c := range row {
				r := ref{ti, i, j}
				if !c.Suppressed {
					known[r] = true
				}
				if c.Key != "" {
					byKey[c.Key] = append(byKey[c.Key], r)
				}
			}
		}
	}
	type eq struct{ cells []ref } // cells[0] = sum of cells[1:]
	var eqs []eq
	for ti, t := range tables {
		n := len(t.Rows)
		if t.RowTotal {
			for i, row := range t.Rows {
				e := eq{cells: []ref{{ti, i, len(row) - 1}}}
				for j := 0; j < len(row)-1; j++ {
					if row[j].Kind == People {
						e.cells = append(e.cells, ref{ti, i, j})
					}
				}
				if row[len(row)-1].Kind == People {
					eqs = append(eqs, e)
				}
			}
		}
		if t.ColTotal && n > 1 {
			for j := range t.Rows[n-1] {
				if t.Rows[n-1][j].Kind != People {
					continue
				}
				e := eq{cells: []ref{{ti, n - 1, j}}}
				for i := 0; i < n-1; i++ {
					if t.Rows[i][j].Kind == People {
						e.cells = append(e.cells, ref{ti, i, j})
					}
				}
				eqs = append(eqs, e)
			}
		}
		for _, s := range t.Sums {
			e := eq{cells: []ref{{ti, s.Total.Row, s.Total.Col}}}
			for _, m := range s.Members {
				e.cells = append(e.cells, ref{ti, m.Row, m.Col})
			}
			eqs = append(eqs, e)
		}
	}
	var recovered []ref
	learn := func(r ref) {
		if known[r] {
			return
		}
		known[r] = true
		recovered = append(recovered, r)
		c := tables[r.table].Rows[r.row][r.col]
		if c.Key != "" {
			for _, o := range byKey[c.Key] {
				if !known[o] {
					known[o] = true
					recovered = append(recovered, o)
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range eqs {
			unknown := -1
			n := 0
			for k, c := range e.cells {
				if !known[c] {
					n++
					unknown = k
				}
			}
			if n == 1 {
				learn(e.cells[unknown])
				changed = true
			}
		}
	}
	return recovered
}

func released(t *testing.T, tables []Table) {
	t.Helper()
	for _, tb := range tables {
		for i, row := range tb.Rows {
			for j, c := range row {
				if c.Kind == People && !c.Suppressed && c.Value >= 1 && c.Value <= 4 {
					t.Fatalf("table %s: released a group of %d at (%d, %d)", tb.ID, c.Value, i, j)
				}
			}
		}
	}
	if got := peel(tables); len(got) > 0 {
		t.Fatalf("suppressed cells recovered from the totals: %v", got)
	}
}

// smallCount draws counts where small groups are common.
func smallCount() *rapid.Generator[int64] {
	return rapid.Custom(func(t *rapid.T) int64 {
		switch rapid.IntRange(0, 3).Draw(t, "band") {
		case 0:
			return 0
		case 1:
			return rapid.Int64Range(1, 4).Draw(t, "small")
		}
		return rapid.Int64Range(5, 60).Draw(t, "large")
	})
}

func randomTable(t *rapid.T, id string, rows int, rowTotals []int64) Table {
	cols := rapid.IntRange(1, 5).Draw(t, id+"-cols")
	labels := make([]string, rows)
	colLabels := make([]string, cols)
	for i := range labels {
		labels[i] = fmt.Sprint("r", i)
	}
	for j := range colLabels {
		colLabels[j] = fmt.Sprint("c", j)
	}
	v := matrix(rows, cols)
	for i := range v {
		for j := range v[i] {
			v[i][j] = smallCount().Draw(t, fmt.Sprintf("%s-%d-%d", id, i, j))
		}
	}
	return crossTab(id, id, "", labels, colLabels, v, func(i, j int) string {
		if j == cols { // the row totals (and the grand total) are shared
			return fmt.Sprint("rowtotal-", i)
		}
		return ""
	})
}

// TestPropertyDisclosure: over random tables with row and column totals,
// and pairs of tables that share their row totals (the same participants
// by gender and by age), no released cell holds 1–4 people and no
// suppressed cell can be recovered by solving lines one unknown at a time.
func TestPropertyDisclosure(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rows := rapid.IntRange(1, 6).Draw(rt, "rows")
		a := randomTable(rt, "a", rows, nil)
		tables := []Table{a}
		if rapid.Bool().Draw(rt, "pair") {
			// A second breakdown of the same rows: its row totals must equal
			// the first table's, so redistribute them over other columns.
			b := a.Clone()
			b.ID = "b"
			for i := range b.Rows {
				last := len(b.Rows[i]) - 1
				total := b.Rows[i][last].Value
				if i == len(b.Rows)-1 {
					continue
				}
				left := total
				for j := 1; j < last; j++ {
					v := rapid.Int64Range(0, left).Draw(rt, fmt.Sprintf("b-%d-%d", i, j))
					if j == last-1 {
						v = left
					}
					b.Rows[i][j].Value = v
					left -= v
				}
			}
			last := len(b.Rows) - 1
			for j := 1; j < len(b.Rows[last]); j++ {
				var sum int64
				for i := 0; i < last; i++ {
					sum += b.Rows[i][j].Value
				}
				b.Rows[last][j].Value = sum
			}
			tables = append(tables, b)
		}
		r := Report{Sections: []Section{{Tables: tables}}}.Disclose()
		out := r.Sections[0].Tables
		for _, tb := range out {
			for _, row := range tb.Rows {
				for _, c := range row {
					if c.Kind == People && c.Value >= 1 && c.Value <= 4 && !(c.Suppressed && c.Primary) {
						rt.Fatalf("a small group is not primary-suppressed: %+v", c)
					}
				}
			}
		}
		if got := peel(out); len(got) > 0 {
			rt.Fatalf("suppressed cells recovered: %v", got)
		}
		// The figures themselves are kept: only the flags change.
		for ti := range tables {
			for i := range tables[ti].Rows {
				for j := range tables[ti].Rows[i] {
					if tables[ti].Rows[i][j].Value != out[ti].Rows[i][j].Value {
						rt.Fatalf("Disclose changed a value")
					}
				}
			}
		}
	})
}

func flags(tb Table) [][]string {
	out := make([][]string, len(tb.Rows))
	for i, row := range tb.Rows {
		for _, c := range row {
			out[i] = append(out[i], c.Display())
		}
	}
	return out
}

func TestDiscloseHandCases(t *testing.T) {
	cases := []struct {
		name string
		rows [][]int64
		want [][]string
	}{
		{
			// The 3 is hidden; its row then has one hidden cell, so the
			// other member (10) goes too; the columns then need the 7 and
			// the 8; the totals stay.
			name: "two by two",
			rows: [][]int64{{3, 10}, {7, 8}},
			want: [][]string{{"r0", "<5", ".", "13"}, {"r1", ".", ".", "15"}, {"Totalt", "10", "18", "28"}},
		},
		{
			name: "nothing small",
			rows: [][]int64{{0, 12}, {5, 9}},
			want: [][]string{{"r0", "0", "12", "12"}, {"r1", "5", "9", "14"}, {"Totalt", "5", "21", "26"}},
		},
		{
			// A single member equals its totals, all small.
			name: "one cell",
			rows: [][]int64{{2}},
			want: [][]string{{"r0", "<5", "<5"}, {"Totalt", "<5", "<5"}},
		},
		{
			// Only zeros beside the small cell, so its row total is small
			// too; the column of row totals then hides the smallest other
			// member, 15.
			name: "zeros beside",
			rows: [][]int64{{0, 4, 0}, {6, 7, 8}},
			want: [][]string{{"r0", "0", "<5", "0", "<5"}, {"r1", "6", ".", "8", "."}, {"Totalt", "6", "11", "8", "25"}},
		},
		{
			// A small cell beside a zero: its row total equals it and is
			// small too; column 0 then hides the 9, and row 1 its total.
			name: "total goes",
			rows: [][]int64{{3, 0}, {9, 9}},
			want: [][]string{{"r0", "<5", "0", "<5"}, {"r1", ".", "9", "."}, {"Totalt", "12", "9", "21"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			labels := make([]string, len(c.rows))
			cols := make([]string, len(c.rows[0]))
			for i := range labels {
				labels[i] = fmt.Sprint("r", i)
			}
			for j := range cols {
				cols[j] = fmt.Sprint("c", j)
			}
			got := DiscloseTable(crossTab("t", "t", "", labels, cols, c.rows, nil))
			if fmt.Sprint(flags(got)) != fmt.Sprint(c.want) {
				t.Fatalf("got  %v\nwant %v", flags(got), c.want)
			}
			released(t, []Table{got})
		})
	}
}

func TestDiscloseShares(t *testing.T) {
	tb := Table{ID: "s", Columns: []string{"", "Bedömda", "Flyttat", "Andel"}}
	add := func(name string, den, num int64) {
		i := len(tb.Rows)
		tb.Rows = append(tb.Rows, []Cell{label(name), people(den), people(num), share(num, den, CellRef{i, 2}, CellRef{i, 1})})
	}
	add("small numerator", 20, 3)
	add("small denominator", 4, 0)
	add("zero numerator", 20, 0)
	add("large", 20, 10)
	got := DiscloseTable(tb)
	want := [][]string{
		{"small numerator", "20", "<5", "."},
		{"small denominator", "<5", "0", "."},
		{"zero numerator", "20", "0", "0\u00a0%"},
		{"large", "20", "10", "50\u00a0%"},
	}
	if fmt.Sprint(flags(got)) != fmt.Sprint(want) {
		t.Fatalf("got  %q\nwant %q", flags(got), want)
	}
	// A share without a basis (activities against a target) is not about
	// people and is never hidden.
	if c := DiscloseTable(Table{Rows: [][]Cell{{ratio(1, 3)}}}).Rows[0][0]; c.Suppressed {
		t.Fatal("a share of activities was suppressed")
	}
}

func TestDiscloseKeysAcrossTables(t *testing.T) {
	// The same total (12 new participants) in two tables: hidden in one
	// by secondary suppression, it must be hidden in the other too.
	a := crossTab("a", "a", "", []string{"x"}, []string{"k", "m"}, [][]int64{{2, 10}}, func(i, j int) string {
		if i == 0 && j == 2 {
			return "new-total"
		}
		return ""
	})
	b := Table{ID: "b", Columns: []string{"", "Totalt"}, Rows: [][]Cell{{label("Nya"), keyed(12, "new-total")}}}
	r := Report{Sections: []Section{{Tables: []Table{a, b}}}}.Disclose()
	if !r.Disclosed {
		t.Fatal("not marked disclosed")
	}
	released(t, r.Sections[0].Tables)
	again := r.Disclose()
	if fmt.Sprint(again) != fmt.Sprint(r) {
		t.Fatal("disclosing twice changed the report")
	}
}

func TestDiscloseDoesNotChangeTheOriginal(t *testing.T) {
	tb := crossTab("t", "t", "", []string{"a"}, []string{"b"}, [][]int64{{3}}, nil)
	r := Report{Sections: []Section{{Tables: []Table{tb}}}}
	_ = r.Disclose()
	if r.Sections[0].Tables[0].Rows[0][1].Suppressed {
		t.Fatal("Disclose changed its receiver's cells")
	}
}

// TestPeelFindsPrimaryOnly shows the attacker of the property test at
// work: with primary suppression alone, a hidden cell is recovered.
func TestPeelFindsPrimaryOnly(t *testing.T) {
	tb := crossTab("t", "t", "", []string{"a", "b"}, []string{"x", "y"}, [][]int64{{3, 10}, {7, 8}}, nil)
	primary(&tb)
	got := peel([]Table{tb})
	if len(got) != 1 || got[0] != (ref{0, 0, 1}) {
		t.Fatalf("recovered %v, want the 3 at (0, 1)", got)
	}
}

// TestPropertyDisclosureWithSums: tables whose rows state a further sum
// (work + studies = work or studies, as the Kolada table) and a totals
// row release no small group and no recoverable suppressed cell.
func TestPropertyDisclosureWithSums(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rows := rapid.IntRange(1, 5).Draw(rt, "rows")
		tb := Table{ID: "k", Columns: []string{"", "Avslutade", "Arbete", "Studier", "Arbete eller studier"}}
		for i := 0; i < rows; i++ {
			w, s := smallCount().Draw(rt, fmt.Sprint("w", i)), smallCount().Draw(rt, fmt.Sprint("s", i))
			other := smallCount().Draw(rt, fmt.Sprint("o", i))
			tb.Rows = append(tb.Rows, []Cell{label(fmt.Sprint("r", i)), people(w + s + other), people(w), people(s), people(w + s)})
		}
		totalsRow(&tb, nil)
		for i := range tb.Rows {
			tb.Sums = append(tb.Sums, Sum{Members: []CellRef{{i, 2}, {i, 3}}, Total: CellRef{i, 4}})
		}
		out := DiscloseTable(tb)
		for _, row := range out.Rows {
			for _, c := range row {
				if c.Kind == People && c.Value >= 1 && c.Value <= 4 && !c.Suppressed {
					rt.Fatalf("released a group of %d", c.Value)
				}
			}
		}
		if got := peel([]Table{out}); len(got) > 0 {
			rt.Fatalf("recovered %v", got)
		}
	})
}

func TestPeopleCount(t *testing.T) {
	for _, tc := range []struct {
		n        int64
		disclose bool
		want     string
	}{
		{0, true, "0"}, {1, true, "<5"}, {4, true, "<5"}, {5, true, "5"}, {1251, true, "1\u00a0251"},
		{0, false, "0"}, {1, false, "1"}, {4, false, "4"}, {5, false, "5"},
	} {
		if got := PeopleCount(tc.n, tc.disclose); got != tc.want {
			t.Errorf("PeopleCount(%d, %v) = %q, want %q", tc.n, tc.disclose, got, tc.want)
		}
	}
}
