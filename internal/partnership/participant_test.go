package partnership_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
)

func ptIntp(n int) *int { return &n }

var ptToday = day("2024-06-15")

// valid is a participant that passes every rule on ptToday.
func validParticipant() partnership.Participant {
	return partnership.Participant{
		AgreementID: 1, Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionAsia,
		YearsInSweden: ptIntp(4), Education: partnership.EducationSecondary, LabourStatus: partnership.LabourRegistered,
		IncomeSource: partnership.IncomeSocialAssistance, LivingArea: "Skäggetorp", WorkCapacityHours: ptIntp(20),
		Cohort: "Grupp 1", ReferredOn: day("2024-02-01"), ReferralSource: partnership.ReferralSocialServices,
	}
}

func TestParticipantValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *partnership.Participant)
		field  string // "" when valid
		msg    string // checked when not ""
	}{
		{"valid", func(p *partnership.Participant) {}, "", ""},
		{"not stated gender", func(p *partnership.Participant) { p.Gender = partnership.GenderNotStated }, "", ""},
		{"no gender", func(p *partnership.Participant) { p.Gender = "" }, "gender", ""},
		{"gender label is not a code", func(p *partnership.Participant) { p.Gender = "Kvinna" }, "gender", ""},
		{"birth year too late", func(p *partnership.Participant) { p.BirthYear = 2015 }, "birth_year", "Ange ett födelseår mellan 1924 och 2009."},
		{"birth year too early", func(p *partnership.Participant) { p.BirthYear = 1900 }, "birth_year", ""},
		{"youngest", func(p *partnership.Participant) { p.BirthYear = 2009 }, "", ""},
		{"years in Sweden above age", func(p *partnership.Participant) { p.YearsInSweden = ptIntp(40) }, "years_in_sweden", ""},
		{"negative years in Sweden", func(p *partnership.Participant) { p.YearsInSweden = ptIntp(-1) }, "years_in_sweden", ""},
		{"unknown years in Sweden", func(p *partnership.Participant) { p.YearsInSweden = nil }, "", ""},
		{"no region", func(p *partnership.Participant) { p.BirthRegion = "mars" }, "birth_region", ""},
		{"no education", func(p *partnership.Participant) { p.Education = "" }, "education", ""},
		{"no labour status", func(p *partnership.Participant) { p.LabourStatus = "" }, "labour_status", ""},
		{"no income source", func(p *partnership.Participant) { p.IncomeSource = "" }, "income_source", ""},
		{"work capacity 41", func(p *partnership.Participant) { p.WorkCapacityHours = ptIntp(41) }, "work_capacity_hours", ""},
		{"work capacity 0", func(p *partnership.Participant) { p.WorkCapacityHours = ptIntp(0) }, "", ""},
		{"long cohort", func(p *partnership.Participant) { p.Cohort = strings.Repeat("g", 101) }, "cohort", ""},
		{"long area", func(p *partnership.Participant) { p.LivingArea = strings.Repeat("å", 101) }, "living_area", ""},
		{"no referral date", func(p *partnership.Participant) { p.ReferredOn = time.Time{} }, "referred_on", partnership.MsgReferredOnMissing},
		{"referral tomorrow", func(p *partnership.Participant) { p.ReferredOn = day("2024-06-16") }, "referred_on", partnership.MsgReferredOnRange},
		{"referral ptToday", func(p *partnership.Participant) { p.ReferredOn = ptToday }, "", ""},
		{"no referral source", func(p *partnership.Participant) { p.ReferralSource = "" }, "referral_source", partnership.MsgReferralSource},
		{"enrolled same day as referral", func(p *partnership.Participant) { p.EnrolledOn = dayp("2024-02-01") }, "", ""},
		{"enrolled before referral", func(p *partnership.Participant) { p.EnrolledOn = dayp("2024-01-31") }, "enrolled_on", partnership.MsgEnrolBeforeRefer},
		{"enrolled tomorrow", func(p *partnership.Participant) { p.EnrolledOn = dayp("2024-06-16") }, "enrolled_on", partnership.MsgFutureDate},
		{"enrolled and declined", func(p *partnership.Participant) {
			p.EnrolledOn, p.DeclinedOn, p.DeclineReason = dayp("2024-03-01"), dayp("2024-03-01"), partnership.DeclineNoShow
		}, "declined_on", partnership.MsgEnrolledDeclined},
		{"declined without reason", func(p *partnership.Participant) { p.DeclinedOn = dayp("2024-03-01") }, "decline_reason", partnership.MsgDeclineReason},
		{"reason without decline", func(p *partnership.Participant) { p.DeclineReason = partnership.DeclineNoShow }, "declined_on", ""},
		{"declined before referral", func(p *partnership.Participant) {
			p.DeclinedOn, p.DeclineReason = dayp("2024-01-01"), partnership.DeclineNoShow
		}, "declined_on", partnership.MsgDeclineBeforeRef},
		{"exit without enrolment", func(p *partnership.Participant) {
			p.ExitedOn, p.ExitDestination = dayp("2024-05-01"), partnership.ExitWork
		}, "exited_on", partnership.MsgNotEnrolled},
		{"exit before enrolment", func(p *partnership.Participant) {
			p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2024-03-01"), dayp("2024-02-28"), partnership.ExitWork
		}, "exited_on", partnership.MsgExitBeforeEnrol},
		{"exit on enrolment day", func(p *partnership.Participant) {
			p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2024-03-01"), dayp("2024-03-01"), partnership.ExitMoved
		}, "", ""},
		{"exit tomorrow", func(p *partnership.Participant) {
			p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2024-03-01"), dayp("2024-06-16"), partnership.ExitWork
		}, "exited_on", partnership.MsgFutureDate},
		{"exit without destination", func(p *partnership.Participant) {
			p.EnrolledOn, p.ExitedOn = dayp("2024-03-01"), dayp("2024-04-01")
		}, "exit_destination", partnership.MsgExitDestination},
		{"destination without exit", func(p *partnership.Participant) { p.ExitDestination = partnership.ExitWork }, "exited_on", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validParticipant()
			tt.change(&p)
			err := p.Validate(ptToday)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			verr, ok := err.(partnership.ValidationError)
			if !ok {
				t.Fatalf("Validate = %v, want a ValidationError on %s", err, tt.field)
			}
			if _, ok := verr[tt.field]; !ok {
				t.Fatalf("Validate = %v, want an error on %s", verr, tt.field)
			}
			if tt.msg != "" && verr[tt.field] != tt.msg {
				t.Errorf("%s: %q, want %q", tt.field, verr[tt.field], tt.msg)
			}
		})
	}
}

