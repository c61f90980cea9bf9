package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// insertParticipant adds a participant with the given dates ("" for none)
// by SQL, for the report's boundary cases.
func insertParticipant(t *testing.T, db postgres.DBTX, agreement int64, code, gender string, birth int,
	referred, enrolled, declined, reason, exited, dest string) {
	t.Helper()
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	_, err := db.Exec(context.Background(), `INSERT INTO participants (agreement_id, code, gender, birth_year, birth_region,
		education, labour_status, income_source, referred_on, referral_source, enrolled_on, declined_on, decline_reason,
		exited_on, exit_destination)
		VALUES ($1, $2, $3, $4, 'asia', 'isced_5', 'studying', 'none', $5, 'self', $6, $7, $8, $9, $10)`,
		agreement, code, gender, birth, referred, null(enrolled), null(declined), null(reason), null(exited), null(dest))
	if err != nil {
		t.Fatal(err)
	}
}

// TestReportAggregatesAtTheYearsEdges: who counts as new, active and
// exited in 2024, by gender and age band (2024 minus the birth year:
// 29 is under 30, 55 is over 54); the intake funnel of the year's
// referrals; the ESF+ indicators of those who entered.
func TestReportAggregatesAtTheYearsEdges(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	a := insertAgreement(t, db.Pool, "IKF")
	insertParticipant(t, db.Pool, a, "IKF-2023-001", "woman", 1995, "2023-11-01", "2023-12-31", "", "", "2024-01-01", "work") // active, exited
	insertParticipant(t, db.Pool, a, "IKF-2023-002", "woman", 1969, "2023-11-01", "2023-12-01", "", "", "2023-12-31", "work") // not in 2024
	insertParticipant(t, db.Pool, a, "IKF-2024-001", "man", 1969, "2024-01-01", "2024-01-01", "", "", "", "")                 // new, 55
	insertParticipant(t, db.Pool, a, "IKF-2024-002", "woman", 1980, "2024-12-30", "2024-12-31", "", "", "2024-12-31", "studies")
	insertParticipant(t, db.Pool, a, "IKF-2024-003", "woman", 1980, "2024-03-01", "", "2024-03-05", "no_show", "", "")
	insertParticipant(t, db.Pool, a, "IKF-2024-004", "woman", 1980, "2024-03-01", "", "2024-03-05", "association_after_interview", "", "")
	insertParticipant(t, db.Pool, a, "IKF-2024-005", "not_stated", 1980, "2024-12-31", "", "", "", "", "")
	insertParticipant(t, db.Pool, a, "IKF-2025-001", "woman", 1980, "2025-01-01", "2025-01-01", "", "", "", "")
	st := postgres.NewReports(db.Pool)
	ids := []int64{a}

	people, err := st.ReportParticipants(ctx, ids, 2024)
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string][3]int64{}
	for _, r := range people {
		got[[2]string{r.Gender, r.Band}] = [3]int64{r.New, r.Active, r.Exited}
	}
	want := map[[2]string][3]int64{
		{"woman", "u30"}:   {0, 1, 1}, // born 1995: 29 in 2024
		{"man", "o54"}:     {1, 1, 0}, // born 1969: 55
		{"woman", "30_54"}: {1, 1, 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("participants %v, want %v", got, want)
	}

	funnel, err := st.ReportFunnel(ctx, ids, 2024)
	if err != nil || len(funnel) != 1 {
		t.Fatalf("funnel %+v %v", funnel, err)
	}
	f := funnel[0]
	if f.Referred != 5 || f.Enrolled != 2 || f.Came != 3 || f.Pending != 1 ||
		!reflect.DeepEqual(f.Declined, map[string]int64{"no_show": 1, "association_after_interview": 1}) {
		t.Errorf("funnel %+v", f)
	}

	exits, err := st.ReportExits(ctx, ids, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(exits) != 2 {
		t.Errorf("exits %+v", exits)
	}

	ind, err := st.ReportIndicators(ctx, ids, 2024)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int64{}
	for _, r := range ind {
		count[r.Key+"/"+r.Sub] += r.N
	}
	wantInd := map[string]int64{"gender/man": 1, "gender/woman": 1, "age/o54": 1, "age/30_54": 1,
		"labour/studying": 2, "education/isced_5": 2}
	if !reflect.DeepEqual(count, wantInd) {
		t.Errorf("indicators %v, want %v", count, wantInd)
	}
	rec, err := st.ReportRecordedFor(ctx, ids)
	if err != nil || !rec[a].Participants || rec[a].ActivityTypes || rec[a].FollowUps {
		t.Errorf("recorded %+v %v", rec[a], err)
	}
}

// TestReportMeetingsInvoicesAndAgreements: meetings held up to today and
// planned after; invoices by status; the portfolio's agreements are the
// ones that are not drafts and whose period touches the year.
func TestReportMeetingsInvoicesAndAgreements(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	a := insertAgreement(t, db.Pool, "Aktiv")
	draft := insertAgreement(t, db.Pool, "Utkast")
	old := insertAgreement(t, db.Pool, "Gammal")
	for _, q := range []string{
		`UPDATE agreements SET status = 'active', start_date = '2024-03-01', end_date = '2025-12-31' WHERE id = $1`,
		`UPDATE agreements SET start_date = '2024-01-01', end_date = '2024-12-31' WHERE id = $1 + 1`,
		`UPDATE agreements SET status = 'active', start_date = '2020-01-01', end_date = '2023-12-31' WHERE id = $1 + 2`,
		`INSERT INTO meetings (agreement_id, kind, held_on) VALUES ($1, 'dialogue', '2024-02-01'), ($1, 'dialogue', '2024-06-10'),
			($1, 'dialogue', '2024-06-11'), ($1, 'steering_group', '2023-12-31')`,
		`INSERT INTO invoices (agreement_id, number, invoice_date, year, period, amount, status) VALUES
			($1, '1', '2024-02-01', 2024, 1, 10000, 'received'), ($1, '2', '2024-03-01', 2024, 2, 20000, 'approved'),
			($1, '3', '2024-04-01', 2024, 3, 40000, 'paid'), ($1, '4', '2025-01-01', 2025, 1, 80000, 'paid')`,
	} {
		if _, err := db.Pool.Exec(ctx, q, a); err != nil {
			t.Fatal(err)
		}
	}
	if draft != a+1 || old != a+2 {
		t.Fatalf("ids %d %d %d", a, draft, old)
	}
	st := postgres.NewReports(db.Pool)
	meetings, err := st.ReportMeetings(ctx, []int64{a}, 2024, time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC))
	want := []postgres.ReportMeetingRow{{AgreementID: a, Kind: "dialogue", Held: 2, Planned: 1}}
	if err != nil || !reflect.DeepEqual(meetings, want) {
		t.Errorf("meetings %+v %v", meetings, err)
	}
	inv, err := st.ReportInvoices(ctx, []int64{a}, 2024)
	wantInv := []postgres.ReportInvoiceRow{{AgreementID: a, Received: 3, ReceivedAmount: 70000, Approved: 2,
		ApprovedAmount: 60000, Paid: 1, PaidAmount: 40000}}
	if err != nil || !reflect.DeepEqual(inv, wantInv) {
		t.Errorf("invoices %+v %v", inv, err)
	}
	ids, err := st.ReportAgreementIDs(ctx, 2024, nil)
	if err != nil || !reflect.DeepEqual(ids, []int64{a}) {
		t.Errorf("2024 agreements %v %v", ids, err)
	}
	if ids, _ := st.ReportAgreementIDs(ctx, 2023, nil); !reflect.DeepEqual(ids, []int64{old}) {
		t.Errorf("2023 agreements %v", ids)
	}
}
