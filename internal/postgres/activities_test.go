package postgres_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func activityDay(s string) time.Time { return *date(s) }

func mustType(t *testing.T, store *postgres.ActivityTypes, typ partnership.ActivityType) partnership.ActivityType {
	t.Helper()
	created, err := store.CreateType(context.Background(), typ)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func mustActivity(t *testing.T, store *postgres.Activities, a partnership.Activity) partnership.Activity {
	t.Helper()
	created, err := store.Create(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func wantValidation(t *testing.T, err error, field string) {
	t.Helper()
	var v partnership.ValidationError
	if !errors.As(err, &v) || v[field] == "" {
		t.Errorf("got %v, want a validation message for %s", err, field)
	}
}

func TestActivityTypesAndTargets(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	first, other := insertAgreement(t, db.Pool, "Förstegsinsats"), insertAgreement(t, db.Pool, "Annan")
	types := postgres.NewActivityTypes(db.Pool)

	two, three := 2, 3
	samtal := mustType(t, types, partnership.ActivityType{AgreementID: first, Name: "Enskilt samtal", Unit: partnership.UnitOccasions,
		PerParticipantMin: &two, PerParticipantMax: &three, Active: true})
	skap := mustType(t, types, partnership.ActivityType{AgreementID: first, Name: "Skapandeträff", Unit: partnership.UnitOccasions, Active: true})
	if samtal.Position != 1 || skap.Position != 2 || *samtal.PerParticipantMax != 3 || !skap.Active {
		t.Errorf("created %+v %+v", samtal, skap)
	}
	_, err := types.CreateType(ctx, partnership.ActivityType{AgreementID: first, Name: "SKAPANDETRÄFF", Unit: partnership.UnitHours})
	wantValidation(t, err, "name")
	otherType := mustType(t, types, partnership.ActivityType{AgreementID: other, Name: "Skapandeträff", Unit: partnership.UnitHours, Active: true})

	skap.Position, samtal.Position, samtal.Name = 0, 5, "Enskilt samtal/coachning"
	if _, err := types.UpdateType(ctx, skap); err != nil {
		t.Fatal(err)
	}
	if samtal, err = types.UpdateType(ctx, samtal); err != nil || samtal.Name != "Enskilt samtal/coachning" {
		t.Fatalf("update: %+v %v", samtal, err)
	}
	if _, err := types.UpdateType(ctx, partnership.ActivityType{AgreementID: first, ID: otherType.ID, Name: "X", Unit: partnership.UnitHours}); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("update another agreement's type: %v", err)
	}
	if _, err := types.Type(ctx, first, otherType.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("another agreement's type: %v", err)
	}
	list, err := types.Types(ctx, first)
	if err != nil || len(list) != 2 || list[0].ID != skap.ID || list[1].ID != samtal.ID {
		t.Fatalf("types in position order: %+v %v", list, err)
	}

	for _, tg := range []partnership.Target{
		{AgreementID: first, TypeID: skap.ID, Year: 2026, Min: 250, Max: 250},
		{AgreementID: first, TypeID: samtal.ID, Year: 2026, Min: 80, Max: 120},
		{AgreementID: first, TypeID: samtal.ID, Year: 2026, Min: 100, Max: 150}, // replaces
		{AgreementID: first, TypeID: skap.ID, Year: 2027, Min: 260, Max: 260},
	} {
		if err := types.SetTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	targets, err := types.Targets(ctx, first, 2026)
	want := []partnership.Target{
		{AgreementID: first, TypeID: skap.ID, Year: 2026, Min: 250, Max: 250},
		{AgreementID: first, TypeID: samtal.ID, Year: 2026, Min: 100, Max: 150},
	}
	if err != nil || !reflect.DeepEqual(targets, want) {
		t.Errorf("targets %+v %v", targets, err)
	}
	if err := types.SetTarget(ctx, partnership.Target{AgreementID: first, TypeID: otherType.ID, Year: 2026, Min: 1, Max: 1}); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("target for another agreement's type: %v", err)
	}
	if err := types.DeleteTarget(ctx, first, skap.ID, 2027); err != nil {
		t.Fatal(err)
	}
	if err := types.DeleteTarget(ctx, first, skap.ID, 2027); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete a missing target: %v", err)
	}

	mustActivity(t, postgres.NewActivities(db.Pool), partnership.Activity{AgreementID: first, TypeID: skap.ID,
		Date: activityDay("2026-03-05"), DurationMinutes: 60})
	if _, err := types.DeleteType(ctx, first, skap.ID); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("delete a type with activities: %v", err)
	}
	if _, err := types.DeleteType(ctx, other, samtal.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete through another agreement: %v", err)
	}
	if deleted, err := types.DeleteType(ctx, first, samtal.ID); err != nil || deleted.ID != samtal.ID {
		t.Fatalf("delete: %+v %v", deleted, err)
	}
	if targets, _ := types.Targets(ctx, first, 2026); len(targets) != 1 {
		t.Errorf("targets of a deleted type stay: %+v", targets)
	}
}

