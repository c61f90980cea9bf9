package report_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
	"iop/internal/report"
)

// demoData is the demo data set, loaded once into a template each test
// clones.
var demoData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		return err
	}
	return demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), keys)
})

const (
	ikfTitle = "Inkludering på lika villkor"
	smTitle  = "Hoppfull framtid"
)

func agreementID(t *testing.T, db *postgres.DB, title string) int64 {
	t.Helper()
	a, err := postgres.NewAgreements(db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

var officer = partnership.Actor{UserID: 1, Role: partnership.RoleOfficer, Via: "web"}

func actorOf(t *testing.T, db *postgres.DB, email string) partnership.Actor {
	t.Helper()
	u, err := postgres.NewUsers(db.Pool).ByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return partnership.ActorOf(u, "")
}

// cellText finds the cell of table tableID in row rowLabel (its first
// cell) and column col, as shown.
func cellText(t *testing.T, r report.Report, tableID, rowLabel, col string) string {
	t.Helper()
	for _, s := range r.Sections {
		for _, tb := range s.Tables {
			if tb.ID != tableID {
				continue
			}
			j := slices.Index(tb.Columns, col)
			if j < 0 {
				t.Fatalf("table %s has no column %q: %q", tableID, col, tb.Columns)
			}
			for _, row := range tb.Rows {
				if row[0].Text == rowLabel {
					return row[j].Display()
				}
			}
			t.Fatalf("table %s has no row %q", tableID, rowLabel)
		}
	}
	t.Fatalf("no table %s", tableID)
	return ""
}

func section(t *testing.T, r report.Report, id string) report.Section {
	t.Helper()
	for _, s := range r.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %s", id)
	return report.Section{}
}

type want struct{ table, row, col, text string }

const nb = "\u00a0"

// TestAgreementFiguresOfTheDemo checks the demo agreements' figures
// against what the demo and the seeds define: IKF's 2024 (two intakes of
// 34 and 40 referrals, every twelfth declined, the last two awaiting the
// interview; 450 000 kr from each party in 2023, indexed by 2 %; two
// dialogue meetings of two required) and Stadsmissionen's 2019 (62
// referrals, every tenth declined, one awaiting; 1 100 000 kr and
// 980 500 kr in 2018, indexed by 2 %; one steering-group meeting and no
// dialogue meeting of one required).
func TestAgreementFiguresOfTheDemo(t *testing.T) {
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	cases := []struct {
		title string
		year  int
		want  []want
	}{
		{ikfTitle, 2024, []want{
			{"aktiviteter-mal", "Må bra-grupp", "Mål, lägst", "52"},
			{"aktiviteter-mal", "Må bra-grupp", "Genomfört", "49"},
			{"aktiviteter-mal", "Må bra-grupp", "Andel av målet", "94,2" + nb + "%"}, // 49 / 52
			{"aktiviteter-mal", "Promenad/utflykt", "Genomfört", "22"},
			{"aktiviteter-mal", "Promenad/utflykt", "Mål, lägst", "–"},
			{"aktiviteter-mal", "Gruppsamtal", "Genomfört", "30"},
			{"aktiviteter-mal", "Individuellt motiverande samtal", "Mål, lägst", "1" + nb + "200"},
			{"intag", "Anvisade 2024", "Anvisade totalt", "74"},
			{"intag", "Anvisade 2024", "Inskrivna", "66"},
			{"intag", "Anvisade 2024", "Väntar på beslut", "2"},
			{"deltagare-new", "Totalt", "Totalt", "66"},
			{"deltagare-active", "Totalt", "Totalt", "66"},
			{"deltagare-new", "Totalt", "Män", "0"},
			{"esf-kon", "Totalt", "Deltagare", "66"},
			{"budget-parter", "Linköpings kommun", "Kontant", "459" + nb + "000" + nb + "kr"},
			{"budget-parter", "Internationella Kvinnoföreningen Linköping (IKF)", "Naturainsats (värderad)", "459" + nb + "000" + nb + "kr"},
			{"budget-parter", "Totalt", "Totalt", "918" + nb + "000" + nb + "kr"},
			{"fakturor", "Förväntat (kommunens kontanta del)", "Belopp", "459" + nb + "000" + nb + "kr"},
			{"fakturor", "Mottagna", "Antal", "0"},
			{"moten", "Dialogmöte", "Hållna", "2"},
			{"moten", "Dialogmöte", "Krav per år", "2"},
			{"moten", "Styrgruppsmöte", "Hållna", "0"},
		}},
		{smTitle, 2019, []want{
			{"aktiviteter-mal", "Jobbsökaraktivitet", "Mål, lägst", "46"},
			{"aktiviteter-mal", "Jobbsökaraktivitet", "Genomfört", "44"},
			{"aktiviteter-mal", "Workshop", "Genomfört", "7"},
			{"aktiviteter-mal", "Workshop", "Andel av målet", "70" + nb + "%"},
			{"aktiviteter-mal", "Yrkescoachning", "Mål, lägst", "1" + nb + "840"},
			{"intag", "Anvisade 2019", "Anvisade totalt", "62"},
			{"intag", "Anvisade 2019", "Inskrivna", "55"},
			{"intag", "Anvisade 2019", "Väntar på beslut", "1"},
			{"deltagare-active", "Totalt", "Totalt", "55"},
			{"budget-parter", "Linköpings kommun", "Kontant", "1" + nb + "122" + nb + "000" + nb + "kr"},
			{"budget-parter", "Linköpings Stadsmission", "Totalt", "1" + nb + "000" + nb + "110" + nb + "kr"},
			{"fakturor", "Förväntat (kommunens kontanta del)", "Belopp", "1" + nb + "122" + nb + "000" + nb + "kr"},
			{"moten", "Dialogmöte", "Hållna", "0"},
			{"moten", "Dialogmöte", "Krav per år", "1"},
			{"moten", "Styrgruppsmöte", "Hållna", "1"},
		}},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			id := agreementID(t, db, c.title)
			r, err := svc.Agreement(context.Background(), officer, id, c.year)
			if err != nil {
				t.Fatal(err)
			}
			if r.Agreement == nil || r.Agreement.ID != id || r.Agreement.Title != c.title || r.Disclosed {
				t.Fatalf("agreement %+v, disclosed %v", r.Agreement, r.Disclosed)
			}
			for _, w := range c.want {
				if got := cellText(t, r, w.table, w.row, w.col); got != w.text {
					t.Errorf("%s / %s / %s = %q, want %q", w.table, w.row, w.col, got, w.text)
				}
			}
			independentCounts(t, db, id, c.year, r)
		})
	}
}

