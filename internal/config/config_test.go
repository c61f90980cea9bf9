package config

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"iop/internal/privacy"
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

func genKey(t *testing.T) string {
	t.Helper()
	k, err := privacy.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestLoadIdentityKeys(t *testing.T) {
	cur, old, idx := genKey(t), genKey(t), genKey(t)
	c, err := Load(env(map[string]string{
		"DATABASE_URL":           "postgres://x/y",
		"IDENTITY_KEY":           cur,
		"IDENTITY_KEYS_PREVIOUS": old,
		"IDENTITY_INDEX_KEY":     idx,
	}))
	if err != nil {
		t.Fatal(err)
	}
	kr, err := c.Keyring()
	if err != nil {
		t.Fatalf("Keyring: %v", err)
	}
	want, err := privacy.ParseKeyring(cur, old, idx)
	if err != nil {
		t.Fatal(err)
	}
	if kr.CurrentKeyID() != want.CurrentKeyID() {
		t.Errorf("current key id %q, want %q", kr.CurrentKeyID(), want.CurrentKeyID())
	}
	oldOnly, _ := privacy.ParseKeyring(old, "", idx)
	id, ct, _ := oldOnly.Seal([]byte("x"), nil)
	if _, err := kr.Open(id, ct, nil); err != nil {
		t.Errorf("previous key not readable: %v", err)
	}

	// The keys appear in no printed form of the Config.
	for _, form := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", &c)} {
		for _, k := range []string{cur, old, idx} {
			if strings.Contains(form, k) || strings.Contains(form, k[:16]) {
				t.Errorf("printed Config carries a key: %s", form)
			}
		}
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "cfg", c)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "cfg", c)
	for _, k := range []string{cur, old, idx} {
		if strings.Contains(b.String(), k[:16]) {
			t.Errorf("logged Config carries a key: %s", b.String())
		}
	}
}

func TestLoadIdentityKeysOptionalAtLoad(t *testing.T) {
	// Commands that do not touch identities (migrate, user) run without keys;
	// Keyring then says which variable is missing and how to make a key.
	idx := genKey(t)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "IDENTITY_KEY is not set"},
		{map[string]string{"IDENTITY_INDEX_KEY": idx}, "IDENTITY_KEY is not set"},
		{map[string]string{"IDENTITY_KEY": genKey(t)}, "IDENTITY_INDEX_KEY is not set"},
		{map[string]string{"IDENTITY_KEY": "  ", "IDENTITY_INDEX_KEY": idx}, "IDENTITY_KEY is not set"},
		{map[string]string{"IDENTITY_KEYS_PREVIOUS": genKey(t), "IDENTITY_INDEX_KEY": idx}, "IDENTITY_KEY is not set"},
	} {
		tc.env["DATABASE_URL"] = "postgres://x/y"
		c, err := Load(env(tc.env))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		kr, err := c.Keyring()
		if err == nil || kr != nil {
			t.Fatalf("Keyring without keys = %v, %v", kr, err)
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "base64") || !strings.Contains(err.Error(), "/dev/urandom") {
			t.Errorf("error %q does not say %q and how to make a key", err, tc.want)
		}
	}
	if _, err := (Config{}).Keyring(); err == nil || !strings.Contains(err.Error(), "IDENTITY_KEY") {
		t.Errorf("zero Config Keyring error = %v", err)
	}
}

