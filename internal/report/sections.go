package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// The groups the participant tables break down by.
var (
	genderKeys   = []string{"woman", "man", "non_binary", "not_stated"}
	genderLabels = []string{"Kvinnor", "Män", "Icke-binära", "Ej angivet"}
	// The age bands: the product had none, so the report uses the ESF+
	// indicators' (under 30, 30–54, over 54) and the participant tables
	// and the indicators agree. Age is the report year minus the birth
	// year (postgres.AgeBandSQL).
	bandKeys   = []string{"u30", "30_54", "o54"}
	bandLabels = []string{"Under 30 år", "30–54 år", "55 år och äldre"}
	statuses   = []struct{ key, title string }{
		{"new", "Nya deltagare (inskrivna under året)"},
		{"active", "Aktiva deltagare (inskrivna någon gång under året)"},
		{"exited", "Avslutade deltagare (avslut under året)"},
	}
)

// ageNote says how age is counted: the register holds birth years only.
const ageNote = "Ålder räknas som redovisningsåret minus födelseåret."

func destinations() (keys, labels []string) {
	for _, d := range partnership.ExitDestinations {
		keys = append(keys, string(d))
		labels = append(labels, d.Label())
	}
	return keys, labels
}

// ESF+ labour-market status at entry, from the participant's
// labour_status: registered_unemployed, unregistered_unemployed and
// in_programme (a labour-market programme is taken by the unemployed) →
// "Arbetslösa"; outside and studying → "Utanför arbetskraften" (ESF+
// "inactive", which includes those in education); employed → "Anställda";
// unknown → "Uppgift saknas". Long-term unemployment is not recorded in
// the product.
var (
	esfLabour = map[string]string{
		"registered_unemployed": "unemployed", "unregistered_unemployed": "unemployed", "in_programme": "unemployed",
		"outside": "inactive", "studying": "inactive", "employed": "employed", "unknown": "unknown",
	}
	esfLabourKeys   = []string{"unemployed", "inactive", "employed", "unknown"}
	esfLabourLabels = []string{"Arbetslösa (inkl. i arbetsmarknadsinsats)", "Utanför arbetskraften (inkl. studerande)", "Anställda", "Uppgift saknas"}
	// ESF+ education levels from the participant's education field:
	// isced_0_2 → "ISCED 0–2", isced_3_4 → "ISCED 3–4", isced_5 and
	// isced_6_8 → "ISCED 5–8", unknown → "Uppgift saknas".
	esfEducation = map[string]string{
		"isced_0_2": "isced_0_2", "isced_3_4": "isced_3_4", "isced_5": "isced_5_8", "isced_6_8": "isced_5_8", "unknown": "unknown",
	}
	esfEducationKeys   = []string{"isced_0_2", "isced_3_4", "isced_5_8", "unknown"}
	esfEducationLabels = []string{"Förgymnasial (ISCED 0–2)", "Gymnasial (ISCED 3–4)", "Eftergymnasial (ISCED 5–8)", "Uppgift saknas"}
)

// key names a figure for Disclose: agreement (or "all"), then the parts.
func key(id int64, parts ...string) string {
	s := "all"
	if id != 0 {
		s = strconv.FormatInt(id, 10)
	}
	for _, p := range parts {
		s += ":" + p
	}
	return s
}

func hoursOf(minutes int64) int64 { return (minutes + 30) / 60 }

// ---------------------------------------------------------------- agreement

func (d *data) agreementSections() []Section {
	a := d.agreements[0]
	id, rec := a.ID, d.recorded[a.ID]
	return []Section{
		d.activitySection(id, rec),
		d.participantSection(id, rec),
		d.intakeSection([]partnership.Agreement{a}, rec.Participants),
		d.exitSection(id, rec),
		d.stepSection(id, rec),
		d.followUpSection(id, rec),
		d.budgetSection(a, rec),
		d.invoiceSection(id),
		d.meetingSection(a),
		d.indicatorSection(id, rec),
	}
}

func notRecorded(id, title string) Section {
	return Section{ID: id, Title: title, NotRecorded: true}
}

