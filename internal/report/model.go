// Package report computes the figures of the annual report to the labour
// market committee, per agreement and year and for the whole portfolio,
// and applies disclosure control before figures leave the system.
//
// Every figure is a generic Table, so one HTML component, one XLSX
// writer, one CSV writer and one disclosure-control routine (Disclose)
// serve every section.
package report

// Kind is the kind of a Cell.
type Kind int

const (
	Text    Kind = iota // a label
	People              // a count of people: subject to disclosure control
	Count               // a count of non-people (activities, meetings, invoices, hours)
	Money               // öre (int64), shown "1 251 000 kr"
	Percent             // tenths of a percent (int64: 625 = 62,5 %)
	Date                // Text holds an ISO date
)

// String names the kind, for test messages and the JSON snapshot.
func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case People:
		return "people"
	case Count:
		return "count"
	case Money:
		return "money"
	case Percent:
		return "percent"
	case Date:
		return "date"
	}
	return "unknown"
}

// CellRef points at a cell of the same table: Rows[Row][Col].
type CellRef struct {
	Row, Col int
}

// Cell is one cell of a Table.
type Cell struct {
	Kind       Kind
	Text       string // Text and Date cells
	Value      int64  // all numeric kinds
	Suppressed bool   // shown as "<5" (primary) or "." (secondary) by renderers
	Primary    bool   // true when suppressed because the value itself is 1–4

	// Basis, for a Percent cell, points at the People cells of the same
	// table it is computed from: numerator first, denominator second.
	// Disclose suppresses the share when either is suppressed, the
	// numerator is 1–4 or the denominator is below 5. A Percent cell
	// without Basis is not a share of people (e.g. budget used) and is
	// never suppressed.
	Basis []CellRef `json:",omitempty"`

	// Key, when not empty, names the figure the cell holds so that the
	// same figure shown in several tables of a report (a total of
	// participants in the gender table and in the indicator table) is
	// suppressed everywhere once it is suppressed anywhere: otherwise
	// one table would reveal what another hides.
	Key string `json:",omitempty"`

	// Empty marks a numeric cell that has no value (a share whose
	// denominator is 0, a target not set): renderers show "–".
	Empty bool `json:",omitempty"`
}

// Table is one figure of the report: a header row and rows of cells.
type Table struct {
	ID       string   // stable, ASCII, used as XLSX sheet/CSV section key and HTML id
	Title    string   // Swedish caption
	Columns  []string // header row
	Rows     [][]Cell // len(row) == len(Columns); first cell of a row is usually its Text label
	RowTotal bool     // the last column holds the row totals
	ColTotal bool     // the last row holds the column totals
	Note     string   // e.g. "Ej registrerat" when the source data is absent

	// Sums are further additive relations among the table's People cells
	// that RowTotal and ColTotal do not state (e.g. "work or studies" =
	// "work" + "studies"); Disclose protects them like rows and columns.
	Sums []Sum `json:",omitempty"`
}

// Sum states that the Members cells add up to the Total cell.
type Sum struct {
	Members []CellRef
	Total   CellRef
}

// Section is one heading of the report with its tables.
type Section struct {
	ID, Title   string
	Tables      []Table
	NotRecorded bool // the section's data does not exist in the product: show "Ej registrerat"
}

// Agreement identifies the agreement a report is about.
type Agreement struct {
	ID                            int64
	Title, Association, OrgNumber string
	Start, End                    string // ISO, may be ""
}

// Report is the computed figures of one agreement (Agreement set) or of
// the portfolio (Agreement nil) for a year.
type Report struct {
	Year      int
	Agreement *Agreement // nil for the portfolio
	Sections  []Section
	Disclosed bool // Disclose has been applied
}

// NotRecordedText is what renderers show for a section or table whose
// source data the product does not hold.
const NotRecordedText = "Ej registrerat"

// SmallGroup is the smallest group of people released: counts 1 to
// SmallGroup-1 are suppressed.
const SmallGroup = 5

// Clone returns a deep copy of the report.
func (r Report) Clone() Report {
	out := r
	if r.Agreement != nil {
		a := *r.Agreement
		out.Agreement = &a
	}
	out.Sections = make([]Section, len(r.Sections))
	for i, s := range r.Sections {
		s.Tables = make([]Table, len(r.Sections[i].Tables))
		for j, t := range r.Sections[i].Tables {
			s.Tables[j] = t.Clone()
		}
		out.Sections[i] = s
	}
	return out
}

// Clone returns a deep copy of the table.
func (t Table) Clone() Table {
	out := t
	out.Columns = append([]string(nil), t.Columns...)
	out.Rows = make([][]Cell, len(t.Rows))
	for i, row := range t.Rows {
		nr := make([]Cell, len(row))
		for j, c := range row {
			c.Basis = append([]CellRef(nil), c.Basis...)
			nr[j] = c
		}
		out.Rows[i] = nr
	}
	out.Sums = nil
	for _, sum := range t.Sums {
		out.Sums = append(out.Sums, Sum{Members: append([]CellRef(nil), sum.Members...), Total: sum.Total})
	}
	return out
}
