package partnership_test

import (
	"errors"
	"testing"

	"iop/internal/partnership"
)

func TestChecklist(t *testing.T) {
	a := complete()
	a.RepresentativesPerParty = 1
	a.Parties[0].Representatives = []string{"Anna, chef"}
	a.Parties[0].Contribution = "800 000 kr per år"
	present := map[string]bool{}
	for _, item := range a.Checklist() {
		present[item.Key] = item.Present
	}
	want := map[string]bool{
		"parties": true, "cofinancing": false, "purpose": false, "values": false, "target_group": false,
		"activities": false, "steering_group": false, "follow_up": false, "economy": false, "validity": true,
		"notice": true, "termination": false, "signatures": true,
	}
	for k, v := range want {
		if present[k] != v {
			t.Errorf("%s: present %v, want %v", k, present[k], v)
		}
	}
	a.Parties[1].Representatives = []string{"Bo, ordförande"}
	a.Parties[1].Contribution = "Lokaler och ideellt arbete"
	a.Sections.Purpose = "Syfte"
	for _, item := range a.Checklist() {
		if (item.Key == "steering_group" || item.Key == "cofinancing" || item.Key == "purpose") && !item.Present {
			t.Errorf("%s still missing", item.Key)
		}
	}
}

func TestPartiesOfAnActiveAgreementStayComplete(t *testing.T) {
	a := active()
	third := partnership.Party{OrganisationID: 3, Role: partnership.PartyPartnerAssociation, SignatoryName: "Ulla"}
	if err := a.AddParty(third); err != nil || len(a.Parties) != 3 {
		t.Fatalf("add a signed party: %v", err)
	}
	var verr partnership.ValidationError
	if err := a.AddParty(partnership.Party{OrganisationID: 4, Role: partnership.PartyPartnerAssociation}); !errors.As(err, &verr) ||
		verr["signatory_name"] == "" || len(a.Parties) != 3 {
		t.Errorf("add an unsigned party to an active agreement: %v", err)
	}
	if err := a.AddParty(partnership.Party{OrganisationID: 2, Role: partnership.PartyPartnerAssociation, SignatoryName: "X"}); !errors.As(err, &verr) ||
		verr["organisation_id"] != partnership.MsgPartyTwice {
		t.Errorf("the same organisation twice: %v", err)
	}
	unsigned := a.Parties[1]
	unsigned.SignatoryName = ""
	if err := a.UpdateParty(unsigned); !errors.As(err, &verr) || a.Parties[1].SignatoryName == "" {
		t.Errorf("remove a signatory from an active agreement: %v", err)
	}
	if _, err := a.RemoveParty(10); !errors.As(err, &verr) || len(a.Parties) != 3 {
		t.Errorf("remove the municipality: %v", err)
	}
	if _, err := a.RemoveParty(99); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("remove an unknown party: %v", err)
	}
	draft := complete()
	if removed, err := draft.RemoveParty(10); err != nil || removed.ID != 10 || len(draft.Parties) != 1 {
		t.Errorf("a draft may lose a party: %v", err)
	}
	edited := draft.Parties[0]
	edited.SignatoryName = ""
	if err := draft.UpdateParty(edited); err != nil || draft.Parties[0].SignatoryName != "" {
		t.Errorf("a draft's party may be edited freely: %v", err)
	}
}

func TestValidateKeepsTheValidityOfAnActiveAgreement(t *testing.T) {
	a := active()
	a.StartDate, a.EndDate = nil, nil
	var verr partnership.ValidationError
	if err := a.Validate(); !errors.As(err, &verr) || verr["start_date"] == "" || verr["end_date"] == "" {
		t.Errorf("active without dates: %v", err)
	}
	d := complete()
	d.StartDate, d.EndDate = nil, nil
	if err := d.Validate(); err != nil {
		t.Errorf("a draft without dates: %v", err)
	}
	huge, negative := 100001, -1
	d.ParticipantsMin, d.ParticipantsMax = &negative, &huge
	if err := d.Validate(); !errors.As(err, &verr) || verr["participants_min"] == "" || verr["participants_max"] == "" {
		t.Errorf("participants out of range: %v", err)
	}
	d.ParticipantsMin, d.ParticipantsMax = nil, nil
	d.EndDate, d.StartDate = dayp("2018-01-01"), dayp("2019-01-01")
	if err := d.Validate(); !errors.As(err, &verr) || verr["end_date"] == "" {
		t.Errorf("end before start: %v", err)
	}
}
