package meeting_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/meeting"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// now is 00:30 on 16 June 2024 in Sweden while still the 15th in UTC.
var now = time.Date(2024, time.June, 15, 22, 30, 0, 0, time.UTC)

// world is a database of its own with an agreement between the
// municipality, IKF and Stadsmissionen requiring two dialogue meetings a
// year and two representatives per party, and one of Stadsmissionen's own.
type world struct {
	db                             *postgres.DB
	svc                            *meeting.Service
	shared, smOwn                  int64
	kommunParty, ikfParty, smParty int64
	ikf, sm, officer, viewer       partnership.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	w := &world{db: pgtest.New(t)}
	w.svc = meeting.NewService(w.db, func() time.Time { return now })
	err := w.db.InTx(ctx, func(tx pgx.Tx) error {
		orgs := postgres.NewOrganisations(tx)
		org := func(name string, kind partnership.OrgKind) int64 {
			o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		kommun := org("Linköpings kommun", partnership.OrgMunicipality)
		ikfOrg := org("IKF", partnership.OrgAssociation)
		smOrg := org("Linköpings Stadsmission", partnership.OrgAssociation)
		users := postgres.NewUsers(tx)
		actor := func(email string, role partnership.Role, orgID *int64) partnership.Actor {
			u, err := users.Create(ctx, partnership.User{Email: email, Name: email, Role: role, OrganisationID: orgID}, "not a hash")
			if err != nil {
				t.Fatal(err)
			}
			return partnership.ActorOf(u, "192.0.2.7")
		}
		w.ikf = actor("ikf@example.org", partnership.RoleAssociationStaff, &ikfOrg)
		w.sm = actor("sm@example.org", partnership.RoleAssociationStaff, &smOrg)
		w.officer = actor("officer@example.org", partnership.RoleOfficer, nil)
		w.viewer = actor("viewer@example.org", partnership.RoleViewer, nil)
		agreements := postgres.NewAgreements(tx)
		shared, err := agreements.Create(ctx, partnership.Agreement{Title: "Delad", Status: partnership.StatusDraft,
			DialogueMeetingsPerYear: 2, RepresentativesPerParty: 2, Parties: []partnership.Party{
				{OrganisationID: kommun, Role: partnership.PartyMunicipality},
				{OrganisationID: ikfOrg, Role: partnership.PartyLeadAssociation},
				{OrganisationID: smOrg, Role: partnership.PartyPartnerAssociation},
			}})
		if err != nil {
			t.Fatal(err)
		}
		w.shared = shared.ID
		w.kommunParty, w.ikfParty, w.smParty = shared.Parties[0].ID, shared.Parties[1].ID, shared.Parties[2].ID
		own, err := agreements.Create(ctx, partnership.Agreement{Title: "Egen", Status: partnership.StatusDraft,
			Parties: []partnership.Party{{OrganisationID: kommun, Role: partnership.PartyMunicipality},
				{OrganisationID: smOrg, Role: partnership.PartyLeadAssociation}}})
		w.smOwn = own.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func (w *world) create(t *testing.T, kind partnership.MeetingKind, on string) partnership.Meeting {
	t.Helper()
	m, err := w.svc.Create(context.Background(), w.officer, w.shared, partnership.Meeting{
		Kind: kind, HeldOn: date(on), StartsAt: "13:00", Place: "Stadshuset", Minutes: "Hemligt protokoll",
		Attendees: []partnership.MeetingAttendee{{PartyID: &w.kommunParty, Name: "Anna"}, {PartyID: &w.ikfParty, Name: "Bo"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCreateListAndRequirement(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.create(t, partnership.MeetingDialogue, "2024-03-12")
	w.create(t, partnership.MeetingDialogue, "2024-06-16") // today in Sweden: held
	w.create(t, partnership.MeetingDialogue, "2024-10-08")
	sg := w.create(t, partnership.MeetingSteeringGroup, "2024-05-02")

	r, ok, err := w.svc.Held(ctx, w.viewer, w.shared, 2024)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got, want := r.String(), "2 av 2 dialogmöten hållna 2024 (1 planerade)"; got != want {
		t.Errorf("Held = %q, want %q", got, want)
	}
	o, err := w.svc.List(ctx, w.ikf, w.shared)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Meetings) != 4 || len(o.Requirements) != 1 || o.Meetings[0].StartsAt != "13:00" {
		t.Errorf("List = %d meetings, %v", len(o.Meetings), o.Requirements)
	}
	d, err := w.svc.Get(ctx, w.officer, w.shared, sg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Presence) != 3 || d.Presence[0].Present != 1 || d.Presence[0].Met() {
		t.Errorf("Presence = %+v", d.Presence)
	}
	events, err := postgres.NewAudit(w.db.Pool).ForEntity(ctx, "agreement", strconv.FormatInt(w.shared, 10), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 4 || events[0].Action != "meeting.create" {
		t.Fatalf("audit = %+v", events)
	}
	raw, _ := json.Marshal(events)
	if strings.Contains(string(raw), "Hemligt") || strings.Contains(string(raw), "Anna") {
		t.Errorf("audit holds minutes or names: %s", raw)
	}
}

func TestTenancyAndRoles(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	m := w.create(t, partnership.MeetingDialogue, "2024-03-12")
	if _, err := w.svc.List(ctx, w.ikf, w.smOwn); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("IKF lists another organisation's meetings: %v", err)
	}
	if _, err := w.svc.Get(ctx, w.ikf, w.smOwn, m.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("IKF reads a meeting through another agreement: %v", err)
	}
	if _, err := w.svc.Create(ctx, w.ikf, w.shared, partnership.Meeting{Kind: partnership.MeetingDialogue, HeldOn: date("2024-01-01")}); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("staff created a meeting: %v", err)
	}
	if _, err := w.svc.AddDecision(ctx, w.viewer, w.shared, m.ID, "Beslut"); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("viewer added a decision: %v", err)
	}
	if _, err := w.svc.AddAgendaPoint(ctx, w.viewer, w.shared, m.ID, "Punkt"); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("viewer added an agenda point: %v", err)
	}
	p, err := w.svc.AddAgendaPoint(ctx, w.ikf, w.shared, m.ID, " Lokalfrågan ")
	if err != nil || p.OrganisationID == nil || p.Text != "Lokalfrågan" {
		t.Errorf("IKF's agenda point = %+v, %v", p, err)
	}
	if _, err := w.svc.AddAgendaPoint(ctx, w.ikf, w.smOwn, m.ID, "Punkt"); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("IKF added a point through another agreement: %v", err)
	}
	if _, err := w.svc.Delete(ctx, w.officer, w.smOwn, m.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("deleted through another agreement: %v", err)
	}
}

func TestStaffMarkOnlyTheirPartysActionItems(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	m := w.create(t, partnership.MeetingSteeringGroup, "2024-03-12")
	due := date("2024-04-01")
	add := func(in partnership.ActionItem) partnership.ActionItem {
		t.Helper()
		item, err := w.svc.AddActionItem(ctx, w.officer, w.shared, m.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return item
	}
	ikfItem := add(partnership.ActionItem{Text: "Ta fram statistik", OwnerPartyID: &w.ikfParty, DueOn: &due})
	smItem := add(partnership.ActionItem{Text: "Boka lokal", OwnerPartyID: &w.smParty})
	named := add(partnership.ActionItem{Text: "Skicka kallelse", OwnerName: "Anna"})
	if !ikfItem.Overdue(date("2024-06-16")) {
		t.Error("an open item past its due date is not overdue")
	}

	for _, id := range []int64{smItem.ID, named.ID} {
		if _, err := w.svc.MarkActionItemDone(ctx, w.ikf, w.shared, m.ID, id); !errors.Is(err, partnership.ErrForbidden) {
			t.Errorf("IKF marked item %d: %v", id, err)
		}
	}
	if _, err := w.svc.MarkActionItemDone(ctx, w.viewer, w.shared, m.ID, ikfItem.ID); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("viewer marked an item: %v", err)
	}
	done, err := w.svc.MarkActionItemDone(ctx, w.ikf, w.shared, m.ID, ikfItem.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done.DoneOn == nil || !done.DoneOn.Equal(date("2024-06-16")) {
		t.Errorf("done on %v, want the Swedish date 2024-06-16", done.DoneOn)
	}
	if _, err := w.svc.MarkActionItemDone(ctx, w.officer, w.shared, m.ID, named.ID); err != nil {
		t.Errorf("officer could not mark a named item: %v", err)
	}
	if _, err := w.svc.AddActionItem(ctx, w.officer, w.shared, m.ID, partnership.ActionItem{Text: "X"}); err == nil {
		t.Error("an item without owner was added")
	}
	d, err := w.svc.AddDecision(ctx, w.officer, w.shared, m.ID, "Första")
	d2, err2 := w.svc.AddDecision(ctx, w.officer, w.shared, m.ID, "Andra")
	if err != nil || err2 != nil || d.Number != 1 || d2.Number != 2 {
		t.Errorf("decisions numbered %d, %d (%v, %v)", d.Number, d2.Number, err, err2)
	}
	got, err := w.svc.Get(ctx, w.sm, w.shared, m.ID)
	if err != nil || len(got.Meeting.ActionItems) != 3 || len(got.Meeting.Decisions) != 2 {
		t.Fatalf("Get = %+v, %v", got.Meeting, err)
	}
	events, err := postgres.NewAudit(w.db.Pool).ForEntity(ctx, "agreement", strconv.FormatInt(w.shared, 10), 20)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range events {
		actions[e.Action]++
	}
	if actions["meeting.action_item.add"] != 3 || actions["meeting.action_item.done"] != 2 || actions["meeting.decision.add"] != 2 {
		t.Errorf("audit actions %v", actions)
	}
	raw, _ := json.Marshal(events)
	for _, text := range []string{"Ta fram statistik", "Skicka kallelse", "Anna", "Första"} {
		if strings.Contains(string(raw), text) {
			t.Errorf("audit holds %q", text)
		}
	}
}

func TestUpdateConflictAndDelete(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	m := w.create(t, partnership.MeetingDialogue, "2024-03-12")
	m.Place, m.StartsAt, m.Attendees = "Föreningens lokal", "", nil
	updated, err := w.svc.Update(ctx, w.officer, w.shared, m)
	if err != nil || updated.Place != "Föreningens lokal" || updated.StartsAt != "" || updated.Version != 2 {
		t.Fatalf("Update = %+v, %v", updated, err)
	}
	if _, err := w.svc.Update(ctx, w.officer, w.shared, m); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	m.StartsAt = "25:61"
	var v partnership.ValidationError
	if _, err := w.svc.Update(ctx, w.officer, w.shared, m); !errors.As(err, &v) || v["starts_at"] == "" {
		t.Errorf("bad time: %v", err)
	}
	if _, err := w.svc.Delete(ctx, w.officer, w.shared, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Get(ctx, w.officer, w.shared, m.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("deleted meeting still read: %v", err)
	}
}
