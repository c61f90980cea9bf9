package report

import (
	"strconv"
	"strings"

	"iop/internal/money"
)

const nbsp = "\u00a0"

// Display formats the cell the Swedish way for a page or a printed
// report: counts with no-break-space digit groups ("1 251"), money as
// "1 251 000 kr", shares as "62,5 %". A suppressed cell shows "<5" when
// its own value is small (primary) and "." otherwise; an empty numeric
// cell shows "–".
func (c Cell) Display() string {
	if c.Suppressed {
		if c.Primary {
			return "<5"
		}
		return "."
	}
	if c.Empty && c.Kind != Text && c.Kind != Date {
		return "–"
	}
	switch c.Kind {
	case Text, Date:
		return c.Text
	case People, Count:
		return Group(c.Value)
	case Money:
		return money.Amount(c.Value).String()
	case Percent:
		return FormatTenths(c.Value) + nbsp + "%"
	}
	return ""
}

// PeopleCount shows a count of people outside a report's tables, as a
// People cell of a disclosed report shows it when disclose is set (a
// viewer's page: 1 to SmallGroup-1 as "<5") and exactly otherwise. For
// a table without totals, where no secondary suppression is needed.
func PeopleCount(n int64, disclose bool) string {
	c := Cell{Kind: People, Value: n}
	if disclose && n >= 1 && n < SmallGroup {
		c.Suppressed, c.Primary = true, true
	}
	return c.Display()
}

// Numeric reports whether the cell holds a number (renderers right-align
// it).
func (c Cell) Numeric() bool { return c.Kind != Text && c.Kind != Date }

// Group formats an integer with no-break-space digit groups: 1251 → "1 251".
func Group(v int64) string {
	neg := v < 0
	mag := uint64(v)
	if neg {
		mag = -mag
	}
	d := strconv.FormatUint(mag, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	head := len(d) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(d[:head])
	for i := head; i < len(d); i += 3 {
		b.WriteString(nbsp)
		b.WriteString(d[i : i+3])
	}
	return b.String()
}

// FormatTenths formats tenths with a decimal comma, dropping ",0":
// 625 → "62,5", 500 → "50".
func FormatTenths(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := Group(v / 10)
	if f := v % 10; f != 0 {
		s += "," + strconv.FormatInt(f, 10)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Share returns part/whole in tenths of a percent, rounded half up, and
// false when whole is 0.
func Share(part, whole int64) (int64, bool) {
	if whole <= 0 {
		return 0, false
	}
	return (part*2000 + whole) / (2 * whole), true
}

// HasSuppressed reports whether any cell of the report is suppressed, so
// renderers know to show the footnote.
func (r Report) HasSuppressed() bool {
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			if t.HasSuppressed() {
				return true
			}
		}
	}
	return false
}

// HasSuppressed reports whether any cell of the table is suppressed.
func (t Table) HasSuppressed() bool {
	for _, row := range t.Rows {
		for _, c := range row {
			if c.Suppressed {
				return true
			}
		}
	}
	return false
}

// SuppressionNote explains the suppressed cells.
const SuppressionNote = "<5 = färre än fem personer; . = dolt så att en liten grupp inte kan räknas fram ur summorna. Uppgifter om färre än fem personer redovisas inte."
