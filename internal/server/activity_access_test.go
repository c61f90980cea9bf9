package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/postgres"
)

func TestActivityEditRules(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Delad", "Linköpings kommun", ikfOrganisation, "Linköpings Stadsmission")
	mine := logStore(t, a, types["Må bra-grupp"], "2026-03-01", orgPtr(t, a, ikfOrganisation))
	theirs := logStore(t, a, types["Må bra-grupp"], "2026-03-02", orgPtr(t, a, "Linköpings Stadsmission"))
	ikf := loggedIn(a, ikfEmail)

	// Another organisation's entry on a shared agreement: listed, but not
	// found for a change.
	if res := ikf.get(logPath(ag.ID)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-id="`+itoa(theirs.ID)+`"`) {
		t.Errorf("list of a shared agreement: %d", res.StatusCode)
	}
	form := logForm(types["Må bra-grupp"], "2026-03-02")
	form.Set("version", "1")
	for _, res := range []response{
		ikf.get(logEntryPath(theirs)), ikf.post(logEntryPath(theirs), form),
		ikf.get(logEntryPath(theirs) + "/delete"), ikf.post(logEntryPath(theirs)+"/delete", nil),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("IKF changing Stadsmissionen's entry: %d, want 404", res.StatusCode)
		}
	}
	// The list offers edit links only for their own entries.
	list := ikf.get(logPath(ag.ID)).Body
	if !strings.Contains(list, `href="`+logEntryPath(mine)+`"`) || strings.Contains(list, `href="`+logEntryPath(theirs)+`"`) {
		t.Error("edit links not limited to the organisation's own entries")
	}
	// Officers change every entry.
	if res := loggedIn(a, officerEmail).post(logEntryPath(theirs), form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("officer edit: %d\n%s", res.StatusCode, res.Body)
	}
	// Viewers and coordinators read, but change nothing.
	for _, email := range []string{viewerEmail, coordinatorEmail} {
		c := loggedIn(a, email)
		if res := c.get(logPath(ag.ID)); res.StatusCode != http.StatusOK || strings.Contains(res.Body, `data-testid="activity-form"`) {
			t.Errorf("%s list: %d or a log form shown", email, res.StatusCode)
		}
		for _, res := range []response{
			c.post(logPath(ag.ID), logForm(types["Må bra-grupp"], "2026-06-15")), c.get(logPath(ag.ID) + "/new"),
			c.post(logEntryPath(mine), form), c.post(logEntryPath(mine)+"/delete", nil),
			c.get(logPath(ag.ID) + "/import"),
		} {
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s writing: %d, want 403", email, res.StatusCode)
			}
		}
	}

	// A locked year: no edit, no delete, no new entry in it.
	ctx := context.Background()
	if err := a.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, ag.ID, 2026, "Årsrapport 2026 godkänd")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	form.Set("version", "1")
	for _, res := range []response{ikf.get(logEntryPath(mine)), ikf.post(logEntryPath(mine), form), ikf.post(logEntryPath(mine)+"/delete", nil)} {
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "År 2026 är låst") {
			t.Errorf("locked year: %d\n%s", res.StatusCode, res.Body)
		}
	}
	res := ikf.post(logPath(ag.ID), logForm(types["Må bra-grupp"], "2026-06-15"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "År 2026 är låst") {
		t.Errorf("log in a locked year: %d", res.StatusCode)
	}
	if strings.Contains(ikf.get(logPath(ag.ID)).Body, `href="`+logEntryPath(mine)+`"`) {
		t.Error("edit link offered in a locked year")
	}
	if res := ikf.post(logPath(ag.ID), logForm(types["Må bra-grupp"], "2025-12-31")); res.StatusCode != http.StatusSeeOther {
		t.Errorf("log in an open year: %d", res.StatusCode)
	}
}

func TestActivityTenancy(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	other, types := logAgreement(t, a, "Stadsmissionens egen", "Linköpings kommun", "Linköpings Stadsmission")
	entry := logStore(t, a, types["Må bra-grupp"], "2026-02-02", orgPtr(t, a, "Linköpings Stadsmission"))
	ikf := loggedIn(a, ikfEmail)
	form := logForm(types["Må bra-grupp"], "2026-06-15")
	form.Set("version", "1")
	for what, res := range map[string]response{
		"read":             ikf.get(logPath(other.ID)),
		"csv":              ikf.get(logPath(other.ID) + ".csv"),
		"xlsx":             ikf.get(logPath(other.ID) + ".xlsx"),
		"new":              ikf.get(logPath(other.ID) + "/new"),
		"like":             ikf.get(logPath(other.ID) + "/new?like=" + itoa(entry.ID)),
		"create":           ikf.post(logPath(other.ID), form),
		"create with htmx": ikf.postHX(logPath(other.ID), form),
		"edit form":        ikf.get(logEntryPath(entry)),
		"edit":             ikf.post(logEntryPath(entry), form),
		"delete form":      ikf.get(logEntryPath(entry) + "/delete"),
		"delete":           ikf.post(logEntryPath(entry)+"/delete", nil),
		"import form":      ikf.get(logPath(other.ID) + "/import"),
		"import template":  ikf.get(logPath(other.ID) + "/import/template.csv"),
		"import":           ikf.postImport(logPath(other.ID)+"/import", "aktiviteter.csv", []byte("Typ;Datum;Timmar\nMå bra-grupp;2026-06-01;1\n")),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("IKF %s on Stadsmissionen's agreement: %d, want 404", what, res.StatusCode)
		}
	}
	if got := logActivities(t, a, other.ID); len(got) != 1 || got[0].Version != 1 {
		t.Errorf("Stadsmissionen's activities changed: %+v", got)
	}
	// An activity id of another agreement is not found through one's own.
	own, _ := logAgreement(t, a, "IKF:s egen", ikfOrganisation)
	if res := ikf.get(logPath(own.ID) + "/" + itoa(entry.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another agreement's entry through IKF's own: %d", res.StatusCode)
	}
	if res := ikf.get(logPath(own.ID) + "/new?like=" + itoa(entry.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("like another agreement's entry: %d", res.StatusCode)
	}
}
