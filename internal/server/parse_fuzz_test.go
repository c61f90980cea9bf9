package server

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
)

var fuzzToday = time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)

// FuzzParseActivityForm: any posted log form either names the fields it
// cannot take or gives an activity that passes validation and that the
// form, filled in from it, reads back as the same activity.
func FuzzParseActivityForm(f *testing.F) {
	for _, seed := range []string{
		"type_id=3&date=2026-03-01&hours=1,5&women=2&men=1&non_binary=0&children=3&volunteer_hours=0,25&staff_present=1&place=Skäggetorp&notes=Tema",
		"type_id=x&date=2026-02-30&hours=1,234&women=-1&men=1+000", "type_id=0&date=2027-01-01",
		"type_id=3&date=2026-03-01&hours=2&participants=4&participants=9&women=x",
		"participants=0&participants=abc", "", "type_id=9223372036854775808&hours=1000001",
		"type_id=3&date=2026-03-01&hours=24,01&staff_present=99999999999999999999",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		a, values, verr := parseActivityForm(form, fuzzToday)
		if len(values) < len(activityFormFields) {
			t.Fatalf("values %v lack fields", values)
		}
		for field, msg := range verr {
			if msg == "" {
				t.Fatalf("field %q has an empty message", field)
			}
		}
		if len(verr) > 0 {
			return
		}
		if err := a.Validate(fuzzToday); err != nil {
			t.Fatalf("form %q accepted an invalid activity %+v: %v", raw, a, err)
		}
		again := url.Values{}
		for k, v := range activityValues(a) {
			if k == "participants" {
				for _, id := range splitIDs(v) {
					again.Add(k, strconv.FormatInt(id, 10))
				}
				continue
			}
			again.Set(k, v)
		}
		b, _, verr := parseActivityForm(again, fuzzToday)
		b.Version = a.Version
		if len(verr) > 0 || !reflect.DeepEqual(a, b) {
			t.Fatalf("form %q: %+v refilled reads back as %+v, %v", raw, a, b, verr)
		}
	})
}

// FuzzParseMeetingForm: a meeting form either names its problems or
// gives a meeting that passes validation.
func FuzzParseMeetingForm(f *testing.F) {
	for _, seed := range []string{
		"kind=steering&held_on=2024-03-12&starts_at=13:00&place=Stadshuset&party_1=Anna&party_2_other=Bo%0ACarl&guests=Dina",
		"kind=x&held_on=2024-02-30&version=abc", "", "held_on=2024-03-12&party_9=Eve&guests=%0A%0A",
		"kind=working&held_on=0001-01-01&starts_at=25:99",
	} {
		f.Add(seed)
	}
	parties := []partnership.Party{{ID: 1, Role: partnership.PartyMunicipality}, {ID: 2, Role: partnership.PartyLeadAssociation}}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		m, _, verr := parseMeetingForm(form, parties)
		for field, msg := range verr {
			if msg == "" {
				t.Fatalf("field %q has an empty message", field)
			}
		}
		if len(verr) == 0 {
			if err := m.Validate(parties); err != nil {
				t.Fatalf("form %q accepted an invalid meeting: %v", raw, err)
			}
		}
	})
}

