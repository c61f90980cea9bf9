package server_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"iop/internal/demo"
	"iop/internal/partnership"
)

// ikfDemoAgreement is IKF's demo agreement and its activity types by name.
func ikfDemoAgreement(t *testing.T, a *app) (partnership.Agreement, map[string]partnership.ActivityType) {
	t.Helper()
	ag := actAgreement(t, a, progIKFTitle)
	return ag, actTypes(t, a, ag.ID)
}

// swedishToday is today's date in Sweden on the app's clock.
func swedishToday(t *testing.T, a *app) string {
	t.Helper()
	sweden, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return a.clock.Now().In(sweden).Format(time.DateOnly)
}

// progressDone reads the done figure of a type in the progress table.
func (b *browser) progressDone(agreementID int64, typeName string) string {
	b.t.Helper()
	return value(b, "progress of "+typeName, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll("#progress-%d [data-testid=progress-row]")) {
			if (row.querySelector("th").textContent.trim() === %q) {
				return row.querySelector("[data-testid=progress-done]").textContent.trim();
			}
		}
		return "";
	})()`, agreementID, typeName)))
}

func TestBrowserStaffLogsFromStartPageWithoutReload(t *testing.T) {
	a := newApp(t)
	ag, types := ikfDemoAgreement(t, a)
	today := swedishToday(t, a)
	b := newBrowser(t, a)
	b.login(ikfEmail, demo.Password)
	form := fmt.Sprintf("#activity-log-%d", ag.ID)
	rows := fmt.Sprintf("#activity-rows-%d tr", ag.ID)
	if got := value(b, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); got != form[1:]+"-type_id" {
		t.Errorf("the type field has no focus on the start page: %q", got)
	}

	// A marker on window survives only if the page is never reloaded.
	value(b, "mark the window", chromedp.Evaluate[string](`window.iopMarker = "kvar"`))
	b.do("fill in the log form",
		chromedp.SetValue(chromedp.CSS(form+"-type_id"), itoa(types["Må bra-grupp"].ID)),
		chromedp.SetValue(chromedp.CSS(form+"-hours"), "2"),
		chromedp.SetValue(chromedp.CSS(form+"-women"), "11"),
		chromedp.SetValue(chromedp.CSS(form+"-notes"), "Loggad i webbläsaren"))
	b.do("log", chromedp.Click(chromedp.CSS(form+` [data-testid="activity-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="activity-status"]`)))
	want := "Loggade Må bra-grupp " + today + ": 2 timmar, 11 deltagare."
	if got := b.text(`[data-testid="activity-status"]`); got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if got := value(b, "read the marker", chromedp.Evaluate[string](`window.iopMarker || "borta"`)); got != "kvar" {
		t.Fatalf("the page was reloaded: marker %q", got)
	}
	if got := value(b, "location", chromedp.Location()); got != a.srv.URL+"/" {
		t.Errorf("left the start page for %s", got)
	}
	if first := b.text(rows + ":first-child"); !strings.Contains(first, "Loggad i webbläsaren") || !strings.Contains(first, today) {
		t.Errorf("first entry %q", first)
	}
	// The progress now counts the entry in its year.
	year := today[:4]
	if got := b.text(fmt.Sprintf("#progress-%d h3", ag.ID)); !strings.Contains(got, year) {
		t.Errorf("progress heading %q, want the year %s", got, year)
	}
	y, _ := strconv.Atoi(year)
	if got, want := b.progressDone(ag.ID, "Må bra-grupp"), actCount(t, a, ag.ID, "Må bra-grupp", y); got != want || got == "0" {
		t.Errorf("progress shows %q Må bra-grupp, want %s", got, want)
	}
	// The form is reset and the type has the focus again, for the next entry.
	if got := value(b, "hours", chromedp.Value(chromedp.CSS(form+"-hours"))); got != "" {
		t.Errorf("hours not reset: %q", got)
	}
	value(b, "wait for the focus on the type", chromedp.Poll[bool](fmt.Sprintf(
		`document.activeElement && document.activeElement.id === %q`, form[1:]+"-type_id")))
	b.checkAxe()

	// "Log a similar one" fills in the form in place; a second entry follows.
	b.do("log a similar one", chromedp.Click(chromedp.CSS(rows+`:first-child [data-testid="log-similar"]`)))
	value(b, "wait for the filled-in form", chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector(%q).value === "Loggad i webbläsaren"`, form+"-notes")))
	if got := value(b, "hours", chromedp.Value(chromedp.CSS(form+"-hours"))); got != "2" {
		t.Errorf("similar entry's hours %q", got)
	}
	b.checkAxe()
	b.do("log it", chromedp.Click(chromedp.CSS(form+` [data-testid="activity-submit"]`)))
	value(b, "wait for the second entry", chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelectorAll(%q).length === 7`, rows)))
	if got := value(b, "read the marker", chromedp.Evaluate[string](`window.iopMarker || "borta"`)); got != "kvar" {
		t.Fatalf("the page was reloaded: marker %q", got)
	}
	if got, want := b.progressDone(ag.ID, "Må bra-grupp"), actCount(t, a, ag.ID, "Må bra-grupp", y); got != want {
		t.Errorf("progress after the second entry: %q", got)
	}

	// Errors are shown in place, the input kept.
	value(b, "clear the hours", chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value = ""`, form+"-hours")))
	b.do("fill in the place", chromedp.SetValue(chromedp.CSS(form+"-place"), "Parken"))
	b.do("send without hours", chromedp.Click(chromedp.CSS(form+` [data-testid="activity-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(form+` [data-testid="error-summary"]`)))
	if got := value(b, "place", chromedp.Value(chromedp.CSS(form+"-place"))); got != "Parken" {
		t.Errorf("place not kept: %q", got)
	}
	// htmx moves the focus in its settle step, a moment after the swap.
	value(b, "wait for the focus on the error summary", chromedp.Poll[bool](
		`document.activeElement && document.activeElement.getAttribute("data-testid") === "error-summary"`))
	b.checkAxe()
}

// setScripts turns JavaScript in the tab off or on again.
func setScripts(disabled bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
		return err
	})
}

