package partnership

import (
	"strings"
	"time"
)

// Contact is a contact person at an organisation: who to call or write to
// about the partnership.
type Contact struct {
	ID             int64
	OrganisationID int64
	Name           string
	Title          string // e.g. "Verksamhetsledare"
	Email          string
	Phone          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Normalize trims the entered values.
func (c Contact) Normalize() Contact {
	c.Name = strings.TrimSpace(c.Name)
	c.Title = strings.TrimSpace(c.Title)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	return c
}

// Validate checks the fields a user enters, keyed by form field name. Only
// the name is required: a contact may be reachable by e-mail or phone alone.
func (c Contact) Validate() error {
	v := ValidationError{}
	if strings.TrimSpace(c.Name) == "" {
		v.Add("name", "Ange kontaktpersonens namn.")
	} else if len([]rune(c.Name)) > 200 {
		v.Add("name", "Namnet får vara högst 200 tecken.")
	}
	if len([]rune(c.Title)) > 200 {
		v.Add("title", "Titeln får vara högst 200 tecken.")
	}
	if email := strings.TrimSpace(c.Email); email != "" {
		if !validEmail(email) {
			v.Add("email", "Ange en giltig e-postadress, till exempel namn@forening.se.")
		}
	}
	if phone := strings.TrimSpace(c.Phone); phone != "" && !validPhone(phone) {
		v.Add("phone", "Ange telefonnumret med siffror, till exempel 013-20 60 00 eller +46 13 20 60 00.")
	}
	return v.Err()
}

// validPhone accepts the ways Swedish numbers are written: digits with
// spaces, hyphens, parentheses and a leading plus, 5 to 20 digits in all.
func validPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}
