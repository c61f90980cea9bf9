package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iop/internal/demo"
	"iop/internal/postgres/pgtest"
)

// hostileBodies are request bodies no form sends: text PostgreSQL cannot
// store, a body that is not form encoding, and one over the size limit.
// Each is built from the row's own valid form, so that only the hostile
// part can be the reason for a refusal.
var hostileBodies = []struct {
	name   string
	body   func(form url.Values) string
	status int
}{
	{"NUL byte in every field", func(form url.Values) string { return withEveryValue(form, "a\x00b").Encode() }, 422},
	{"invalid UTF-8 in every field", func(form url.Values) string { return withEveryValue(form, "a\xff\xfeb").Encode() }, 422},
	{"control character in a field name", func(form url.Values) string {
		f := withEveryValue(form, "")
		f.Set("fält\x01", "x")
		return f.Encode()
	}, 422},
	{"malformed percent encoding", func(form url.Values) string { return form.Encode() + "&anteckning=%zz" }, 400},
	{"body over the limit", func(form url.Values) string {
		return form.Encode() + "&anteckning=" + strings.Repeat("a", 2<<20)
	}, 413},
}

// withEveryValue is form with v added to each value, and as a value of its
// own when the form is empty.
func withEveryValue(form url.Values, v string) url.Values {
	out := url.Values{"anteckning": {v}}
	for k, vs := range form {
		for _, x := range vs {
			out.Add(k, x+v)
		}
	}
	return out
}

// TestHostileInputRefused posts hostile bodies to every POST route of the
// route x role matrix and hostile query strings to every GET route, as the
// admin, who may use them all: each is refused with a 4xx and a Swedish
// page, never a 500, and nothing is written. Since the rows come from the
// matrix, which must list every route, a new route is covered by itself.
func TestHostileInputRefused(t *testing.T) {
	a := newApp(t)
	rows := matrix(newFixture(t, a, a.userID(viewerEmail)))
	c := loggedIn(a, adminEmail)
	before := snapshot(t, a)

	check := func(what string, res response, want int) {
		t.Helper()
		if res.StatusCode != want {
			t.Errorf("%s: status %d, want %d", what, res.StatusCode, want)
			return
		}
		if !strings.Contains(res.Body, `lang="sv"`) || !strings.Contains(res.Body, `data-testid="request-id"`) {
			t.Errorf("%s: not the Swedish error page:\n%.300s", what, res.Body)
		}
		if strings.ContainsRune(res.Body, 0) || strings.Contains(res.Body, "\xff") {
			t.Errorf("%s: the page echoes the raw bytes", what)
		}
	}

	for _, row := range rows {
		method, _, _ := strings.Cut(row.route, " ")
		if row.path == "" {
			continue
		}
		if method == http.MethodGet {
			for _, q := range []struct {
				query  string
				status int
			}{{"q=%00", 422}, {"q=%FF%FE", 422}, {"q=%zz", 400}} {
				check("GET "+row.path+"?"+q.query, c.get(row.path+"?"+q.query), q.status)
			}
			continue
		}
		if row.fresh {
			continue // logout: refused too, but it would end the admin's session if it were not
		}
		for _, hb := range hostileBodies {
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+row.path, strings.NewReader(hb.body(row.form)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			check("POST "+row.path+" with "+hb.name, c.do(req), hb.status)
		}
		req := multipartRequest(t, a.srv.URL+row.path, map[string]string{"description": "a\x00b", "kind": "other"}, "fil.pdf", []byte("%PDF-1.4\n"))
		check("POST "+row.path+" multipart with a NUL byte", c.do(req), 422)
	}

	if after := snapshot(t, a); after != before {
		t.Errorf("hostile input changed data:\n before %s\n after  %s", before, after)
	}
	// The refusals did not end the admin's session.
	if res := c.get("/admin/users"); res.StatusCode != http.StatusOK {
		t.Errorf("after the refusals: %d", res.StatusCode)
	}
}

// TestOversizedUploadRefused sends a multipart body over the upload limit:
// 413 with the Swedish page, and no document is stored.
func TestOversizedUploadRefused(t *testing.T) {
	a := newApp(t)
	f := newFixture(t, a, a.userID(viewerEmail))
	c := loggedIn(a, adminEmail)
	before := snapshot(t, a)
	req := multipartRequest(t, a.srv.URL+"/agreements/"+f.agreement+"/documents",
		map[string]string{"kind": "other"}, "stor.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("a"), 22<<20)...))
	res := c.do(req)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "För mycket data") {
		t.Errorf("oversized upload: status %d\n%.300s", res.StatusCode, res.Body)
	}
	if after := snapshot(t, a); after != before {
		t.Errorf("the oversized upload changed data:\n before %s\n after  %s", before, after)
	}
}

func multipartRequest(t *testing.T, target string, fields map[string]string, fileName string, content []byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content) //nolint:errcheck // a bytes.Buffer does not fail
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// TestLoginRedirectStaysLocal signs in with hostile next values: every one
// lands on the start page, never off the site. (As a coordinator, who needs
// no one-time code; TestLoginRedirectsToRequestedPage carries next through
// the code step.)
func TestLoginRedirectStaysLocal(t *testing.T) {
	a := newApp(t)
	for _, next := range []string{
		"//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
		"/\x00/evil.example", "/\x7f/evil.example", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
		"evil.example", "/%09/evil.example\\", " /evil", "\\\\evil.example", "/@evil.example\\x", "",
	} {
		c := a.client()
		res := c.post("/login", url.Values{"email": {coordinatorEmail}, "password": {demo.Password}, "next": {next}})
		if strings.ContainsAny(next, "\x00\x7f") {
			// Text that cannot be stored is refused before the login is tried.
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("next %q: status %d, want 422", next, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("next %q: status %d, Location %q; want 303 to /", next, res.StatusCode, res.Header.Get("Location"))
		}
	}
	// A local path is kept.
	res := a.client().post("/login", url.Values{"email": {coordinatorEmail}, "password": {demo.Password}, "next": {"/agreements?status=active"}})
	if res.Header.Get("Location") != "/agreements?status=active" {
		t.Errorf("local next: Location %q", res.Header.Get("Location"))
	}
}

// TestDatabaseDownAnswers503 cuts the database off under a signed-in user:
// pages answer 503 with the Swedish "try again" page and Retry-After, and
// the first request after the database is back is served as usual.
func TestDatabaseDownAnswers503(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	if res := c.get("/agreements"); res.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: %d", res.StatusCode)
	}
	restore := pgtest.CutOff(t, a.db)
	for _, path := range []string{"/agreements", "/", "/organisations?q=ikf"} {
		res := c.get(path)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(res.Body, "tillfälligt otillgänglig") {
			t.Errorf("%s during the outage: status %d, Retry-After %q\n%.300s", path, res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
	}
	res := a.client().post("/login", url.Values{"email": {adminEmail}, "password": {demo.Password}})
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("login during the outage: status %d, want 503", res.StatusCode)
	}
	restore()
	if res := c.get("/agreements"); res.StatusCode != http.StatusOK {
		t.Errorf("first request after the outage: %d, want 200", res.StatusCode)
	}
}
