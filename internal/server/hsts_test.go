package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"iop/internal/config"
	"iop/internal/postgres/pgtest"
	"iop/internal/server"
)

// TestStrictTransportSecurityOverHTTPS: a site served over https tells
// browsers never to use plain http for it; one served over http says
// nothing, since the header would be ignored there and would lock out a
// development setup.
func TestStrictTransportSecurityOverHTTPS(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	for _, tt := range []struct {
		baseURL string
		want    string
	}{
		{"https://iop.kommun.example", "max-age=31536000; includeSubDomains"},
		{"http://127.0.0.1:8080", ""},
	} {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{"DATABASE_URL": "postgres://unused/iop", "BASE_URL": tt.baseURL}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		s, err := server.New(server.Deps{Config: cfg, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/healthz", "/login", "/no-such-page"} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if got := rec.Header().Get("Strict-Transport-Security"); got != tt.want {
				t.Errorf("%s %s: Strict-Transport-Security %q, want %q", tt.baseURL, path, got, tt.want)
			}
		}
	}
}
