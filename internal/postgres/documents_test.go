package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// insertAgreement adds a bare agreement with plain SQL, independent of the
// agreement store.
func insertAgreement(t *testing.T, db postgres.DBTX, title string) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), `INSERT INTO agreements (title) VALUES ($1) RETURNING id`, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDocumentStore(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	first := insertAgreement(t, db.Pool, "Inkludering på lika villkor")
	other := insertAgreement(t, db.Pool, "Hoppfull framtid")
	uploader, err := postgres.NewUsers(db.Pool).Create(ctx,
		partnership.User{Email: "anna@kommun.se", Name: "Anna Andersson", Role: partnership.RoleOfficer}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewDocuments(db.Pool)

	content := []byte("%PDF-1.4\növerenskommelse\n%%EOF\n")
	d, err := partnership.NewDocument(first, partnership.DocumentSignedAgreement, "Överenskommelse.pdf", "Undertecknad", content)
	if err != nil {
		t.Fatal(err)
	}
	d.UploadedBy = &uploader.ID
	created, err := store.Create(ctx, d, content)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.UploaderName != "Anna Andersson" || created.UploadedAt.IsZero() ||
		created.FileName != "Överenskommelse.pdf" || created.Size != int64(len(content)) || created.SHA256 != d.SHA256 {
		t.Errorf("created %+v", created)
	}

	list, err := store.List(ctx, first)
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], created) {
		t.Errorf("list: %+v, %v; want [%+v]", list, err, created)
	}
	if list, err := store.List(ctx, other); err != nil || len(list) != 0 {
		t.Errorf("other agreement's list: %+v, %v", list, err)
	}
	got, data, err := store.Content(ctx, first, created.ID)
	if err != nil || !reflect.DeepEqual(got, created) || !bytes.Equal(data, content) {
		t.Errorf("content: %+v %q %v", got, data, err)
	}
	// A document is found only through its own agreement.
	if _, err := store.ByID(ctx, other, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("by id through another agreement: %v", err)
	}
	if _, _, err := store.Content(ctx, other, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("content through another agreement: %v", err)
	}
	if _, err := store.Delete(ctx, other, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete through another agreement: %v", err)
	}
	if title, err := store.AgreementTitle(ctx, first); err != nil || title != "Inkludering på lika villkor" {
		t.Errorf("title %q %v", title, err)
	}
	if _, err := store.AgreementTitle(ctx, 999999); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("title of unknown agreement: %v", err)
	}

	deleted, err := store.Delete(ctx, first, created.ID)
	if err != nil || !reflect.DeepEqual(deleted, created) {
		t.Errorf("delete: %+v %v", deleted, err)
	}
	if _, err := store.ByID(ctx, first, created.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestDocumentsGoWithTheirAgreement(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	id := insertAgreement(t, db.Pool, "Världens mammor")
	content := []byte("%PDF-1.7\n")
	d, err := partnership.NewDocument(id, partnership.DocumentAttachment, "bilaga.pdf", "", content)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewDocuments(db.Pool).Create(ctx, d, content); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM agreements WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM agreement_documents`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d documents left after their agreement was deleted (%v)", n, err)
	}
}

func TestDocumentTableRefusesInconsistentRows(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	id := insertAgreement(t, db.Pool, "Botkyrka")
	content := []byte("%PDF-1.7\n")
	good, err := partnership.NewDocument(id, partnership.DocumentAttachment, "bilaga.pdf", "", content)
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewDocuments(db.Pool)
	for name, change := range map[string]func(d *partnership.Document){
		"size differs from the content": func(d *partnership.Document) { d.Size++ },
		"unknown content type":          func(d *partnership.Document) { d.ContentType = "text/html" },
		"unknown kind":                  func(d *partnership.Document) { d.Kind = "contract" },
		"malformed digest":              func(d *partnership.Document) { d.SHA256 = "abc" },
		"unknown agreement":             func(d *partnership.Document) { d.AgreementID = 999999 },
	} {
		d := good
		change(&d)
		if _, err := store.Create(ctx, d, content); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
}
