package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// batchSizes is the data set of BenchmarkPortfolioPages: the municipality's
// 300 agreements (IOP_BENCH_AGREEMENTS), with few participants and
// activities, since the pages it measures cost per agreement.
func batchSizes() demo.Sizes {
	n := 300
	if v, err := strconv.Atoi(os.Getenv("IOP_BENCH_AGREEMENTS")); err == nil && v > 0 {
		n = v
	}
	return demo.Sizes{Agreements: n, Participants: 3_000, Activities: 30_000, Years: 3,
		LastYear: time.Now().Year(), Seed: 1}
}

// batchData is the demo data plus batchSizes' generated agreements, none
// of whose years is indexed: every expected payment is computed from the
// rules.
var batchData = generatedData(batchSizes)

// deadlineData is the data set of BenchmarkDeadlinePages: batchSizes'
// agreements with 60 000 participants over 10 years (activities play no
// part in deadlines), as BenchmarkAgenda (internal/deadline) has it.
var deadlineData = generatedData(func() demo.Sizes {
	s := batchSizes()
	s.Participants, s.Activities, s.Years = 60_000, 0, 10
	return s
})

// generatedData is the demo data (for its users) plus a generated data set
// of the given sizes.
func generatedData(sizes func() demo.Sizes) *pgtest.Seeded {
	return pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
		hasher, err := auth.NewHasher(auth.DefaultParams, 2)
		if err != nil {
			return err
		}
		if err := demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), demoKeys); err != nil {
			return err
		}
		_, err = demo.Generate(ctx, db, sizes(), nil)
		return err
	})
}

// BenchmarkPortfolioPages requests, as an officer, one at a time, the
// pages whose cost grows with the number of agreements: the invoice
// overview of this year (not indexed), the list of annual reports, and
// last year's portfolio (page and Excel file).
func BenchmarkPortfolioPages(b *testing.B) {
	db := batchData.New(b)
	srv := httptest.NewServer(benchServer(b, db))
	defer srv.Close()
	hc := benchClient(srv.Client().Transport)
	benchLogin(b, hc, srv.URL, "handlaggare@iop.example")
	year := time.Now().Year()
	for _, path := range []string{
		fmt.Sprintf("/invoices?year=%d", year),
		"/reports",
		fmt.Sprintf("/reports/%d", year-1),
		fmt.Sprintf("/reports/%d/portfolio.xlsx", year-1),
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				status, err := fetch(hc, srv.URL+path)
				if err != nil || status != http.StatusOK {
					b.Fatalf("GET %s: %d %v", path, status, err)
				}
			}
		})
	}
}

// BenchmarkDeadlinePages requests the officer's start page and /deadlines,
// which compute every agreement's deadlines, at 1 and 32 workers.
func BenchmarkDeadlinePages(b *testing.B) {
	db := deadlineData.New(b)
	srv := httptest.NewServer(benchServer(b, db))
	defer srv.Close()
	hc := benchClient(srv.Client().Transport)
	benchLogin(b, hc, srv.URL, "handlaggare@iop.example")
	for _, path := range []string{"/", "/deadlines"} {
		for _, workers := range []int{1, 32} {
			b.Run(fmt.Sprintf("%s/workers=%d", path, workers), func(b *testing.B) {
				load(b, srv.URL, []benchTarget{{role: "officer", hc: hc, path: path}}, workers)
			})
		}
	}
}
