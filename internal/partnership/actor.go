package partnership

// Actor is who performs a use case and from where: the signed-in user of a
// request (built once per request by the server's middleware), the command
// line or the system's own schedule. Use cases take it as a value, decide
// with it what the actor may do and record it in the audit event.
type Actor struct {
	UserID         int64  // 0 for the command line and the system itself
	Role           Role   // "" for the command line and the system itself
	OrganisationID *int64 // the organisation of association staff
	IP             string // "" when not over the web
	Via            string // "web", "cli" or "schedule"
}

// ActorOf is the actor of a signed-in user over the web, from ip.
func ActorOf(u User, ip string) Actor {
	return Actor{UserID: u.ID, Role: u.Role, OrganisationID: u.OrganisationID, IP: ip, Via: "web"}
}

// SystemActor is the system acting by itself (a schedule) or through the
// command line, where no user is signed in.
func SystemActor(via string) Actor { return Actor{Via: via} }

// ActorID is the user id for the audit log: nil when no user acts.
func (a Actor) ActorID() *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// Event is the audit event of the actor's action on an entity.
func (a Actor) Event(action, entity, entityID string, details map[string]any) AuditEvent {
	return AuditEvent{
		ActorID: a.ActorID(), Action: action, Entity: entity, EntityID: entityID, Details: details, ClientIP: a.IP,
	}
}

// InOrganisation reports whether the actor belongs to the organisation.
func (a Actor) InOrganisation(orgID int64) bool {
	return a.OrganisationID != nil && *a.OrganisationID == orgID
}
