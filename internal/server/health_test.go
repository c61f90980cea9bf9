package server_test

import (
	"net/http"
	"testing"
)

func TestReadyzReportsDatabaseOutage(t *testing.T) {
	a := newApp(t)
	c := a.client()
	if res := c.get("/readyz"); res.StatusCode != http.StatusOK {
		t.Fatalf("readyz with database: %d", res.StatusCode)
	}
	a.db.Close()
	if res := c.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz without database: %d, want 503", res.StatusCode)
	}
	if res := c.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("healthz without database: %d, want 200 (the process is alive)", res.StatusCode)
	}
}
