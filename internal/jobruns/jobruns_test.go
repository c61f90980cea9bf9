package jobruns

import (
	"errors"
	"fmt"
	"testing"
)

func TestRecord(t *testing.T) {
	busy := errors.New("busy")
	Record("test_job", nil, busy)
	Record("test_job", fmt.Errorf("wrapped: %w", busy), busy)
	Record("test_job", errors.New("boom"), busy)
	Record("test_job", nil, nil)
	for _, s := range Snapshot() {
		if s.Job != "test_job" {
			continue
		}
		if s.OK != 2 || s.Busy != 1 || s.Failed != 1 || s.LastSuccess.IsZero() {
			t.Errorf("stats %+v", s)
		}
		return
	}
	t.Error("test_job missing from the snapshot")
}
