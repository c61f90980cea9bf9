package partnership

import (
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
	ID        int64
	Name      string
	OrgNumber OrgNumber // empty when the source documents give none
	Kind      OrgKind
	CreatedAt time.Time
	UpdatedAt time.Time
}

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
	return v.Err()
}
