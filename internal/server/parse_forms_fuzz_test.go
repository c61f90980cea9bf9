package server

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"iop/internal/partnership"
)

// FuzzRequestForms posts any form body to every parser of a posted form
// that reads an *http.Request: none may panic, every problem is a field
// with a Swedish message that does not repeat what was typed when it could
// be a personnummer, and where
// the parser checks partnership's rules itself, a form without problems
// gives a value that passes them.
func FuzzRequestForms(f *testing.F) {
	for _, seed := range []string{
		"", "name=Skapande&unit=occasion&per_participant_min=1&per_participant_max=4&active=on",
		"number=F-1&year=2026&period=1&invoice_date=2026-02-01&amount=450+000+kr&note=x",
		"year=2026&rate=2%2C3+%25&source=SKR", "year=abc&rate=-0,001&amount=1e9&period=99",
		"party_id=1&section=Personal&text=L%C3%B6n&amount=1+251+000&basis_quantity=2&basis_unit_price=x&basis_share=150+%25",
		"email=a%40b.se&name=Anna&role=admin&organisation_id=9223372036854775808",
		"role=municipality&signatory_name=Bo&organisation_id=x", "name=R%C3%B6da+korset&org_number=802000-1234&kind=association",
		"title=IOP&start_date=2026-02-30&months=x&version=1", "year=2026&target=40%E2%80%9360", "year=2026&target=+", "year=x&target=60-40", "amount=19121212-1212&rate=19121212-1212&year=19121212-1212",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			return
		}
		check := func(parser string, verr partnership.ValidationError) {
			for field, msg := range verr {
				if field == "" || msg == "" {
					t.Fatalf("%s: empty field or message in %v", parser, verr)
				}
				for _, vs := range r.PostForm {
					for _, v := range vs {
						if v = strings.TrimSpace(v); mayBePersonnummer(v) && strings.Contains(msg, v) {
							t.Fatalf("%s: message %q repeats the input %q", parser, msg, v)
						}
					}
				}
			}
		}
		at, _, verr := parseActivityType(r, 1)
		check("parseActivityType", verr)
		if len(verr) == 0 {
			if err := at.Validate(); err != nil {
				t.Fatalf("parseActivityType accepted %+v: %v", at, err)
			}
		}
		for _, freq := range []partnership.InvoiceFrequency{partnership.InvoiceYearly, partnership.InvoiceQuarterly, partnership.InvoiceMonthly} {
			inv, _, verr := parseInvoiceForm(r, freq)
			check("parseInvoiceForm", verr)
			if len(verr) == 0 {
				if err := inv.Validate(freq); err != nil {
					t.Fatalf("parseInvoiceForm accepted %+v: %v", inv, err)
				}
			}
		}
		rate, _, verr := parseIndexRate(r)
		check("parseIndexRate", verr)
		if len(verr) == 0 {
			if err := rate.Validate(); err != nil {
				t.Fatalf("parseIndexRate accepted %+v: %v", rate, err)
			}
		}
		_, _, verr = parseBudgetLine(r)
		check("parseBudgetLine", verr)
		_, _, verr = parseBudgetTotal(r)
		check("parseBudgetTotal", verr)
		_, _, verr = parseUser(r)
		check("parseUser", verr)
		_, _, verr = parsePartyForm(r)
		check("parsePartyForm", verr)
		_, _, verr = parseAgreementForm(r)
		check("parseAgreementForm", verr)
		tg, remove, _, verr := parseTargetForm(r, partnership.Agreement{ID: 1}, 2)
		check("parseTargetForm", verr)
		if len(verr) == 0 && !remove {
			if err := tg.Validate(); err != nil || tg.AgreementID != 1 || tg.TypeID != 2 {
				t.Fatalf("parseTargetForm accepted %+v: %v", tg, err)
			}
		}
		parseContactForm(r)
		if _, _, err := parseOrganisationForm(r); err != nil {
			var verr partnership.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("parseOrganisationForm: %v is not a ValidationError", err)
			}
			check("parseOrganisationForm", verr)
		}
	})
}

// mayBePersonnummer reports whether s holds ten digits or more, as a
// personnummer typed into the wrong field would.
func mayBePersonnummer(s string) bool {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n >= 10
}
