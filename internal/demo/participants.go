package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// coordinatorEmail is the demo coordinator, who refers some participants.
const coordinatorEmail = "koordinator@iop.example"

// weighted is a coded field's values with their relative weights.
type weighted[T any] []struct {
	v T
	w int
}

func (ws weighted[T]) pick(r *rand.Rand) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// demoIntake is a stretch of the year over which count referrals are
// spread evenly; exitShare of those enrolled leave before the year ends.
type demoIntake struct {
	cohort    string
	from, to  string
	count     int
	exitShare float64
}

// demoIdentity is a fictitious person with a personnummer from
// Skatteverket's test series (individual numbers 980–999, never given to
// anyone), which fixes the gender and birth year of the participant.
type demoIdentity struct {
	name, pnr, phone, email string
	region                  partnership.BirthRegion
	yearsInSweden           int
	byCoordinator           bool
}

// demoParticipantPlan is how one demo agreement's year of participants is
// generated: statistical fields drawn from the profile, referrals spread
// over the intakes, every declineEvery-th referral declined, the last
// pending still awaiting their intake interview, every coordinatorEvery-th
// referred by the coordinator, and identities on the referrals they are
// keyed by.
type demoParticipantPlan struct {
	title            string
	staff            string
	year             int
	intakes          []demoIntake
	declineEvery     int
	pending          int
	coordinatorEvery int
	profile          demoProfile
	identities       map[int]demoIdentity
}

// demoProfile is the target group of an agreement as the statistical
// fields describe it.
type demoProfile struct {
	genders      weighted[partnership.Gender]
	birthYears   actSpan
	regions      weighted[partnership.BirthRegion]
	yearsSweden  actSpan
	education    weighted[partnership.Education]
	labour       weighted[partnership.LabourStatus]
	income       weighted[partnership.IncomeSource]
	areas        []string
	capacity     *actSpan // hours a week, in steps of 5; nil: mostly not assessed
	sources      weighted[partnership.ReferralSource]
	declines     weighted[partnership.DeclineReason]
	destinations weighted[partnership.ExitDestination]
}

var demoAreas = []string{"Skäggetorp", "Ryd", "Berga", "Lambohov", "Johannelund", "Ekholmen", "Tornby"}

// The shared person takes part in Stadsmissionen's partnership in 2019 and
// IKF's in 2024, so that registering her the second time warns of a
// duplicate.
const sharedPnr = "19880314-9825"