func TestActivityCreateUpdateDeleteScopedToAgreement(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	mine, theirs := insertAgreement(t, db.Pool, "IKF"), insertAgreement(t, db.Pool, "Stadsmissionen")
	types := postgres.NewActivityTypes(db.Pool)
	store := postgres.NewActivities(db.Pool)
	mabra := mustType(t, types, partnership.ActivityType{AgreementID: mine, Name: "Må bra-grupp", Unit: partnership.UnitOccasions, Active: true})
	old := mustType(t, types, partnership.ActivityType{AgreementID: mine, Name: "Gammal", Unit: partnership.UnitOccasions})
	coach := mustType(t, types, partnership.ActivityType{AgreementID: theirs, Name: "Yrkescoachning", Unit: partnership.UnitHours, Active: true})
	_, assoc := newOrgs(t, db)
	user, err := postgres.NewUsers(db.Pool).Create(ctx, partnership.User{Email: "ikf@iop.example", Name: "Amina Hassan",
		Role: partnership.RoleAssociationStaff, OrganisationID: &assoc.ID}, "hash")
	if err != nil {
		t.Fatal(err)
	}

	a := partnership.Activity{AgreementID: mine, TypeID: mabra.ID, Date: activityDay("2024-03-05"), DurationMinutes: 120,
		Women: 11, Men: 1, NonBinary: 1, Children: 4, VolunteerMinutes: 90, StaffPresent: 2, Place: "IKF:s lokal",
		Notes: "Tema: sömn", CreatedBy: &user.ID, OrganisationID: &assoc.ID}
	created := mustActivity(t, store, a)
	if created.ID == 0 || created.Version != 1 || created.TypeName != "Må bra-grupp" || created.TypeUnit != partnership.UnitOccasions ||
		created.CreatedByName != "Amina Hassan" || !created.Date.Equal(a.Date) || created.Notes != a.Notes ||
		*created.OrganisationID != assoc.ID || created.VolunteerMinutes != 90 || created.Attendance() != 17 {
		t.Errorf("created %+v", created)
	}
	for name, bad := range map[string]partnership.Activity{
		"type of another agreement": {AgreementID: mine, TypeID: coach.ID, Date: a.Date, DurationMinutes: 60},
		"inactive type":             {AgreementID: mine, TypeID: old.ID, Date: a.Date, DurationMinutes: 60},
	} {
		_, err := store.Create(ctx, bad)
		var v partnership.ValidationError
		if !errors.As(err, &v) || v["type_id"] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}

	if _, err := store.ByID(ctx, theirs, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("found through another agreement: %v", err)
	}
	got, err := store.ByID(ctx, mine, created.ID)
	if err != nil || !reflect.DeepEqual(got, created) {
		t.Fatalf("ByID %+v %v", got, err)
	}

	edit := got
	edit.Notes, edit.DurationMinutes, edit.TypeID = "Tema: sömn och stress", 150, old.ID // an inactive type stays usable for old entries
	updated, err := store.Update(ctx, edit)
	if err != nil || updated.Version != 2 || updated.Notes != edit.Notes || updated.DurationMinutes != 150 ||
		updated.TypeName != "Gammal" || *updated.CreatedBy != user.ID {
		t.Fatalf("update %+v %v", updated, err)
	}
	if _, err := store.Update(ctx, edit); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	foreign := updated
	foreign.AgreementID = theirs
	if _, err := store.Update(ctx, foreign); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("update through another agreement: %v", err)
	}
	moved := updated
	moved.TypeID = coach.ID
	_, err = store.Update(ctx, moved)
	wantValidation(t, err, "type_id")

	if _, err := store.Delete(ctx, theirs, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete through another agreement: %v", err)
	}
	if has, err := store.HasActivities(ctx, mine); err != nil || !has {
		t.Errorf("HasActivities %v %v", has, err)
	}
	deleted, err := store.Delete(ctx, mine, created.ID)
	if err != nil || deleted.ID != created.ID || deleted.Notes != edit.Notes {
		t.Fatalf("delete %+v %v", deleted, err)
	}
	if _, err := store.ByID(ctx, mine, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("deleted still found: %v", err)
	}
	if has, _ := store.HasActivities(ctx, mine); has {
		t.Error("HasActivities after delete")
	}
}

