package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/templates"
)

// postedValues are the posted values of the named fields, as typed, for
// parsing and for showing the form again, as readInput parsed them.
func postedValues(r *http.Request, names ...string) map[string]string {
	values := make(map[string]string, len(names))
	for _, f := range names {
		values[f] = r.PostForm.Get(f)
	}
	return values
}

// formStatus is the status of a form page: 422 when a field failed, 200
// otherwise.
func formStatus(f templates.Form) int {
	if f.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// validationOf merges the validation error in err into verr, and reports
// whether err was nothing else.
func validationOf(verr partnership.ValidationError, err error) bool {
	var more partnership.ValidationError
	if err != nil && !errors.As(err, &more) {
		return false
	}
	for k, v := range more {
		verr.Add(k, v)
	}
	return true
}

// changedFields lists, in the order of names, the form fields whose values
// differ between before and after: the details of an audited update. It is
// never nil, so that an audit record says [] rather than null.
func changedFields(names []string, before, after map[string]string) []string {
	out := []string{}
	for _, f := range names {
		if before[f] != after[f] {
			out = append(out, f)
		}
	}
	return out
}

// formDate parses an ISO date field; empty is nil.
func formDate(values map[string]string, field string, verr partnership.ValidationError) *time.Time {
	v := strings.TrimSpace(values[field])
	if v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		verr.Add(field, "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-05.")
		return nil
	}
	return &d
}

// formInt parses a whole-number field; empty is nil.
func formInt(values map[string]string, field string, verr partnership.ValidationError) *int {
	v := strings.TrimSpace(values[field])
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		verr.Add(field, "Ange ett heltal.")
		return nil
	}
	return &n
}

func zeroIfNil(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