// demoParticipantPlans are loaded in this order, Stadsmissionen's 2019
// first, so that the shared person's second registration finds the first.
var demoParticipantPlans = []demoParticipantPlan{
	{
		// "Det sker en kontinuerlig intagning … mellan 40 - 80 personer …
		// under ett kalenderår"; "en bedömd arbetsförmåga om minst 10
		// timmar/vecka"; people who have not completed school and are on
		// or at risk of social assistance. Intake is continuous, so there
		// are no cohorts.
		title: "Hoppfull framtid", staff: "stadsmissionen@iop.example", year: 2019,
		intakes:      []demoIntake{{from: "2019-01-07", to: "2019-11-29", count: 62, exitShare: 0.35}},
		declineEvery: 10, pending: 1, coordinatorEvery: 3,
		profile: demoProfile{
			genders: weighted[partnership.Gender]{{partnership.GenderMan, 55}, {partnership.GenderWoman, 42},
				{partnership.GenderNonBinary, 1}, {partnership.GenderNotStated, 2}},
			birthYears: actSpan{1962, 2000},
			regions: weighted[partnership.BirthRegion]{{partnership.RegionSweden, 45}, {partnership.RegionAfrica, 20},
				{partnership.RegionAsia, 25}, {partnership.RegionEurope, 7}, {partnership.RegionNordic, 3}},
			yearsSweden: actSpan{2, 25},
			education: weighted[partnership.Education]{{partnership.EducationPrimary, 55}, {partnership.EducationSecondary, 33},
				{partnership.EducationTertiaryShort, 3}, {partnership.EducationUnknown, 9}},
			labour: weighted[partnership.LabourStatus]{{partnership.LabourRegistered, 50}, {partnership.LabourUnregistered, 28},
				{partnership.LabourInProgramme, 10}, {partnership.LabourOutside, 10}, {partnership.LabourUnknown, 2}},
			income: weighted[partnership.IncomeSource]{{partnership.IncomeSocialAssistance, 80}, {partnership.IncomeActivitySupport, 10},
				{partnership.IncomeNone, 5}, {partnership.IncomeOther, 5}},
			areas:    append([]string{"Centrum"}, demoAreas...),
			capacity: &actSpan{10, 40},
			sources: weighted[partnership.ReferralSource]{{partnership.ReferralSocialServices, 70},
				{partnership.ReferralEmploymentService, 25}, {partnership.ReferralSelf, 5}},
			declines: weighted[partnership.DeclineReason]{{partnership.DeclineNoShow, 2}, {partnership.DeclineParticipant, 1},
				{partnership.DeclineAssociation, 1}},
			// The arbetsmarknadspolitisk anställning of "Utvecklingssteg IOP"
			// is another measure, not work, by the national definition.
			destinations: weighted[partnership.ExitDestination]{{partnership.ExitWork, 25}, {partnership.ExitStudies, 15},
				{partnership.ExitOtherMeasure, 30}, {partnership.ExitIllness, 10}, {partnership.ExitMoved, 5},
				{partnership.ExitParentalLeave, 5}, {partnership.ExitUnknown, 10}},
		},
		identities: map[int]demoIdentity{
			2:  {name: "Jonas Lindgren", pnr: "19760408-9917", phone: "070-174 06 11", email: "jonas.lindgren@example.org", region: partnership.RegionSweden},
			8:  {name: "Nasra Yusuf", pnr: sharedPnr, phone: "070-174 06 12", email: "nasra.yusuf@example.org", region: partnership.RegionAfrica, yearsInSweden: 6, byCoordinator: true},
			17: {name: "Ahmad Rahimi", pnr: "19901205-9938", phone: "070-174 06 13", region: partnership.RegionAsia, yearsInSweden: 4},
			30: {name: "Petra Sjöberg", pnr: "19830217-9802", email: "petra.sjoberg@example.org", region: partnership.RegionSweden},
		},
	},
	{
		// "minst 60 deltagare per år"; utomeuropeiskt födda kvinnor on
		// social assistance, referred through the coordinator function of
		// Integration- och arbetsmarknadsförvaltningen; weekly Må bra-groups
		// started as a spring and an autumn group.
		title: "Inkludering på lika villkor", staff: "ikf@iop.example", year: 2024,
		intakes: []demoIntake{
			{cohort: "Grupp vår 2024", from: "2024-01-08", to: "2024-05-17", count: 34, exitShare: 0.4},
			{cohort: "Grupp höst 2024", from: "2024-08-12", to: "2024-11-29", count: 40, exitShare: 0.1},
		},
		declineEvery: 12, pending: 2, coordinatorEvery: 2,
		profile: demoProfile{
			genders:    weighted[partnership.Gender]{{partnership.GenderWoman, 97}, {partnership.GenderNotStated, 3}},
			birthYears: actSpan{1965, 2000},
			regions: weighted[partnership.BirthRegion]{{partnership.RegionAfrica, 45}, {partnership.RegionAsia, 45},
				{partnership.RegionEurope, 5}, {partnership.RegionSouthAmerica, 5}},
			yearsSweden: actSpan{1, 15},
			education: weighted[partnership.Education]{{partnership.EducationPrimary, 45}, {partnership.EducationSecondary, 30},
				{partnership.EducationTertiaryShort, 8}, {partnership.EducationTertiaryLong, 10}, {partnership.EducationUnknown, 7}},
			labour: weighted[partnership.LabourStatus]{{partnership.LabourOutside, 40}, {partnership.LabourUnregistered, 25},
				{partnership.LabourRegistered, 30}, {partnership.LabourUnknown, 5}},
			income: weighted[partnership.IncomeSource]{{partnership.IncomeSocialAssistance, 55}, {partnership.IncomeEstablishment, 30},
				{partnership.IncomeNone, 10}, {partnership.IncomeOther, 5}},
			areas: demoAreas,
			sources: weighted[partnership.ReferralSource]{{partnership.ReferralSocialServices, 60},
				{partnership.ReferralEmploymentService, 35}, {partnership.ReferralSelf, 5}},
			declines: weighted[partnership.DeclineReason]{{partnership.DeclineNoShow, 1}, {partnership.DeclineBeforeInterview, 1},
				{partnership.DeclineAssociation, 1}},
			destinations: weighted[partnership.ExitDestination]{{partnership.ExitWork, 20}, {partnership.ExitStudies, 20},
				{partnership.ExitOtherMeasure, 25}, {partnership.ExitMoved, 10}, {partnership.ExitParentalLeave, 5},
				{partnership.ExitIllness, 5}, {partnership.ExitUnknown, 15}},
		},
		identities: map[int]demoIdentity{
			1:  {name: "Leyla Karimi", pnr: "19791102-9846", phone: "070-174 06 21", region: partnership.RegionAsia, yearsInSweden: 8},
			6:  {name: "Amal Haddad", pnr: "19920621-9868", phone: "070-174 06 22", email: "amal.haddad@example.org", region: partnership.RegionAsia, yearsInSweden: 3, byCoordinator: true},
			20: {name: "Hodan Warsame", pnr: "19850930-9889", phone: "070-174 06 23", region: partnership.RegionAfrica, yearsInSweden: 10},
			41: {name: "Nasra Yusuf", pnr: sharedPnr, phone: "070-174 06 12", email: "nasra.yusuf@example.org", region: partnership.RegionAfrica, yearsInSweden: 11, byCoordinator: true},
		},
	},
}