func TestActivityListKeysetPagesAndTotals(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	agreement, other := insertAgreement(t, db.Pool, "KISAM"), insertAgreement(t, db.Pool, "Annan")
	types := postgres.NewActivityTypes(db.Pool)
	store := postgres.NewActivities(db.Pool)
	skap := mustType(t, types, partnership.ActivityType{AgreementID: agreement, Name: "Skapandeträff", Unit: partnership.UnitOccasions, Active: true})
	samtal := mustType(t, types, partnership.ActivityType{AgreementID: agreement, Name: "Enskilt samtal", Unit: partnership.UnitHours, Active: true})
	foreign := mustType(t, types, partnership.ActivityType{AgreementID: other, Name: "X", Unit: partnership.UnitOccasions, Active: true})
	mustActivity(t, store, partnership.Activity{AgreementID: other, TypeID: foreign.ID, Date: activityDay("2025-06-01"), DurationMinutes: 60, Women: 100})

	r := rand.New(rand.NewPCG(1, 2))
	var all []partnership.Activity
	for i := 0; i < 57; i++ {
		typ := skap
		if i%3 == 0 {
			typ = samtal
		}
		// Few distinct dates, so that many share one and the id decides.
		a := mustActivity(t, store, partnership.Activity{AgreementID: agreement, TypeID: typ.ID,
			Date:            activityDay("2024-12-20").AddDate(0, 0, 7*r.IntN(10)),
			DurationMinutes: 30 + r.IntN(200), Women: r.IntN(20), Men: r.IntN(3), NonBinary: r.IntN(2),
			Children: r.IntN(10), VolunteerMinutes: r.IntN(300), StaffPresent: 1 + r.IntN(3)})
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].Date.Equal(all[j].Date) {
			return all[i].Date.After(all[j].Date)
		}
		return all[i].ID > all[j].ID
	})

	from, to := activityDay("2025-01-01"), activityDay("2025-01-31")
	filters := map[string]partnership.ActivityFilter{
		"all":        {},
		"type":       {TypeID: samtal.ID},
		"range":      {From: &from, To: &to},
		"type+range": {TypeID: skap.ID, From: &from, To: &to},
		"year":       partnership.YearFilter(2025),
		"from only":  {From: &from},
		"to only":    {To: &to},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			var want []int64
			var wantTotals partnership.ActivityTotals
			for _, a := range all {
				if (f.TypeID == 0 || a.TypeID == f.TypeID) && (f.From == nil || !a.Date.Before(*f.From)) && (f.To == nil || !a.Date.After(*f.To)) {
					want = append(want, a.ID)
					wantTotals.Occasions++
					wantTotals.Minutes += int64(a.DurationMinutes)
					wantTotals.Women += int64(a.Women)
					wantTotals.Men += int64(a.Men)
					wantTotals.NonBinary += int64(a.NonBinary)
					wantTotals.Children += int64(a.Children)
					wantTotals.VolunteerMinutes += int64(a.VolunteerMinutes)
				}
			}
			var got []int64
			var cursor *partnership.ActivityCursor
			for pages := 0; ; pages++ {
				page, err := store.List(ctx, agreement, f, cursor, 10)
				if err != nil {
					t.Fatal(err)
				}
				if pages > 10 || len(page.Activities) > 10 {
					t.Fatalf("page %d has %d rows", pages, len(page.Activities))
				}
				for _, a := range page.Activities {
					got = append(got, a.ID)
				}
				if page.Next == nil {
					break
				}
				if len(page.Activities) != 10 {
					t.Fatalf("a short page with a next cursor")
				}
				// Through its URL form, as the list page uses it.
				c, err := partnership.ParseActivityCursor(page.Next.String())
				if err != nil {
					t.Fatal(err)
				}
				cursor = &c
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("paged ids\n%v\nwant\n%v", got, want)
			}
			totals, err := store.Totals(ctx, agreement, f)
			if err != nil || totals != wantTotals {
				t.Errorf("totals %+v %v, want %+v", totals, err, wantTotals)
			}
		})
	}
	empty, err := store.Totals(ctx, agreement, partnership.YearFilter(2019))
	if err != nil || empty != (partnership.ActivityTotals{}) {
		t.Errorf("totals of an empty year: %+v %v", empty, err)
	}
	page, err := store.List(ctx, agreement, partnership.YearFilter(2019), nil, 10)
	if err != nil || len(page.Activities) != 0 || page.Next != nil {
		t.Errorf("empty page %+v %v", page, err)
	}
}

