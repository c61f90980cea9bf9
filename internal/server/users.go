package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"iop/internal/partnership"
	"iop/templates"
)

func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request) {
	list, err := s.users().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]templates.UserRow, len(list))
	for i, u := range list {
		rows[i] = templates.UserRow{
			ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role.Label(), Organisation: u.OrganisationName,
			Active: u.Active, LastLogin: formatDateTime(u.LastLoginAt, "Aldrig"),
		}
	}
	s.render(w, r, http.StatusOK, templates.UsersPage(templates.UsersVM{Base: s.base(r, "Användare"), Users: rows}))
}

// userForm builds the form's view model from the submitted values.
func (s *Server) userForm(r *http.Request, title string, id int64, values map[string]string, errs map[string]string) (templates.UserFormVM, error) {
	orgs, err := s.organisations().List(r.Context())
	if err != nil {
		return templates.UserFormVM{}, err
	}
	vm := templates.UserFormVM{
		Base: s.base(r, title), ID: id,
		Form:  templates.Form{Values: values, Errors: errs},
		Roles: []templates.Option{{Value: "", Label: "Välj roll"}},
	}
	for _, role := range partnership.Roles {
		vm.Roles = append(vm.Roles, templates.Option{Value: string(role), Label: role.Label(), Selected: values["role"] == string(role)})
	}
	for _, o := range orgs {
		v := strconv.FormatInt(o.ID, 10)
		vm.Organisations = append(vm.Organisations, templates.Option{Value: v, Label: o.Name, Selected: values["organisation_id"] == v})
	}
	return vm, nil
}

// renderUserForm shows the form, with status 422 when it has errors.
func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, vm templates.UserFormVM, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, formStatus(vm.Form), templates.UserFormPage(vm))
}

func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) {
	vm, err := s.userForm(r, "Ny användare", 0, map[string]string{}, nil)
	s.renderUserForm(w, r, vm, err)
}

// parseUser reads the user fields of the form; the values are kept for
// re-rendering, the password never is.
func parseUser(r *http.Request) (partnership.User, map[string]string, partnership.ValidationError) {
	values := postedValues(r, "email", "name", "role", "organisation_id")
	u := partnership.User{Email: values["email"], Name: values["name"], Role: partnership.Role(values["role"])}
	verr := partnership.ValidationError{}
	if v := values["organisation_id"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			verr.Add("organisation_id", "Välj en organisation i listan.")
		} else {
			u.OrganisationID = &id
		}
	}
	return u, values, verr
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	u, values, verr := parseUser(r)
	typed := r.PostForm.Get("password")
	var created partnership.User
	var password string
	var err error
	if len(verr) == 0 {
		created, password, err = s.auth.CreateUser(r.Context(), actorOf(r), u, typed)
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		vm, ferr := s.userForm(r, "Ny användare", 0, values, verr)
		s.renderUserForm(w, r, vm, ferr)
		return
	}
	if typed == "" {
		s.sessions.Put(r.Context(), sessSecret, password)
	}
	s.flash(r, fmt.Sprintf("Användaren %s skapades.", created.Name))
	http.Redirect(w, r, userPath(created.ID), http.StatusSeeOther)
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

// routeUser reads the user {id} of the route.
func (s *Server) routeUser(r *http.Request) (partnership.User, error) {
	id, err := idParam(r)
	if err != nil {
		return partnership.User{}, err
	}
	return s.users().ByID(r.Context(), id)
}

func (s *Server) handleUserEdit(w http.ResponseWriter, r *http.Request) {
	u, err := s.routeUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"email": u.Email, "name": u.Name, "role": string(u.Role), "organisation_id": ""}
	if u.OrganisationID != nil {
		values["organisation_id"] = strconv.FormatInt(*u.OrganisationID, 10)
	}
	vm, err := s.userForm(r, u.Name, u.ID, values, nil)
	vm.Active = u.Active
	vm.LastLogin = formatDateTime(u.LastLoginAt, "aldrig")
	vm.NewPassword = s.sessions.PopString(r.Context(), sessSecret)
	s.renderUserForm(w, r, vm, err)
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	current, err := s.routeUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := current.ID
	u, values, verr := parseUser(r)
	u.ID = id
	var updated partnership.User
	if len(verr) == 0 {
		updated, err = s.auth.UpdateUser(r.Context(), actorOf(r), u)
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		vm, ferr := s.userForm(r, current.Name, id, values, verr)
		vm.Active = current.Active
		vm.LastLogin = formatDateTime(current.LastLoginAt, "aldrig")
		s.renderUserForm(w, r, vm, ferr)
		return
	}
	s.flash(r, fmt.Sprintf("Ändringarna av %s sparades.", updated.Name))
	http.Redirect(w, r, userPath(id), http.StatusSeeOther)
}

// confirmUser asks before disabling a user or resetting their password.
func (s *Server) confirmUser(w http.ResponseWriter, r *http.Request, heading, text, action, confirm string) {
	u, err := s.routeUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base: s.base(r, heading), Heading: heading, Text: fmt.Sprintf(text, u.Name, u.Email),
		Action: userPath(u.ID) + action, Confirm: confirm, Cancel: userPath(u.ID),
	}))
}

func (s *Server) handleUserDisableConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmUser(w, r, "Inaktivera konto",
		"Vill du inaktivera kontot för %s (%s)? Användaren loggas ut direkt och kan inte logga in förrän kontot aktiveras igen.",
		"/disable", "Inaktivera konto")
}

func (s *Server) handleUserPasswordConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmUser(w, r, "Återställ lösenord",
		"Vill du återställa lösenordet för %s (%s)? Ett nytt lösenord skapas och visas en gång, och användaren loggas ut överallt.",
		"/password", "Återställ lösenord")
}

// setActive enables or disables the user in the URL.
func (s *Server) setActive(w http.ResponseWriter, r *http.Request, active bool, done string) {
	id, err := idParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.auth.SetActive(r.Context(), actorOf(r), id, active)
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		s.flash(r, verr["active"])
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, fmt.Sprintf(done, u.Name))
	}
	http.Redirect(w, r, userPath(id), http.StatusSeeOther)
}

func (s *Server) handleUserDisable(w http.ResponseWriter, r *http.Request) {
	s.setActive(w, r, false, "Kontot för %s inaktiverades och användarens sessioner avslutades.")
}

func (s *Server) handleUserEnable(w http.ResponseWriter, r *http.Request) {
	s.setActive(w, r, true, "Kontot för %s aktiverades.")
}

func (s *Server) handleUserPasswordReset(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, password, err := s.auth.SetPassword(r.Context(), actorOf(r), id, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), sessSecret, password)
	s.flash(r, fmt.Sprintf("Lösenordet för %s återställdes.", u.Name))
	http.Redirect(w, r, userPath(id), http.StatusSeeOther)
}

func (s *Server) handleUserTOTPResetConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmUser(w, r, "Återställ tvåfaktorsinloggning",
		"Vill du återställa tvåfaktorsinloggningen för %s (%s)? Appens nyckel och alla återställningskoder tas bort. Administratörer och handläggare aktiverar en ny app nästa gång de loggar in med lösenord.",
		"/totp", "Återställ tvåfaktorsinloggning")
}

// handleUserTOTPReset removes a user's second factor, e.g. after a lost phone.
func (s *Server) handleUserTOTPReset(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.totp.Reset(r.Context(), actorOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "Tvåfaktorsinloggningen återställdes.")
	http.Redirect(w, r, userPath(id), http.StatusSeeOther)
}
