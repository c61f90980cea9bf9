package report

import (
	"fmt"

	"iop/internal/postgres"
)

// The ESF+ common output indicators and Kolada's "work or studies at
// exit".

// indicatorCounts sums the indicator rows of field (an agreement's, or
// all when id is 0) into the groups keys by mapping (nil: the value is
// the group).
func (d *data) indicatorCounts(id int64, field string, keys []string, mapping map[string]string) []int64 {
	out := make([]int64, len(keys))
	for _, rows := range of(d.indicators, id) {
		for _, r := range rows {
			if r.Key != field {
				continue
			}
			g := r.Sub
			if mapping != nil {
				g = mapping[g]
			}
			if i := indexOf(keys, g); i >= 0 {
				out[i] += r.N
			}
		}
	}
	return out
}

// exitCount is the exits of an agreement (all when id is 0) to dest ("" all).
func (d *data) exitCount(id int64, dest string) int64 {
	var n int64
	for _, rows := range of(d.exits, id) {
		for _, r := range rows {
			if dest == "" || r.Key == dest {
				n += r.N
			}
		}
	}
	return n
}

// indicatorSection holds the ESF+ common output indicators of the
// participants who entered (were enrolled) in the year, and Kolada's
// "work or studies at exit" of those who exited in it.
//
// Field mapping: gender → participants.gender; under 30 / 30–54 / over 54
// → the report year minus participants.birth_year; labour-market status
// at entry → participants.labour_status (see esfLabour); education →
// participants.education, ISCED bands (see esfEducation); work or studies
// at exit → participants.exit_destination in (work, studies), whose
// definitions are the national municipal statistics' (work: at least one
// continuous month on the regular labour market; studies: entitling to
// student aid), over all exits of the year.
func (d *data) indicatorSection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "indikatorer", "Indikatorer (ESF+ och Kolada)"
	if !rec.Participants {
		return notRecorded(sid, title)
	}
	newKey := func(g, b string) string { return key(id, "new", g, b) }
	column := func(tid, ttitle, corner string, labels []string, v []int64, k func(i int) string) Table {
		t := Table{ID: tid, Title: ttitle, Columns: []string{corner, "Deltagare"}, ColTotal: true}
		var sum int64
		for i, l := range labels {
			c := people(v[i])
			if k != nil {
				c.Key = k(i)
			}
			t.Rows = append(t.Rows, []Cell{label(l), c})
			sum += v[i]
		}
		t.Rows = append(t.Rows, []Cell{label("Totalt"), keyed(sum, newKey("all", "all"))})
		return t
	}
	y := d.year
	s := Section{ID: sid, Title: title}
	s.Tables = append(s.Tables,
		column("esf-kon", fmt.Sprintf("ESF+: deltagare som började %d efter kön", y), "Kön", genderLabels,
			d.indicatorCounts(id, "gender", genderKeys, nil), func(i int) string { return newKey(genderKeys[i], "all") }),
		column("esf-alder", fmt.Sprintf("ESF+: deltagare som började %d efter ålder", y), "Ålder",
			[]string{"Under 30 år", "30–54 år", "Över 54 år"},
			d.indicatorCounts(id, "age", bandKeys, nil), func(i int) string { return newKey("all", bandKeys[i]) }),
		column("esf-arbetsmarknad", fmt.Sprintf("ESF+: deltagare som började %d efter ställning på arbetsmarknaden vid start", y),
			"Ställning på arbetsmarknaden", esfLabourLabels, d.indicatorCounts(id, "labour", esfLabourKeys, esfLabour), nil),
		column("esf-utbildning", fmt.Sprintf("ESF+: deltagare som började %d efter utbildningsnivå", y), "Utbildningsnivå",
			esfEducationLabels, d.indicatorCounts(id, "education", esfEducationKeys, esfEducation), nil),
		d.koladaTable([]int64{id}, false))
	return s
}

// koladaTable is Kolada's "work or studies at exit": per agreement (or
// one row for one agreement) the exits of the year, to work, to studies,
// to either, and the share.
func (d *data) koladaTable(ids []int64, portfolio bool) Table {
	t := Table{ID: "kolada-arbete-studier", Title: fmt.Sprintf("Kolada: avslutade %d som gick till arbete eller studier", d.year),
		Columns: []string{"Överenskommelse", "Avslutade", "Till arbete", "Till studier", "Till arbete eller studier", "Andel arbete eller studier"}}
	if !portfolio {
		t.Columns[0] = "Avslutade deltagare"
	}
	for _, id := range ids {
		name := fmt.Sprintf("Avslut %d", d.year)
		if portfolio {
			name = d.title(id)
		}
		w, st := d.exitCount(id, "work"), d.exitCount(id, "studies")
		t.Rows = append(t.Rows, []Cell{label(name), keyed(d.exitCount(id, ""), key(id, "exited", "all", "all")),
			keyed(w, key(id, "exit-dest", "work", "all")), keyed(st, key(id, "exit-dest", "studies", "all")), people(w + st), {}})
	}
	if portfolio {
		totalsRow(&t, nil)
		last := t.Rows[len(t.Rows)-1]
		last[1].Key, last[2].Key, last[3].Key = key(0, "exited", "all", "all"), key(0, "exit-dest", "work", "all"), key(0, "exit-dest", "studies", "all")
	}
	for i, row := range t.Rows {
		row[5] = share(row[4].Value, row[1].Value, CellRef{i, 4}, CellRef{i, 1})
		t.Sums = append(t.Sums, Sum{Members: []CellRef{{i, 2}, {i, 3}}, Total: CellRef{i, 4}})
	}
	return t
}
