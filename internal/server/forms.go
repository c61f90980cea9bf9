package server

import (
	"errors"

	"iop/internal/partnership"
)

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
// differ between before and after: the details of an audited update.
func changedFields(names []string, before, after map[string]string) []string {
	var out []string
	for _, f := range names {
		if before[f] != after[f] {
			out = append(out, f)
		}
	}
	return out
}
