package partnership

import (
	"fmt"
	"strings"
)

// MsgPartyTwice is the message when an organisation would be a party twice.
const MsgPartyTwice = "Organisationen är redan part i överenskommelsen."

// Validate checks the fields an officer enters on the party form, keyed by
// form field name.
func (p Party) Validate() error {
	v := ValidationError{}
	if p.OrganisationID <= 0 {
		v.Add("organisation_id", "Välj organisation.")
	}
	if !p.Role.Valid() {
		v.Add("role", "Välj partens roll.")
	}
	for field, text := range map[string]string{"signatory_name": p.SignatoryName, "signatory_title": p.SignatoryTitle} {
		if len([]rune(text)) > 200 {
			v.Add(field, "Högst 200 tecken.")
		}
	}
	if strings.TrimSpace(p.SignatoryName) == "" && p.SignedOn != nil {
		v.Add("signatory_name", "Ange vem som skrev under.")
	}
	if len(p.Representatives) > 50 {
		v.Add("representatives", "Ange högst 50 representanter.")
	}
	for _, r := range p.Representatives {
		if len([]rune(r)) > 200 {
			v.Add("representatives", "Varje representant får vara högst 200 tecken.")
		}
	}
	if len([]rune(p.Contribution)) > 20000 {
		v.Add("contribution", "Högst 20 000 tecken.")
	}
	return v.Err()
}

// Party returns the party with the id.
func (a Agreement) Party(id int64) (Party, bool) {
	for _, p := range a.Parties {
		if p.ID == id {
			return p, true
		}
	}
	return Party{}, false
}

// AddParty adds p as the last party. An organisation can be a party only
// once, and an agreement that is no longer a draft must stay complete.
func (a *Agreement) AddParty(p Party) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if a.hasOrganisation(p.OrganisationID, p.ID) {
		return ValidationError{"organisation_id": MsgPartyTwice}
	}
	p.ID = 0
	a.Parties = append(a.Parties, p)
	if err := a.stillComplete("signatory_name"); err != nil {
		a.Parties = a.Parties[:len(a.Parties)-1]
		return err
	}
	return nil
}

// UpdateParty replaces the party with p.ID by p; ErrNotFound when the
// agreement has no such party.
func (a *Agreement) UpdateParty(p Party) error {
	i := a.partyIndex(p.ID)
	if i < 0 {
		return fmt.Errorf("party %d of agreement %d: %w", p.ID, a.ID, ErrNotFound)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if a.hasOrganisation(p.OrganisationID, p.ID) {
		return ValidationError{"organisation_id": MsgPartyTwice}
	}
	before := a.Parties[i]
	a.Parties[i] = p
	if err := a.stillComplete("signatory_name"); err != nil {
		a.Parties[i] = before
		return err
	}
	return nil
}

// RemoveParty removes the party with the id and returns it; ErrNotFound when
// there is none. An active agreement keeps what activation required.
func (a *Agreement) RemoveParty(id int64) (Party, error) {
	i := a.partyIndex(id)
	if i < 0 {
		return Party{}, fmt.Errorf("party %d of agreement %d: %w", id, a.ID, ErrNotFound)
	}
	removed := a.Parties[i]
	before := a.Parties
	a.Parties = append(append([]Party{}, before[:i]...), before[i+1:]...)
	if err := a.stillComplete("party"); err != nil {
		a.Parties = before
		return Party{}, err
	}
	return removed, nil
}

func (a Agreement) partyIndex(id int64) int {
	for i, p := range a.Parties {
		if p.ID == id && id != 0 {
			return i
		}
	}
	return -1
}

// hasOrganisation reports whether another party than the one with id except
// is the organisation.
func (a Agreement) hasOrganisation(orgID, except int64) bool {
	for _, p := range a.Parties {
		if p.OrganisationID == orgID && (except == 0 || p.ID != except) {
			return true
		}
	}
	return false
}

// stillComplete refuses a change that would take away from an agreement
// that is no longer a draft something its activation required, reporting
// it under the form field.
func (a Agreement) stillComplete(field string) error {
	if a.Status == StatusDraft || a.Status == "" {
		return nil
	}
	if missing := a.MissingForActivation(); len(missing) > 0 {
		return ValidationError{field: "Överenskommelsen är inte längre ett utkast och måste behålla det som krävdes vid aktiveringen. Då skulle det saknas: " +
			strings.Join(missing, "; ") + "."}
	}
	return nil
}
