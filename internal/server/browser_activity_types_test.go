package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

func TestBrowserOfficerAddsActivityTypeAndTarget(t *testing.T) {
	a := newApp(t)
	agSetToday(a, "2026-03-05")
	ag := agStore(t, a, "Läxhjälp för mammor", ikfOrganisation)
	list := agPath(ag.ID) + "/activity-types"

	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")
	b.visit(agPath(ag.ID))
	if got := b.text(`[data-testid="progress-empty"]`); !strings.Contains(got, "inga aktivitetstyper") {
		t.Errorf("empty progress says %q", got)
	}
	b.submit(`[data-testid="activity-types-link"]`)
	b.submit(`[data-testid="new-activity-type"]`)

	// Sent empty, the form explains itself.
	b.submit(`[data-testid="activity-type-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Ange ett namn på aktivitetstypen.") {
		t.Errorf("error summary %q", got)
	}
	b.do("fill in the type",
		chromedp.SetValue(chromedp.CSS("#name"), "Läxhjälp"),
		chromedp.Click(chromedp.CSS("#unit-occasions")),
		chromedp.SetValue(chromedp.CSS("#per_participant_min"), "2"),
		chromedp.SetValue(chromedp.CSS("#per_participant_max"), "3"))
	b.submit(`[data-testid="activity-type-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Aktivitetstypen Läxhjälp skapades.") {
		t.Errorf("flash %q", got)
	}
	typ, ok := actTypes(t, a, ag.ID)["Läxhjälp"]
	if !ok {
		t.Fatal("type not stored")
	}
	target := "#target-" + itoa(typ.ID)

	// A target the wrong way round, then right.
	b.do("enter a reversed target", chromedp.SetValue(chromedp.CSS(target), "60-40"))
	b.submit(`[data-testid="target-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "I ett intervall kommer det lägsta värdet först") {
		t.Errorf("target error summary %q", got)
	}
	if got := value(b, "read the target", chromedp.Value(chromedp.CSS(target))); got != "60-40" {
		t.Errorf("target not kept: %q", got)
	}
	b.do("enter the target", chromedp.SetValue(chromedp.CSS(target), "40–60"))
	b.submit(`[data-testid="target-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Målet för Läxhjälp 2026 är nu 40–60." {
		t.Errorf("flash %q", got)
	}
	if got := b.texts(`[data-testid="activity-type"] td`); len(got) < 3 || got[2] != "40–60" {
		t.Errorf("type row %q", got)
	}

	// Fifteen sessions by March 5th: ahead of the 6–11 expected by then.
	for day := 1; day <= 15; day++ {
		if _, err := postgres.NewActivities(a.db.Pool).Create(context.Background(), partnership.Activity{
			AgreementID: ag.ID, TypeID: typ.ID, Date: time.Date(2026, 2, 10+day, 0, 0, 0, 0, time.UTC),
			DurationMinutes: 60, Women: 3,
		}); err != nil {
			t.Fatal(err)
		}
	}
	b.visit(agPath(ag.ID))
	section := `#progress-` + itoa(ag.ID)
	if got := value(b, "read the chart's role", chromedp.Evaluate[string](
		`document.querySelector("`+section+` svg").getAttribute("role")`)); got != "img" {
		t.Errorf("chart role %q", got)
	}
	if got := b.text(section + ` [data-testid="progress-row"]`); !strings.Contains(got, "Läxhjälp") || !strings.Contains(got, "Före plan") {
		t.Errorf("progress row %q", got)
	}
	if got := b.texts(section + ` [data-testid="progress-done"]`); len(got) != 1 || got[0] != "15" {
		t.Errorf("done %q", got)
	}

	// With activities the type cannot be deleted; the page offers to deactivate it.
	b.visit(list + "/" + itoa(typ.ID))
	b.submit(`[data-testid="activity-type-form"] a.button.danger`)
	b.submit(`[data-testid="deactivate"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Aktivitetstypen Läxhjälp är avaktiverad." {
		t.Errorf("flash %q", got)
	}
}
