package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/partnership"
)

// indexationData is the data set of BenchmarkIndexationPage: batchSizes'
// agreements over 10 years (about 2 500 budget lines at 300 agreements),
// with few participants and no activities, which the indexation never
// reads.
var indexationData = generatedData(func() demo.Sizes {
	s := batchSizes()
	s.Participants, s.Activities, s.Years = 1_000, 0, 10
	return s
})

// BenchmarkIndexationPage requests, as an officer, the preview of this
// year's indexation at 1 and 32 workers: first with no amount of the year
// stored (the preview would write every one), then after a run (the
// preview finds nothing to change). Timings are reported, never asserted.
func BenchmarkIndexationPage(b *testing.B) {
	db := indexationData.New(b)
	srv := httptest.NewServer(benchServer(b, db))
	defer srv.Close()
	hc := benchClient(srv.Client().Transport)
	benchLogin(b, hc, srv.URL, officerEmail)
	year := time.Now().Year()
	path := fmt.Sprintf("/indexation?year=%d", year)
	target := []benchTarget{{role: "officer", hc: hc, path: path}}
	for _, state := range []string{"not indexed", "indexed"} {
		if state == "indexed" {
			if _, err := indexation.NewService(db).Run(context.Background(), year, partnership.SystemActor("bench")); err != nil {
				b.Fatal(err)
			}
		}
		for _, workers := range []int{1, 32} {
			b.Run(fmt.Sprintf("%s/workers=%d", state, workers), func(b *testing.B) {
				load(b, srv.URL, target, workers)
			})
		}
	}
}
