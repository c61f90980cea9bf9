package annualreport

import (
	"errors"
	"strings"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// TestCheck is who may take which step in which state: staff write and
// submit drafts and returned reports, officers and admins comment on,
// return and approve submitted ones, the viewer only reads, the
// coordinator has nothing, and nobody changes an approved report.
func TestCheck(t *testing.T) {
	const (
		ok        = "ok"
		forbidden = "forbidden"
		conflict  = "conflict"
	)
	staff, officer, admin := partnership.RoleAssociationStaff, partnership.RoleOfficer, partnership.RoleAdmin
	viewer, coordinator := partnership.RoleViewer, partnership.RoleCoordinator
	states := []State{NotStarted, Draft, Submitted, Returned, Approved}
	// want per state, in the order of states.
	cases := []struct {
		role partnership.Role
		act  Action
		want [5]string
	}{
		{staff, ActRead, [5]string{ok, ok, ok, ok, ok}},
		{officer, ActRead, [5]string{ok, ok, ok, ok, ok}},
		{admin, ActRead, [5]string{ok, ok, ok, ok, ok}},
		{viewer, ActRead, [5]string{ok, ok, ok, ok, ok}},
		{coordinator, ActRead, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},

		{staff, ActSave, [5]string{ok, ok, conflict, ok, conflict}},
		{staff, ActSubmit, [5]string{ok, ok, conflict, ok, conflict}},
		{staff, ActComment, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{staff, ActReturn, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{staff, ActApprove, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},

		{officer, ActSave, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{officer, ActSubmit, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{officer, ActComment, [5]string{conflict, conflict, ok, conflict, conflict}},
		{officer, ActReturn, [5]string{conflict, conflict, ok, conflict, conflict}},
		{officer, ActApprove, [5]string{conflict, conflict, ok, conflict, conflict}},
		{admin, ActComment, [5]string{conflict, conflict, ok, conflict, conflict}},
		{admin, ActReturn, [5]string{conflict, conflict, ok, conflict, conflict}},
		{admin, ActApprove, [5]string{conflict, conflict, ok, conflict, conflict}},
		{admin, ActSave, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},

		{viewer, ActSave, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{viewer, ActSubmit, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{viewer, ActComment, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{viewer, ActApprove, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{coordinator, ActSave, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{coordinator, ActApprove, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
		{"", ActApprove, [5]string{forbidden, forbidden, forbidden, forbidden, forbidden}},
	}
	for _, tc := range cases {
		for i, st := range states {
			err := Check(tc.role, st, tc.act)
			got := ok
			switch {
			case errors.Is(err, partnership.ErrForbidden):
				got = forbidden
			case errors.Is(err, partnership.ErrConflict):
				got = conflict
			case err != nil:
				got = err.Error()
			}
			if got != tc.want[i] {
				t.Errorf("%s %s in %q: %s, want %s", tc.role, tc.act, st, got, tc.want[i])
			}
		}
	}
	if err := Check(officer, Submitted, "publish"); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestReadRoles(t *testing.T) {
	for _, tc := range []struct {
		role                     partnership.Role
		read, portfolio, summary bool
		disclosed                bool
	}{
		{partnership.RoleAdmin, true, true, true, false},
		{partnership.RoleOfficer, true, true, true, false},
		{partnership.RoleViewer, true, true, false, true},
		{partnership.RoleAssociationStaff, true, false, false, false},
		{partnership.RoleCoordinator, false, false, false, false},
	} {
		if MayRead(tc.role) != tc.read || MayReadPortfolio(tc.role) != tc.portfolio ||
			MaySaveSummary(tc.role) != tc.summary || ShowsDisclosed(tc.role) != tc.disclosed {
			t.Errorf("%s: read %v portfolio %v summary %v disclosed %v", tc.role,
				MayRead(tc.role), MayReadPortfolio(tc.role), MaySaveSummary(tc.role), ShowsDisclosed(tc.role))
		}
	}
}

func TestValidateNarrative(t *testing.T) {
	full := postgres.Narrative{Activities: "a", Results: "b", Lessons: "c", Challenges: "d", NextYear: "e"}
	if v := ValidateSubmit(full); len(v) != 0 {
		t.Errorf("full narrative: %v", v)
	}
	partial := postgres.Narrative{Activities: "Gruppträffar"}
	if v := ValidateDraft(partial); len(v) != 0 {
		t.Errorf("a draft may be incomplete: %v", v)
	}
	v := ValidateSubmit(partial)
	for _, f := range []string{"results", "lessons", "challenges", "next_year"} {
		if v[f] == "" {
			t.Errorf("submit without %s: no message (%v)", f, v)
		}
	}
	if v["activities"] != "" {
		t.Errorf("activities written, yet: %q", v["activities"])
	}
	long := full
	long.Lessons = strings.Repeat("å", MaxNarrative+1)
	if v := ValidateDraft(long); v["lessons"] == "" || len(v) != 1 {
		t.Errorf("too long: %v", v)
	}
	if v := ValidateDraft(postgres.Narrative{Lessons: strings.Repeat("å", MaxNarrative)}); len(v) != 0 {
		t.Errorf("exactly the limit in characters (not bytes): %v", v)
	}
	if v := ValidateComment("  \n"); v["comment"] == "" {
		t.Error("empty comment accepted")
	}
	if v := ValidateComment(strings.Repeat("x", MaxComment+1)); v["comment"] == "" {
		t.Error("too long comment accepted")
	}
	if n := NarrativeOf(map[string]string{"activities": "  Träffar \n", "next_year": "Mer"}); n.Activities != "Träffar" || n.NextYear != "Mer" {
		t.Errorf("NarrativeOf: %+v", n)
	}
}

func TestStateDone(t *testing.T) {
	for st, want := range map[State]bool{NotStarted: false, Draft: false, Submitted: true, Returned: false, Approved: true} {
		if st.Done() != want {
			t.Errorf("%q done: %v", st, st.Done())
		}
		if st.Label() == "" || st.Label() == string(st) && st != NotStarted {
			t.Errorf("%q label %q", st, st.Label())
		}
	}
}

func TestValidateSummary(t *testing.T) {
	if v := ValidateSummary("Portföljen följer plan."); len(v) != 0 {
		t.Errorf("valid summary: %v", v)
	}
	if v := ValidateSummary(" \n "); v["summary"] == "" {
		t.Error("empty summary accepted")
	}
	if v := ValidateSummary(strings.Repeat("ö", MaxNarrative+1)); v["summary"] == "" {
		t.Error("too long summary accepted")
	}
}