// demoPerson is one generated participant and what happens to them.
type demoPerson struct {
	reg           participant.Registration
	byCoordinator bool
	enrolOn       *time.Time
	declineOn     *time.Time
	declineReason partnership.DeclineReason
	exitOn        *time.Time
	destination   partnership.ExitDestination
}

// loadParticipants gives each demo agreement that has no participants yet
// its year of participants. Each step is a use case of the participant
// service, acted by the demo user who would have taken it, on a clock set
// to the end of the demo year (or now, if earlier): the coordinator may
// refer only to an agreement active that day, and the steps are replayed
// as they happened then. Nothing dated after that day is recorded.
func loadParticipants(ctx context.Context, db *postgres.DB, keys *privacy.Keyring, now time.Time) error {
	users := postgres.NewUsers(db.Pool)
	coordinator, err := users.ByEmail(ctx, coordinatorEmail)
	if err != nil {
		return fmt.Errorf("demo participants: %s: %w", coordinatorEmail, err)
	}
	for i, plan := range demoParticipantPlans {
		staffUser, err := users.ByEmail(ctx, plan.staff)
		if err != nil {
			return fmt.Errorf("demo participants: %s: %w", plan.staff, err)
		}
		asOf := time.Date(plan.year, time.December, 31, 12, 0, 0, 0, time.UTC)
		if now.Before(asOf) {
			asOf = now
		}
		svc := participant.NewService(db, keys, func() time.Time { return asOf })
		// The users act through the command line that loads the demo, and
		// the audit log says so.
		staff, coord := partnership.ActorOf(staffUser, ""), partnership.ActorOf(coordinator, "")
		staff.Via, coord.Via = "cli", "cli"
		if err := loadAgreementParticipants(ctx, db, svc, i, plan, staff, coord, asOf); err != nil {
			return fmt.Errorf("demo participants for %q: %w", plan.title, err)
		}
	}
	return nil
}

func loadAgreementParticipants(ctx context.Context, db *postgres.DB, svc *participant.Service, index int,
	plan demoParticipantPlan, staff, coordinator partnership.Actor, asOf time.Time) error {
	agreement, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, plan.title)
	if err != nil {
		return err
	}
	// A second load adds nothing: an agreement with participants is left
	// as it is.
	page, err := svc.List(ctx, staff, agreement.ID, partnership.ParticipantFilter{Limit: 1})
	if err != nil || page.Total > 0 {
		return err
	}
	people, err := plan.people(rand.New(rand.NewPCG(2026, uint64(100+index))))
	if err != nil {
		return err
	}
	last := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	due := func(d *time.Time) bool { return d != nil && !d.After(last) }
	for _, person := range people {
		if !due(&person.reg.Participant.ReferredOn) {
			continue
		}
		referrer := staff
		if person.byCoordinator {
			referrer = coordinator
		}
		r, err := svc.Register(ctx, referrer, agreement.ID, person.reg)
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		id := r.Participant.ID
		switch {
		case due(person.declineOn):
			_, err = svc.Decline(ctx, staff, id, *person.declineOn, person.declineReason, "")
		case due(person.enrolOn):
			if _, err = svc.Enrol(ctx, staff, id, *person.enrolOn); err == nil && due(person.exitOn) {
				_, err = svc.Exit(ctx, staff, id, *person.exitOn, person.destination)
			}
		}
		if err != nil {
			return fmt.Errorf("participant %s: %w", r.Participant.Code, err)
		}
	}
	return nil
}

