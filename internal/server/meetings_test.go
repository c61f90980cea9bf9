package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// meetingFixture is a dialogue meeting of an agreement IKF is a party to,
// with an action item owned by IKF's party, and another meeting that the
// matrix's delete row removes.
type meetingFixture struct {
	list, page, victim, item string
}

func newMeetingFixture(t *testing.T, a *app, ag partnership.Agreement) meetingFixture {
	t.Helper()
	ctx := context.Background()
	store := postgres.NewMeetings(a.db.Pool)
	create := func(on string) partnership.Meeting {
		d, _ := time.Parse(time.DateOnly, on)
		m, err := store.Create(ctx, partnership.Meeting{AgreementID: ag.ID, Kind: partnership.MeetingDialogue, HeldOn: d}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := create("2024-03-12")
	party := ag.Parties[0].ID
	item, err := store.AddActionItem(ctx, m.ID, partnership.ActionItem{Text: "Matrisens åtgärd", OwnerPartyID: &party})
	if err != nil {
		t.Fatal(err)
	}
	list := "/agreements/" + itoa(ag.ID) + "/meetings"
	page := list + "/" + itoa(m.ID)
	return meetingFixture{list: list, page: page, victim: list + "/" + itoa(create("2024-10-08").ID),
		item: page + "/action-items/" + itoa(item.ID)}
}

func TestMeetingFormsKeepValues(t *testing.T) {
	a := newApp(t)
	ag := agStore(t, a, "Mötenas överenskommelse", ikfOrganisation)
	f := newMeetingFixture(t, a, ag)
	officer := loggedIn(a, officerEmail)

	res := officer.post(f.list, url.Values{"kind": {"dialogue"}, "held_on": {"2024-13-40"}, "starts_at": {"25:00"},
		"place": {"Stadshuset"}, "minutes": {"Protokollet som skrevs"}, "guests": {"Gästen Gäst"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid meeting: %d", res.StatusCode)
	}
	for _, kept := range []string{"Stadshuset", "Protokollet som skrevs", "Gästen Gäst", "25:00", `data-testid="error-summary"`} {
		if !strings.Contains(res.Body, kept) {
			t.Errorf("the refused form lost %q", kept)
		}
	}
	res = officer.post(f.page+"/action-items", url.Values{"item_text": {"Boka lokal"}, "item_due_on": {"i morgon"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Boka lokal") ||
		!strings.Contains(res.Body, "Välj en part eller skriv ett namn.") {
		t.Errorf("invalid action item: %d", res.StatusCode)
	}
	res = officer.post(f.list, url.Values{"kind": {"steering_group"}, "held_on": {"2024-05-02"}, "starts_at": {"13:30"},
		"party_" + itoa(ag.Parties[0].ID) + "_other": {"Anna Andersson\nBo Berg"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid meeting: %d\n%s", res.StatusCode, res.Body)
	}
	page := officer.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "Anna Andersson, Bo Berg") || !strings.Contains(page.Body, "2024-05-02 13:30") {
		t.Errorf("the meeting page does not show the attendees and time")
	}
}

func TestMeetingStaffActions(t *testing.T) {
	a := newApp(t)
	ag := agStore(t, a, "Mötenas överenskommelse", ikfOrganisation)
	f := newMeetingFixture(t, a, ag)
	other := docAgreement(t, a, "Någon annans möten", "Linköpings Stadsmission")
	theirs := newMeetingFixture(t, a, agByID(t, a, other))
	ikf := loggedIn(a, ikfEmail)

	if res := ikf.get(f.page); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="mark-done"`) ||
		strings.Contains(res.Body, `data-testid="decision-form"`) {
		t.Errorf("IKF's meeting page: %d, or the wrong forms", res.StatusCode)
	}
	if res := ikf.post(f.page+"/agenda", url.Values{"agenda_text": {"Lokalfrågan"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("IKF's agenda point: %d", res.StatusCode)
	}
	if res := ikf.post(f.item+"/done", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("IKF marking its item done: %d", res.StatusCode)
	}
	page := ikf.get(f.page).Body
	if !strings.Contains(page, "Lokalfrågan") || !strings.Contains(page, "Klar ") {
		t.Error("the agenda point or the done item is not shown")
	}
	for _, res := range []response{ikf.get(theirs.list), ikf.get(theirs.page), ikf.post(theirs.item+"/done", nil),
		ikf.post(theirs.page+"/agenda", url.Values{"agenda_text": {"X"}})} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("IKF on another organisation's meetings: %d, want 404", res.StatusCode)
		}
	}
}

func agByID(t *testing.T, a *app, id int64) partnership.Agreement {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}
