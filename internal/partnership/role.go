package partnership

// Role is what a user may do in the system; see DOMAIN.md "Who uses it".
type Role string

// The five roles of the system.
const (
	RoleAdmin            Role = "admin"
	RoleOfficer          Role = "officer"
	RoleCoordinator      Role = "coordinator"
	RoleAssociationStaff Role = "association_staff"
	RoleViewer           Role = "viewer"
)

// Roles lists every role in the order the UI presents them.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleCoordinator, RoleAssociationStaff, RoleViewer}

// Valid reports whether r is one of the five roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Label is the Swedish name of the role shown in the UI.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administratör"
	case RoleOfficer:
		return "Handläggare"
	case RoleCoordinator:
		return "Koordinator"
	case RoleAssociationStaff:
		return "Föreningspersonal"
	case RoleViewer:
		return "Läsare"
	}
	return string(r)
}

// NeedsOrganisation reports whether users of this role belong to one organisation
// and are scoped to it.
func (r Role) NeedsOrganisation() bool { return r == RoleAssociationStaff }