func (d *data) activitySection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "aktiviteter", "Aktiviteter mot mål"
	if !rec.ActivityTypes {
		return notRecorded(sid, title)
	}
	t := Table{ID: "aktiviteter-mal", Title: fmt.Sprintf("Aktiviteter %d per typ mot årets mål", d.year),
		Columns: []string{"Aktivitetstyp", "Enhet", "Mål, lägst", "Mål, högst", "Genomfört", "Andel av målet", "Timmar", "Ideella timmar"}}
	for _, r := range d.activities[id] {
		done := r.Activities
		if r.Unit == string(partnership.UnitHours) {
			done = hoursOf(r.Minutes)
		}
		row := []Cell{label(r.Name), label(partnership.ActivityUnit(r.Unit).Label())}
		if r.TargetMin != nil {
			row = append(row, count(*r.TargetMin), count(*r.TargetMax), count(done), ratio(done, *r.TargetMin))
		} else {
			row = append(row, empty(Count), empty(Count), count(done), empty(Percent))
		}
		row = append(row, count(hoursOf(r.Minutes)), count(hoursOf(r.VolunteerMinutes)))
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		t.Note = "Inga mål och inga aktiviteter registrerade för året."
	}
	s := Section{ID: sid, Title: title, Tables: []Table{t}}
	if pp := d.perPart[id]; len(pp) > 0 {
		pt := Table{ID: "aktiviteter-per-deltagare", Title: "Deltagare mot målet per deltagare (aktiva deltagare, namngiven närvaro)",
			Columns:  []string{"Aktivitetstyp", "Mål per deltagare", "Under målet", "Inom målet", "Över målet", "Totalt"},
			RowTotal: true}
		for _, r := range pp {
			goal := strconv.FormatInt(r.Min, 10)
			if r.Max != r.Min {
				goal += "–" + strconv.FormatInt(r.Max, 10)
			}
			goal += " " + strings.ToLower(partnership.ActivityUnit(r.Unit).Label())
			pt.Rows = append(pt.Rows, []Cell{label(r.Name), label(goal), people(r.Below), people(r.Within), people(r.Above),
				people(r.Below + r.Within + r.Above)})
		}
		s.Tables = append(s.Tables, pt)
	}
	return s
}

// of is the rows of agreement id in byAgreement, or all of them when id
// is 0: a map lookup, so that a portfolio's per-agreement sums do not
// walk every agreement's rows.
func of[T any](byAgreement map[int64][]T, id int64) [][]T {
	if id != 0 {
		return [][]T{byAgreement[id]}
	}
	all := make([][]T, 0, len(byAgreement))
	for _, rows := range byAgreement {
		all = append(all, rows)
	}
	return all
}

// participantCounts sums an agreement's participants (or all agreements'
// when id is 0) of a status by gender × band.
func (d *data) participantCounts(id int64, status string) [][]int64 {
	m := matrix(len(bandKeys), len(genderKeys))
	for _, rows := range of(d.people, id) {
		for _, r := range rows {
			i, j := indexOf(bandKeys, r.Band), indexOf(genderKeys, r.Gender)
			if i < 0 || j < 0 {
				continue
			}
			switch status {
			case "new":
				m[i][j] += r.New
			case "active":
				m[i][j] += r.Active
			case "exited":
				m[i][j] += r.Exited
			}
		}
	}
	return m
}

func (d *data) participantSection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "deltagare", "Deltagare"
	if !rec.Participants {
		return notRecorded(sid, title)
	}
	s := Section{ID: sid, Title: title}
	for _, st := range statuses {
		m := d.participantCounts(id, st.key)
		t := crossTab("deltagare-"+st.key, fmt.Sprintf("%s %d efter ålder och kön", st.title, d.year), "Ålder",
			bandLabels, genderLabels, m, func(i, j int) string {
				g, b := "all", "all"
				if j < len(genderKeys) {
					g = genderKeys[j]
				}
				if i < len(bandKeys) {
					b = bandKeys[i]
				}
				return key(id, st.key, g, b)
			})
		t.Note = ageNote
		s.Tables = append(s.Tables, t)
	}
	return s
}

