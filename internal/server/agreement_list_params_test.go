package server

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"iop/internal/partnership"
)

// FuzzAgreementListParams checks that any query string yields a valid
// query, and that the links built from it lead back to the same query.
func FuzzAgreementListParams(f *testing.F) {
	for _, seed := range []string{
		"", "q=Inkludering&status=ended&org=3&year=2024&sort=end&dir=desc&page=2",
		"status=bogus&year=abc&sort=id;drop&page=-1", "q=%25_%5C&year=99999", "org=0&page=999999999999999999999",
		"q=" + url.QueryEscape(string(make([]rune, 300))), "q=%FF%00x%00",
		"q=" + strings.Repeat("a", 199) + "+b", "q=" + strings.Repeat("å", 200) + "+",
	} {
		f.Add(seed)
	}
	today := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p := parseAgreementListParams(v, today)
		q := p.query
		switch q.Status {
		case "", partnership.StatusDraft, partnership.StatusActive, partnership.StatusEnded, partnership.StatusTerminated:
		default:
			t.Errorf("status %q", q.Status)
		}
		if !q.Sort.Valid() || q.OrganisationID < 0 || q.Page < 0 || !q.Today.Equal(today) ||
			q.Year != 0 && (q.Year < 1900 || q.Year > 2200) || utf8.RuneCountInString(q.Search) > 200 ||
			!utf8.ValidString(q.Search) || strings.ContainsRune(q.Search, 0) {
			t.Errorf("invalid query %+v from %q", q, raw)
		}
		link, err := url.Parse(agreementListHref("/agreements", p.values, p.sort))
		if err != nil {
			t.Fatalf("link: %v", err)
		}
		again := parseAgreementListParams(link.Query(), today).query
		again.Page = q.Page
		if again != q {
			t.Errorf("link %s gives %+v, want %+v", link, again, q)
		}
	})
}
