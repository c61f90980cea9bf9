package partnership

import (
	"errors"
	"strings"
	"testing"
)

func TestOrganisationInput(t *testing.T) {
	o, err := OrganisationInput{
		Name: "  Linköpings Stadsmission ", OrgNumber: "822001 0022", Kind: "association",
		PostalAddress: "Box 1\r\n581 02 Linköping  \r\n", InvoiceAddress: "",
	}.Organisation()
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "Linköpings Stadsmission" || o.OrgNumber != "8220010022" || o.Kind != OrgAssociation ||
		o.PostalAddress != "Box 1\n581 02 Linköping" {
		t.Errorf("parsed %+v", o)
	}

	tests := []struct {
		name  string
		in    OrganisationInput
		field string
		want  string // part of the message
	}{
		{"no name", OrganisationInput{Kind: "other"}, "name", "Ange organisationens namn"},
		{"long name", OrganisationInput{Name: strings.Repeat("a", 201), Kind: "other"}, "name", "högst 200"},
		{"no kind", OrganisationInput{Name: "X"}, "kind", "Välj typ"},
		{"unknown kind", OrganisationInput{Name: "X", Kind: "company"}, "kind", "Välj typ"},
		{"check digit", OrganisationInput{Name: "X", Kind: "other", OrgNumber: "212000-0448"}, "org_number", "Fel kontrollsiffra"},
		{"too short", OrganisationInput{Name: "X", Kind: "other", OrgNumber: "212000-044"}, "org_number", "Fel längd: organisationsnumret ska ha 10 siffror, men du angav 9."},
		{"too long", OrganisationInput{Name: "X", Kind: "other", OrgNumber: "212000-04491"}, "org_number", "men du angav 11"},
		{"letters", OrganisationInput{Name: "X", Kind: "other", OrgNumber: "21200O-0449"}, "org_number", "Otillåtna tecken"},
		{"long address", OrganisationInput{Name: "X", Kind: "other", PostalAddress: strings.Repeat("a", 1001)}, "postal_address", "högst 1000"},
		{"long invoice address", OrganisationInput{Name: "X", Kind: "other", InvoiceAddress: strings.Repeat("å", 1001)}, "invoice_address", "högst 1000"},
	}
	for _, tt := range tests {
		_, err := tt.in.Organisation()
		var verr ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%s: error %v, want a validation error", tt.name, err)
			continue
		}
		if !strings.Contains(verr[tt.field], tt.want) {
			t.Errorf("%s: %s message %q, want it to contain %q", tt.name, tt.field, verr[tt.field], tt.want)
		}
	}

	// Every failing field is reported at once.
	_, err = OrganisationInput{OrgNumber: "1"}.Organisation()
	if verr, ok := err.(ValidationError); !ok || len(verr) != 3 {
		t.Errorf("all problems at once: %v", err)
	}
}

func TestContactValidate(t *testing.T) {
	valid := []Contact{
		{Name: "Anna Svensson"},
		{Name: "Anna Svensson", Title: "Verksamhetsledare", Email: "anna@forening.se", Phone: "013-20 60 00"},
		{Name: "Anna", Phone: "+46 (0)13 20 60 00"},
		{Name: "Anna", Phone: "0701234567"},
	}
	for _, c := range valid {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	invalid := []struct {
		c     Contact
		field string
	}{
		{Contact{Name: " "}, "name"},
		{Contact{Name: strings.Repeat("n", 201)}, "name"},
		{Contact{Name: "A", Title: strings.Repeat("t", 201)}, "title"},
		{Contact{Name: "A", Email: "anna"}, "email"},
		{Contact{Name: "A", Email: "Anna <anna@forening.se>"}, "email"},
		{Contact{Name: "A", Phone: "ring mig"}, "phone"},
		{Contact{Name: "A", Phone: "1234"}, "phone"},
		{Contact{Name: "A", Phone: "013+123456"}, "phone"},
		{Contact{Name: "A", Phone: strings.Repeat("1", 21)}, "phone"},
	}
	for _, tt := range invalid {
		err := tt.c.Validate()
		var verr ValidationError
		if !errors.As(err, &verr) || verr[tt.field] == "" {
			t.Errorf("%+v: error %v, want one on %s", tt.c, err, tt.field)
		}
	}
	if got := (Contact{Name: " A ", Email: " a@b.se "}).Normalize(); got.Name != "A" || got.Email != "a@b.se" {
		t.Errorf("Normalize: %+v", got)
	}
}