// independentCounts recounts the participant figures of the report from
// the register's rows in Go, by the definitions (new: enrolled in the
// year; active: enrolled before its end and not exited before its start;
// exited in it), and compares them with the report's.
func independentCounts(t *testing.T, db *postgres.DB, id int64, year int, r report.Report) {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT gender, birth_year, enrolled_on, exited_on, exit_destination
		FROM participants WHERE agreement_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	y0, y1 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	var newW, newM, active, exited, work, studies, under30 int64
	for rows.Next() {
		var gender string
		var birth int
		var enrolled, exitedOn *time.Time
		var dest *string
		if err := rows.Scan(&gender, &birth, &enrolled, &exitedOn, &dest); err != nil {
			t.Fatal(err)
		}
		if enrolled == nil || !enrolled.Before(y1) || (exitedOn != nil && exitedOn.Before(y0)) {
			continue
		}
		active++
		if !enrolled.Before(y0) {
			switch gender {
			case "woman":
				newW++
			case "man":
				newM++
			}
			if year-birth < 30 {
				under30++
			}
		}
		if exitedOn != nil && !exitedOn.Before(y0) && exitedOn.Before(y1) {
			exited++
			switch *dest {
			case "work":
				work++
			case "studies":
				studies++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	n := func(v int64) string { return report.Group(v) }
	for _, w := range []want{
		{"deltagare-active", "Totalt", "Totalt", n(active)},
		{"deltagare-new", "Totalt", "Kvinnor", n(newW)},
		{"deltagare-new", "Totalt", "Män", n(newM)},
		{"deltagare-exited", "Totalt", "Totalt", n(exited)},
		{"avslut", "Arbete", "Totalt", n(work)},
		{"avslut", "Studier", "Totalt", n(studies)},
		{"esf-alder", "Under 30 år", "Deltagare", n(under30)},
		{"kolada-arbete-studier", fmt.Sprintf("Avslut %d", year), "Till arbete eller studier", n(work + studies)},
		{"kolada-arbete-studier", fmt.Sprintf("Avslut %d", year), "Avslutade", n(exited)},
	} {
		if got := cellText(t, r, w.table, w.row, w.col); got != w.text {
			t.Errorf("%s / %s / %s = %q, recounted %q", w.table, w.row, w.col, got, w.text)
		}
	}
}

// TestPortfolioOfTheDemo: the 2019 portfolio holds Stadsmissionen's
// agreement only (IKF's starts 2023, KISAM's is a draft), with a totals
// row, and lists what needs attention: the dialogue meeting not held and
// the workshops behind target (7 of 10).
func TestPortfolioOfTheDemo(t *testing.T) {
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	r, err := svc.Portfolio(context.Background(), officer, 2019)
	if err != nil {
		t.Fatal(err)
	}
	if r.Agreement != nil || r.Year != 2019 {
		t.Fatalf("portfolio %+v", r)
	}
	for _, w := range []want{
		{"intag", smTitle, "Anvisade totalt", "62"},
		{"intag", "Totalt", "Anvisade totalt", "62"},
		{"budget-parter", "Totalt", "Kommunen, kontant", "1" + nb + "122" + nb + "000" + nb + "kr"},
		{"moten", smTitle, "Dialogmöten, krav", "1"},
		{"aktiviteter-mal", smTitle, "Typer med mål", "5"},
	} {
		if got := cellText(t, r, w.table, w.row, w.col); got != w.text {
			t.Errorf("%s / %s / %s = %q, want %q", w.table, w.row, w.col, got, w.text)
		}
	}
	att := section(t, r, "uppmarksamhet").Tables[0]
	var lines []string
	for _, row := range att.Rows {
		lines = append(lines, row[0].Text+": "+row[1].Text+": "+row[2].Text)
	}
	for _, w := range []string{
		smTitle + ": Möten saknas: 0 av 1 dialogmöten hållna (0 planerade)",
		smTitle + ": Efter målet: Workshop: 7 av 10 tillfällen (mål för året 10)",
	} {
		if !slices.Contains(lines, w) {
			t.Errorf("attention lacks %q: %q", w, lines)
		}
	}
	r24, err := svc.Portfolio(context.Background(), officer, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if got := cellText(t, r24, "intag", ikfTitle, "Anvisade totalt"); got != "74" {
		t.Errorf("2024 portfolio: IKF referred %q, want 74", got)
	}
	for _, s := range r24.Sections {
		for _, tb := range s.Tables {
			for _, row := range tb.Rows {
				if row[0].Text == smTitle {
					t.Errorf("2024 portfolio lists Stadsmissionen (ended 2019) in %s", tb.ID)
				}
			}
		}
	}
}

// TestReportNotRecorded: KISAM's draft has activities but no participants:
// the participant sections say "not recorded" instead of showing zeros;
// an empty year of a portfolio has no agreements.
func TestReportNotRecorded(t *testing.T) {
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	r, err := svc.Agreement(context.Background(), officer, agreementID(t, db, "Förstegsinsats med KISAM-Världens mammor"), 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"deltagare", "intag", "avslut", "stegforflyttning", "uppfoljning", "indikatorer"} {
		if !section(t, r, id).NotRecorded {
			t.Errorf("section %s is not marked not recorded", id)
		}
	}
	if section(t, r, "aktiviteter").NotRecorded {
		t.Error("KISAM's activities are marked not recorded")
	}
	p, err := svc.Portfolio(context.Background(), officer, 2010)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sections) != 1 || !p.Sections[0].NotRecorded {
		t.Errorf("the 2010 portfolio: %+v", p.Sections)
	}
}

// TestReportAccess: staff read their own agreement's report only, the
// coordinator none, and the portfolio is for the municipality's roles and
// the viewer.
func TestReportAccess(t *testing.T) {
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	ctx := context.Background()
	ikf, sm := agreementID(t, db, ikfTitle), agreementID(t, db, smTitle)
	ikfStaff := actorOf(t, db, "ikf@iop.example")
	if _, err := svc.Agreement(ctx, ikfStaff, ikf, 2024); err != nil {
		t.Errorf("IKF staff on IKF: %v", err)
	}
	if _, err := svc.Agreement(ctx, ikfStaff, sm, 2019); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("IKF staff on Stadsmissionen: %v, want not found", err)
	}
	if _, err := svc.Agreement(ctx, actorOf(t, db, "koordinator@iop.example"), ikf, 2024); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("coordinator: %v, want forbidden", err)
	}
	if _, err := svc.Agreement(ctx, actorOf(t, db, "lasare@iop.example"), sm, 2019); err != nil {
		t.Errorf("viewer: %v", err)
	}
	if _, err := svc.Portfolio(ctx, ikfStaff, 2024); !errors.Is(err, partnership.ErrForbidden) {
		t.Errorf("staff portfolio: %v, want forbidden", err)
	}
	if _, err := svc.Portfolio(ctx, actorOf(t, db, "lasare@iop.example"), 2024); err != nil {
		t.Errorf("viewer portfolio: %v", err)
	}
	if _, err := svc.Agreement(ctx, officer, 1<<40, 2024); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("missing agreement: %v", err)
	}
}

