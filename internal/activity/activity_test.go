package activity_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/activity"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// now is 00:30 on 16 June 2026 in Sweden while still the 15th in UTC, so
// that a test of "not after today" sees which day the service takes.
var now = time.Date(2026, time.June, 15, 22, 30, 0, 0, time.UTC)

// world is a database of its own with two associations: a shared
// agreement between the municipality, IKF and Stadsmissionen, and one of
// Stadsmissionen's own; each agreement has an active type "Må bra-grupp".
type world struct {
	db                       *postgres.DB
	svc                      *activity.Service
	shared, smOwn            int64
	sharedType, smType       partnership.ActivityType
	ikfOrg, smOrg            int64
	ikf, sm, officer, viewer partnership.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	w := &world{db: pgtest.New(t)}
	w.svc = activity.NewService(w.db, func() time.Time { return now })
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
		w.ikfOrg = org("IKF", partnership.OrgAssociation)
		w.smOrg = org("Linköpings Stadsmission", partnership.OrgAssociation)
		users := postgres.NewUsers(tx)
		actor := func(email string, role partnership.Role, orgID *int64) partnership.Actor {
			u, err := users.Create(ctx, partnership.User{Email: email, Name: email, Role: role, OrganisationID: orgID}, "not a hash")
			if err != nil {
				t.Fatal(err)
			}
			return partnership.ActorOf(u, "192.0.2.7")
		}
		w.ikf = actor("ikf@example.org", partnership.RoleAssociationStaff, &w.ikfOrg)
		w.sm = actor("sm@example.org", partnership.RoleAssociationStaff, &w.smOrg)
		w.officer = actor("officer@example.org", partnership.RoleOfficer, nil)
		w.viewer = actor("viewer@example.org", partnership.RoleViewer, nil)
		agreement := func(title string, orgIDs ...int64) (int64, partnership.ActivityType) {
			ag := partnership.Agreement{Title: title, Status: partnership.StatusDraft}
			for i, id := range orgIDs {
				role := partnership.PartyPartnerAssociation
				switch i {
				case 0:
					role = partnership.PartyMunicipality
				case 1:
					role = partnership.PartyLeadAssociation
				}
				ag.Parties = append(ag.Parties, partnership.Party{OrganisationID: id, Role: role})
			}
			created, err := postgres.NewAgreements(tx).Create(ctx, ag)
			if err != nil {
				t.Fatal(err)
			}
			typ, err := postgres.NewActivityTypes(tx).CreateType(ctx, partnership.ActivityType{
				AgreementID: created.ID, Name: "Må bra-grupp", Unit: partnership.UnitOccasions, Position: 1, Active: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			return created.ID, typ
		}
		w.shared, w.sharedType = agreement("Delad", kommun, w.ikfOrg, w.smOrg)
		w.smOwn, w.smType = agreement("Stadsmissionens egen", kommun, w.smOrg)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// input is a valid activity of the type on the date.
func input(typ partnership.ActivityType, date string) partnership.Activity {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return partnership.Activity{
		TypeID: typ.ID, Date: d, DurationMinutes: 90, Women: 12, Men: 1, Children: 4,
		VolunteerMinutes: 135, StaffPresent: 2, Place: "  Föreningens lokal ", Notes: "Tema: sömn",
	}
}

// log logs an activity that the test needs to exist.
func (w *world) log(t *testing.T, actor partnership.Actor, agreementID int64, in partnership.Activity) partnership.Activity {
	t.Helper()
	a, err := w.svc.Log(context.Background(), actor, agreementID, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (w *world) lockYear(t *testing.T, agreementID int64, year int) {
	t.Helper()
	ctx := context.Background()
	if err := w.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, agreementID, year, "Faktura godkänd")
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// counts is how many activities and audit events there are, for telling
// that a refused change wrote nothing.
func (w *world) counts(t *testing.T) [2]int {
	t.Helper()
	var c [2]int
	err := w.db.Pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM activities), (SELECT count(*) FROM audit_events)`).Scan(&c[0], &c[1])
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// events are the agreement's audit events, newest first.
func (w *world) events(t *testing.T, agreementID int64) []partnership.AuditEvent {
	t.Helper()
	list, err := postgres.NewAudit(w.db.Pool).ForEntity(context.Background(), "agreement", strconv.FormatInt(agreementID, 10), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// checkEvent checks that e records action on a by actor.
func checkEvent(t *testing.T, e partnership.AuditEvent, action string, actor partnership.Actor, a partnership.Activity) {
	t.Helper()
	if e.Action != action || e.Entity != "agreement" || e.EntityID != strconv.FormatInt(a.AgreementID, 10) ||
		e.ActorID == nil || *e.ActorID != actor.UserID || e.ClientIP != actor.IP {
		t.Errorf("event %+v, want %s on agreement %d by user %d from %s", e, action, a.AgreementID, actor.UserID, actor.IP)
	}
	want := map[string]any{"activity_id": float64(a.ID), "activity_type": a.TypeName, "activity_date": a.Date.Format(time.DateOnly)}
	for k, v := range want {
		if e.Details[k] != v {
			t.Errorf("%s details[%s] = %v, want %v", action, k, e.Details[k], v)
		}
	}
}

// xmin is the transaction that wrote a row of table.
func (w *world) xmin(t *testing.T, table string, id int64) string {
	t.Helper()
	var x string
	if err := w.db.Pool.QueryRow(context.Background(), `SELECT xmin::text FROM `+table+` WHERE id = $1`, id).Scan(&x); err != nil {
		t.Fatal(err)
	}
	return x
}

func TestLogWritesTheActivityAndOneAuditEventInOneTransaction(t *testing.T) {
	w := newWorld(t)
	// Today in Sweden, tomorrow in UTC; who logs is the actor, whatever
	// the input says.
	in := input(w.sharedType, "2026-06-16")
	in.CreatedBy, in.OrganisationID = &w.officer.UserID, &w.smOrg
	a := w.log(t, w.ikf, w.shared, in)

	stored, err := postgres.NewActivities(w.db.Pool).ByID(context.Background(), w.shared, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.AgreementID != w.shared || stored.TypeName != "Må bra-grupp" || stored.Place != "Föreningens lokal" ||
		stored.Version != 1 || stored.CreatedBy == nil || *stored.CreatedBy != w.ikf.UserID ||
		stored.OrganisationID == nil || *stored.OrganisationID != w.ikfOrg {
		t.Errorf("stored %+v", stored)
	}
	events := w.events(t, w.shared)
	if len(events) != 1 {
		t.Fatalf("%d audit events, want 1: %+v", len(events), events)
	}
	checkEvent(t, events[0], "activity.create", w.ikf, stored)
	if row, event := w.xmin(t, "activities", a.ID), w.xmin(t, "audit_events", events[0].ID); row != event {
		t.Errorf("activity written by transaction %s, its audit event by %s", row, event)
	}

	// Municipal staff log for no organisation.
	byOfficer := w.log(t, w.officer, w.shared, input(w.sharedType, "2026-06-01"))
	if byOfficer.OrganisationID != nil || *byOfficer.CreatedBy != w.officer.UserID {
		t.Errorf("officer's entry: organisation %v, created by %v", byOfficer.OrganisationID, *byOfficer.CreatedBy)
	}
}

func TestLogRefusedWritesNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.lockYear(t, w.shared, 2025)
	retired, err := postgres.NewActivityTypes(w.db.Pool).CreateType(ctx, partnership.ActivityType{
		AgreementID: w.shared, Name: "Gammal", Unit: partnership.UnitOccasions, Position: 2, Active: false,
	})
	if err != nil {
		t.Fatal(err)
	}
	invalid := input(w.sharedType, "2026-06-17") // tomorrow in Sweden
	invalid.DurationMinutes = 0
	for _, c := range []struct {
		name        string
		actor       partnership.Actor
		agreementID int64
		in          partnership.Activity
		field, msg  string // the expected validation error, if any
		want        error  // otherwise the expected error
	}{
		{"invalid", w.ikf, w.shared, invalid, "date", "Datumet får inte vara senare än i dag (2026-06-16).", nil},
		{"another agreement's type", w.ikf, w.shared, input(w.smType, "2026-06-01"), "type_id", partnership.MsgActivityType, nil},
		{"retired type", w.ikf, w.shared, input(retired, "2026-06-01"), "type_id", partnership.MsgActivityType, nil},
		{"locked year", w.ikf, w.shared, input(w.sharedType, "2025-12-31"), "date", partnership.MsgActivityYearLocked(2025), nil},
		{"viewer", w.viewer, w.shared, input(w.sharedType, "2026-06-01"), "", "", partnership.ErrForbidden},
		{"another organisation's agreement", w.ikf, w.smOwn, input(w.smType, "2026-06-01"), "", "", partnership.ErrNotFound},
		{"missing agreement", w.officer, w.smOwn + 1000, input(w.smType, "2026-06-01"), "", "", partnership.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := w.counts(t)
			_, err := w.svc.Log(ctx, c.actor, c.agreementID, c.in)
			var verr partnership.ValidationError
			switch {
			case c.want != nil && !errors.Is(err, c.want):
				t.Errorf("error %v, want %v", err, c.want)
			case c.want == nil && (!errors.As(err, &verr) || verr[c.field] != c.msg):
				t.Errorf("error %v, want %q on %s", err, c.msg, c.field)
			}
			if after := w.counts(t); after != before {
				t.Errorf("activities and audit events %v, before %v", after, before)
			}
		})
	}

	// An audit event that cannot be written takes the activity with it.
	if _, err := w.db.Pool.Exec(ctx, `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events
		FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`); err != nil {
		t.Fatal(err)
	}
	before := w.counts(t)
	if _, err := w.svc.Log(ctx, w.ikf, w.shared, input(w.sharedType, "2026-06-01")); err == nil {
		t.Error("logged although the audit event failed")
	}
	if after := w.counts(t); after != before {
		t.Errorf("failed audit left activities and audit events %v, before %v", after, before)
	}
}

func TestUpdate(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.log(t, w.ikf, w.shared, input(w.sharedType, "2026-03-02"))
	old := w.log(t, w.ikf, w.shared, input(w.sharedType, "2025-11-04"))
	w.lockYear(t, w.shared, 2025)
	retired, err := postgres.NewActivityTypes(w.db.Pool).CreateType(ctx, partnership.ActivityType{
		AgreementID: w.shared, Name: "Gammal", Unit: partnership.UnitOccasions, Position: 2, Active: false,
	})
	if err != nil {
		t.Fatal(err)
	}

	change := mine
	change.Date, change.Women, change.Notes = time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), 20, "Flyttad"
	updated, err := w.svc.Update(ctx, w.ikf, w.shared, change)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Women != 20 || updated.Notes != "Flyttad" || *updated.CreatedBy != w.ikf.UserID {
		t.Errorf("updated %+v", updated)
	}
	if events := w.events(t, w.shared); len(events) != 3 {
		t.Errorf("%d audit events, want 3 (two logs, one update)", len(events))
	} else {
		checkEvent(t, events[0], "activity.update", w.ikf, updated)
	}

	// Officers change any entry; association staff only their own.
	change.Version = updated.Version
	if updated, err = w.svc.Update(ctx, w.officer, w.shared, change); err != nil || *updated.OrganisationID != w.ikfOrg {
		t.Errorf("officer's update: %v, organisation %v", err, updated.OrganisationID)
	}

	before := w.counts(t)
	for _, c := range []struct {
		name  string
		actor partnership.Actor
		edit  func(a *partnership.Activity)
		check func(err error) bool
	}{
		{"stale version", w.ikf, func(a *partnership.Activity) { a.Version = 1 }, func(err error) bool {
			return errors.Is(err, partnership.ErrConflict) && !errors.Is(err, partnership.ErrYearLocked)
		}},
		{"another organisation's entry", w.sm, nil, func(err error) bool { return errors.Is(err, partnership.ErrNotFound) }},
		{"viewer", w.viewer, nil, func(err error) bool { return errors.Is(err, partnership.ErrForbidden) }},
		{"into a locked year", w.ikf, func(a *partnership.Activity) { a.Date = old.Date }, func(err error) bool {
			var verr partnership.ValidationError
			return errors.As(err, &verr) && verr["date"] == partnership.MsgActivityYearLocked(2025)
		}},
		{"another agreement's type", w.ikf, func(a *partnership.Activity) { a.TypeID = w.smType.ID }, func(err error) bool {
			var verr partnership.ValidationError
			return errors.As(err, &verr) && verr["type_id"] == partnership.MsgActivityType
		}},
		{"a retired type", w.ikf, func(a *partnership.Activity) { a.TypeID = retired.ID }, func(err error) bool {
			var verr partnership.ValidationError
			return errors.As(err, &verr) && verr["type_id"] == partnership.MsgActivityType
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := updated
			if c.edit != nil {
				c.edit(&in)
			}
			if _, err := w.svc.Update(ctx, c.actor, w.shared, in); !c.check(err) {
				t.Errorf("error %v", err)
			}
		})
	}
	// An entry of a locked year no longer changes, not even to leave it.
	leave := old
	leave.Date = mine.Date
	if _, err := w.svc.Update(ctx, w.ikf, w.shared, leave); !errors.Is(err, partnership.ErrYearLocked) {
		t.Errorf("update of a locked year: %v, want ErrYearLocked", err)
	}
	if after := w.counts(t); after != before {
		t.Errorf("refused updates left activities and audit events %v, before %v", after, before)
	}
	if got, _ := postgres.NewActivities(w.db.Pool).ByID(ctx, w.shared, old.ID); got.Version != 1 || !got.Date.Equal(old.Date) {
		t.Errorf("locked entry changed: %+v", got)
	}

	// A retired type stays on the entries that have it.
	typ := w.sharedType
	typ.Active = false
	if _, err := postgres.NewActivityTypes(w.db.Pool).UpdateType(ctx, typ); err != nil {
		t.Fatal(err)
	}
	updated.Notes = "Typen är avvecklad"
	if _, err := w.svc.Update(ctx, w.ikf, w.shared, updated); err != nil {
		t.Errorf("update keeping a retired type: %v", err)
	}
}

func TestDelete(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.log(t, w.ikf, w.shared, input(w.sharedType, "2026-03-02"))
	old := w.log(t, w.ikf, w.shared, input(w.sharedType, "2025-11-04"))
	w.lockYear(t, w.shared, 2025)

	before := w.counts(t)
	for name, c := range map[string]struct {
		actor partnership.Actor
		id    int64
		want  error
	}{
		"another organisation's entry": {w.sm, mine.ID, partnership.ErrNotFound},
		"viewer":                       {w.viewer, mine.ID, partnership.ErrForbidden},
		"locked year":                  {w.ikf, old.ID, partnership.ErrYearLocked},
		"missing entry":                {w.officer, old.ID + 1000, partnership.ErrNotFound},
	} {
		if _, err := w.svc.Delete(ctx, c.actor, w.shared, c.id); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if after := w.counts(t); after != before {
		t.Errorf("refused deletes left activities and audit events %v, before %v", after, before)
	}

	deleted, err := w.svc.Delete(ctx, w.ikf, w.shared, mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	if deleted.ID != mine.ID || deleted.TypeName != "Må bra-grupp" {
		t.Errorf("deleted %+v", deleted)
	}
	if _, err := postgres.NewActivities(w.db.Pool).ByID(ctx, w.shared, mine.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("deleted entry still found: %v", err)
	}
	if after := w.counts(t); after != [2]int{before[0] - 1, before[1] + 1} {
		t.Errorf("after delete %v, before %v", after, before)
	}
	checkEvent(t, w.events(t, w.shared)[0], "activity.delete", w.ikf, mine)
}
