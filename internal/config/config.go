// Package config loads the application's configuration from the environment.
// There are no globals: Load returns a value that is passed where it is needed.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration of one process.
type Config struct {
	DatabaseURL      string        // DATABASE_URL, required
	HTTPAddr         string        // HTTP_ADDR
	BaseURL          *url.URL      // BASE_URL, the address users reach the app at
	LogLevel         slog.Level    // LOG_LEVEL
	LogFormat        string        // LOG_FORMAT: text or json
	MigrateOnStart   bool          // MIGRATE_ON_START
	StatementTimeout time.Duration // DB_STATEMENT_TIMEOUT
	MaxConns         int32         // DB_MAX_CONNS
	TrustProxy       bool          // TRUST_PROXY: take the client IP from X-Forwarded-For
}

// SecureCookies reports whether session cookies must carry the Secure flag.
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// Load reads and validates the configuration. It reports every bad value at
// once, each with the variable's name and what is expected.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, value, want string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, value, want))
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}

	c := Config{
		DatabaseURL: get("DATABASE_URL", ""),
		HTTPAddr:    get("HTTP_ADDR", "127.0.0.1:8080"),
		LogFormat:   get("LOG_FORMAT", "text"),
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is not set: give a PostgreSQL URL such as postgres://iop:secret@localhost:5432/iop"))
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, errors.New("DATABASE_URL is not a postgres:// or postgresql:// URL"))
	}
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || port == "" {
		bad("HTTP_ADDR", c.HTTPAddr, "want host:port, e.g. 127.0.0.1:8080")
	}

	base := get("BASE_URL", "http://"+c.HTTPAddr)
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", base, "want an absolute http:// or https:// URL")
	} else {
		c.BaseURL = u
	}

	level := get("LOG_LEVEL", "info")
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		bad("LOG_LEVEL", level, "want debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", c.LogFormat, "want text or json")
	}

	migrate := get("MIGRATE_ON_START", "false")
	if b, err := strconv.ParseBool(migrate); err != nil {
		bad("MIGRATE_ON_START", migrate, "want true or false")
	} else {
		c.MigrateOnStart = b
	}
	proxy := get("TRUST_PROXY", "false")
	if b, err := strconv.ParseBool(proxy); err != nil {
		bad("TRUST_PROXY", proxy, "want true or false")
	} else {
		c.TrustProxy = b
	}

	timeout := get("DB_STATEMENT_TIMEOUT", "10s")
	if d, err := time.ParseDuration(timeout); err != nil || d < 100*time.Millisecond || d > time.Hour {
		bad("DB_STATEMENT_TIMEOUT", timeout, "want a duration between 100ms and 1h, e.g. 10s")
	} else {
		c.StatementTimeout = d
	}
	conns := get("DB_MAX_CONNS", "10")
	if n, err := strconv.ParseInt(conns, 10, 32); err != nil || n < 2 || n > 1000 {
		bad("DB_MAX_CONNS", conns, "want a whole number between 2 and 1000")
	} else {
		c.MaxConns = int32(n)
	}

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %w", joinLines(errs))
	}
	return c, nil
}

// joinLines joins errors one per indented line.
func joinLines(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}
