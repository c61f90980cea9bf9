package partnership

import (
	"log/slog"
	"strings"
	"time"
)

// Limits of the identifying fields.
const (
	MaxIdentityName  = 200
	MaxIdentityPhone = 30
	MaxIdentityEmail = 254
)

// Identity is a participant's identifying data. It is stored only encrypted,
// only while a consent for identity storage is in force, and every read of
// it is audited. String, GoString and LogValue redact it, so that an
// Identity passed to fmt or slog by mistake prints no personal data; read
// the fields explicitly where they are to be shown.
type Identity struct {
	Name         string
	Personnummer Personnummer
	Phone        string
	Email        string
}

// redacted is what an Identity prints as.
const redacted = "[identitet]"

// IsZero reports whether no identifying field is set.
func (i Identity) IsZero() bool {
	return i.Name == "" && i.Personnummer.IsZero() && i.Phone == "" && i.Email == ""
}

// String redacts the identity.
func (i Identity) String() string { return redacted }

// GoString redacts the identity from %#v too.
func (i Identity) GoString() string { return redacted }

// LogValue keeps the identity out of structured logs.
func (i Identity) LogValue() slog.Value { return slog.StringValue(redacted) }

// Fields names the fields that are set, by form field name, for audit
// details that say what changed without saying what it is.
func (i Identity) Fields() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"name", i.Name != ""}, {"personnummer", !i.Personnummer.IsZero()}, {"phone", i.Phone != ""}, {"email", i.Email != ""}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// ParseIdentity reads the identifying fields as entered, keyed by form
// field name. The personnummer is checked by ParsePersonnummer. Its errors
// never repeat what was entered.
func ParseIdentity(name, personnummer, phone, email string, today time.Time) (Identity, error) {
	v := ValidationError{}
	id := Identity{
		Name:  strings.Join(strings.Fields(name), " "),
		Phone: strings.TrimSpace(phone),
		Email: strings.TrimSpace(email),
	}
	if len([]rune(id.Name)) > MaxIdentityName {
		v.Add("name", "Namnet får vara högst 200 tecken.")
	}
	pnr, err := ParsePersonnummer(personnummer, today)
	if err != nil {
		v.Add("personnummer", err.Error())
	}
	id.Personnummer = pnr
	if id.Phone != "" && (len(id.Phone) > MaxIdentityPhone || !validPhone(id.Phone)) {
		v.Add("phone", "Ange telefonnumret med siffror, till exempel 070-123 45 67 eller +46 70 123 45 67.")
	}
	if id.Email != "" && (len(id.Email) > MaxIdentityEmail || !validEmail(id.Email)) {
		v.Add("email", "Ange en giltig e-postadress, till exempel namn@exempel.se.")
	}
	if err := v.Err(); err != nil {
		return Identity{}, err
	}
	return id, nil
}

// Consent is a participant's consent to a scope, as recorded by staff.
type Consent struct {
	ID            int64
	ParticipantID int64
	Scope         ConsentScope
	GivenOn       time.Time
	WithdrawnOn   *time.Time
	RecordedBy    *int64
	WithdrawnBy   *int64
	CreatedAt     time.Time
}

// Messages of the consent rules.
const (
	MsgConsentScope       = "Välj vad samtycket gäller."
	MsgConsentGivenOn     = "Ange ett datum då samtycket gavs, senast i dag."
	MsgConsentWithdrawn   = "Samtycket är redan återkallat."
	MsgConsentWithdrawnOn = "Återkallelsen kan inte vara före samtycket eller efter dagens datum."
	MsgIdentityNoConsent  = "Identitetsuppgifter kan bara sparas när deltagaren har ett gällande samtycke till lagring av identitetsuppgifter. Registrera samtycket först."
)

// Validate checks a consent being recorded on today, keyed by form field.
func (c Consent) Validate(today time.Time) error {
	v := ValidationError{}
	if !consentScopes.valid(c.Scope) {
		v.Add("scope", MsgConsentScope)
	}
	if c.GivenOn.IsZero() || c.GivenOn.Year() < MinParticipantYear || dayOf(c.GivenOn).After(dayOf(today)) {
		v.Add("given_on", MsgConsentGivenOn)
	}
	return v.Err()
}

// InForceOn reports whether the consent holds on day: given on or before it
// and not withdrawn on or before it.
func (c Consent) InForceOn(day time.Time) bool {
	day = dayOf(day)
	return !dayOf(c.GivenOn).After(day) && (c.WithdrawnOn == nil || dayOf(*c.WithdrawnOn).After(day))
}

// Withdraw records the withdrawal on the date: not before the consent was
// given, not after today, and only once.
func (c *Consent) Withdraw(on time.Time, by *int64, today time.Time) error {
	if c.WithdrawnOn != nil {
		return ValidationError{"withdrawn_on": MsgConsentWithdrawn}
	}
	on = dayOf(on)
	if on.Before(dayOf(c.GivenOn)) || on.After(dayOf(today)) {
		return ValidationError{"withdrawn_on": MsgConsentWithdrawnOn}
	}
	c.WithdrawnOn, c.WithdrawnBy = &on, by
	return nil
}

// ConsentInForce reports whether one of the consents of scope holds on day.
func ConsentInForce(consents []Consent, scope ConsentScope, day time.Time) bool {
	for _, c := range consents {
		if c.Scope == scope && c.InForceOn(day) {
			return true
		}
	}
	return false
}

// MaySeeIdentity is the one rule for who may see a participant's identity:
// association staff of an organisation that is a party to the participant's
// agreement (partyOrganisations), and the coordinator who referred the
// participant. Nobody else: not officers, not viewers and not
// administrators, although they may see everything else, because the
// municipality follows the partnership up on statistics and has no need of
// who the participants are; not a coordinator for participants someone else
// referred; and not the command line or the system.
func MaySeeIdentity(a Actor, p Participant, partyOrganisations []int64) bool {
	switch a.Role {
	case RoleAssociationStaff:
		for _, org := range partyOrganisations {
			if a.InOrganisation(org) {
				return true
			}
		}
	case RoleCoordinator:
		return a.UserID != 0 && p.ReferredBy != nil && *p.ReferredBy == a.UserID
	}
	return false
}

// MaySeeParticipant reports whether the actor may see the pseudonymous
// participant (code and statistical fields): whoever may see its identity,
// and the municipality's officers and administrators, who follow the
// agreements up on statistics. Viewers may see no personal data, and a
// pseudonymous record is still personal data: they see participants only
// as the annual reports' disclosure-controlled figures.
func MaySeeParticipant(a Actor, p Participant, partyOrganisations []int64) bool {
	switch a.Role {
	case RoleAdmin, RoleOfficer:
		return true
	}
	return MaySeeIdentity(a, p, partyOrganisations)
}

// MayManageParticipants reports whether the actor may change the
// participants of an agreement whose party organisations are given: enrol,
// decline, exit, edit and record consent. Only the association staff of a
// party do; coordinators refer, the municipality reads.
func MayManageParticipants(a Actor, partyOrganisations []int64) bool {
	if a.Role != RoleAssociationStaff {
		return false
	}
	for _, org := range partyOrganisations {
		if a.InOrganisation(org) {
			return true
		}
	}
	return false
}