func TestParticipantLifecycleSteps(t *testing.T) {
	type step func(p *partnership.Participant) error
	enrol := func(on string) step {
		return func(p *partnership.Participant) error { return p.Enrol(day(on), ptToday) }
	}
	decline := func(on string, r partnership.DeclineReason) step {
		return func(p *partnership.Participant) error { return p.Decline(day(on), r, "", ptToday) }
	}
	exit := func(on string, d partnership.ExitDestination) step {
		return func(p *partnership.Participant) error { return p.Exit(day(on), d, ptToday) }
	}
	tests := []struct {
		name   string
		steps  []step
		status partnership.ParticipantStatus
		field  string // error field of the last step; "" when every step succeeds
	}{
		{"referred", nil, partnership.StatusReferred, ""},
		{"enrol", []step{enrol("2024-02-10")}, partnership.StatusEnrolled, ""},
		{"enrol on referral day", []step{enrol("2024-02-01")}, partnership.StatusEnrolled, ""},
		{"enrol before referral", []step{enrol("2024-01-31")}, partnership.StatusReferred, "enrolled_on"},
		{"enrol in the future", []step{enrol("2024-06-16")}, partnership.StatusReferred, "enrolled_on"},
		{"enrol twice", []step{enrol("2024-02-10"), enrol("2024-02-11")}, partnership.StatusEnrolled, "enrolled_on"},
		{"decline", []step{decline("2024-02-05", partnership.DeclineAssociation)}, partnership.StatusDeclined, ""},
		{"decline without reason", []step{decline("2024-02-05", "")}, partnership.StatusReferred, "decline_reason"},
		{"decline after enrolment", []step{enrol("2024-02-10"), decline("2024-02-12", partnership.DeclineNoShow)}, partnership.StatusEnrolled, "declined_on"},
		{"enrol after decline", []step{decline("2024-02-05", partnership.DeclineNoShow), enrol("2024-02-10")}, partnership.StatusDeclined, "enrolled_on"},
		{"exit", []step{enrol("2024-02-10"), exit("2024-05-31", partnership.ExitWork)}, partnership.StatusExited, ""},
		{"exit ptToday", []step{enrol("2024-02-10"), exit("2024-06-15", partnership.ExitStudies)}, partnership.StatusExited, ""},
		{"exit before enrolment", []step{enrol("2024-02-10"), exit("2024-02-09", partnership.ExitWork)}, partnership.StatusEnrolled, "exited_on"},
		{"exit in the future", []step{enrol("2024-02-10"), exit("2024-06-16", partnership.ExitWork)}, partnership.StatusEnrolled, "exited_on"},
		{"exit without destination", []step{enrol("2024-02-10"), exit("2024-05-01", "")}, partnership.StatusEnrolled, "exit_destination"},
		{"exit unknown destination", []step{enrol("2024-02-10"), exit("2024-05-01", "Arbete")}, partnership.StatusEnrolled, "exit_destination"},
		{"exit without enrolment", []step{exit("2024-05-01", partnership.ExitWork)}, partnership.StatusReferred, "exited_on"},
		{"exit twice", []step{enrol("2024-02-10"), exit("2024-05-01", partnership.ExitWork), exit("2024-05-02", partnership.ExitWork)}, partnership.StatusExited, "exited_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validParticipant()
			var err error
			for i, s := range tt.steps {
				err = s(&p)
				if err != nil && i < len(tt.steps)-1 {
					t.Fatalf("step %d: %v", i+1, err)
				}
			}
			if got := p.Status(); got != tt.status {
				t.Errorf("Status = %s, want %s", got, tt.status)
			}
			if tt.field == "" {
				if err != nil {
					t.Fatalf("last step: %v", err)
				}
				if err := p.Validate(ptToday); err != nil {
					t.Errorf("after the steps Validate = %v", err)
				}
				return
			}
			verr, ok := err.(partnership.ValidationError)
			if !ok || verr[tt.field] == "" {
				t.Fatalf("last step = %v, want an error on %s", err, tt.field)
			}
		})
	}
}