// intakeSection is the intake funnel: one row per agreement, with totals
// when there are several.
func (d *data) intakeSection(agreements []partnership.Agreement, recorded bool) Section {
	const sid, title = "intag", "Intagsflöde"
	if !recorded {
		return notRecorded(sid, title)
	}
	cols := []string{"Överenskommelse", "Inskrivna"}
	for _, r := range partnership.DeclineReasons {
		cols = append(cols, "Avböjda: "+r.Label())
	}
	cols = append(cols, "Väntar på beslut", "Anvisade totalt", "Kom till intervjun", "Andel som kom till intervjun")
	nr := len(partnership.DeclineReasons)
	referredCol, cameCol, shareCol := 2+nr+1, 2+nr+2, 2+nr+3
	t := Table{ID: "intag", Title: fmt.Sprintf("Anvisade %d och vad som hände med dem", d.year), Columns: cols}
	portfolio := d.portfolio
	if !portfolio {
		t.Columns[0] = "Anvisade"
	}
	for _, a := range agreements {
		f := d.funnel[a.ID]
		name := a.Title
		if !portfolio {
			name = fmt.Sprintf("Anvisade %d", d.year)
		}
		row := []Cell{label(name), people(f.Enrolled)}
		for _, r := range partnership.DeclineReasons {
			row = append(row, people(f.Declined[string(r)]))
		}
		row = append(row, people(f.Pending), keyed(f.Referred, key(a.ID, "referred")), people(f.Came), Cell{})
		t.Rows = append(t.Rows, row)
	}
	if portfolio {
		totalsRow(&t, nil)
		last := len(t.Rows) - 1
		t.Rows[last][referredCol].Key = key(0, "referred")
	}
	for i, row := range t.Rows {
		row[shareCol] = share(row[cameCol].Value, row[referredCol].Value, CellRef{i, cameCol}, CellRef{i, referredCol})
		// Inskrivna + avböjda + väntar = anvisade; inskrivna + avböjda
		// efter intervjun = kom till intervjun.
		all := Sum{Total: CellRef{i, referredCol}}
		for j := 1; j < referredCol; j++ {
			all.Members = append(all.Members, CellRef{i, j})
		}
		came := Sum{Total: CellRef{i, cameCol}, Members: []CellRef{{i, 1}}}
		for k, r := range partnership.DeclineReasons {
			if r.Came() {
				came.Members = append(came.Members, CellRef{i, 2 + k})
			}
		}
		t.Sums = append(t.Sums, all, came)
	}
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

func (d *data) exitSection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "avslut", "Avslut"
	if !rec.Participants {
		return notRecorded(sid, title)
	}
	keys, labels := destinations()
	m := matrix(len(keys), len(genderKeys))
	for _, r := range d.exits[id] {
		i, j := indexOf(keys, r.Key), indexOf(genderKeys, r.Sub)
		if i >= 0 && j >= 0 {
			m[i][j] += r.N
		}
	}
	t := crossTab("avslut", fmt.Sprintf("Avslut %d efter vart deltagarna gick och kön", d.year), "Vart deltagaren gick",
		labels, genderLabels, m, func(i, j int) string {
			switch {
			case i == len(keys) && j == len(genderKeys):
				return key(id, "exited", "all", "all")
			case i == len(keys):
				return key(id, "exited", genderKeys[j], "all")
			case j == len(genderKeys):
				return key(id, "exit-dest", keys[i], "all")
			}
			return ""
		})
	t.Note = "Arbete: anställning på den reguljära arbetsmarknaden i minst en sammanhängande månad (kommunala arbetsmarknadsanställningar räknas som annan insats). Studier: utbildning som ger rätt till studiemedel."
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

func (d *data) stepSection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "stegforflyttning", "Stegförflyttning"
	if !rec.Assessments {
		return notRecorded(sid, title)
	}
	t := Table{ID: "steg", Title: fmt.Sprintf("Deltagare bedömda %d som flyttat minst ett steg mellan första och senaste bedömningen", d.year),
		Columns: []string{"Dimension", "Bedömda", "Flyttat minst ett steg", "Andel"}}
	for _, r := range d.steps[id] {
		i := len(t.Rows)
		t.Rows = append(t.Rows, []Cell{label(r.Name), people(r.Assessed), people(r.Moved),
			share(r.Moved, r.Assessed, CellRef{i, 2}, CellRef{i, 1})})
	}
	if m, ok := d.stepsAny[id]; ok {
		i := len(t.Rows)
		t.Rows = append(t.Rows, []Cell{label("Minst en dimension"), people(m[0]), people(m[1]),
			share(m[1], m[0], CellRef{i, 2}, CellRef{i, 1})})
	}
	if len(t.Rows) == 0 {
		t.Note = "Ingen deltagare bedömdes under året."
	}
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

// followUpMonths lists the months of the follow-ups due in the year.
func (d *data) followUpMonths(ids ...int64) []int {
	var out []int
	for _, id := range ids {
		for _, r := range d.followUps[id] {
			if m, err := strconv.Atoi(r.Key); err == nil && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (d *data) followUpSection(id int64, rec postgres.ReportRecorded) Section {
	const sid, title = "uppfoljning", "Uppföljning efter avslut"
	if !rec.FollowUps {
		return notRecorded(sid, title)
	}
	months := d.followUpMonths(id)
	keys, labels := destinations()
	out := Table{ID: "uppfoljning-utfall", Title: fmt.Sprintf("Uppföljningar som förföll %d: vad deltagarna gjorde", d.year),
		Columns: []string{"Utfall"}}
	self := Table{ID: "uppfoljning-forsorjning", Title: fmt.Sprintf("Uppföljningar som förföll %d: självförsörjning", d.year),
		Columns: []string{"Uppföljning", "Genomförda", "Självförsörjande", "Inte självförsörjande", "Okänt", "Andel självförsörjande"}}
	for _, m := range months {
		out.Columns = append(out.Columns, fmt.Sprintf("Efter %d månader", m))
	}
	n := func(k, sub string) int64 {
		for _, r := range d.followUps[id] {
			if r.Key == k && r.Sub == sub {
				return r.N
			}
		}
		return 0
	}
	for i, l := range labels {
		row := []Cell{label(l)}
		for _, m := range months {
			row = append(row, people(n(strconv.Itoa(m), keys[i])))
		}
		out.Rows = append(out.Rows, row)
	}
	done, open, total := []Cell{label("Genomförda")}, []Cell{label("Inte genomförda")}, []Cell{label("Förfallna totalt")}
	for j, m := range months {
		var sum int64
		for i := range keys {
			sum += out.Rows[i][j+1].Value
		}
		o := n(strconv.Itoa(m), "open")
		done = append(done, keyed(sum, key(id, "fu", strconv.Itoa(m), "done")))
		open = append(open, people(o))
		total = append(total, people(sum+o))
	}
	di := len(out.Rows)
	out.Rows = append(out.Rows, done, open, total)
	for j := range months {
		s := Sum{Total: CellRef{di, j + 1}}
		for i := range keys {
			s.Members = append(s.Members, CellRef{i, j + 1})
		}
		out.Sums = append(out.Sums, s, Sum{Members: []CellRef{{di, j + 1}, {di + 1, j + 1}}, Total: CellRef{di + 2, j + 1}})
	}
	for i, m := range months {
		ms := strconv.Itoa(m)
		yes, no, unk := n("self:"+ms, "yes"), n("self:"+ms, "no"), n("self:"+ms, "unknown")
		rec := yes + no + unk
		self.Rows = append(self.Rows, []Cell{label(fmt.Sprintf("Efter %d månader", m)), keyed(rec, key(id, "fu", ms, "done")),
			people(yes), people(no), people(unk), share(yes, rec, CellRef{i, 2}, CellRef{i, 1})})
		self.Sums = append(self.Sums, Sum{Members: []CellRef{{i, 2}, {i, 3}, {i, 4}}, Total: CellRef{i, 1}})
	}
	if len(months) == 0 {
		out.Note, out.Rows, out.Sums = "Inga uppföljningar förföll under året.", nil, nil
		return Section{ID: sid, Title: title, Tables: []Table{out}}
	}
	return Section{ID: sid, Title: title, Tables: []Table{out, self}}
}

func (d *data) title(id int64) string {
	for _, a := range d.agreements {
		if a.ID == id {
			return a.Title
		}
	}
	return ""
}