func TestActivityDoneAndVolunteerByYear(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	agreement := insertAgreement(t, db.Pool, "IKF")
	types := postgres.NewActivityTypes(db.Pool)
	store := postgres.NewActivities(db.Pool)
	mabra := mustType(t, types, partnership.ActivityType{AgreementID: agreement, Name: "Må bra-grupp", Unit: partnership.UnitOccasions, Active: true})
	samtal := mustType(t, types, partnership.ActivityType{AgreementID: agreement, Name: "Motiverande samtal", Unit: partnership.UnitHours, Active: true})
	for _, a := range []partnership.Activity{
		{TypeID: mabra.ID, Date: activityDay("2023-12-31"), DurationMinutes: 120, VolunteerMinutes: 60},
		{TypeID: mabra.ID, Date: activityDay("2024-01-01"), DurationMinutes: 120, VolunteerMinutes: 30},
		{TypeID: mabra.ID, Date: activityDay("2024-06-01"), DurationMinutes: 90},
		{TypeID: samtal.ID, Date: activityDay("2024-02-01"), DurationMinutes: 45, VolunteerMinutes: 15},
		{TypeID: samtal.ID, Date: activityDay("2024-12-31"), DurationMinutes: 75},
		{TypeID: samtal.ID, Date: activityDay("2025-01-01"), DurationMinutes: 60},
	} {
		a.AgreementID = agreement
		mustActivity(t, store, a)
	}
	done, err := store.Done(ctx, agreement, 2024, 2024)
	want := []partnership.ActivityDone{{TypeID: mabra.ID, Year: 2024, Done: 2}, {TypeID: samtal.ID, Year: 2024, Done: 120}}
	if err != nil || !reflect.DeepEqual(done, want) {
		t.Errorf("done 2024: %+v %v", done, err)
	}
	if done, _ := store.Done(ctx, agreement, 2023, 2025); len(done) != 4 {
		t.Errorf("done 2023–2025: %+v", done)
	}
	vol, err := store.VolunteerByYear(ctx, agreement)
	wantVol := []partnership.VolunteerYear{{Year: 2023, Minutes: 60}, {Year: 2024, Minutes: 45}, {Year: 2025, Minutes: 0}}
	if err != nil || !reflect.DeepEqual(vol, wantVol) {
		t.Errorf("volunteer %+v %v", vol, err)
	}
}