func TestActiveIn(t *testing.T) {
	p := validParticipant()
	if p.ActiveIn(2024) {
		t.Error("a referred participant is active")
	}
	p.EnrolledOn = dayp("2023-11-01")
	p.ExitedOn, p.ExitDestination = dayp("2024-01-01"), partnership.ExitWork
	for year, want := range map[int]bool{2022: false, 2023: true, 2024: true, 2025: false} {
		if got := p.ActiveIn(year); got != want {
			t.Errorf("ActiveIn(%d) = %v, want %v", year, got, want)
		}
	}
}

func TestEnumsParseCodeAndLabel(t *testing.T) {
	for _, g := range partnership.Genders {
		for _, s := range []string{string(g), g.Label(), strings.ToUpper(g.Label()), " " + g.Label() + " "} {
			if got, ok := partnership.ParseGender(s); !ok || got != g {
				t.Errorf("ParseGender(%q) = %q, %v", s, got, ok)
			}
		}
	}
	checks := map[string]func(string) bool{
		"region":      func(s string) bool { _, ok := partnership.ParseBirthRegion(s); return ok },
		"education":   func(s string) bool { _, ok := partnership.ParseEducation(s); return ok },
		"income":      func(s string) bool { _, ok := partnership.ParseIncomeSource(s); return ok },
		"destination": func(s string) bool { _, ok := partnership.ParseExitDestination(s); return ok },
		"referral":    func(s string) bool { _, ok := partnership.ParseReferralSource(s); return ok },
	}
	for name, parse := range checks {
		if parse("") || parse("nonsense") {
			t.Errorf("%s: an empty or unknown value parsed", name)
		}
	}
	for s, want := range map[string]string{
		"Icke-binär": "non_binary", "Norden utom Sverige": "nordic", "Gymnasial (ISCED 3–4)": "isced_3_4",
		"Etableringsersättning": "establishment_allowance", "Arbetsförmedlingen": "employment_service",
	} {
		var got string
		if g, ok := partnership.ParseGender(s); ok {
			got = string(g)
		} else if r, ok := partnership.ParseBirthRegion(s); ok {
			got = string(r)
		} else if e, ok := partnership.ParseEducation(s); ok {
			got = string(e)
		} else if i, ok := partnership.ParseIncomeSource(s); ok {
			got = string(i)
		} else if r, ok := partnership.ParseReferralSource(s); ok {
			got = string(r)
		}
		if got != want {
			t.Errorf("%q parsed as %q, want %q", s, got, want)
		}
	}
	for _, d := range partnership.ExitDestinations {
		if d.Hint() == "" || d.Label() == string(d) {
			t.Errorf("%s has no hint or label", d)
		}
	}
	if !strings.Contains(partnership.ExitWork.Hint(), "minst en sammanhängande månad") ||
		!strings.Contains(partnership.ExitStudies.Hint(), "studiemedel") {
		t.Error("the work and studies hints do not give the national definitions")
	}
}

