package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// actSpan is an inclusive range of whole numbers drawn from uniformly.
type actSpan struct{ lo, hi int }

func (s actSpan) draw(r *rand.Rand) int { return s.lo + r.IntN(s.hi-s.lo+1) }

// demoActivityType is an activity type of a demo agreement with its target
// and how a year of its activities is generated: count activities on the
// allowed days, spread evenly over the year, each with a duration, people
// and volunteer time drawn from the spans (minutes in steps of 15).
type demoActivityType struct {
	name       string
	unit       partnership.ActivityUnit
	perPartMin *int // target per participant, when the source gives one
	perPartMax *int
	target     *actSpan // the year's target; nil when the source states none

	count     int            // activities in the whole year
	weekdays  []time.Weekday // the days it is held
	months    []time.Month   // nil: every month but the summer break (weeks 27–32) and Christmas
	minutes   actSpan
	women     actSpan
	men       actSpan
	nonBinary actSpan
	children  actSpan
	volunteer actSpan // minutes
	staff     actSpan
	places    []string
	notes     []string
}

// demoActivityPlan is the year of activities of one demo agreement.
type demoActivityPlan struct {
	title string
	staff string // e-mail of the demo user who logs them; "" when there is none
	year  int
}

var (
	actWeekdays  = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	actSummer    = []time.Month{time.June, time.July, time.August}
	actAllMonths = []time.Month{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
)

// The years the demo logs. IKF's agreement runs 2023–2024 and
// Stadsmissionen's 2018–2019 (extendable): their activities are logged in
// the last year of the signed period, so that progress is followed up in a
// year the agreement covers, and that year is complete. KISAM's draft has
// no dates: its activities are logged for 2026 up to the day the demo is
// loaded, so that its progress shows a year in progress.
var demoActivityPlans = []demoActivityPlan{
	{title: "Förstegsinsats med KISAM-Världens mammor", year: 2026},
	{title: "Inkludering på lika villkor", staff: "ikf@iop.example", year: 2024},
	{title: "Hoppfull framtid", staff: "stadsmissionen@iop.example", year: 2019},
}

// demoActivityTypes are the types and targets the source documents name,
// per agreement, with volumes chosen so that some types are on track and
// some behind.
var demoActivityTypes = map[string][]demoActivityType{
	// "Skapandeträffar fem-sex gånger i veckan … (ca 250 skapandeträffar per
	// år)", replaced by full-day excursions in the summer; "En gång i veckan
	// en kortare kunskapsutflykt … Sammanlagt ca 40"; "Kunskapsutflykter 10
	// st/heldagar/år"; "Två till tre enskilda samtal/coaching á två till tre
	// timmar per deltagare, beräknat på … 50 personer" (100–150 a year); "en
	// till två workshops" for employers. Volunteer work (2 × 20 % of full
	// time) is logged on the creative meetings.
	"Förstegsinsats med KISAM-Världens mammor": {
		{name: "Skapandeträff", unit: partnership.UnitOccasions, target: &actSpan{250, 250},
			count: 240, weekdays: actWeekdays, minutes: actSpan{150, 210}, women: actSpan{8, 22}, children: actSpan{4, 18},
			nonBinary: actSpan{0, 1}, volunteer: actSpan{120, 240}, staff: actSpan{2, 3},
			places: []string{"Lokalen i Skäggetorps centrum"},
			notes:  []string{"Målning", "Sömnad", "Keramik", "Språkcafé med skapande", "Collage om drömyrken", ""}},
		{name: "Kunskapsutflykt/besök/föreläsning", unit: partnership.UnitOccasions, target: &actSpan{40, 40},
			count: 34, weekdays: []time.Weekday{time.Wednesday}, minutes: actSpan{120, 180}, women: actSpan{6, 15},
			children: actSpan{0, 4}, volunteer: actSpan{0, 60}, staff: actSpan{1, 2},
			places: []string{"Vårdcentralen Skäggetorp", "Stadsbiblioteket", "Linköpings universitet", "Lokalen i Skäggetorps centrum"},
			notes:  []string{"Föreläsning om stress", "Besök på arbetsplats inom handel", "Rättigheter och skyldigheter", "Mat och hälsa", "Jämställdhet"}},
		{name: "Heldagsutflykt", unit: partnership.UnitOccasions, target: &actSpan{10, 10},
			count: 10, weekdays: []time.Weekday{time.Tuesday, time.Thursday}, months: actSummer,
			minutes: actSpan{360, 480}, women: actSpan{15, 30}, children: actSpan{10, 35}, volunteer: actSpan{240, 480},
			staff: actSpan{2, 3}, places: []string{"Omberg", "Gamla Linköping", "Vadstena", "Norrköpings konstmuseum"},
			notes: []string{"Guidad visning", "Naturvandring med picknick", ""}},
		{name: "Enskilt samtal/coachning", unit: partnership.UnitOccasions,
			perPartMin: intp(2), perPartMax: intp(3), target: &actSpan{100, 150},
			count: 130, weekdays: []time.Weekday{time.Thursday}, minutes: actSpan{120, 180}, women: actSpan{1, 1},
			staff: actSpan{1, 1}, places: []string{"Lokalen i Skäggetorps centrum"},
			notes: []string{"Mål och riktning", "Uppföljning av mål", "CV och studieval", ""}},
		{name: "Arbetsgivarworkshop", unit: partnership.UnitOccasions, target: &actSpan{1, 2},
			count: 1, weekdays: []time.Weekday{time.Wednesday}, months: []time.Month{time.October},
			minutes: actSpan{180, 180}, women: actSpan{12, 12}, men: actSpan{4, 6}, staff: actSpan{2, 2},
			places: []string{"Lokalen i Skäggetorps centrum"},
			notes:  []string{"Mottagande av utrikesfödda kvinnor på arbetsplatsen"}},
	},
	// "Varje vecka arrangeras 'Må bra'-grupper" (52 a year); "promenader i
	// naturen och utflykter …, lättare träningspass, samt gruppsamtal", with
	// no numbers; "Individuella motiverande samtal/familjepedagog; 30
	// h/vecka (1 200 h/år)", counted in hours.
	"Inkludering på lika villkor": {
		{name: "Må bra-grupp", unit: partnership.UnitOccasions, target: &actSpan{52, 52},
			count: 49, weekdays: []time.Weekday{time.Tuesday}, months: actAllMonths, minutes: actSpan{120, 150},
			women: actSpan{10, 20}, nonBinary: actSpan{0, 1}, volunteer: actSpan{60, 180}, staff: actSpan{1, 2},
			places: []string{"IKF:s lokal"},
			notes:  []string{"Svenska och hälsa", "Samhällsorientering", "Sömn och stress", "Kost", ""}},
		{name: "Promenad/utflykt", unit: partnership.UnitOccasions,
			count: 22, weekdays: []time.Weekday{time.Friday}, minutes: actSpan{90, 240}, women: actSpan{6, 14},
			men: actSpan{0, 2}, children: actSpan{0, 8}, volunteer: actSpan{60, 120}, staff: actSpan{1, 2},
			places: []string{"Trädgårdsföreningen", "Valla fritidsområde", "Tinnerö eklandskap", "Stångån"}},
		{name: "Gruppsamtal", unit: partnership.UnitOccasions,
			count: 30, weekdays: []time.Weekday{time.Thursday}, minutes: actSpan{60, 90}, women: actSpan{5, 10},
			staff: actSpan{1, 1}, places: []string{"IKF:s lokal"}, notes: []string{"Familjepedagog", ""}},
		{name: "Individuellt motiverande samtal", unit: partnership.UnitHours, target: &actSpan{1200, 1200},
			count: 660, weekdays: actWeekdays, months: actAllMonths, minutes: actSpan{60, 120}, women: actSpan{1, 1},
			children: actSpan{0, 1}, staff: actSpan{1, 1}, places: []string{"IKF:s lokal"}},
	},
	// "Yrkescoachning … (5 yrkescoacher á 27 000/månad 20 %/12 månader)":
	// five coaches at a fifth of full time, 8 h a week each for 46 working
	// weeks, 1 840 h; the training room for "jobbsökaraktivitet, coachning
	// och handledning, workshops" and material for "seminarier och
	// studiebesök": a job-search session a week (46), a workshop a month
	// outside the summer (10), study visits twice a term or so (6–10), and
	// the IUP follow-ups "med regelbundna uppföljningar" as coaching
	// sessions, four per participant a year for 40–80 participants.
	"Hoppfull framtid": {
		{name: "Yrkescoachning", unit: partnership.UnitHours, target: &actSpan{1840, 1840},
			count: 520, weekdays: actWeekdays, minutes: actSpan{180, 240}, women: actSpan{0, 3}, men: actSpan{0, 3},
			nonBinary: actSpan{0, 1}, staff: actSpan{1, 1}, places: []string{"Caféet", "Restaurangen", "Second hand-butiken"}},
		{name: "Jobbsökaraktivitet", unit: partnership.UnitOccasions, target: &actSpan{46, 46},
			count: 44, weekdays: []time.Weekday{time.Monday}, minutes: actSpan{120, 180}, women: actSpan{3, 8},
			men: actSpan{3, 8}, staff: actSpan{1, 2}, places: []string{"Utbildningslokalen"},
			notes: []string{"CV och personligt brev", "Platsbanken", "Intervjuträning", ""}},
		{name: "Workshop", unit: partnership.UnitOccasions, target: &actSpan{10, 10},
			count: 7, weekdays: []time.Weekday{time.Wednesday}, minutes: actSpan{150, 210}, women: actSpan{4, 10},
			men: actSpan{4, 10}, volunteer: actSpan{120, 240}, staff: actSpan{2, 2}, places: []string{"Utbildningslokalen"},
			notes: []string{"Arbetsmiljö och rättigheter", "Kommunikation på arbetsplatsen", "Privatekonomi"}},
		{name: "Studiebesök", unit: partnership.UnitOccasions, target: &actSpan{6, 10},
			count: 8, weekdays: []time.Weekday{time.Thursday}, minutes: actSpan{120, 240}, women: actSpan{2, 6},
			men: actSpan{2, 6}, staff: actSpan{1, 2}, places: []string{"Jobb- och kunskapstorget", "Folkuniversitetet", "Lagerföretag i Linköping"}},
		{name: "Coachning och handledning", unit: partnership.UnitOccasions,
			perPartMin: intp(4), perPartMax: intp(4), target: &actSpan{160, 320},
			count: 130, weekdays: actWeekdays, minutes: actSpan{45, 90}, women: actSpan{0, 1}, men: actSpan{0, 1},
			volunteer: actSpan{30, 90}, staff: actSpan{1, 1}, places: []string{"Utbildningslokalen"},
			notes: []string{"IUP-uppföljning", "Mentorsamtal", ""}},
	},
}

// loadActivities gives each demo agreement that has no activity types yet
// its types, the targets of its demo year and that year's activities, in
// one transaction per agreement with an audit event. Nothing is logged
// after now's date in Europe/Stockholm.
func loadActivities(ctx context.Context, db *postgres.DB, now time.Time) error {
	today := partnership.Today(now)
	for i, plan := range demoActivityPlans {
		err := db.InTx(ctx, func(tx pgx.Tx) error { return loadAgreementActivities(ctx, tx, i, plan, today) })
		if err != nil {
			return fmt.Errorf("demo activities for %q: %w", plan.title, err)
		}
	}
	return nil
}

func loadAgreementActivities(ctx context.Context, tx pgx.Tx, index int, plan demoActivityPlan, today time.Time) error {
	agreement, err := postgres.NewAgreements(tx).ByTitle(ctx, plan.title)
	if err != nil {
		return err
	}
	typeStore := postgres.NewActivityTypes(tx)
	if existing, err := typeStore.Types(ctx, agreement.ID); err != nil || len(existing) > 0 {
		return err
	}
	var orgID *int64
	for _, p := range agreement.Parties {
		if p.Role == partnership.PartyLeadAssociation {
			orgID = &p.OrganisationID
		}
	}
	var createdBy *int64
	if plan.staff != "" {
		u, err := postgres.NewUsers(tx).ByEmail(ctx, plan.staff)
		if err != nil && !errors.Is(err, partnership.ErrNotFound) {
			return err
		}
		if err == nil {
			createdBy = &u.ID
		}
	}
	r := rand.New(rand.NewPCG(2026, uint64(index)))
	var list []partnership.Activity
	for pos, dt := range demoActivityTypes[plan.title] {
		typ, err := typeStore.CreateType(ctx, partnership.ActivityType{
			AgreementID: agreement.ID, Name: dt.name, Unit: dt.unit, PerParticipantMin: dt.perPartMin,
			PerParticipantMax: dt.perPartMax, Position: pos + 1, Active: true,
		})
		if err != nil {
			return err
		}
		if dt.target != nil {
			target := partnership.Target{AgreementID: agreement.ID, TypeID: typ.ID, Year: plan.year, Min: dt.target.lo, Max: dt.target.hi}
			if err := typeStore.SetTarget(ctx, target); err != nil {
				return err
			}
		}
		for _, day := range dt.days(r, plan.year) {
			if day.After(today) {
				continue
			}
			a := dt.activity(r, agreement.ID, typ.ID, day)
			if err := a.Validate(today); err != nil {
				return fmt.Errorf("%s on %s: %w", dt.name, day.Format(time.DateOnly), err)
			}
			list = append(list, a)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Date.Before(list[j].Date) })
	n, err := postgres.NewActivities(tx).Import(ctx, agreement.ID, createdBy, orgID, list)
	if err != nil {
		return err
	}
	return postgres.NewAudit(tx).Record(ctx, partnership.AuditEvent{
		Action: "activity.import", Entity: "agreement", EntityID: fmt.Sprint(agreement.ID),
		Details: map[string]any{"rows": n, "year": plan.year, "source": "demo"},
	})
}

// days spreads the type's activities evenly over its allowed days of the
// year: the i-th falls at a random point of the i-th of count equal
// stretches, so the log grows steadily and more than one a day is possible
// when count exceeds the days.
func (dt demoActivityType) days(r *rand.Rand, year int) []time.Time {
	months := dt.months
	var allowed []time.Time
	for d := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if !slices.Contains(dt.weekdays, d.Weekday()) {
			continue
		}
		_, week := d.ISOWeek()
		if months == nil && (week >= 27 && week <= 32 || d.Month() == time.December && d.Day() > 20 || d.Month() == time.January && d.Day() < 7) {
			continue
		}
		if months != nil && !slices.Contains(months, d.Month()) {
			continue
		}
		allowed = append(allowed, d)
	}
	out := make([]time.Time, 0, dt.count)
	for i := 0; i < dt.count && len(allowed) > 0; i++ {
		at := int((float64(i) + r.Float64()) * float64(len(allowed)) / float64(dt.count))
		out = append(out, allowed[min(at, len(allowed)-1)])
	}
	return out
}

func (dt demoActivityType) activity(r *rand.Rand, agreementID, typeID int64, day time.Time) partnership.Activity {
	a := partnership.Activity{
		AgreementID: agreementID, TypeID: typeID, Date: day,
		DurationMinutes: dt.minutes.draw(r) / 15 * 15, Women: dt.women.draw(r), Men: dt.men.draw(r),
		NonBinary: dt.nonBinary.draw(r), Children: dt.children.draw(r),
		VolunteerMinutes: dt.volunteer.draw(r) / 15 * 15, StaffPresent: dt.staff.draw(r),
	}
	if len(dt.places) > 0 {
		a.Place = dt.places[r.IntN(len(dt.places))]
	}
	if len(dt.notes) > 0 {
		a.Notes = dt.notes[r.IntN(len(dt.notes))]
	}
	return a
}
