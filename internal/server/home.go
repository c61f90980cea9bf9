package server

import (
	"context"
	"net/http"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// handleHome is each role's start page: association staff see their own
// organisation, the municipality's roles an overview.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	orgs := s.organisations()
	todo, err := s.homeTodo(r.Context(), *u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u.Role == partnership.RoleAssociationStaff {
		org, err := orgs.ByID(r.Context(), *u.OrganisationID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		agreements, err := s.staffHomeAgreements(r.Context(), *u)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, templates.StaffHomePage(templates.StaffHomeVM{
			Base: s.base(r, org.Name), Organisation: organisationRow(org), Todo: todo, Agreements: agreements,
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
		Base: s.base(r, "Översikt"), Intro: overviewIntro[u.Role], Todo: todo, Organisations: rows,
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

// staffHomeRecent is how many of an agreement's latest activities the
// staff start page shows.
const staffHomeRecent = 5

// staffHomeAgreements are the agreements on the staff start page: those of
// the user's organisation in force today or, when none is, the latest one;
// each with its log form, latest entries and progress. The forms come back
// to the start page after a log without JavaScript.
func (s *Server) staffHomeAgreements(ctx context.Context, u partnership.User) ([]templates.StaffAgreementVM, error) {
	today := s.agreementToday()
	rows, err := postgres.NewAgreementList(s.db.Pool).All(ctx, u, postgres.AgreementListQuery{
		Sort: postgres.AgreementListByEnd, Desc: true, Today: today,
	})
	if err != nil {
		return nil, err
	}
	var shown []postgres.AgreementListRow
	for _, row := range rows {
		if row.Status == partnership.StatusActive {
			shown = append(shown, row)
		}
	}
	if len(shown) == 0 && len(rows) > 0 {
		shown = rows[:1]
	}
	out := make([]templates.StaffAgreementVM, 0, len(shown))
	for _, row := range shown {
		vm, err := s.staffHomeAgreement(ctx, u, row, today)
		if err != nil {
			return nil, err
		}
		out = append(out, vm)
	}
	return out, nil
}

func (s *Server) staffHomeAgreement(ctx context.Context, u partnership.User, row postgres.AgreementListRow, today time.Time) (templates.StaffAgreementVM, error) {
	const home = "/"
	ag, err := postgres.NewAgreements(s.db.Pool).ByID(ctx, row.ID)
	if err != nil {
		return templates.StaffAgreementVM{}, err
	}
	types, err := s.activityTypes().Types(ctx, ag.ID)
	if err != nil {
		return templates.StaffAgreementVM{}, err
	}
	recent, err := postgres.NewActivities(s.db.Pool).List(ctx, ag.ID, partnership.ActivityFilter{}, nil, staffHomeRecent)
	if err != nil {
		return templates.StaffAgreementVM{}, err
	}
	locked, err := s.lockedYears(ctx, ag.ID)
	if err != nil {
		return templates.StaffAgreementVM{}, err
	}
	canLog := hasActiveType(types)
	vm := templates.StaffAgreementVM{
		ID: ag.ID, Title: ag.Title, Status: row.Status.Label(), StatusKey: string(row.Status),
		URL: agreementPath(ag.ID), ActivitiesURL: activitiesPath(ag.ID),
		Recent: activityTable(ag.ID, recent.Activities, u, canLog, locked, home,
			"Senaste aktiviteterna i "+ag.Title, "Inga aktiviteter har loggats ännu."),
	}
	if row.StartDate != nil || row.CurrentEnd != nil {
		vm.Period = agreementDate(row.StartDate) + " – " + agreementDate(row.CurrentEnd)
	}
	if canLog {
		c := activityContext{agreement: ag, types: types, today: today}
		values := activityDefaults(today, types)
		// As on the activity list: at most quickAttendees listed, else a
		// link to the full form, so the page does not grow with the agreement.
		if err := s.withQuickAttendees(ctx, &c); err != nil {
			return templates.StaffAgreementVM{}, err
		}
		form := c.logForm(values, nil, home, true)
		vm.Log = &form
	}
	if vm.Progress, err = s.activityProgress(ctx, ag, types, defaultProgressYear(ag, today)); err != nil {
		return templates.StaffAgreementVM{}, err
	}
	vm.Progress.HeadingLevel = 3
	if vm.Participants, err = s.participantCounts(ctx, partnership.ActorOf(u, ""), ag, today); err != nil {
		return templates.StaffAgreementVM{}, err
	}
	vm.Participants.HeadingLevel, vm.Participants.Link = 3, true
	overdue, err := s.followUps().Overdue(ctx, partnership.ActorOf(u, ""), ag.ID)
	if err != nil {
		return templates.StaffAgreementVM{}, err
	}
	vm.OverdueFollowUps = len(overdue)
	return vm, nil
}