func TestParticipantCodePrefix(t *testing.T) {
	for name, want := range map[string]string{
		"Internationella Kvinnoföreningen Linköping (IKF)": "IKF",
		"Stadsmissionen":                       "STA",
		"Röda Korset Linköping":                "RKL",
		"Föreningen Ösmo Ängar":                "FOA",
		"Linköpings stadsmission":              "LIN",
		"Ett Mycket Långt Namn På En Förening": "EMLNPE",
		"(123) !!!":                            "123",
		"!!! ???":                              "IOP",
		"":                                     "IOP",
		"Kvinnors Rätt (KVINNOR RÄTT)":         "KR",
	} {
		if got := partnership.ParticipantCodePrefix(name); got != want {
			t.Errorf("ParticipantCodePrefix(%q) = %q, want %q", name, got, want)
		}
	}
	if got := partnership.ParticipantCode("IKF", 2024, 17); got != "IKF-2024-017" {
		t.Errorf("ParticipantCode = %q", got)
	}
	if got := partnership.ParticipantCode("IKF2", 2024, 1234); got != "IKF2-2024-1234" {
		t.Errorf("ParticipantCode past 999 = %q", got)
	}
	if partnership.ParticipantPrefixCandidate("IKF", 0) != "IKF" || partnership.ParticipantPrefixCandidate("IKF", 1) != "IKF2" {
		t.Error("prefix candidates are not IKF, IKF2, …")
	}
}

func TestIdentityRedacted(t *testing.T) {
	id, err := partnership.ParseIdentity(" Anna  Andersson ", "811218-9876", "070-123 45 67", "anna@exempel.se", ptToday)
	if err != nil {
		t.Fatal(err)
	}
	if id.Name != "Anna Andersson" || id.Personnummer.Normalized() != "198112189876" {
		t.Fatalf("parsed %q %q", id.Name, id.Personnummer.Normalized())
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "identity", id, "pnr", id.Personnummer)
	for _, out := range []string{fmt.Sprint(id), fmt.Sprintf("%v %+v %#v %s", id, id, id, id), logged.String()} {
		for _, secret := range []string{"Anna", "Andersson", "8112189876", "811218", "070", "exempel"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q leaks %q", out, secret)
			}
		}
	}
	if got := strings.Join(id.Fields(), ","); got != "name,personnummer,phone,email" {
		t.Errorf("Fields = %s", got)
	}
	_, err = partnership.ParseIdentity("", "811218-9877", "abc", "inte en adress", ptToday)
	verr, ok := err.(partnership.ValidationError)
	if !ok || verr["personnummer"] != partnership.ErrPersonnummerChecksum.Error() || verr["phone"] == "" || verr["email"] == "" {
		t.Fatalf("ParseIdentity(bad) = %v", err)
	}
	if strings.Contains(verr.Error(), "811218") {
		t.Error("the error repeats the personnummer")
	}
	if empty, err := partnership.ParseIdentity(" ", "", "", "", ptToday); err != nil || !empty.IsZero() {
		t.Errorf("empty identity = %v, %v", empty.Fields(), err)
	}
}