// noScriptAxe runs axe on a page loaded without JavaScript. axe needs
// timers, so scripts are let run while it checks; the page's own scripts
// were skipped when it loaded and do not run afterwards.
func (b *browser) noScriptAxe() {
	b.t.Helper()
	b.do("enable JavaScript for axe", setScripts(false))
	b.checkAxe()
	b.do("disable JavaScript again", setScripts(true))
}

// noScriptVisit opens a path without JavaScript and checks it with axe.
func (b *browser) noScriptVisit(path string) {
	b.t.Helper()
	b.do("visit "+path, chromedp.Navigate(b.app.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
	b.noScriptAxe()
}

// noScriptSubmit clicks a submit button without JavaScript, waits for the
// next page and checks it with axe.
func (b *browser) noScriptSubmit(button string) {
	b.t.Helper()
	value(b, "mark the page", chromedp.Evaluate[string](`document.documentElement.dataset.old = "1"`))
	b.do("click "+button, chromedp.Click(chromedp.CSS(button)))
	b.do("wait for the next page", chromedp.WaitNotPresent(chromedp.CSS(`html[data-old]`)),
		chromedp.WaitReady(chromedp.CSS("main")))
	b.noScriptAxe()
}

func TestBrowserStaffLogsFromStartPageWithoutJavaScript(t *testing.T) {
	a := newApp(t)
	ag, types := ikfDemoAgreement(t, a)
	today := swedishToday(t, a)
	b := newBrowser(t, a)
	b.do("disable JavaScript", setScripts(true))
	b.noScriptVisit("/login")
	b.do("fill in the login form",
		chromedp.SetValue(chromedp.CSS("#email"), ikfEmail),
		chromedp.SetValue(chromedp.CSS("#password"), demo.Password))
	b.noScriptSubmit(`main form button[type="submit"]`)
	if got := value(b, "htmx", chromedp.Evaluate[string](`typeof window.htmx`)); got != "undefined" {
		t.Fatalf("htmx ran: %q", got)
	}
	form := fmt.Sprintf("#activity-log-%d", ag.ID)

	// A mistake first: the form comes back on a page of its own, 422,
	// with the input; fixed, it goes back to the start page.
	b.do("fill in without hours",
		chromedp.SetValue(chromedp.CSS(form+"-type_id"), itoa(types["Promenad/utflykt"].ID)),
		chromedp.SetValue(chromedp.CSS(form+"-men"), "2"),
		chromedp.SetValue(chromedp.CSS(form+"-notes"), "Utan JavaScript"))
	b.noScriptSubmit(form + ` [data-testid="activity-submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Timmar") {
		t.Errorf("error summary %q", got)
	}
	if got := value(b, "notes", chromedp.Value(chromedp.CSS(form+"-notes"))); got != "Utan JavaScript" {
		t.Errorf("notes not kept: %q", got)
	}
	b.do("fix", chromedp.SetValue(chromedp.CSS(form+"-hours"), "1,75"))
	b.noScriptSubmit(form + ` [data-testid="activity-submit"]`)

	if got := value(b, "location", chromedp.Location()); got != a.srv.URL+"/" {
		t.Fatalf("after logging at %s, not the start page", got)
	}
	want := "Loggade Promenad/utflykt " + today + ": 1,75 timmar, 2 deltagare."
	if got := b.text(`[data-testid="flash"]`); got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	first := b.text(fmt.Sprintf("#activity-rows-%d tr:first-child", ag.ID))
	if !strings.Contains(first, "Utan JavaScript") || !strings.Contains(first, "1,75") {
		t.Errorf("first entry %q", first)
	}
	b.noScriptVisit(fmt.Sprintf("/agreements/%d/activities", ag.ID))
	if got := b.text(`[data-testid="total-occasions"]`); got == "" || got == "0" {
		t.Errorf("this year's list shows %q occasions", got)
	}
}
