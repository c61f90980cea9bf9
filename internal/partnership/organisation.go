package partnership

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// OrgKind classifies an organisation.
type OrgKind string

// The kinds of organisation that take part in partnerships.
const (
	OrgMunicipality OrgKind = "municipality"
	OrgAssociation  OrgKind = "association"
	OrgAuthority    OrgKind = "authority"
	OrgOther        OrgKind = "other"
)

// OrgKinds lists every kind in the order the UI presents them.
var OrgKinds = []OrgKind{OrgMunicipality, OrgAssociation, OrgAuthority, OrgOther}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, known := range OrgKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Label is the Swedish name of the kind.
func (k OrgKind) Label() string {
	switch k {
	case OrgMunicipality:
		return "Kommun"
	case OrgAssociation:
		return "Förening"
	case OrgAuthority:
		return "Myndighet"
	case OrgOther:
		return "Övrig"
	}
	return string(k)
}

// Organisation is a party that can enter agreements: the municipality, an
// association, a public authority.
type Organisation struct {
	ID             int64
	Name           string
	OrgNumber      OrgNumber // empty when the source documents give none
	Kind           OrgKind
	PostalAddress  string // free text, one line per address line
	InvoiceAddress string // free text; empty when invoices go to the postal address
	// Version counts the saved edits; an update must name the version it
	// was based on, so that concurrent edits do not overwrite each other.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MaxAddressLength is the longest address accepted, in characters.
const MaxAddressLength = 1000

// Validate checks the fields a user enters, keyed by form field name.
func (o Organisation) Validate() error {
	v := ValidationError{}
	if strings.TrimSpace(o.Name) == "" {
		v.Add("name", "Ange organisationens namn.")
	} else if len([]rune(o.Name)) > 200 {
		v.Add("name", "Namnet får vara högst 200 tecken.")
	}
	if !o.Kind.Valid() {
		v.Add("kind", "Välj typ av organisation.")
	}
	if len([]rune(o.PostalAddress)) > MaxAddressLength {
		v.Add("postal_address", fmt.Sprintf("Postadressen får vara högst %d tecken.", MaxAddressLength))
	}
	if len([]rune(o.InvoiceAddress)) > MaxAddressLength {
		v.Add("invoice_address", fmt.Sprintf("Fakturaadressen får vara högst %d tecken.", MaxAddressLength))
	}
	return v.Err()
}

// OrganisationInput is an organisation as a user types it in a form.
type OrganisationInput struct {
	Name           string
	OrgNumber      string
	Kind           string
	PostalAddress  string
	InvoiceAddress string
}

// Organisation parses and validates the input. Every failing field gets a
// message; for the org number the message names the rule that failed.
func (in OrganisationInput) Organisation() (Organisation, error) {
	o := Organisation{
		Name:           strings.TrimSpace(in.Name),
		Kind:           OrgKind(in.Kind),
		PostalAddress:  normalizeMultiline(in.PostalAddress),
		InvoiceAddress: normalizeMultiline(in.InvoiceAddress),
	}
	v := ValidationError{}
	if err := o.Validate(); err != nil {
		v = err.(ValidationError)
	}
	n, err := ParseOrgNumber(in.OrgNumber)
	if err != nil {
		v.Add("org_number", OrgNumberMessage(in.OrgNumber, err))
	}
	o.OrgNumber = n
	if err := v.Err(); err != nil {
		return Organisation{}, err
	}
	return o, nil
}

// OrgNumberMessage explains to the user which rule an entered org number
// broke, given the error of ParseOrgNumber.
func OrgNumberMessage(input string, err error) string {
	switch {
	case errors.Is(err, ErrOrgNumberLength):
		digits := 0
		for _, r := range input {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		return fmt.Sprintf("Fel längd: organisationsnumret ska ha 10 siffror, men du angav %d.", digits)
	case errors.Is(err, ErrOrgNumberChecksum):
		return "Fel kontrollsiffra: den sista siffran stämmer inte med de nio första. Kontrollera att numret är rätt skrivet."
	case errors.Is(err, ErrOrgNumberChars):
		return "Otillåtna tecken: skriv organisationsnumret med siffror och högst ett bindestreck, till exempel 212000-0449."
	}
	return "Organisationsnumret är ogiltigt."
}

// normalizeMultiline trims a text area's value, turns CRLF into LF and drops
// trailing spaces on each line, so that stored addresses print cleanly.
func normalizeMultiline(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
