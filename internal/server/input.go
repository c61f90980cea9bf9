package server

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"iop/internal/partnership"
)

// An upload may exceed the document limit by the multipart framing and the
// form's other fields; anything beyond is cut off while it arrives.
const uploadOverhead = 1 << 20

// uploadMemory is how much of an upload is kept in memory while parsing;
// the rest of a large file waits in a temporary file.
const uploadMemory = 8 << 20

// The limits of a request body: a form is small; an upload (multipart) may
// carry the largest document accepted plus the form's other fields.
const (
	maxFormBody   = 1 << 20
	maxUploadBody = partnership.MaxDocumentSize + uploadOverhead
)

// readInput is the one place request input is parsed and checked, before
// any handler runs: the query of every request and the body of every POST,
// under one size limit per kind of body. A malformed body or query is 400,
// a body over the limit 413, and text that PostgreSQL cannot store (a NUL
// byte, another control character than tab and line breaks, or invalid
// UTF-8) in any field name or value is 422, each with a Swedish page.
// Handlers then read r.Form, r.PostForm and r.MultipartForm as parsed here.
func (s *Server) readInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseInput(w, r); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.renderError(w, r, http.StatusRequestEntityTooLarge)
			} else {
				s.renderError(w, r, http.StatusBadRequest)
			}
			return
		}
		if bad := badTextFields(r); len(bad) > 0 {
			s.renderInvalidText(w, r, bad)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func parseInput(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return r.ParseForm()
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		return r.ParseMultipartForm(uploadMemory)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	return r.ParseForm()
}

// badTextFields names, sorted, the fields whose name or value is not text
// that can be stored, and the upload fields whose file name is not.
func badTextFields(r *http.Request) []string {
	var bad []string
	for name, values := range r.Form {
		if !storableText(name) || slices.ContainsFunc(values, func(v string) bool { return !storableText(v) }) {
			bad = append(bad, printableName(name))
		}
	}
	if r.MultipartForm != nil {
		for name, files := range r.MultipartForm.File {
			for _, f := range files {
				if !storableText(f.Filename) {
					bad = append(bad, printableName(name))
				}
			}
		}
	}
	slices.Sort(bad)
	return slices.Compact(bad)
}

// storableText reports whether s is valid UTF-8 without NUL or any other
// control character than tab, line feed and carriage return.
func storableText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// printableName is a field name fit for the error page: what cannot be
// shown is left out and it is cut short.
func printableName(name string) string {
	name = strings.Map(func(c rune) rune {
		if c == utf8.RuneError || c < 0x20 || c == 0x7f {
			return -1
		}
		return c
	}, strings.ToValidUTF8(name, ""))
	if r := []rune(name); len(r) > 40 {
		name = string(r[:40]) + "…"
	}
	if name == "" {
		return "(namnlöst fält)"
	}
	return name
}
