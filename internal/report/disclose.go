package report

// line is one additive constraint of a table: the members sum to the
// total. Rows of a table with RowTotal and columns of a table with
// ColTotal are lines, totals rows and columns included.
type line struct {
	members []CellRef
	total   CellRef
}

// lines lists the additive constraints of a table among its People
// cells: with RowTotal every row whose last cell is a People count is a
// line of the People cells before it; with ColTotal every column whose
// last cell is a People count is a line of the People cells above it.
func (t Table) lines() []line {
	var out []line
	if t.RowTotal {
		for i, row := range t.Rows {
			last := len(row) - 1
			if last < 1 || row[last].Kind != People {
				continue
			}
			l := line{total: CellRef{i, last}}
			for j := 0; j < last; j++ {
				if row[j].Kind == People {
					l.members = append(l.members, CellRef{i, j})
				}
			}
			out = append(out, l)
		}
	}
	if t.ColTotal && len(t.Rows) > 1 {
		last := len(t.Rows) - 1
		for j := range t.Rows[last] {
			if t.Rows[last][j].Kind != People {
				continue
			}
			l := line{total: CellRef{last, j}}
			for i := 0; i < last; i++ {
				if j < len(t.Rows[i]) && t.Rows[i][j].Kind == People {
					l.members = append(l.members, CellRef{i, j})
				}
			}
			out = append(out, l)
		}
	}
	for _, sum := range t.Sums {
		out = append(out, line{members: sum.Members, total: sum.Total})
	}
	return out
}

func (t *Table) cell(r CellRef) *Cell { return &t.Rows[r.Row][r.Col] }

// Disclose returns a copy in which every People cell 1–4 is suppressed
// (primary) and enough further cells (secondary) that no suppressed value
// can be derived from the row and column totals.
//
// Secondary suppression repeats until nothing changes: a line (a row or
// column with its total, totals rows and columns included) with exactly
// one suppressed cell gets another one suppressed, the smallest non-zero
// member, or when there is none the total (or, when the total is the
// suppressed one and every member is 0, a member); a figure suppressed in
// one table is suppressed wherever the same Key appears. When no line has
// exactly one suppressed cell, no line can be solved for a single unknown,
// so no suppressed value can be recovered by peeling lines one at a time.
//
// Last, a Percent cell with a Basis is suppressed when its numerator or
// denominator is suppressed, the numerator is 1–4 or the denominator is
// below 5.
func (r Report) Disclose() Report {
	out := r.Clone()
	if r.Disclosed {
		return out
	}
	var tables []*Table
	for i := range out.Sections {
		for j := range out.Sections[i].Tables {
			tables = append(tables, &out.Sections[i].Tables[j])
		}
	}
	for _, t := range tables {
		primary(t)
	}
	for changed := true; changed; {
		changed = propagateKeys(tables)
		for _, t := range tables {
			if secondary(t) {
				changed = true
			}
		}
	}
	for _, t := range tables {
		shares(t)
	}
	out.Disclosed = true
	return out
}

// DiscloseTable applies disclosure control to a single table, as Disclose
// does for a report.
func DiscloseTable(t Table) Table {
	r := Report{Sections: []Section{{Tables: []Table{t}}}}
	return r.Disclose().Sections[0].Tables[0]
}

func primary(t *Table) {
	for i := range t.Rows {
		for j := range t.Rows[i] {
			c := &t.Rows[i][j]
			if c.Kind == People && !c.Empty && c.Value >= 1 && c.Value < SmallGroup {
				c.Suppressed, c.Primary = true, true
			}
		}
	}
}

// propagateKeys suppresses every cell whose Key is suppressed somewhere.
func propagateKeys(tables []*Table) bool {
	hidden := map[string]bool{}
	for _, t := range tables {
		for _, row := range t.Rows {
			for _, c := range row {
				if c.Key != "" && c.Suppressed {
					hidden[c.Key] = true
				}
			}
		}
	}
	changed := false
	for _, t := range tables {
		for i := range t.Rows {
			for j := range t.Rows[i] {
				c := &t.Rows[i][j]
				if c.Key != "" && hidden[c.Key] && !c.Suppressed {
					c.Suppressed = true
					changed = true
				}
			}
		}
	}
	return changed
}

// secondary runs one pass over the table's lines and reports whether it
// suppressed anything.
func secondary(t *Table) bool {
	changed := false
	for _, l := range t.lines() {
		n := 0
		if t.cell(l.total).Suppressed {
			n++
		}
		for _, m := range l.members {
			if t.cell(m).Suppressed {
				n++
			}
		}
		if n != 1 {
			continue
		}
		pick, ok := CellRef{}, false
		for _, m := range l.members {
			c := t.cell(m)
			if c.Suppressed || c.Value == 0 {
				continue
			}
			if !ok || c.Value < t.cell(pick).Value {
				pick, ok = m, true
			}
		}
		if !ok && !t.cell(l.total).Suppressed {
			pick, ok = l.total, true
		}
		if !ok {
			for _, m := range l.members {
				if !t.cell(m).Suppressed {
					pick, ok = m, true
					break
				}
			}
		}
		if ok {
			t.cell(pick).Suppressed = true
			changed = true
		}
	}
	return changed
}

// shares suppresses the Percent cells computed from hidden or small counts.
func shares(t *Table) {
	for i := range t.Rows {
		for j := range t.Rows[i] {
			c := &t.Rows[i][j]
			if c.Kind != Percent || len(c.Basis) == 0 {
				continue
			}
			for k, ref := range c.Basis {
				if ref.Row < 0 || ref.Row >= len(t.Rows) || ref.Col < 0 || ref.Col >= len(t.Rows[ref.Row]) {
					c.Suppressed = true
					break
				}
				b := t.Rows[ref.Row][ref.Col]
				small := b.Value >= 1 && b.Value < SmallGroup // numerator
				if k > 0 {
					small = b.Value < SmallGroup // denominator
				}
				if b.Suppressed || small {
					c.Suppressed = true
					break
				}
			}
		}
	}
}
