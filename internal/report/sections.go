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

func (d *data) budgetNote(id int64) string {
	switch {
	case d.noPeriod[id]:
		return "Överenskommelsens period är inte känd, så årets budget kan inte beräknas."
	case d.estimated[id]:
		return "Året är inte indexerat ännu: beloppen är beräknade enligt reglerna för indexering."
	}
	return ""
}

func (d *data) budgetSection(a partnership.Agreement, rec postgres.ReportRecorded) Section {
	const sid, title = "budget", "Budget per part"
	if !rec.BudgetLines {
		return notRecorded(sid, title)
	}
	t := Table{ID: "budget-parter", Title: fmt.Sprintf("Budget %d per part efter indexering", d.year),
		Columns: []string{"Part", "Kontant", "Naturainsats (värderad)", "Totalt"}, RowTotal: true, Note: d.budgetNote(a.ID)}
	var volunteer int64
	for _, pb := range d.budgets[a.ID] {
		t.Rows = append(t.Rows, []Cell{label(pb.name), amount(pb.cash), amount(pb.inKind), amount(pb.cash + pb.inKind)})
		volunteer += pb.volunteer
	}
	totalsRow(&t, nil)
	v := Table{ID: "ideellt-arbete", Title: fmt.Sprintf("Ideellt arbete %d: budgeterat och loggat", d.year),
		Columns: []string{"Ideellt arbete", "Budgeterat värde", "Budgeterade timmar", "Loggade timmar", "Loggat värde"}}
	minutes := d.volunteer[a.ID]
	row := []Cell{label("Ideellt arbete"), amount(volunteer)}
	if rate := a.VolunteerHourRate.Ore(); rate > 0 {
		row = append(row, count((volunteer+rate/2)/rate), count(hoursOf(minutes)),
			amount(partnership.VolunteerValue(minutes, a.VolunteerHourRate).Ore()))
	} else {
		row = append(row, empty(Count), count(hoursOf(minutes)), empty(Money))
		v.Note = "Överenskommelsen anger inget timvärde för ideellt arbete: timmarna kan inte värderas."
	}
	v.Rows = [][]Cell{row}
	return Section{ID: sid, Title: title, Tables: []Table{t, v}}
}

func (d *data) invoiceSection(id int64) Section {
	inv := d.invoices[id]
	exp := d.expected(id)
	t := Table{ID: "fakturor", Title: fmt.Sprintf("Fakturor för %d", d.year), Columns: []string{"Fakturor", "Antal", "Belopp"},
		Note: d.budgetNote(id)}
	t.Rows = [][]Cell{
		{label("Förväntat (kommunens kontanta del)"), empty(Count), amount(exp)},
		{label("Mottagna"), count(inv.Received), amount(inv.ReceivedAmount)},
		{label("Godkända"), count(inv.Approved), amount(inv.ApprovedAmount)},
		{label("Betalda"), count(inv.Paid), amount(inv.PaidAmount)},
		{label("Avvikelse (mottaget − förväntat)"), empty(Count), amount(inv.ReceivedAmount - exp)},
	}
	return Section{ID: "fakturor", Title: "Fakturor", Tables: []Table{t}}
}

func (d *data) meetingCount(id int64, kind partnership.MeetingKind) (held, planned int64) {
	for _, r := range d.meetings[id] {
		if r.Kind == string(kind) {
			return r.Held, r.Planned
		}
	}
	return 0, 0
}

func (d *data) meetingSection(a partnership.Agreement) Section {
	t := Table{ID: "moten", Title: fmt.Sprintf("Möten %d: hållna mot kraven i överenskommelsen", d.year),
		Columns: []string{"Mötestyp", "Hållna", "Planerade", "Krav per år"}}
	for _, k := range partnership.MeetingKinds {
		held, planned := d.meetingCount(a.ID, k)
		req := empty(Count)
		if k == partnership.MeetingDialogue {
			req = count(int64(a.DialogueMeetingsPerYear))
		}
		t.Rows = append(t.Rows, []Cell{label(k.Label()), count(held), count(planned), req})
	}
	return Section{ID: "moten", Title: "Möten", Tables: []Table{t}}
}

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

func (d *data) title(id int64) string {
	for _, a := range d.agreements {
		if a.ID == id {
			return a.Title
		}
	}
	return ""
}
