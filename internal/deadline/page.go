package deadline

import (
	"context"
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
	order := partnership.DeadlineOrder(ag.Deadlines)
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