// TestDisclosedDemoReports: the demo reports, disclosed, release no group
// of 1–4 people and every suppressed cell shows "<5" or ".".
func TestDisclosedDemoReports(t *testing.T) {
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	ctx := context.Background()
	var reports []report.Report
	for _, c := range []struct {
		title string
		year  int
	}{{ikfTitle, 2024}, {smTitle, 2019}} {
		r, err := svc.Agreement(ctx, officer, agreementID(t, db, c.title), c.year)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	p, err := svc.Portfolio(ctx, officer, 2019)
	if err != nil {
		t.Fatal(err)
	}
	reports = append(reports, p)
	for _, r := range reports {
		d := r.Disclose()
		if !d.Disclosed || !d.HasSuppressed() {
			t.Fatalf("disclosed %v, suppressed anything %v", d.Disclosed, d.HasSuppressed())
		}
		for _, s := range d.Sections {
			for _, tb := range s.Tables {
				for _, row := range tb.Rows {
					for _, c := range row {
						if c.Kind == report.People && !c.Suppressed && c.Value >= 1 && c.Value <= 4 {
							t.Errorf("%s: released a group of %d", tb.ID, c.Value)
						}
						if c.Suppressed && c.Display() != "<5" && c.Display() != "." {
							t.Errorf("%s: suppressed cell shown %q", tb.ID, c.Display())
						}
					}
				}
			}
		}
	}
	// Stadsmissionen's 3 women who exited in 2019 are hidden.
	d := reports[1].Disclose()
	if got := cellText(t, d, "deltagare-exited", "Totalt", "Kvinnor"); got != "<5" {
		t.Errorf("exited women = %q, want <5", got)
	}
}

// TestBudgetFromTheIndexation: once the indexation has materialised 2024,
// the budget is read from the year's amounts (no estimate note) and the
// figures are the same as the rules gave.
func TestBudgetFromTheIndexation(t *testing.T) {
	db := demoData.New(t)
	ctx := context.Background()
	if _, err := indexation.NewService(db).Run(ctx, 2024, partnership.SystemActor("cli")); err != nil {
		t.Fatal(err)
	}
	r, err := report.NewService(db, time.Now).Agreement(ctx, officer, agreementID(t, db, ikfTitle), 2024)
	if err != nil {
		t.Fatal(err)
	}
	if got := cellText(t, r, "budget-parter", "Totalt", "Totalt"); got != "918"+nb+"000"+nb+"kr" {
		t.Errorf("total %q", got)
	}
	for _, tb := range section(t, r, "budget").Tables {
		if tb.ID == "budget-parter" && tb.Note != "" {
			t.Errorf("note %q on a materialised year", tb.Note)
		}
	}
}

// TestPortfolioRowNotRecorded: an agreement of the portfolio without
// participants shows "–" in the participant tables, not zeros, and the
// totals are those of the others.
func TestPortfolioRowNotRecorded(t *testing.T) {
	db := demoData.New(t)
	ctx := context.Background()
	const kisam = "Förstegsinsats med KISAM-Världens mammor"
	if _, err := db.Pool.Exec(ctx, `UPDATE agreements SET status = 'active', start_date = '2024-01-01', end_date = '2024-12-31'
		WHERE id = $1`, agreementID(t, db, kisam)); err != nil {
		t.Fatal(err)
	}
	r, err := report.NewService(db, time.Now).Portfolio(ctx, officer, 2024)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []want{
		{"intag", kisam, "Anvisade totalt", "–"},
		{"deltagare-active-kon", kisam, "Totalt", "–"},
		{"intag", "Totalt", "Anvisade totalt", "74"},
		{"intag", ikfTitle, "Anvisade totalt", "74"},
		{"moten", kisam, "Dialogmöten, krav", "1"},
	} {
		if got := cellText(t, r, w.table, w.row, w.col); got != w.text {
			t.Errorf("%s / %s / %s = %q, want %q", w.table, w.row, w.col, got, w.text)
		}
	}
}