// FuzzParseParticipantForm: the form's own errors are only on its number
// and date fields, and what it reads fills the form so that it reads back
// the same.
func FuzzParseParticipantForm(f *testing.F) {
	f.Add("woman", "1990", "europe", "5", "upper_secondary", "unemployed", "benefit", "Skäggetorp", "20", "VT26", "2026-01-15")
	f.Add("Kvinna", "x", "", "-3", "", "", "", "", "1,5", "", "2026-02-30")
	f.Add("", "", "", "", "", "", "", "", "", "", "")
	f.Add(" x ", "99999999999999999999", "?", "0", "?", "?", "?", "\x00", "+7", "\n", "26-01-15")
	f.Fuzz(func(t *testing.T, gender, birthYear, region, years, education, labour, income, area, capacity, cohort, referred string) {
		values := map[string]string{
			"gender": gender, "birth_year": birthYear, "birth_region": region, "years_in_sweden": years,
			"education": education, "labour_status": labour, "income_source": income, "living_area": area,
			"work_capacity_hours": capacity, "cohort": cohort, "referred_on": referred,
		}
		p, verr := parseParticipantForm(values, partnership.Participant{ID: 7, Version: 2})
		for field := range verr {
			switch field {
			case "birth_year", "years_in_sweden", "work_capacity_hours", "referred_on":
			default:
				t.Fatalf("error on field %q", field)
			}
		}
		if len(verr) > 0 {
			return
		}
		if p.ID != 7 || p.Version != 2 {
			t.Fatalf("base lost: %+v", p)
		}
		refill := participantValues(p)
		if p.ReferredOn.IsZero() {
			refill["referred_on"] = ""
		}
		q, verr := parseParticipantForm(refill, partnership.Participant{ID: 7, Version: 2})
		if len(verr) > 0 || !reflect.DeepEqual(p, q) {
			t.Fatalf("%+v refilled reads back as %+v, %v", p, q, verr)
		}
	})
}

// FuzzOrganisationListParams: any query gives a valid state whose URL
// reads back as the same state.
func FuzzOrganisationListParams(f *testing.F) {
	for _, seed := range []string{"", "q=Röda+korset&kind=association&sort=org_number&dir=desc&page=3", "kind=bogus&sort=x;drop&page=-2", "page=99999999999999999999999", "q=%FF%00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p := parseOrganisationListParams(v)
		if p.page < 1 || p.kind != "" && !p.kind.Valid() || p.query != strings.TrimSpace(p.query) {
			t.Fatalf("invalid state %+v from %q", p, raw)
		}
		link, err := url.Parse(p.url())
		if err != nil {
			t.Fatalf("link %q: %v", p.url(), err)
		}
		if again := parseOrganisationListParams(link.Query()); again != p {
			t.Fatalf("link %s gives %+v, want %+v", link, again, p)
		}
	})
}

// FuzzParseAttendees: only positive ids are kept, and joinIDs/splitIDs
// carry them unchanged.
func FuzzParseAttendees(f *testing.F) {
	for _, seed := range []string{"4,9", "0", "-1", "abc", "", " 7 ,8", "9223372036854775808", "1,,2"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ids, _ := parseAttendees(strings.Split(raw, ","))
		for _, id := range ids {
			if id <= 0 {
				t.Fatalf("id %d from %q", id, raw)
			}
		}
		if again := splitIDs(joinIDs(ids)); !reflect.DeepEqual(again, ids) && len(ids)+len(again) > 0 {
			t.Fatalf("%v joined and split is %v", ids, again)
		}
	})
}

// FuzzFormScalars: the date, number and year fields either fail with
// their Swedish message or give a value that is written back the same.
func FuzzFormScalars(f *testing.F) {
	for _, seed := range []string{"2026-03-05", "2026-02-29", " 2024-02-29 ", "26-3-5", "", "12", "-0", "+5", "2024", "99999999999999999999", "２０２４"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		verr := partnership.ValidationError{}
		if d := formDate(map[string]string{"d": s}, "d", verr); d != nil {
			if got := d.Format(time.DateOnly); got != strings.TrimSpace(s) {
				t.Fatalf("date %q read as %s", s, got)
			}
		} else if strings.TrimSpace(s) != "" && verr["d"] == "" {
			t.Fatalf("date %q neither read nor refused", s)
		}
		verr = partnership.ValidationError{}
		if n := formInt(map[string]string{"n": s}, "n", verr); n != nil {
			again := formInt(map[string]string{"n": strconv.Itoa(*n)}, "n", verr)
			if again == nil || *again != *n || len(verr) > 0 {
				t.Fatalf("number %q read as %d, which does not read back", s, *n)
			}
		} else if strings.TrimSpace(s) != "" && verr["n"] == "" {
			t.Fatalf("number %q neither read nor refused", s)
		}
		verr = partnership.ValidationError{}
		if d := requiredDate(map[string]string{"d": s}, "d", verr); (d == nil) == (verr["d"] == "") {
			t.Fatalf("required date %q: %v with errors %v", s, d, verr)
		}
		if y, msg := parseYear(s); msg == "" {
			if again, msg := parseYear(strconv.Itoa(y)); msg != "" || again != y {
				t.Fatalf("year %q read as %d, which does not read back", s, y)
			}
		}
		if y, ok := progressYearParam(url.Values{"year": {s}}); ok && (y < partnership.MinActivityYear || y > partnership.MaxActivityYear) {
			t.Fatalf("year %q out of range: %d", s, y)
		}
	})
}

