package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestInSlotRunsOnlyWithinASlot: a request waits while every slot is
// taken and, when it is given up meanwhile, never runs; with a slot free
// it runs and gives the slot back.
func TestInSlotRunsOnlyWithinASlot(t *testing.T) {
	s := &Server{}
	slots := make(chan struct{}, 1)
	ran := 0
	h := s.inSlot(slots, func(http.ResponseWriter, *http.Request) {
		ran++
		if len(slots) != 1 {
			t.Error("the handler ran without holding a slot")
		}
	})
	slots <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/reports/2025", nil).WithContext(ctx))
	if ran != 0 {
		t.Fatal("the handler ran with every slot taken")
	}
	<-slots
	h(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/reports/2025", nil))
	if ran != 1 || len(slots) != 0 {
		t.Fatalf("ran %d times, %d slots taken after; want 1 and 0", ran, len(slots))
	}
}