func TestLoadRejectsBadIdentityKeys(t *testing.T) {
	cur, idx := genKey(t), genKey(t)
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	notBase64 := "this-is-a-secret-value-that-must-not-leak!!"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"current not base64", map[string]string{"IDENTITY_KEY": notBase64, "IDENTITY_INDEX_KEY": idx}, []string{"IDENTITY_KEY is not a valid key", "base64"}},
		{"current short", map[string]string{"IDENTITY_KEY": short, "IDENTITY_INDEX_KEY": idx}, []string{"IDENTITY_KEY is not a valid key", "16 bytes"}},
		{"current bad, index missing", map[string]string{"IDENTITY_KEY": short}, []string{"IDENTITY_KEY is not a valid key"}},
		{"index not base64", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_INDEX_KEY": notBase64}, []string{"IDENTITY_INDEX_KEY is not a valid key"}},
		{"index short", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_INDEX_KEY": short}, []string{"IDENTITY_INDEX_KEY is not a valid key"}},
		{"index equals current", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_INDEX_KEY": cur}, []string{"IDENTITY_INDEX_KEY must differ from IDENTITY_KEY"}},
		{"index equals previous", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_KEYS_PREVIOUS": idx, "IDENTITY_INDEX_KEY": idx}, []string{"IDENTITY_INDEX_KEY must differ", "IDENTITY_KEYS_PREVIOUS"}},
		{"previous bad", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_KEYS_PREVIOUS": genKey(t) + "," + notBase64, "IDENTITY_INDEX_KEY": idx}, []string{"IDENTITY_KEYS_PREVIOUS (key 2"}},
		{"previous trailing comma", map[string]string{"IDENTITY_KEY": cur, "IDENTITY_KEYS_PREVIOUS": genKey(t) + ",", "IDENTITY_INDEX_KEY": idx}, []string{"IDENTITY_KEYS_PREVIOUS (key 2", "empty"}},
		{"all bad", map[string]string{"IDENTITY_KEY": short, "IDENTITY_KEYS_PREVIOUS": short, "IDENTITY_INDEX_KEY": notBase64}, []string{"IDENTITY_KEY is", "IDENTITY_KEYS_PREVIOUS (key 1", "IDENTITY_INDEX_KEY is"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["DATABASE_URL"] = "postgres://x/y"
			_, err := Load(env(tc.env))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			for name, v := range tc.env {
				if name != "DATABASE_URL" && len(v) > 8 && strings.Contains(err.Error(), v[:12]) {
					t.Errorf("error echoes the value of %s:\n%v", name, err)
				}
			}
		})
	}
}

func TestLoadAcceptsKeyEncodings(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(0xf0 + i%16) // bytes whose encodings differ between the alphabets
	}
	idx := genKey(t)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "IDENTITY_KEY": enc.EncodeToString(raw) + "\n", "IDENTITY_INDEX_KEY": idx}))
		if err != nil {
			t.Fatalf("%v", err)
		}
		if _, err := c.Keyring(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadSMTP(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://x/y"}
	c, err := Load(env(base))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != nil || c.ReminderDays != 14 || c.SMTPFrom != "iop@127.0.0.1" {
		t.Errorf("defaults: %v %d %q", c.SMTPURL, c.ReminderDays, c.SMTPFrom)
	}
	ok := map[string]string{"DATABASE_URL": "postgres://x/y", "SMTP_URL": "smtp://u:secret@mail.example.se:587", "REMINDER_DAYS": "7", "SMTP_FROM": "iop@kommun.se"}
	if c, err = Load(env(ok)); err != nil || c.SMTPURL.Host != "mail.example.se:587" || c.ReminderDays != 7 {
		t.Fatalf("valid SMTP: %v %+v", err, c)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"SMTP_URL", "http://u:secret@mail.example.se:587", "SMTP_URL is not an smtp://"},
		{"SMTP_URL", "smtp://u:secret@mail.example.se", "SMTP_URL has no port"},
		{"REMINDER_DAYS", "0", "REMINDER_DAYS"},
		{"REMINDER_DAYS", "x", "REMINDER_DAYS"},
		{"SMTP_FROM", "nobody", "SMTP_FROM"},
	} {
		m := map[string]string{"DATABASE_URL": "postgres://x/y", tc.name: tc.value}
		_, err := Load(env(m))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: %v", tc.name, tc.value, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func TestLoadMetricsToken(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y"}))
	if err != nil || c.MetricsToken() != "" {
		t.Fatalf("unset: %v %q", err, c.MetricsToken())
	}
	tok := strings.Repeat("s3cret", 6)
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "METRICS_TOKEN": tok}))
	if err != nil || c.MetricsToken() != tok {
		t.Fatalf("valid: %v %q", err, c.MetricsToken())
	}
	if printed := fmt.Sprintf("%+v %#v", c, c); strings.Contains(printed, "s3cret") {
		t.Errorf("printing the config shows the token: %s", printed)
	}
	for _, bad := range []string{"s3cret-short", strings.Repeat("s3cret ", 6), strings.Repeat("s3cretå", 6)} {
		_, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "METRICS_TOKEN": bad}))
		if err == nil || !strings.Contains(err.Error(), "METRICS_TOKEN") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("METRICS_TOKEN=%q: %v", bad, err)
		}
	}
}

