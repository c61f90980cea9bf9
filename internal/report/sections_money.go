package report

import (
	"fmt"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// The sections about money and meetings: budget per party, invoices and
// meetings held against those required.

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
