package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestOrganisationCreateUpdateAndUniqueness(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	orgs := postgres.NewOrganisations(db.Pool)

	created, err := orgs.Create(ctx, partnership.Organisation{
		Name: "Linköpings Stadsmission", OrgNumber: "8220010022", Kind: partnership.OrgAssociation,
		PostalAddress: "Box 1\n581 02 Linköping",
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 || created.PostalAddress != "Box 1\n581 02 Linköping" || created.InvoiceAddress != "" {
		t.Errorf("created %+v", created)
	}

	// The same org number again is a field error, not a failure.
	_, err = orgs.Create(ctx, partnership.Organisation{Name: "Annan förening", OrgNumber: "8220010022", Kind: partnership.OrgAssociation})
	var verr partnership.ValidationError
	if !errors.As(err, &verr) || verr["org_number"] == "" || len(verr) != 1 {
		t.Fatalf("duplicate org number: %v", err)
	}
	_, err = orgs.Create(ctx, partnership.Organisation{Name: "LINKÖPINGS STADSMISSION", Kind: partnership.OrgAssociation})
	if !errors.As(err, &verr) || verr["name"] == "" {
		t.Fatalf("duplicate name: %v", err)
	}
	// Several organisations may lack a number.
	other, err := orgs.Create(ctx, partnership.Organisation{Name: "KISAM-Världens mammor", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs.Create(ctx, partnership.Organisation{Name: "Hela Människan", Kind: partnership.OrgAssociation}); err != nil {
		t.Fatal(err)
	}

	// Editing to a taken number is refused the same way.
	other.OrgNumber = "8220010022"
	if _, err := orgs.Update(ctx, other); !errors.As(err, &verr) || verr["org_number"] == "" {
		t.Fatalf("update to a taken number: %v", err)
	}

	// An update bumps the version; one from the old version is a conflict.
	edit := created
	edit.InvoiceAddress = "Fakturaservice\nBox 2"
	edit.OrgNumber = ""
	updated, err := orgs.Update(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.InvoiceAddress != "Fakturaservice\nBox 2" || updated.OrgNumber != "" {
		t.Errorf("updated %+v", updated)
	}
	if _, err := orgs.Update(ctx, edit); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale update: %v, want a conflict", err)
	}
	edit.ID = 999999
	if _, err := orgs.Update(ctx, edit); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("update of a missing organisation: %v", err)
	}
	found, err := orgs.ByID(ctx, created.ID)
	if err != nil || found != updated {
		t.Errorf("read back %+v, %v; want %+v", found, err, updated)
	}
}

func TestOrganisationSearch(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	orgs := postgres.NewOrganisations(db.Pool)
	for _, o := range []partnership.Organisation{
		{Name: "Östgöta förening", Kind: partnership.OrgAssociation},
		{Name: "Linköpings kommun", OrgNumber: "2120000449", Kind: partnership.OrgMunicipality},
		{Name: "Arbetsförmedlingen", Kind: partnership.OrgAuthority},
		{Name: "Internationella Kvinnoföreningen", OrgNumber: "8220013331", Kind: partnership.OrgAssociation},
		{Name: "Ändamålet 100%_ AB", Kind: partnership.OrgOther},
		{Name: "Linköpings Stadsmission", OrgNumber: "8220010022", Kind: partnership.OrgAssociation},
	} {
		if _, err := orgs.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	names := func(q postgres.OrganisationQuery) ([]string, int) {
		t.Helper()
		page, err := orgs.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range page.Items {
			out = append(out, o.Name)
		}
		return out, page.Total
	}
	tests := []struct {
		q    postgres.OrganisationQuery
		want []string
	}{
		{postgres.OrganisationQuery{}, []string{"Arbetsförmedlingen", "Internationella Kvinnoföreningen", "Linköpings kommun", "Linköpings Stadsmission", "Ändamålet 100%_ AB", "Östgöta förening"}},
		{postgres.OrganisationQuery{Text: "linköping"}, []string{"Linköpings kommun", "Linköpings Stadsmission"}},
		{postgres.OrganisationQuery{Text: "ÖSTGÖTA"}, []string{"Östgöta förening"}},
		{postgres.OrganisationQuery{Text: "822001-"}, []string{"Internationella Kvinnoföreningen", "Linköpings Stadsmission"}},
		{postgres.OrganisationQuery{Text: "822001-3331"}, []string{"Internationella Kvinnoföreningen"}},
		{postgres.OrganisationQuery{Text: "8220013331"}, []string{"Internationella Kvinnoföreningen"}},
		{postgres.OrganisationQuery{Text: "%"}, []string{"Ändamålet 100%_ AB"}},
		{postgres.OrganisationQuery{Text: "_"}, []string{"Ändamålet 100%_ AB"}},
		{postgres.OrganisationQuery{Kind: partnership.OrgAssociation}, []string{"Internationella Kvinnoföreningen", "Linköpings Stadsmission", "Östgöta förening"}},
		{postgres.OrganisationQuery{Text: "förening", Kind: partnership.OrgAssociation}, []string{"Internationella Kvinnoföreningen", "Östgöta förening"}},
		{postgres.OrganisationQuery{Desc: true, Limit: 2}, []string{"Östgöta förening", "Ändamålet 100%_ AB"}},
		{postgres.OrganisationQuery{Limit: 2, Offset: 2}, []string{"Linköpings kommun", "Linköpings Stadsmission"}},
		// Without a number last, in both directions.
		{postgres.OrganisationQuery{Sort: postgres.SortOrganisationOrgNumber}, []string{"Linköpings kommun", "Linköpings Stadsmission", "Internationella Kvinnoföreningen", "Arbetsförmedlingen", "Ändamålet 100%_ AB", "Östgöta förening"}},
		{postgres.OrganisationQuery{Sort: postgres.SortOrganisationOrgNumber, Desc: true, Limit: 4}, []string{"Internationella Kvinnoföreningen", "Linköpings Stadsmission", "Linköpings kommun", "Östgöta förening"}},
		// By the Swedish label: Förening, Kommun, Myndighet, Övrig.
		{postgres.OrganisationQuery{Sort: postgres.SortOrganisationKind}, []string{"Internationella Kvinnoföreningen", "Linköpings Stadsmission", "Östgöta förening", "Linköpings kommun", "Arbetsförmedlingen", "Ändamålet 100%_ AB"}},
		{postgres.OrganisationQuery{Sort: postgres.SortOrganisationKind, Desc: true, Limit: 2}, []string{"Ändamålet 100%_ AB", "Arbetsförmedlingen"}},
		{postgres.OrganisationQuery{Text: "finns inte"}, nil},
	}
	for _, tt := range tests {
		got, total := names(tt.q)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.q, got, tt.want)
		}
		if tt.q.Limit == 0 && total != len(tt.want) {
			t.Errorf("%+v: total %d, want %d", tt.q, total, len(tt.want))
		}
	}
	if _, total := names(postgres.OrganisationQuery{Limit: 2, Offset: 4}); total != 6 {
		t.Errorf("total of a later page: %d", total)
	}
}

func TestOrganisationContactsCRUD(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	orgs := postgres.NewOrganisations(db.Pool)
	contacts := postgres.NewOrganisationContacts(db.Pool)
	ikf, err := orgs.Create(ctx, partnership.Organisation{Name: "IKF", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	other, err := orgs.Create(ctx, partnership.Organisation{Name: "Annan", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}

	amina, err := contacts.Create(ctx, partnership.Contact{OrganisationID: ikf.ID, Name: "Amina Hassan", Title: "Verksamhetsledare", Email: "amina@ikf.example", Phone: "013-12 34 56"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.Create(ctx, partnership.Contact{OrganisationID: ikf.ID, Name: "Birgitta Ek"}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.Create(ctx, partnership.Contact{OrganisationID: 999999, Name: "Ingen"}); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("contact of a missing organisation: %v", err)
	}

	list, err := contacts.List(ctx, ikf.ID)
	if err != nil || len(list) != 2 || list[0].Name != "Amina Hassan" || list[1].Name != "Birgitta Ek" {
		t.Fatalf("list %+v, %v", list, err)
	}
	found, err := contacts.ByID(ctx, ikf.ID, amina.ID)
	if err != nil || found != amina {
		t.Errorf("by id %+v, %v", found, err)
	}
	// A contact is reachable only through its own organisation.
	if _, err := contacts.ByID(ctx, other.ID, amina.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("through another organisation: %v", err)
	}
	if _, err := contacts.Delete(ctx, other.ID, amina.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete through another organisation: %v", err)
	}

	amina.Title = "Ordförande"
	amina.Phone = ""
	updated, err := contacts.Update(ctx, amina)
	if err != nil || updated.Title != "Ordförande" || updated.Phone != "" || updated.Email != "amina@ikf.example" {
		t.Errorf("update %+v, %v", updated, err)
	}
	moved := amina
	moved.OrganisationID = other.ID
	if _, err := contacts.Update(ctx, moved); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("update through another organisation: %v", err)
	}

	deleted, err := contacts.Delete(ctx, ikf.ID, amina.ID)
	if err != nil || deleted.Name != "Amina Hassan" {
		t.Fatalf("delete %+v, %v", deleted, err)
	}
	if _, err := contacts.ByID(ctx, ikf.ID, amina.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if list, _ := contacts.List(ctx, ikf.ID); len(list) != 1 {
		t.Errorf("after delete %d contacts", len(list))
	}

	// Contacts go with their organisation.
	if _, err := db.Pool.Exec(ctx, `DELETE FROM organisations WHERE id = $1`, ikf.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM organisation_contacts`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d contacts left, %v", left, err)
	}
}