func TestLoadOIDC(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DATABASE_URL": "postgres://x/y", "OIDC_ISSUER": "https://login.example.se/realms/kommun",
		"OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "hemlig-klienthemlighet", "OIDC_SCOPES": "groups",
		"OIDC_ROLE_CLAIM": "groups", "OIDC_ROLE_MAP": "iop-admin=admin, iop-handlaggare=officer",
	}))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := c.OIDC()
	if !ok || o.Issuer != "https://login.example.se/realms/kommun" || o.ClientID != "iop" || o.ClientSecret != "hemlig-klienthemlighet" ||
		o.RoleClaim != "groups" || o.RoleMap["iop-admin"] != "admin" || o.RoleMap["iop-handlaggare"] != "officer" || len(o.Scopes) != 1 {
		t.Errorf("oidc config %+v %v", o, ok)
	}
	if s := fmt.Sprintf("%+v %v", c, c); strings.Contains(s, "hemlig-klienthemlighet") {
		t.Error("printing the config shows the client secret")
	}
	if _, ok := mustLoad(t, map[string]string{"DATABASE_URL": "postgres://x/y"}).OIDC(); ok {
		t.Error("no OIDC_* variables must mean no single sign-on")
	}
}

func mustLoad(t *testing.T, m map[string]string) Config {
	t.Helper()
	c, err := Load(env(m))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadOIDCReportsEveryBadValueWithoutTheSecret(t *testing.T) {
	for _, tc := range []struct {
		env   map[string]string
		names []string
	}{
		{map[string]string{"OIDC_ISSUER": "https://login.example.se"}, []string{"OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"}},
		{map[string]string{"OIDC_CLIENT_SECRET": "topphemligt-värde\x01"}, []string{"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET contains control"}},
		{map[string]string{"OIDC_ISSUER": "http://login.example.se", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "topphemligt-värde"}, []string{"OIDC_ISSUER=", "https://"}},
		{map[string]string{"OIDC_ISSUER": "inte en url", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "topphemligt-värde"}, []string{"OIDC_ISSUER="}},
		{map[string]string{"OIDC_ISSUER": "https://l.example.se", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "topphemligt-värde", "OIDC_ROLE_CLAIM": "roles"}, []string{"OIDC_ROLE_MAP is not set"}},
		{map[string]string{"OIDC_ISSUER": "https://l.example.se", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "topphemligt-värde", "OIDC_ROLE_MAP": "a=admin"}, []string{"OIDC_ROLE_CLAIM is not set"}},
		{map[string]string{"OIDC_ISSUER": "https://l.example.se", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "topphemligt-värde",
			"OIDC_ROLE_CLAIM": "roles", "OIDC_ROLE_MAP": "a=superuser,b"}, []string{`OIDC_ROLE_MAP entry "a=superuser"`, `OIDC_ROLE_MAP entry "b"`}},
	} {
		tc.env["DATABASE_URL"] = "postgres://x/y"
		_, err := Load(env(tc.env))
		if err == nil {
			t.Errorf("%v: want an error", tc.env)
			continue
		}
		for _, n := range tc.names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%v: error does not say %q:\n%v", tc.env, n, err)
			}
		}
		if strings.Contains(err.Error(), "topphemligt") {
			t.Errorf("the error repeats the client secret:\n%v", err)
		}
	}
	// A provider on this machine may speak plain http (development, tests).
	mustLoad(t, map[string]string{"DATABASE_URL": "postgres://x/y", "OIDC_ISSUER": "http://127.0.0.1:5556/dex", "OIDC_CLIENT_ID": "iop", "OIDC_CLIENT_SECRET": "s"})
}
