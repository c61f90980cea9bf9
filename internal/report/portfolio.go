package report

import (
	"fmt"
	"strconv"
	"strings"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// portfolioSections lays the same figures out with one row per agreement
// and a totals row, then the agreements that need attention.
func (d *data) portfolioSections() []Section {
	d.portfolio = true
	ids := make([]int64, len(d.agreements))
	var rec recordedAny
	for i, a := range d.agreements {
		ids[i] = a.ID
		r := d.recorded[a.ID]
		rec.participants = rec.participants || r.Participants
		rec.activities = rec.activities || r.ActivityTypes
		rec.assessments = rec.assessments || r.Assessments
		rec.followUps = rec.followUps || r.FollowUps
		rec.budget = rec.budget || r.BudgetLines
	}
	if len(ids) == 0 {
		return []Section{{ID: "overenskommelser", Title: "Överenskommelser", NotRecorded: true}}
	}
	participants := func(r postgres.ReportRecorded) bool { return r.Participants }
	return []Section{
		d.blank(d.portfolioActivities(rec.activities), func(r postgres.ReportRecorded) bool { return r.ActivityTypes }),
		d.blank(d.portfolioParticipants(rec.participants), participants),
		d.blank(d.intakeSection(d.agreements, rec.participants), participants),
		d.blank(d.portfolioExits(rec.participants), participants),
		d.blank(d.portfolioSteps(rec.assessments), func(r postgres.ReportRecorded) bool { return r.Assessments }),
		d.blank(d.portfolioFollowUps(rec.followUps), func(r postgres.ReportRecorded) bool { return r.FollowUps }),
		d.blank(d.portfolioBudget(rec.budget), func(r postgres.ReportRecorded) bool { return r.BudgetLines }),
		d.portfolioInvoices(),
		d.portfolioMeetings(),
		d.blank(d.portfolioIndicators(rec.participants), participants),
		d.attention(),
	}
}

// blank shows the rows of the agreements that hold no data of a section
// as "–" (not recorded) instead of zeros, with a note saying so. Their
// figures are 0, so the totals are unchanged.
func (d *data) blank(s Section, has func(postgres.ReportRecorded) bool) Section {
	if s.NotRecorded {
		return s
	}
	for ti := range s.Tables {
		t := &s.Tables[ti]
		blanked := false
		for i, a := range d.agreements {
			if has(d.recorded[a.ID]) || i >= len(t.Rows) || t.Rows[i][0].Text != a.Title {
				continue
			}
			for j := 1; j < len(t.Rows[i]); j++ {
				if t.Rows[i][j].Kind != Text {
					t.Rows[i][j].Empty = true
				}
			}
			blanked = true
		}
		if blanked {
			note := "– = inte registrerat för överenskommelsen."
			if t.Note != "" {
				note = t.Note + " " + note
			}
			t.Note = note
		}
	}
	return s
}

// recordedAny says which kinds of data any agreement of the portfolio holds.
type recordedAny struct{ participants, activities, assessments, followUps, budget bool }

func (d *data) agreementColumn(cols ...string) []string {
	return append([]string{"Överenskommelse"}, cols...)
}

func (d *data) portfolioActivities(recorded bool) Section {
	const sid, title = "aktiviteter", "Aktiviteter mot mål"
	if !recorded {
		return notRecorded(sid, title)
	}
	t := Table{ID: "aktiviteter-mal", Title: fmt.Sprintf("Aktiviteter %d per överenskommelse", d.year),
		Columns: d.agreementColumn("Typer med mål", "Typer som nått målet", "Aktiviteter", "Timmar", "Ideella timmar")}
	for _, a := range d.agreements {
		var typed, reached, acts, minutes, vol int64
		for _, r := range d.activities[a.ID] {
			acts += r.Activities
			minutes += r.Minutes
			vol += r.VolunteerMinutes
			if r.TargetMin != nil {
				typed++
				if d.done(r) >= *r.TargetMin {
					reached++
				}
			}
		}
		t.Rows = append(t.Rows, []Cell{label(a.Title), count(typed), count(reached), count(acts), count(hoursOf(minutes)), count(hoursOf(vol))})
	}
	totalsRow(&t, nil)
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

// done is what was performed of a type in its unit: activities, or hours.
func (d *data) done(r postgres.ReportActivityRow) int64 {
	if r.Unit == string(partnership.UnitHours) {
		return hoursOf(r.Minutes)
	}
	return r.Activities
}

func (d *data) portfolioParticipants(recorded bool) Section {
	const sid, title = "deltagare", "Deltagare"
	if !recorded {
		return notRecorded(sid, title)
	}
	s := Section{ID: sid, Title: title}
	names := make([]string, len(d.agreements))
	for i, a := range d.agreements {
		names[i] = a.Title
	}
	for _, st := range statuses {
		byGender := matrix(len(d.agreements), len(genderKeys))
		byBand := matrix(len(d.agreements), len(bandKeys))
		for i, a := range d.agreements {
			m := d.participantCounts(a.ID, st.key)
			for b := range bandKeys {
				for g := range genderKeys {
					byGender[i][g] += m[b][g]
					byBand[i][b] += m[b][g]
				}
			}
		}
		totalKey := func(i int) string {
			if i == len(d.agreements) {
				return key(0, st.key, "all", "all")
			}
			return key(d.agreements[i].ID, st.key, "all", "all")
		}
		s.Tables = append(s.Tables,
			crossTab("deltagare-"+st.key+"-kon", fmt.Sprintf("%s %d efter kön", st.title, d.year), "Överenskommelse",
				names, genderLabels, byGender, func(i, j int) string {
					switch {
					case j == len(genderKeys):
						return totalKey(i)
					case i == len(d.agreements):
						return key(0, st.key, genderKeys[j], "all")
					}
					return ""
				}),
			crossTab("deltagare-"+st.key+"-alder", fmt.Sprintf("%s %d efter ålder", st.title, d.year), "Överenskommelse",
				names, bandLabels, byBand, func(i, j int) string {
					switch {
					case j == len(bandKeys):
						return totalKey(i)
					case i == len(d.agreements):
						return key(0, st.key, "all", bandKeys[j])
					}
					return ""
				}))
	}
	return s
}

func (d *data) portfolioExits(recorded bool) Section {
	const sid, title = "avslut", "Avslut"
	if !recorded {
		return notRecorded(sid, title)
	}
	keys, labels := destinations()
	names := make([]string, len(d.agreements))
	m := matrix(len(d.agreements), len(keys))
	for i, a := range d.agreements {
		names[i] = a.Title
		for j, k := range keys {
			m[i][j] = d.exitCount(a.ID, k)
		}
	}
	t := crossTab("avslut", fmt.Sprintf("Avslut %d efter vart deltagarna gick", d.year), "Överenskommelse", names, labels, m,
		func(i, j int) string {
			id := int64(0)
			if i < len(d.agreements) {
				id = d.agreements[i].ID
			}
			if j == len(keys) {
				return key(id, "exited", "all", "all")
			}
			return key(id, "exit-dest", keys[j], "all")
		})
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

func (d *data) portfolioSteps(recorded bool) Section {
	const sid, title = "stegforflyttning", "Stegförflyttning"
	if !recorded {
		return notRecorded(sid, title)
	}
	t := Table{ID: "steg", Title: fmt.Sprintf("Deltagare bedömda %d som flyttat minst ett steg på minst en dimension", d.year),
		Columns: d.agreementColumn("Bedömda", "Flyttat minst ett steg", "Andel")}
	for _, a := range d.agreements {
		m := d.stepsAny[a.ID]
		t.Rows = append(t.Rows, []Cell{label(a.Title), people(m[0]), people(m[1]), {}})
	}
	totalsRow(&t, nil)
	for i, row := range t.Rows {
		row[3] = share(row[2].Value, row[1].Value, CellRef{i, 2}, CellRef{i, 1})
	}
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

func (d *data) portfolioFollowUps(recorded bool) Section {
	const sid, title = "uppfoljning", "Uppföljning efter avslut"
	if !recorded {
		return notRecorded(sid, title)
	}
	ids := make([]int64, len(d.agreements))
	for i, a := range d.agreements {
		ids[i] = a.ID
	}
	months := d.followUpMonths(ids...)
	t := Table{ID: "uppfoljning-forsorjning", Title: fmt.Sprintf("Uppföljningar som förföll %d: genomförda och självförsörjande", d.year),
		Columns: d.agreementColumn()}
	for _, m := range months {
		t.Columns = append(t.Columns, fmt.Sprintf("%d mån: förfallna", m), fmt.Sprintf("%d mån: genomförda", m),
			fmt.Sprintf("%d mån: självförsörjande", m), fmt.Sprintf("%d mån: andel självförsörjande", m))
	}
	for _, a := range d.agreements {
		row := []Cell{label(a.Title)}
		for _, m := range months {
			var due, yes, rec int64
			for _, r := range d.followUps[a.ID] {
				switch r.Key {
				case strconv.Itoa(m):
					due += r.N
				case "self:" + strconv.Itoa(m):
					rec += r.N
					if r.Sub == "yes" {
						yes += r.N
					}
				}
			}
			row = append(row, people(due), keyed(rec, key(a.ID, "fu", strconv.Itoa(m), "done")), people(yes), Cell{})
		}
		t.Rows = append(t.Rows, row)
	}
	if len(months) == 0 {
		t.Note = "Inga uppföljningar förföll under året."
		t.Rows = nil
		return Section{ID: sid, Title: title, Tables: []Table{t}}
	}
	totalsRow(&t, nil)
	for i, row := range t.Rows {
		for k := range months {
			c := 1 + 4*k
			row[c+3] = share(row[c+2].Value, row[c+1].Value, CellRef{i, c + 2}, CellRef{i, c + 1})
		}
	}
	return Section{ID: sid, Title: title, Tables: []Table{t}}
}

func (d *data) portfolioBudget(recorded bool) Section {
	const sid, title = "budget", "Budget per part"
	if !recorded {
		return notRecorded(sid, title)
	}
	t := Table{ID: "budget-parter", Title: fmt.Sprintf("Budget %d efter indexering", d.year),
		Columns: d.agreementColumn("Kommunen, kontant", "Övriga parter, kontant", "Naturainsats (värderad)", "Totalt"), RowTotal: true}
	v := Table{ID: "ideellt-arbete", Title: fmt.Sprintf("Ideellt arbete %d: budgeterat och loggat", d.year),
		Columns: d.agreementColumn("Budgeterat värde", "Loggade timmar", "Loggat värde")}
	estimated := false
	for _, a := range d.agreements {
		var mun, other, kind, vol int64
		for _, pb := range d.budgets[a.ID] {
			if pb.municipality {
				mun += pb.cash
			} else {
				other += pb.cash
			}
			kind += pb.inKind
			vol += pb.volunteer
		}
		estimated = estimated || d.estimated[a.ID]
		t.Rows = append(t.Rows, []Cell{label(a.Title), amount(mun), amount(other), amount(kind), amount(mun + other + kind)})
		minutes := d.volunteer[a.ID]
		value := empty(Money)
		if a.VolunteerHourRate > 0 {
			value = amount(partnership.VolunteerValue(minutes, a.VolunteerHourRate).Ore())
		}
		v.Rows = append(v.Rows, []Cell{label(a.Title), amount(vol), count(hoursOf(minutes)), value})
	}
	totalsRow(&t, nil)
	totalsRow(&v, nil)
	if estimated {
		t.Note = "Året är inte indexerat för alla överenskommelser: deras belopp är beräknade enligt reglerna för indexering."
	}
	return Section{ID: sid, Title: title, Tables: []Table{t, v}}
}

func (d *data) portfolioInvoices() Section {
	t := Table{ID: "fakturor", Title: fmt.Sprintf("Fakturor för %d", d.year),
		Columns: d.agreementColumn("Förväntat", "Mottagna fakturor", "Mottaget", "Godkänt", "Betalt", "Avvikelse (mottaget − förväntat)")}
	for _, a := range d.agreements {
		inv, exp := d.invoices[a.ID], d.expected(a.ID)
		t.Rows = append(t.Rows, []Cell{label(a.Title), amount(exp), count(inv.Received), amount(inv.ReceivedAmount),
			amount(inv.ApprovedAmount), amount(inv.PaidAmount), amount(inv.ReceivedAmount - exp)})
	}
	totalsRow(&t, nil)
	return Section{ID: "fakturor", Title: "Fakturor", Tables: []Table{t}}
}

func (d *data) portfolioMeetings() Section {
	t := Table{ID: "moten", Title: fmt.Sprintf("Möten %d", d.year),
		Columns: d.agreementColumn("Dialogmöten hållna", "Dialogmöten, krav", "Styrgruppsmöten hållna", "Uppföljningsmöten hållna", "Planerade")}
	for _, a := range d.agreements {
		dh, dp := d.meetingCount(a.ID, partnership.MeetingDialogue)
		sh, sp := d.meetingCount(a.ID, partnership.MeetingSteeringGroup)
		fh, fp := d.meetingCount(a.ID, partnership.MeetingFollowUp)
		t.Rows = append(t.Rows, []Cell{label(a.Title), count(dh), count(int64(a.DialogueMeetingsPerYear)), count(sh), count(fh), count(dp + sp + fp)})
	}
	totalsRow(&t, nil)
	return Section{ID: "moten", Title: "Möten", Tables: []Table{t}}
}

func (d *data) portfolioIndicators(recorded bool) Section {
	const sid, title = "indikatorer", "Indikatorer (ESF+ och Kolada)"
	if !recorded {
		return notRecorded(sid, title)
	}
	names := make([]string, len(d.agreements))
	ids := make([]int64, len(d.agreements))
	for i, a := range d.agreements {
		names[i], ids[i] = a.Title, a.ID
	}
	tab := func(tid, ttitle, field string, keys, labels []string, mapping map[string]string, k func(id int64, j int) string) Table {
		m := make([][]int64, len(d.agreements))
		for i, a := range d.agreements {
			m[i] = d.indicatorCounts(a.ID, field, keys, mapping)
		}
		return crossTab(tid, ttitle, "Överenskommelse", names, labels, m, func(i, j int) string {
			id := int64(0)
			if i < len(d.agreements) {
				id = d.agreements[i].ID
			}
			if j == len(keys) {
				return key(id, "new", "all", "all")
			}
			if k != nil {
				return k(id, j)
			}
			return ""
		})
	}
	y := d.year
	s := Section{ID: sid, Title: title, Tables: []Table{
		tab("esf-kon", fmt.Sprintf("ESF+: deltagare som började %d efter kön", y), "gender", genderKeys, genderLabels, nil,
			func(id int64, j int) string { return key(id, "new", genderKeys[j], "all") }),
		tab("esf-alder", fmt.Sprintf("ESF+: deltagare som började %d efter ålder", y), "age", bandKeys,
			[]string{"Under 30 år", "30–54 år", "Över 54 år"}, nil,
			func(id int64, j int) string { return key(id, "new", "all", bandKeys[j]) }),
		tab("esf-arbetsmarknad", fmt.Sprintf("ESF+: deltagare som började %d efter ställning på arbetsmarknaden vid start", y),
			"labour", esfLabourKeys, esfLabourLabels, esfLabour, nil),
		tab("esf-utbildning", fmt.Sprintf("ESF+: deltagare som började %d efter utbildningsnivå", y),
			"education", esfEducationKeys, esfEducationLabels, esfEducation, nil),
		d.koladaTable(ids, true),
	}}
	return s
}

// attention lists the agreements that need the committee's attention:
// activity types behind their target pro rata, dialogue meetings missing,
// fewer active participants than agreed, budget deviations not accepted,
// invoices above what is expected, and (for a year that is over) annual
// reports not submitted.
func (d *data) attention() Section {
	t := Table{ID: "uppmarksamhet", Title: fmt.Sprintf("Överenskommelser som behöver uppmärksamhet %d", d.year),
		Columns: []string{"Överenskommelse", "Vad", "Uppgift"}}
	num, den := d.elapsed()
	add := func(a partnership.Agreement, what, detail string) {
		t.Rows = append(t.Rows, []Cell{label(a.Title), label(what), label(detail)})
	}
	for _, a := range d.agreements {
		for _, r := range d.activities[a.ID] {
			if r.TargetMin == nil || *r.TargetMin == 0 || num == 0 {
				continue
			}
			expected := (*r.TargetMin*num + den/2) / den
			if done := d.done(r); done < expected {
				add(a, "Efter målet", fmt.Sprintf("%s: %s av %s %s (mål för året %s)", r.Name, Group(done), Group(expected),
					strings.ToLower(partnership.ActivityUnit(r.Unit).Label()), Group(*r.TargetMin)))
			}
		}
		if req := int64(a.DialogueMeetingsPerYear); req > 0 {
			held, planned := d.meetingCount(a.ID, partnership.MeetingDialogue)
			if held+planned < req || (d.yearOver() && held < req) {
				add(a, "Möten saknas", fmt.Sprintf("%d av %d dialogmöten hållna (%d planerade)", held, req, planned))
			}
		}
		if a.ParticipantsMin != nil && d.yearOver() && d.recorded[a.ID].Participants {
			var active int64
			for _, r := range d.people[a.ID] {
				active += r.Active
			}
			if active < int64(*a.ParticipantsMin) {
				add(a, "Färre deltagare än avtalat", fmt.Sprintf("%s aktiva deltagare, minst %d avtalade", Group(active), *a.ParticipantsMin))
			}
		}
		if n := d.deviations[a.ID]; n > 0 {
			add(a, "Budgetavvikelse", fmt.Sprintf("%d avvikelser i budgeten är inte förklarade eller godtagna", n))
		}
		if inv := d.invoices[a.ID]; inv.ReceivedAmount > d.expected(a.ID) {
			add(a, "Budgetavvikelse", fmt.Sprintf("Fakturerat %s, förväntat %s", Cell{Kind: Money, Value: inv.ReceivedAmount}.Display(),
				Cell{Kind: Money, Value: d.expected(a.ID)}.Display()))
		}
		if d.reportsSeen && d.yearOver() && d.unsubmitted[a.ID] {
			add(a, "Årsrapport saknas", fmt.Sprintf("Årsrapporten för %d är inte inlämnad", d.year))
		}
	}
	if len(t.Rows) == 0 {
		t.Note = "Ingen överenskommelse behöver uppmärksamhet."
	}
	return Section{ID: "uppmarksamhet", Title: "Behöver uppmärksamhet", Tables: []Table{t}}
}
