package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"iop/internal/partnership"
)

// urlID reads a positive id from the named URL parameter; anything else is
// simply not found.
func urlID(r *http.Request, param string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil || id <= 0 {
		return 0, partnership.ErrNotFound
	}
	return id, nil
}

// idParam reads the {id} URL parameter.
func idParam(r *http.Request) (int64, error) { return urlID(r, "id") }

// isHX reports whether the request came from htmx, which gets fragments.
func isHX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// localPath accepts a destination (a form's return_to, the login's next)
// only when it is an absolute path on this site; anything else (another
// host, a scheme, control characters that browsers drop, backslashes they
// read as slashes) gives "".
func localPath(raw string) string {
	if raw == "" || len(raw) > 2000 || !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
		return ""
	}
	for _, c := range raw {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return raw
}

// withReturnTo adds return_to to a link when it is not the default.
func withReturnTo(path, returnTo string) string {
	if returnTo == "" {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "return_to=" + url.QueryEscape(returnTo)
}
