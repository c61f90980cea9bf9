// Package config loads the application's configuration from the environment.
// There are no globals: Load returns a value that is passed where it is needed.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/privacy"
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

	// SMTPURL is SMTP_URL, smtp://user:pass@host:587, the server e-mail
	// reminders go through; nil when unset, and then none are sent. It
	// carries a password, so it is kept behind a pointer like the keyring.
	SMTPURL      *url.URL
	SMTPFrom     string // SMTP_FROM, the sender of reminders
	ReminderDays int    // REMINDER_DAYS, how many days ahead a digest looks

	// metricsToken is METRICS_TOKEN, the bearer token /metrics requires;
	// nil when unset, and then /metrics does not exist. Behind a pointer so
	// that printing a Config shows no secret.
	metricsToken *string

	// keyring holds IDENTITY_KEY, IDENTITY_KEYS_PREVIOUS and
	// IDENTITY_INDEX_KEY once validated; nil when IDENTITY_KEY or
	// IDENTITY_INDEX_KEY is not set. These are secrets: they are kept only
	// inside the keyring, behind a pointer, so printing a Config (even with
	// %+v) shows no key material.
	keyring *privacy.Keyring
	// missingKey names the first identity key variable that is not set.
	missingKey string

	// oidc is the municipality's identity provider; nil when OIDC_ISSUER
	// and the rest are unset. Behind a pointer, like the keyring, because
	// it holds the client secret.
	oidc *OIDC
}

// Environment variables of the identity keys.
const (
	EnvIdentityKey          = "IDENTITY_KEY"
	EnvIdentityKeysPrevious = "IDENTITY_KEYS_PREVIOUS"
	EnvIdentityIndexKey     = "IDENTITY_INDEX_KEY"
)

// Keyring returns the keyring for participants' identities: IDENTITY_KEY
// encrypts, the keys of IDENTITY_KEYS_PREVIOUS can still be read during a
// rotation, and IDENTITY_INDEX_KEY keys the blind index. Load has already
// checked their format; Keyring reports a missing key clearly, so commands
// that handle identities (serve) can refuse to start without one.
func (c Config) Keyring() (*privacy.Keyring, error) {
	if c.keyring != nil {
		return c.keyring, nil
	}
	name := c.missingKey
	if name == "" {
		name = EnvIdentityKey
	}
	return nil, fmt.Errorf("%s is not set: give base64 of 32 random bytes, e.g. from `head -c32 /dev/urandom | base64`; "+
		"IDENTITY_KEY and IDENTITY_INDEX_KEY must be two different keys", name)
}

// MetricsToken returns METRICS_TOKEN, or "" when /metrics is off.
func (c Config) MetricsToken() string {
	if c.metricsToken == nil {
		return ""
	}
	return *c.metricsToken
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

	if raw := get("SMTP_URL", ""); raw != "" {
		// The value holds a password: errors name the variable, never the value.
		u, err := url.Parse(raw)
		switch {
		case err != nil || u.Scheme != "smtp" || u.Hostname() == "":
			errs = append(errs, errors.New("SMTP_URL is not an smtp:// URL such as smtp://user:pass@mail.example.se:587"))
		case u.Port() == "":
			errs = append(errs, errors.New("SMTP_URL has no port: give e.g. smtp://user:pass@mail.example.se:587"))
		default:
			c.SMTPURL = u
		}
	}
	c.SMTPFrom = get("SMTP_FROM", "iop@"+hostOr(c.BaseURL, "localhost"))
	if !strings.Contains(c.SMTPFrom, "@") || strings.ContainsAny(c.SMTPFrom, " \r\n<>") {
		bad("SMTP_FROM", c.SMTPFrom, "want an e-mail address such as iop@linkoping.se")
	}
	days := get("REMINDER_DAYS", "14")
	if n, err := strconv.Atoi(days); err != nil || n < 1 || n > 365 {
		bad("REMINDER_DAYS", days, "want a whole number of days between 1 and 365")
	} else {
		c.ReminderDays = n
	}

	if tok := getenv("METRICS_TOKEN"); tok != "" {
		// A secret: the error names the variable and the rule, never the value.
		if len(tok) < 32 || len(tok) > 256 || strings.IndexFunc(tok, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
			errs = append(errs, errors.New("METRICS_TOKEN must be 32 to 256 printable ASCII characters without spaces, e.g. from 'head -c 32 /dev/urandom | base64'"))
		} else {
			c.metricsToken = &tok
		}
	}

	oidc, oidcErrs := loadOIDC(getenv)
	errs = append(errs, oidcErrs...)
	c.oidc = oidc

	kr, missing, keyErrs := loadKeyring(getenv)
	errs = append(errs, keyErrs...)
	c.keyring, c.missingKey = kr, missing

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %w", joinLines(errs))
	}
	return c, nil
}

// hostOr is the host name of u, or def when u is unknown.
func hostOr(u *url.URL, def string) string {
	if u == nil || u.Hostname() == "" {
		return def
	}
	return u.Hostname()
}

// loadKeyring validates the identity key variables that are set and, when
// both IDENTITY_KEY and IDENTITY_INDEX_KEY are, builds the keyring. It names
// the first missing variable of the two. Its errors name each bad variable
// and what is wrong, never the value: these are secrets.
func loadKeyring(getenv func(string) string) (kr *privacy.Keyring, missing string, errs []error) {
	bad := func(name string, err error) {
		errs = append(errs, fmt.Errorf("%s is not a valid key: %v (give base64 of 32 random bytes)", name, err))
	}
	decode := func(name string) []byte {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			if missing == "" {
				missing = name
			}
			return nil
		}
		b, err := privacy.DecodeKey(v)
		if err != nil {
			bad(name, err)
		}
		return b
	}
	current := decode(EnvIdentityKey)
	index := decode(EnvIdentityIndexKey)

	var previous [][]byte
	if list := strings.TrimSpace(getenv(EnvIdentityKeysPrevious)); list != "" {
		for i, v := range strings.Split(list, ",") {
			b, err := privacy.DecodeKey(v)
			if err != nil {
				bad(fmt.Sprintf("%s (key %d of the comma-separated list)", EnvIdentityKeysPrevious, i+1), err)
				continue
			}
			previous = append(previous, b)
		}
	}

	if index != nil {
		if current != nil && bytes.Equal(index, current) {
			errs = append(errs, errors.New("IDENTITY_INDEX_KEY must differ from IDENTITY_KEY: generate a separate key for the blind index"))
		}
		for _, p := range previous {
			if bytes.Equal(index, p) {
				errs = append(errs, errors.New("IDENTITY_INDEX_KEY must differ from every key in IDENTITY_KEYS_PREVIOUS"))
				break
			}
		}
	}
	if len(errs) > 0 || current == nil || index == nil {
		return nil, missing, errs
	}
	kr, err := privacy.NewKeyring(current, previous, index)
	if err != nil {
		// Not reached: every rule NewKeyring checks is checked above.
		return nil, missing, []error{fmt.Errorf("identity keys: %w", err)}
	}
	return kr, "", nil
}

// joinLines joins errors one per indented line.
func joinLines(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}
