package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// listAgreement is an agreement as the list tests insert it; dates are ISO
// strings, "" for none.
type listAgreement struct {
	title, caseNumber, status     string
	start, end, terminatedOn      string
	extensionMonths, maxExtension int
	noticeMonths                  int
	parties                       []listParty
	extensions                    []string // new end dates, in decision order
}

type listParty struct {
	org  int64
	role partnership.PartyRole
}

func listNullDate(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// insertListAgreement writes an agreement with plain SQL, independent of
// the agreement store, and returns its id.
func insertListAgreement(t *testing.T, db postgres.DBTX, a listAgreement) int64 {
	t.Helper()
	ctx := context.Background()
	var kind *string
	if a.status == "terminated" {
		k := "notice"
		kind = &k
	}
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO agreements (title, case_number, status, start_date, end_date,
			extension_months, max_extensions, notice_months, terminated_on, termination_kind)
		VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9::date, $10) RETURNING id`,
		a.title, a.caseNumber, a.status, listNullDate(a.start), listNullDate(a.end),
		a.extensionMonths, a.maxExtension, a.noticeMonths, listNullDate(a.terminatedOn), kind).Scan(&id)
	if err != nil {
		t.Fatalf("insert agreement %s: %v", a.title, err)
	}
	for i, p := range a.parties {
		if _, err := db.Exec(ctx, `INSERT INTO agreement_parties (agreement_id, organisation_id, role, position)
			VALUES ($1, $2, $3, $4)`, id, p.org, p.role, i); err != nil {
			t.Fatalf("insert party of %s: %v", a.title, err)
		}
	}
	for i, end := range a.extensions {
		if _, err := db.Exec(ctx, `INSERT INTO agreement_extensions (agreement_id, decided_on, decision_ref, new_end_date)
			VALUES ($1, $2::date - 200, $3, $2::date)`, id, end, "AMN § "+string(rune('1'+i))); err != nil {
			t.Fatalf("insert extension of %s: %v", a.title, err)
		}
	}
	return id
}

// listFixture is five agreements between four organisations, seen on
// 2026-03-05.
type listFixture struct {
	db                              *postgres.DB
	list                            *postgres.AgreementList
	kommun, alfa, beta, gamma       int64
	sprak, hopp, tradgard, kvinnor  int64
	laxhjalp                        int64
	officer, alfaStaff, orphanStaff partnership.User
}

var listToday = time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)

func newListFixture(t *testing.T) *listFixture {
	t.Helper()
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	orgs := postgres.NewOrganisations(db.Pool)
	org := func(name string, kind partnership.OrgKind) int64 {
		o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f := &listFixture{db: db, list: postgres.NewAgreementList(db.Pool)}
	f.kommun = org("Storstads kommun", partnership.OrgMunicipality)
	f.alfa = org("Alfaföreningen", partnership.OrgAssociation)
	f.beta = org("Betaföreningen", partnership.OrgAssociation)
	f.gamma = org("Gammamyndigheten", partnership.OrgAuthority)
	mun := listParty{f.kommun, partnership.PartyMunicipality}

	f.sprak = insertListAgreement(t, db.Pool, listAgreement{
		title: "Språkcafé för nyanlända", caseNumber: "AMN 2023/101", status: "active",
		start: "2023-01-01", end: "2024-12-31", noticeMonths: 6,
		parties: []listParty{mun, {f.alfa, partnership.PartyLeadAssociation}},
	})
	f.hopp = insertListAgreement(t, db.Pool, listAgreement{
		title: "Hoppfull framtid", caseNumber: "AMN 2021/55", status: "active",
		start: "2022-01-01", end: "2025-12-31", extensionMonths: 24, maxExtension: 2, noticeMonths: 6,
		parties:    []listParty{mun, {f.beta, partnership.PartyLeadAssociation}},
		extensions: []string{"2027-12-31"},
	})
	f.tradgard = insertListAgreement(t, db.Pool, listAgreement{
		title: "Arbetsträning i trädgården", status: "draft",
		parties: []listParty{{f.beta, partnership.PartyLeadAssociation}},
	})
	f.kvinnor = insertListAgreement(t, db.Pool, listAgreement{
		title: "Kvinnor i arbete", caseNumber: "AMN 2023/300", status: "terminated",
		start: "2024-01-01", end: "2026-12-31", terminatedOn: "2025-06-30",
		parties: []listParty{mun, {f.beta, partnership.PartyLeadAssociation}, {f.gamma, partnership.PartyReferringAuthority}},
	})
	f.laxhjalp = insertListAgreement(t, db.Pool, listAgreement{
		title: "Läxhjälp 50% mer_tid", caseNumber: "AMN 2024/7", status: "active",
		start: "2025-01-01", end: "2026-06-30", extensionMonths: 12, maxExtension: 1, noticeMonths: 3,
		parties: []listParty{mun, {f.alfa, partnership.PartyLeadAssociation}, {f.beta, partnership.PartyPartnerAssociation}},
	})
	f.officer = partnership.User{ID: 1, Role: partnership.RoleOfficer}
	f.alfaStaff = partnership.User{ID: 2, Role: partnership.RoleAssociationStaff, OrganisationID: &f.alfa}
	f.orphanStaff = partnership.User{ID: 3, Role: partnership.RoleAssociationStaff}
	return f
}

// find runs the query as u on listToday unless the query names a day.
func (f *listFixture) find(t *testing.T, u partnership.User, q postgres.AgreementListQuery) postgres.AgreementListPage {
	t.Helper()
	if q.Today.IsZero() {
		q.Today = listToday
	}
	page, err := f.list.Find(context.Background(), u, q)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func listIDs(rows []postgres.AgreementListRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestAgreementListRowsAndComputedColumns(t *testing.T) {
	f := newListFixture(t)
	page := f.find(t, f.officer, postgres.AgreementListQuery{})
	if page.Total != 5 || page.Page != 1 || page.PageSize != postgres.AgreementListPageSize {
		t.Fatalf("total %d page %d size %d", page.Total, page.Page, page.PageSize)
	}
	// Ordered by title in Swedish: å, ä, ö after z.
	if want := []int64{f.tradgard, f.hopp, f.kvinnor, f.laxhjalp, f.sprak}; !slices.Equal(listIDs(page.Rows), want) {
		t.Errorf("order %v, want %v", listIDs(page.Rows), want)
	}
	byID := map[int64]postgres.AgreementListRow{}
	for _, r := range page.Rows {
		byID[r.ID] = r
	}
	hopp := byID[f.hopp]
	if hopp.Status != partnership.StatusActive || hopp.EndDate.Format(time.DateOnly) != "2025-12-31" ||
		hopp.CurrentEnd.Format(time.DateOnly) != "2027-12-31" || hopp.ExtensionCount != 1 ||
		hopp.ExtensionMonths != 24 || hopp.MaxExtensions != 2 || hopp.NoticeMonths != 6 || hopp.CaseNumber != "AMN 2021/55" {
		t.Errorf("extended agreement: %+v", hopp)
	}
	if s := byID[f.sprak].Status; s != partnership.StatusEnded {
		t.Errorf("past its end: %s, want ended", s)
	}
	if s := byID[f.kvinnor].Status; s != partnership.StatusTerminated {
		t.Errorf("terminated: %s", s)
	}
	draft := byID[f.tradgard]
	if draft.Status != partnership.StatusDraft || draft.StartDate != nil || draft.CurrentEnd != nil {
		t.Errorf("draft: %+v", draft)
	}
	want := []postgres.AgreementListParty{
		{Name: "Storstads kommun", Role: partnership.PartyMunicipality},
		{Name: "Betaföreningen", Role: partnership.PartyLeadAssociation},
		{Name: "Gammamyndigheten", Role: partnership.PartyReferringAuthority},
	}
	if got := byID[f.kvinnor].Parties; !slices.Equal(got, want) {
		t.Errorf("parties %v, want %v", got, want)
	}
	// The warnings computed from a row are those of the full agreement:
	// Läxhjälp ends within 6 months with its one extension still to decide;
	// Hoppfull framtid, extended, has time.
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	lax := partnership.Agreement{Status: partnership.StatusActive, StartDate: day("2025-01-01"), EndDate: day("2026-06-30"),
		ExtensionMonths: 12, MaxExtensions: 1, NoticeMonths: 3}
	if got, want := byID[f.laxhjalp].Agreement().Warnings(listToday), lax.Warnings(listToday); len(got) != 2 || !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
	full := partnership.Agreement{Status: partnership.StatusActive, StartDate: day("2022-01-01"), EndDate: day("2025-12-31"),
		ExtensionMonths: 24, MaxExtensions: 2, NoticeMonths: 6, Extensions: []partnership.Extension{{NewEndDate: *day("2027-12-31")}}}
	for _, on := range []time.Time{listToday, *day("2027-04-01"), *day("2027-09-01")} {
		got, want := hopp.Agreement().Warnings(on), full.Warnings(on)
		if !slices.Equal(got, want) {
			t.Errorf("extended agreement on %s: warnings %q, want %q", on.Format(time.DateOnly), got, want)
		}
		if on == listToday && got != nil {
			t.Errorf("extended agreement warns today: %q", got)
		}
	}
}

func TestAgreementListStatusIsComputedFromToday(t *testing.T) {
	f := newListFixture(t)
	for _, tc := range []struct {
		status partnership.AgreementStatus
		today  time.Time
		want   []int64
	}{
		{partnership.StatusEnded, listToday, []int64{f.sprak}},
		// Hoppfull framtid's signed end has passed, but its extension has not.
		{partnership.StatusActive, listToday, []int64{f.hopp, f.laxhjalp}},
		{partnership.StatusDraft, listToday, []int64{f.tradgard}},
		{partnership.StatusTerminated, listToday, []int64{f.kvinnor}},
		// On its last day an agreement is still active, the day after ended.
		{partnership.StatusActive, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), []int64{f.hopp, f.laxhjalp, f.sprak}},
		{partnership.StatusEnded, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), []int64{f.sprak}},
		{partnership.StatusEnded, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), []int64{f.hopp, f.laxhjalp, f.sprak}},
	} {
		page := f.find(t, f.officer, postgres.AgreementListQuery{Status: tc.status, Today: tc.today})
		if !slices.Equal(listIDs(page.Rows), tc.want) || page.Total != len(tc.want) {
			t.Errorf("%s on %s: %v (total %d), want %v", tc.status, tc.today.Format(time.DateOnly), listIDs(page.Rows), page.Total, tc.want)
		}
	}
	if _, err := f.list.Find(context.Background(), f.officer, postgres.AgreementListQuery{Status: "nonsense", Today: listToday}); err == nil {
		t.Error("unknown status accepted")
	}
	if _, err := f.list.Find(context.Background(), f.officer, postgres.AgreementListQuery{}); err == nil {
		t.Error("query without today accepted")
	}
}

func TestAgreementListSearch(t *testing.T) {
	f := newListFixture(t)
	for _, tc := range []struct {
		search string
		want   []int64
	}{
		{"SPRÅKCAFÉ", []int64{f.sprak}},                  // title, case-insensitive beyond ASCII
		{"2021/55", []int64{f.hopp}},                     // case number
		{"gammamyndig", []int64{f.kvinnor}},              // a party's name
		{"alfaföreningen", []int64{f.laxhjalp, f.sprak}}, // a party of two
		{"  trädgård ", []int64{f.tradgard}},             // trimmed
		{"50%", []int64{f.laxhjalp}},                     // LIKE wildcards match literally
		{"%", []int64{f.laxhjalp}},
		{"ull_framtid", nil},
		{"mer_tid", []int64{f.laxhjalp}},
		{"finns inte", nil},
	} {
		page := f.find(t, f.officer, postgres.AgreementListQuery{Search: tc.search})
		if !slices.Equal(listIDs(page.Rows), tc.want) || page.Total != len(tc.want) {
			t.Errorf("search %q: %v (total %d), want %v", tc.search, listIDs(page.Rows), page.Total, tc.want)
		}
	}
}

func TestAgreementListFilters(t *testing.T) {
	f := newListFixture(t)
	for name, tc := range map[string]struct {
		q    postgres.AgreementListQuery
		want []int64
	}{
		"organisation":         {postgres.AgreementListQuery{OrganisationID: f.beta}, []int64{f.tradgard, f.hopp, f.kvinnor, f.laxhjalp}},
		"authority":            {postgres.AgreementListQuery{OrganisationID: f.gamma}, []int64{f.kvinnor}},
		"year 2023":            {postgres.AgreementListQuery{Year: 2023}, []int64{f.hopp, f.sprak}},
		"year by extension":    {postgres.AgreementListQuery{Year: 2027}, []int64{f.hopp}},
		"year until ending":    {postgres.AgreementListQuery{Year: 2025}, []int64{f.hopp, f.kvinnor, f.laxhjalp}},
		"year after ending":    {postgres.AgreementListQuery{Year: 2026}, []int64{f.hopp, f.laxhjalp}},
		"year before any":      {postgres.AgreementListQuery{Year: 2019}, nil},
		"combined":             {postgres.AgreementListQuery{OrganisationID: f.alfa, Year: 2026, Status: partnership.StatusActive}, []int64{f.laxhjalp}},
		"combined with search": {postgres.AgreementListQuery{OrganisationID: f.beta, Search: "amn 2023"}, []int64{f.kvinnor}},
	} {
		page := f.find(t, f.officer, tc.q)
		if !slices.Equal(listIDs(page.Rows), tc.want) || page.Total != len(tc.want) {
			t.Errorf("%s: %v (total %d), want %v", name, listIDs(page.Rows), page.Total, tc.want)
		}
	}
}

func TestAgreementListSort(t *testing.T) {
	f := newListFixture(t)
	for _, tc := range []struct {
		sort postgres.AgreementListSort
		desc bool
		want []int64
	}{
		{postgres.AgreementListByTitle, true, []int64{f.sprak, f.laxhjalp, f.kvinnor, f.hopp, f.tradgard}},
		// Empty case numbers sort first ascending, as the empty string.
		{postgres.AgreementListByCaseNumber, false, []int64{f.tradgard, f.hopp, f.sprak, f.kvinnor, f.laxhjalp}},
		// Undated agreements come last in either direction.
		{postgres.AgreementListByStart, false, []int64{f.hopp, f.sprak, f.kvinnor, f.laxhjalp, f.tradgard}},
		{postgres.AgreementListByStart, true, []int64{f.laxhjalp, f.kvinnor, f.sprak, f.hopp, f.tradgard}},
		{postgres.AgreementListByEnd, false, []int64{f.sprak, f.laxhjalp, f.kvinnor, f.hopp, f.tradgard}},
		{postgres.AgreementListByStatus, false, []int64{f.tradgard, f.hopp, f.laxhjalp, f.sprak, f.kvinnor}},
		{postgres.AgreementListByStatus, true, []int64{f.kvinnor, f.sprak, f.hopp, f.laxhjalp, f.tradgard}},
		// An unknown column falls back to the title.
		{"id; DROP TABLE agreements", false, []int64{f.tradgard, f.hopp, f.kvinnor, f.laxhjalp, f.sprak}},
	} {
		page := f.find(t, f.officer, postgres.AgreementListQuery{Sort: tc.sort, Desc: tc.desc})
		if !slices.Equal(listIDs(page.Rows), tc.want) {
			t.Errorf("sort %s desc=%v: %v, want %v", tc.sort, tc.desc, listIDs(page.Rows), tc.want)
		}
	}
	if postgres.AgreementListSort("id").Valid() || !postgres.AgreementListByEnd.Valid() {
		t.Error("Valid")
	}
}

func TestAgreementListPagination(t *testing.T) {
	f := newListFixture(t)
	all := []int64{f.tradgard, f.hopp, f.kvinnor, f.laxhjalp, f.sprak}
	for _, tc := range []struct {
		page, wantPage int
		want           []int64
	}{
		{0, 1, all[:2]},
		{1, 1, all[:2]},
		{2, 2, all[2:4]},
		{3, 3, all[4:]},
		{9, 3, all[4:]}, // past the end: the last page
	} {
		page := f.find(t, f.officer, postgres.AgreementListQuery{Page: tc.page, PageSize: 2})
		if page.Page != tc.wantPage || page.Total != 5 || !slices.Equal(listIDs(page.Rows), tc.want) {
			t.Errorf("page %d: page %d total %d %v, want page %d %v", tc.page, page.Page, page.Total, listIDs(page.Rows), tc.wantPage, tc.want)
		}
	}
	empty := f.find(t, f.officer, postgres.AgreementListQuery{Search: "finns inte", Page: 4})
	if empty.Page != 1 || empty.Total != 0 || len(empty.Rows) != 0 {
		t.Errorf("no match: %+v", empty)
	}
}

func TestAgreementListTenancy(t *testing.T) {
	f := newListFixture(t)
	ctx := context.Background()
	if got := listIDs(f.find(t, f.alfaStaff, postgres.AgreementListQuery{}).Rows); !slices.Equal(got, []int64{f.laxhjalp, f.sprak}) {
		t.Errorf("Alfa's staff see %v", got)
	}
	// Filters cannot widen the scope.
	for name, q := range map[string]postgres.AgreementListQuery{
		"other organisation": {OrganisationID: f.beta},
		"other party's name": {Search: "gamma"},
	} {
		page := f.find(t, f.alfaStaff, q)
		for _, r := range page.Rows {
			if r.ID != f.laxhjalp && r.ID != f.sprak {
				t.Errorf("%s: Alfa's staff see agreement %d", name, r.ID)
			}
		}
	}
	if page := f.find(t, f.orphanStaff, postgres.AgreementListQuery{}); page.Total != 0 || len(page.Rows) != 0 {
		t.Errorf("staff without organisation see %d", page.Total)
	}
	for _, role := range []partnership.Role{partnership.RoleAdmin, partnership.RoleCoordinator, partnership.RoleViewer} {
		if page := f.find(t, partnership.User{Role: role}, postgres.AgreementListQuery{}); page.Total != 5 {
			t.Errorf("%s sees %d", role, page.Total)
		}
	}
	// The export variant: same filters and scope, no paging.
	all, err := f.list.All(ctx, f.officer, postgres.AgreementListQuery{Today: listToday, PageSize: 1, Sort: postgres.AgreementListByEnd})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{f.sprak, f.laxhjalp, f.kvinnor, f.hopp, f.tradgard}; !slices.Equal(listIDs(all), want) {
		t.Errorf("All: %v, want %v", listIDs(all), want)
	}
	staff, err := f.list.All(ctx, f.alfaStaff, postgres.AgreementListQuery{Today: listToday, Status: partnership.StatusEnded})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(listIDs(staff), []int64{f.sprak}) {
		t.Errorf("All as Alfa's staff, ended: %v", listIDs(staff))
	}
}
