package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iop/internal/partnership"
)

func TestAgreementPartyEditAndRemove(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	ag := agStore(t, a, "Parterna", "Linköpings kommun", ikfOrganisation)
	ikf := agPath(ag.ID) + "/parties/" + itoa(ag.Parties[1].ID)
	res := c.get(ikf)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="Firmatecknare 2"`) {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	edit := url.Values{"version": {"1"}, "organisation_id": {itoa(orgID(t, a, ikfOrganisation))}, "role": {"partner_association"},
		"signatory_name": {"Fatima Ali"}, "signed_on": {"15/12/2025"}, "representatives": {"A\nB"}}
	if res := c.post(ikf, edit); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Ange datumet som ÅÅÅÅ-MM-DD") ||
		!strings.Contains(res.Body, `value="15/12/2025"`) {
		t.Errorf("malformed date: %d", res.StatusCode)
	}
	edit.Set("signed_on", "2025-12-15")
	if res := c.post(ikf, edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	got := agRead(t, a, ag.ID)
	if p := got.Parties[1]; p.ID != ag.Parties[1].ID || p.Role != partnership.PartyPartnerAssociation || p.SignatoryName != "Fatima Ali" ||
		strings.Join(p.Representatives, "|") != "A|B" || p.SignedOn == nil {
		t.Errorf("edited party %+v", p)
	}
	if res := c.post(ikf+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, `data-testid="conflict"`) {
		t.Errorf("stale removal: %d", res.StatusCode)
	}
	if res := c.post(ikf+"/delete", url.Values{"version": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removal: %d", res.StatusCode)
	}
	if got := agRead(t, a, ag.ID); len(got.Parties) != 1 || got.Parties[0].OrganisationName != "Linköpings kommun" {
		t.Errorf("parties after removal %+v", got.Parties)
	}
	if res := c.get(ikf); res.StatusCode != http.StatusNotFound {
		t.Errorf("removed party: %d", res.StatusCode)
	}
	page := c.get(agPath(ag.ID)).Body
	for _, want := range []string{"Tog bort part", "Ändrade part", "Organisation: " + html.EscapeString(ikfOrganisation), "Maria Lindqvist"} {
		if !strings.Contains(page, want) {
			t.Errorf("history: no %q", want)
		}
	}
	if got := strings.Join(agActions(t, a, ag.ID), " "); got != "agreement.party_update agreement.party_remove" {
		t.Errorf("audit %s", got)
	}
}
