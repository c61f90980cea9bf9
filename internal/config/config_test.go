package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://iop@localhost/iop"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.BaseURL.String() != "http://127.0.0.1:8080" {
		t.Errorf("defaults: %q %q", c.HTTPAddr, c.BaseURL)
	}
	if c.StatementTimeout != 10*time.Second || c.MaxConns != 10 || c.SecureCookies() {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadHTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "BASE_URL": "https://iop.linkoping.se"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookies() {
		t.Error("https BASE_URL must give Secure cookies")
	}
}

func TestLoadReportsEveryBadValue(t *testing.T) {
	_, err := Load(env(map[string]string{
		"HTTP_ADDR":            "8080",
		"BASE_URL":             "ftp://x",
		"LOG_LEVEL":            "loud",
		"LOG_FORMAT":           "xml",
		"MIGRATE_ON_START":     "kanske",
		"DB_STATEMENT_TIMEOUT": "10",
		"DB_MAX_CONNS":         "1",
		"TRUST_PROXY":          "ja",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"DATABASE_URL", "HTTP_ADDR", "BASE_URL", "LOG_LEVEL", "LOG_FORMAT", "MIGRATE_ON_START", "DB_STATEMENT_TIMEOUT", "DB_MAX_CONNS", "TRUST_PROXY"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}
