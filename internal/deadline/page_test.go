package deadline_test

import (
	"context"
	"reflect"
	"testing"

	"iop/internal/deadline"
	"iop/internal/partnership"
)

// TestPagesAreWindowsOfTheAgenda: whatever the page size and filter, the
// pages put end to end are the agenda's deadlines that pass the filter, in
// the agenda's order, and Total and Overdue count all of them.
func TestPagesAreWindowsOfTheAgenda(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	today := w.svc.Today()
	for _, u := range []partnership.User{w.officer, w.staff} {
		all, err := w.svc.For(ctx, u, today)
		if err != nil {
			t.Fatal(err)
		}
		filters := []deadline.Filter{{}, {Until: today}, {Until: today.AddDate(0, 0, 28)}, {AgreementID: w.other}}
		for _, k := range partnership.DeadlineKinds {
			filters = append(filters, deadline.Filter{Kind: k})
		}
		for _, f := range filters {
			var want []partnership.Deadline
			overdue := 0
			for _, d := range all.Deadlines {
				if f.Keep(d) {
					want = append(want, d)
					if d.Overdue(today) {
						overdue++
					}
				}
			}
			for _, size := range []int{1, 3, 50} {
				var got []partnership.Deadline
				for offset := 0; offset < len(want) || offset == 0; offset += size {
					p, err := w.svc.Page(ctx, u, today, f, offset, size)
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != len(want) || p.Overdue != overdue || p.Offset != offset && len(want) > 0 {
						t.Fatalf("%s %+v size %d offset %d: total %d overdue %d offset %d, want %d %d %d",
							u.Email, f, size, offset, p.Total, p.Overdue, p.Offset, len(want), overdue, offset)
					}
					if !reflect.DeepEqual(p.Agreements, all.Agreements) {
						t.Errorf("%s %+v: agreements %v, want %v", u.Email, f, p.Agreements, all.Agreements)
					}
					got = append(got, p.Deadlines...)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %+v size %d:\n got %v\nwant %v", u.Email, f, size, got, want)
				}
			}
		}
	}
}

// TestPagePastTheEndIsTheLastPage: a stale link to a page that no longer
// exists shows the last one.
func TestPagePastTheEndIsTheLastPage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	today := w.svc.Today()
	first, err := w.svc.Page(ctx, w.officer, today, deadline.Filter{}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if first.Total < 3 {
		t.Fatalf("%d deadlines: the test shows nothing", first.Total)
	}
	p, err := w.svc.Page(ctx, w.officer, today, deadline.Filter{}, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := (first.Total - 1) / 2 * 2; p.Offset != want || len(p.Deadlines) != first.Total-want {
		t.Errorf("offset %d with %d deadlines, want %d with %d", p.Offset, len(p.Deadlines), want, first.Total-want)
	}
}
