package deadline

import (
	"cmp"
	"context"
	"slices"
	"time"

	"iop/internal/partnership"
)

// Page is one page of a user's deadlines: those passing a filter, in date
// order (the overdue ones first), with how many there are in all.
type Page struct {
	Deadlines  []partnership.Deadline // the page's, in date order
	Offset     int                    // the position of the page's first deadline
	Total      int                    // how many pass the filter
	Overdue    int                    // how many of those are overdue
	Agreements []AgreementRef         // every agreement the user may see, for the filters
}

// Page computes u's deadlines on today that pass f and returns those from
// position offset on, at most limit of them; an offset past the end gives
// the last page, so a stale link still shows something. Only small keys
// are sorted and only the page is copied: the lists show a few of more
// than a thousand.
func (s *Service) Page(ctx context.Context, u partnership.User, today time.Time, f Filter, offset, limit int) (Page, error) {
	ag, err := s.collect(ctx, u, today, false, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{Total: len(ag.Deadlines), Agreements: ag.Agreements}
	for i := range ag.Deadlines {
		if ag.Deadlines[i].Overdue(today) {
			p.Overdue++
		}
	}
	order := sortedOrder(ag.Deadlines)
	limit = max(limit, 1)
	if offset >= len(order) {
		offset = max(len(order)-1, 0) / limit * limit
	}
	offset = max(offset, 0)
	end := min(offset+limit, len(order))
	p.Offset = offset
	p.Deadlines = make([]partnership.Deadline, 0, end-offset)
	for _, i := range order[offset:end] {
		p.Deadlines = append(p.Deadlines, ag.Deadlines[i])
	}
	return p, nil
}

// sortedOrder is the positions of ds in the order partnership.SortDeadlines
// gives (date, agreement, kind, reference, then position), found by sorting
// small keys instead of moving whole deadlines.
func sortedOrder(ds []partnership.Deadline) []int32 {
	type key struct {
		due int64
		at  int32
	}
	keys := make([]key, len(ds))
	for i := range ds {
		keys[i] = key{due: ds[i].Due.Unix(), at: int32(i)}
	}
	slices.SortFunc(keys, func(x, y key) int {
		if c := cmp.Compare(x.due, y.due); c != 0 {
			return c
		}
		a, b := &ds[x.at], &ds[y.at]
		if c := cmp.Compare(a.AgreementID, b.AgreementID); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Ref, b.Ref); c != 0 {
			return c
		}
		return cmp.Compare(x.at, y.at)
	})
	order := make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.at
	}
	return order
}
