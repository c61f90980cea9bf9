package indexation_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"iop/internal/indexation"
)

func TestRunDailyRunsTheCurrentYearOnce(t *testing.T) {
	db := demoDB(t)
	svc := indexation.NewService(db)
	// New Year's night in Stockholm is still the old year in UTC.
	clock := func() time.Time { return time.Date(2023, time.December, 31, 23, 30, 0, 0, time.UTC) }
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunEvery(ctx, 20*time.Millisecond, clock, log)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "already materialised") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunEvery did not stop with its context")
	}
	runs, err := svc.Runs(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Year != 2024 || runs[0].Inserted != 5 || runs[0].StartedBy != nil {
		t.Errorf("scheduled runs: %+v\n%s", runs, logs.String())
	}
	if out := logs.String(); !strings.Contains(out, "msg=\"scheduled indexation\" year=2024") {
		t.Errorf("log:\n%s", out)
	}
	if got := indexation.CurrentYear(clock()); got != 2024 {
		t.Errorf("current year %d", got)
	}
}

// syncBuffer is a buffer the scheduler's goroutine and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
