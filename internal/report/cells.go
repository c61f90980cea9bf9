package report

// Cell constructors and table builders shared by the sections.

func label(s string) Cell          { return Cell{Kind: Text, Text: s} }
func people(v int64) Cell          { return Cell{Kind: People, Value: v} }
func keyed(v int64, k string) Cell { return Cell{Kind: People, Value: v, Key: k} }
func count(v int64) Cell           { return Cell{Kind: Count, Value: v} }
func amount(ore int64) Cell        { return Cell{Kind: Money, Value: ore} }
func empty(k Kind) Cell            { return Cell{Kind: k, Empty: true} }

// share is num/den in tenths of a percent, computed from the People cells
// at the refs (numerator, denominator) so that Disclose can hide it with
// them; empty when den is 0.
func share(num, den int64, refs ...CellRef) Cell {
	v, ok := Share(num, den)
	if !ok {
		return Cell{Kind: Percent, Empty: true, Basis: refs}
	}
	return Cell{Kind: Percent, Value: v, Basis: refs}
}

// ratio is a share of non-people figures (activities against a target):
// never suppressed.
func ratio(num, den int64) Cell {
	v, ok := Share(num, den)
	if !ok {
		return empty(Percent)
	}
	return Cell{Kind: Percent, Value: v}
}

// crossTab builds a table of People counts with a totals column and a
// totals row: rows × cols values, row labels first. key, when not nil,
// names the cell (i, j) for Disclose; i == len(rows) is the totals row and
// j == len(cols) the totals column.
func crossTab(id, title, corner string, rows, cols []string, v [][]int64, key func(i, j int) string) Table {
	t := Table{ID: id, Title: title, RowTotal: true, ColTotal: true}
	t.Columns = append(append([]string{corner}, cols...), "Totalt")
	colSum := make([]int64, len(cols)+1)
	cell := func(val int64, i, j int) Cell {
		c := people(val)
		if key != nil {
			c.Key = key(i, j)
		}
		return c
	}
	for i, r := range rows {
		row := []Cell{label(r)}
		var sum int64
		for j := range cols {
			row = append(row, cell(v[i][j], i, j))
			sum += v[i][j]
			colSum[j] += v[i][j]
		}
		colSum[len(cols)] += sum
		row = append(row, cell(sum, i, len(cols)))
		t.Rows = append(t.Rows, row)
	}
	total := []Cell{label("Totalt")}
	for j := range colSum {
		total = append(total, cell(colSum[j], len(rows), j))
	}
	t.Rows = append(t.Rows, total)
	return t
}

// matrix returns a rows × cols matrix of zeros.
func matrix(rows, cols int) [][]int64 {
	m := make([][]int64, rows)
	for i := range m {
		m[i] = make([]int64, cols)
	}
	return m
}

// indexOf finds s in list, -1 when absent.
func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// totalsRow appends a row "Totalt" that sums every numeric column of the
// table (Count, People, Money) and leaves the rest empty; percent columns
// are computed by pct from the totals row, when given.
func totalsRow(t *Table, pct func(row []Cell, r int) []Cell) {
	if len(t.Rows) == 0 {
		return
	}
	n := len(t.Columns)
	row := make([]Cell, n)
	row[0] = label("Totalt")
	for j := 1; j < n; j++ {
		k := t.Rows[0][j].Kind
		switch k {
		case People, Count, Money:
			var sum int64
			allEmpty := true
			for _, r := range t.Rows {
				sum += r[j].Value
				allEmpty = allEmpty && r[j].Empty
			}
			row[j] = Cell{Kind: k, Value: sum, Empty: allEmpty}
		default:
			row[j] = empty(k)
		}
	}
	if pct != nil {
		row = pct(row, len(t.Rows))
	}
	t.Rows = append(t.Rows, row)
	t.ColTotal = true
}