// FuzzActivityFilter: a filter without problems validates, and its query
// (the export and paging links) reads back as the same filter.
func FuzzActivityFilter(f *testing.F) {
	for _, seed := range []string{"", "type_id=3", "from=2026-01-01&to=2026-12-31", "from=&to=", "from=2026-12-31&to=2026-01-01", "type_id=x&from=2026-02-30", "type_id=9&to=0001-01-01"} {
		f.Add(seed)
	}
	types := []partnership.ActivityType{{ID: 3, Name: "Skapande"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		a := parseActivityFilter(q, fuzzToday, types)
		if len(a.errs) > 0 {
			return
		}
		if err := a.filter.Validate(); err != nil {
			t.Fatalf("%q accepted an invalid filter: %v", raw, err)
		}
		b := parseActivityFilter(a.query(), fuzzToday, types)
		if len(b.errs) > 0 || !reflect.DeepEqual(a.filter, b.filter) || !reflect.DeepEqual(a.values, b.values) {
			t.Fatalf("%q: %+v; its query %v reads back as %+v", raw, a, a.query(), b)
		}
	})
}

// FuzzParticipantFilter: any query gives a filter within its bounds, the
// page and offset agreeing, whatever was typed into the URL.
func FuzzParticipantFilter(f *testing.F) {
	for _, seed := range []string{"", "status=enrolled&cohort=VT26&year=2026&page=3", "status=x&year=1&page=0", "page=100001", "page=-9223372036854775808", "year=2101&cohort=+%00+"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, page := participantFilter(q)
		if page < 1 || page > 100000 || flt.Limit != partnership.DefaultParticipantPage || flt.Offset != (page-1)*flt.Limit {
			t.Fatalf("%q: page %d, filter %+v", raw, page, flt)
		}
		if flt.Year != 0 && (flt.Year < partnership.MinParticipantYear || flt.Year > 2100) {
			t.Fatalf("%q: year %d", raw, flt.Year)
		}
		if _, ok := partnership.ParseParticipantStatus(string(flt.Status)); flt.Status != "" && !ok {
			t.Fatalf("%q: status %q", raw, flt.Status)
		}
		if flt.Cohort != strings.TrimSpace(flt.Cohort) {
			t.Fatalf("%q: cohort %q", raw, flt.Cohort)
		}
	})
}

// FuzzInvoiceOverviewParams: any query gives a budget year and a known
// order, and the query of the parameters reads back as them.
func FuzzInvoiceOverviewParams(f *testing.F) {
	for _, seed := range []string{"", "year=2024&sort=paid&dir=desc", "year=1&sort=x", "year=+2025&sort=expected", "year=99999999999999999999"} {
		f.Add(seed)
	}
	s := &Server{now: func() time.Time { return fuzzToday }}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p := s.parseInvoiceOverviewParams(q)
		if p.year < partnership.MinBudgetYear || p.year > partnership.MaxBudgetYear {
			t.Fatalf("%q: year %d", raw, p.year)
		}
		if _, ok := invoiceOverviewSorts[p.sort]; p.sort != "" && !ok {
			t.Fatalf("%q: sort %q", raw, p.sort)
		}
		if again := s.parseInvoiceOverviewParams(p.query(p.sort, p.desc)); again != p {
			t.Fatalf("%q: %+v reads back as %+v", raw, p, again)
		}
	})
}
