package partnership

import (
	"errors"
	"sort"
	"strings"
)

// ErrNotFound means the requested entity does not exist or is not visible to the caller.
var ErrNotFound = errors.New("not found")

// ErrForbidden means the caller may not perform the action.
var ErrForbidden = errors.New("forbidden")

// ErrConflict means the change collides with the current state, e.g. a unique value already in use.
var ErrConflict = errors.New("conflict")

// ValidationError maps form field names to user-facing Swedish messages.
type ValidationError map[string]string

// Error lists the failing fields in a stable order.
func (v ValidationError) Error() string {
	fields := make([]string, 0, len(v))
	for f := range v {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		parts = append(parts, f+": "+v[f])
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Add records a message for field unless it already has one, keeping the first problem found.
func (v ValidationError) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Err returns v as an error when it holds any message, and nil otherwise.
func (v ValidationError) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}