func TestConsent(t *testing.T) {
	c := partnership.Consent{Scope: partnership.ConsentIdentity, GivenOn: day("2024-02-01")}
	if err := c.Validate(ptToday); err != nil {
		t.Fatal(err)
	}
	if err := (partnership.Consent{Scope: "x", GivenOn: day("2024-06-16")}).Validate(ptToday); err == nil {
		t.Error("a future consent with an unknown scope is valid")
	}
	if c.InForceOn(day("2024-01-31")) || !c.InForceOn(day("2024-02-01")) {
		t.Error("InForceOn before and on the given day")
	}
	if err := c.Withdraw(day("2024-01-31"), nil, ptToday); err == nil {
		t.Error("withdrawn before given")
	}
	if err := c.Withdraw(day("2024-06-16"), nil, ptToday); err == nil {
		t.Error("withdrawn in the future")
	}
	if err := c.Withdraw(day("2024-03-01"), nil, ptToday); err != nil {
		t.Fatal(err)
	}
	if err := c.Withdraw(day("2024-03-02"), nil, ptToday); err == nil {
		t.Error("withdrawn twice")
	}
	if !c.InForceOn(day("2024-02-29")) || c.InForceOn(day("2024-03-01")) {
		t.Error("InForceOn around the withdrawal")
	}
	follow := partnership.Consent{Scope: partnership.ConsentFollowUp, GivenOn: day("2024-02-01")}
	if partnership.ConsentInForce([]partnership.Consent{c, follow}, partnership.ConsentIdentity, ptToday) {
		t.Error("a withdrawn identity consent and a follow-up consent allow identity storage")
	}
	if !partnership.ConsentInForce([]partnership.Consent{c, follow}, partnership.ConsentFollowUp, ptToday) {
		t.Error("the follow-up consent is not in force")
	}
}

func TestMaySeeIdentity(t *testing.T) {
	ikf, other := int64(10), int64(20)
	coordinator := int64(7)
	p := validParticipant()
	p.ReferredBy = &coordinator
	parties := []int64{1, ikf}
	tests := []struct {
		name     string
		actor    partnership.Actor
		identity bool
		record   bool
		manage   bool
	}{
		{"staff of a party", partnership.Actor{UserID: 3, Role: partnership.RoleAssociationStaff, OrganisationID: &ikf}, true, true, true},
		{"staff of another association", partnership.Actor{UserID: 4, Role: partnership.RoleAssociationStaff, OrganisationID: &other}, false, false, false},
		{"staff without organisation", partnership.Actor{UserID: 5, Role: partnership.RoleAssociationStaff}, false, false, false},
		{"coordinator who referred", partnership.Actor{UserID: coordinator, Role: partnership.RoleCoordinator}, true, true, false},
		{"another coordinator", partnership.Actor{UserID: 8, Role: partnership.RoleCoordinator}, false, false, false},
		{"officer", partnership.Actor{UserID: 9, Role: partnership.RoleOfficer}, false, true, false},
		{"viewer", partnership.Actor{UserID: 11, Role: partnership.RoleViewer}, false, false, false},
		{"admin", partnership.Actor{UserID: 12, Role: partnership.RoleAdmin}, false, true, false},
		{"command line", partnership.SystemActor("cli"), false, false, false},
	}
	for _, tt := range tests {
		if got := partnership.MaySeeIdentity(tt.actor, p, parties); got != tt.identity {
			t.Errorf("%s: MaySeeIdentity = %v", tt.name, got)
		}
		if got := partnership.MaySeeParticipant(tt.actor, p, parties); got != tt.record {
			t.Errorf("%s: MaySeeParticipant = %v", tt.name, got)
		}
		if got := partnership.MayManageParticipants(tt.actor, parties); got != tt.manage {
			t.Errorf("%s: MayManageParticipants = %v", tt.name, got)
		}
	}
	p.ReferredBy = nil
	if partnership.MaySeeIdentity(partnership.Actor{Role: partnership.RoleCoordinator}, p, parties) {
		t.Error("a coordinator without user id sees a participant nobody referred")
	}
}