// people generates the plan's participants in referral order.
func (plan demoParticipantPlan) people(r *rand.Rand) ([]demoPerson, error) {
	total := 0
	for _, in := range plan.intakes {
		total += in.count
	}
	var out []demoPerson
	for _, in := range plan.intakes {
		from, to := mustDay(in.from), mustDay(in.to)
		span := to.Sub(from).Hours() / 24
		for i := range in.count {
			n := len(out)
			referred := weekday(from.AddDate(0, 0, int((float64(i)+r.Float64())*span/float64(in.count))))
			p := plan.profile.participant(r, plan.year, referred, in.cohort)
			person := demoPerson{reg: participant.Registration{Participant: p}}
			person.byCoordinator = n%plan.coordinatorEvery == 0 && p.ReferralSource != partnership.ReferralSelf
			if id, ok := plan.identities[n]; ok {
				if err := person.identify(id, plan.year); err != nil {
					return nil, fmt.Errorf("demo identity %d of %q: %w", n, plan.title, err)
				}
			}
			switch {
			case n >= total-plan.pending:
				// Awaiting the intake interview at the end of the year.
			case (n+1)%plan.declineEvery == 0:
				d := weekday(referred.AddDate(0, 0, 3+r.IntN(12)))
				person.declineOn, person.declineReason = &d, plan.profile.declines.pick(r)
			default:
				enrol := weekday(referred.AddDate(0, 0, 5+r.IntN(16)))
				person.enrolOn = &enrol
				if r.Float64() < in.exitShare {
					exit := weekday(enrol.AddDate(0, 0, 60+r.IntN(150)))
					person.exitOn, person.destination = &exit, plan.profile.destinations.pick(r)
				}
			}
			out = append(out, person)
		}
	}
	return out, nil
}

// participant draws the statistical fields of someone referred on the day.
func (prof demoProfile) participant(r *rand.Rand, year int, referred time.Time, cohort string) partnership.Participant {
	p := partnership.Participant{
		Gender: prof.genders.pick(r), BirthYear: prof.birthYears.draw(r), BirthRegion: prof.regions.pick(r),
		Education: prof.education.pick(r), LabourStatus: prof.labour.pick(r), IncomeSource: prof.income.pick(r),
		LivingArea: prof.areas[r.IntN(len(prof.areas))], Cohort: cohort,
		ReferredOn: referred, ReferralSource: prof.sources.pick(r),
	}
	if p.BirthRegion != partnership.RegionSweden {
		// Nobody arrived before the age of ten in these target groups.
		y := min(prof.yearsSweden.draw(r), year-p.BirthYear-10)
		p.YearsInSweden = &y
	}
	switch {
	case prof.capacity != nil:
		h := prof.capacity.draw(r) / 5 * 5
		p.WorkCapacityHours = &h
	case r.IntN(10) < 3:
		h := 5 + r.IntN(4)*5
		p.WorkCapacityHours = &h
	}
	return p
}

// identify gives the person the identity, with consent to its storage
// given on the day of referral, and the gender and birth year its
// personnummer states.
func (person *demoPerson) identify(d demoIdentity, year int) error {
	referred := person.reg.Participant.ReferredOn
	id, err := partnership.ParseIdentity(d.name, d.pnr, d.phone, d.email, referred)
	if err != nil {
		return err
	}
	p := &person.reg.Participant
	p.BirthYear, p.BirthRegion, p.YearsInSweden = id.Personnummer.BirthYear(), d.region, nil
	if d.region != partnership.RegionSweden {
		y := min(d.yearsInSweden, year-p.BirthYear)
		p.YearsInSweden = &y
	}
	// The second-to-last digit is odd for men and even for women.
	if n := id.Personnummer.Normalized(); (n[10]-'0')%2 == 1 {
		p.Gender = partnership.GenderMan
	} else {
		p.Gender = partnership.GenderWoman
	}
	person.reg.Identity, person.reg.ConsentGivenOn = id, &referred
	if d.byCoordinator {
		person.byCoordinator = true
		if p.ReferralSource == partnership.ReferralSelf {
			p.ReferralSource = partnership.ReferralSocialServices
		}
	}
	return nil
}

// weekday moves a Saturday or Sunday to the Monday after.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

func mustDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
