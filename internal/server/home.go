package server

import (
	"net/http"

	"iop/internal/partnership"
	"iop/templates"
)

// handleHome is each role's start page: association staff see their own
// organisation, the municipality's roles an overview.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	orgs := s.organisations()
	if u.Role == partnership.RoleAssociationStaff {
		org, err := orgs.ByID(r.Context(), *u.OrganisationID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, templates.StaffHomePage(templates.StaffHomeVM{
			Base: s.base(r, org.Name), Organisation: organisationRow(org),
		}))
		return
	}
	list, err := orgs.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]templates.OrganisationRow, len(list))
	for i, o := range list {
		rows[i] = organisationRow(o)
	}
	s.render(w, r, http.StatusOK, templates.OverviewPage(templates.OverviewVM{
		Base: s.base(r, "Översikt"), Intro: overviewIntro[u.Role], Organisations: rows,
	}))
}

var overviewIntro = map[partnership.Role]string{
	partnership.RoleAdmin:       "Du administrerar systemets användare och organisationer.",
	partnership.RoleOfficer:     "Här följer du kommunens idéburna offentliga partnerskap och de organisationer som ingår i dem.",
	partnership.RoleCoordinator: "Här ser du de organisationer som kommunen har partnerskap med och som du kan anvisa deltagare till.",
	partnership.RoleViewer:      "Du har läsbehörighet till partnerskapens överenskommelser och rapporter, utan personuppgifter.",
}

func organisationRow(o partnership.Organisation) templates.OrganisationRow {
	return templates.OrganisationRow{Name: o.Name, OrgNumber: o.OrgNumber.String(), Kind: o.Kind.Label()}
}

// handleAccessibility shows the accessibility statement.
func (s *Server) handleAccessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, templates.AccessibilityPage(s.base(r, "Tillgänglighetsredogörelse")))
}
