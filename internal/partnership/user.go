package partnership

import (
	"net/mail"
	"strings"
	"time"
)

// User is a person who signs in to the system.
type User struct {
	ID             int64
	Email          string
	Name           string
	Role           Role
	OrganisationID *int64 // set exactly for association staff
	Active         bool
	SessionEpoch   int
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NormalizeEmail trims and lower-cases an e-mail address for comparison and storage.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the fields a user enters, keyed by form field name.
func (u User) Validate() error {
	v := ValidationError{}
	email := strings.TrimSpace(u.Email)
	if email == "" {
		v.Add("email", "Ange en e-postadress.")
	} else if !validEmail(email) {
		v.Add("email", "Ange en giltig e-postadress, till exempel namn@kommun.se.")
	}
	if strings.TrimSpace(u.Name) == "" {
		v.Add("name", "Ange ett namn.")
	} else if len([]rune(u.Name)) > 200 {
		v.Add("name", "Namnet får vara högst 200 tecken.")
	}
	if !u.Role.Valid() {
		v.Add("role", "Välj en roll.")
	} else if u.Role.NeedsOrganisation() && u.OrganisationID == nil {
		v.Add("organisation_id", "Föreningspersonal måste höra till en organisation.")
	} else if !u.Role.NeedsOrganisation() && u.OrganisationID != nil {
		v.Add("organisation_id", "Bara föreningspersonal hör till en organisation.")
	}
	return v.Err()
}

// validEmail reports whether s, already trimmed, is a bare e-mail address
// ("namn@kommun.se", no display name or angle brackets) of at most 254
// bytes.
func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && len(s) <= 254
}

// MinPasswordLength is the shortest password accepted when a password is set.
const MinPasswordLength = 12

// ValidatePassword checks a new password.
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return ValidationError{"password": "Lösenordet måste ha minst 12 tecken."}
	}
	if len(p) > 256 {
		return ValidationError{"password": "Lösenordet får vara högst 256 tecken."}
	}
	return nil
}
