package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Documents stores the files attached to agreements. Every lookup names the
// agreement as well as the document, so a document id is only ever found
// through the agreement it belongs to.
type Documents struct{ db DBTX }

// NewDocuments returns a document store on db (a pool or a transaction).
func NewDocuments(db DBTX) *Documents { return &Documents{db: db} }

// documentColumns are the metadata columns; the content is read only when
// a document is downloaded.
const documentColumns = `d.id, d.agreement_id, d.kind, d.file_name, d.content_type, d.size_bytes,
	d.sha256, d.description, d.uploaded_by, coalesce(u.name, '') AS uploader_name, d.uploaded_at`

const documentFrom = ` FROM agreement_documents d LEFT JOIN users u ON u.id = d.uploaded_by`

// changedFrom reads the row an INSERT or DELETE returned in the CTE "changed".
const changedFrom = ` FROM changed d LEFT JOIN users u ON u.id = d.uploaded_by`

type documentRow struct {
	ID           int64
	AgreementID  int64
	Kind         string
	FileName     string
	ContentType  string
	SizeBytes    int64
	SHA256       string `db:"sha256"`
	Description  string
	UploadedBy   *int64
	UploaderName string
	UploadedAt   time.Time
}

func (r documentRow) document() partnership.Document {
	return partnership.Document{
		ID: r.ID, AgreementID: r.AgreementID, Kind: partnership.DocumentKind(r.Kind),
		FileName: r.FileName, ContentType: r.ContentType, Size: r.SizeBytes, SHA256: r.SHA256,
		Description: r.Description, UploadedBy: r.UploadedBy, UploaderName: r.UploaderName,
		UploadedAt: r.UploadedAt,
	}
}

// collectDocument reads the one document a statement returned.
func collectDocument(rows pgx.Rows, what string) (partnership.Document, error) {
	d, err := pgx.CollectExactlyOneRow(rows, rowTo(documentRow.document))
	if err != nil {
		return partnership.Document{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return d, nil
}

// Create stores d with its content and returns it as stored. d must come
// from partnership.NewDocument, which has checked the content.
func (s *Documents) Create(ctx context.Context, d partnership.Document, content []byte) (partnership.Document, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			INSERT INTO agreement_documents (agreement_id, kind, file_name, content_type, size_bytes,
			                                 sha256, description, content, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING id, agreement_id, kind, file_name, content_type, size_bytes, sha256,
			          description, uploaded_by, uploaded_at)
		SELECT `+documentColumns+changedFrom,
		d.AgreementID, d.Kind, d.FileName, d.ContentType, d.Size, d.SHA256, d.Description, content, d.UploadedBy)
	return collectDocument(rows, fmt.Sprintf("create document for agreement %d", d.AgreementID))
}

// List returns the documents of an agreement, the newest first.
func (s *Documents) List(ctx context.Context, agreementID int64) ([]partnership.Document, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+documentColumns+documentFrom+`
		WHERE d.agreement_id = $1 ORDER BY d.uploaded_at DESC, d.id DESC`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(documentRow.document))
	if err != nil {
		return nil, fmt.Errorf("list documents of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// ByID finds a document of an agreement, without its content.
func (s *Documents) ByID(ctx context.Context, agreementID, id int64) (partnership.Document, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+documentColumns+documentFrom+`
		WHERE d.agreement_id = $1 AND d.id = $2`, agreementID, id)
	return collectDocument(rows, fmt.Sprintf("find document %d of agreement %d", id, agreementID))
}

// Content finds a document of an agreement together with its content.
func (s *Documents) Content(ctx context.Context, agreementID, id int64) (partnership.Document, []byte, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+documentColumns+`, d.content`+documentFrom+`
		WHERE d.agreement_id = $1 AND d.id = $2`, agreementID, id)
	type contentRow struct {
		documentRow
		Content []byte
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[contentRow])
	if err != nil {
		return partnership.Document{}, nil, fmt.Errorf("read document %d of agreement %d: %w", id, agreementID, mapError(err))
	}
	return row.document(), row.Content, nil
}

// Delete removes a document of an agreement and returns what it was.
func (s *Documents) Delete(ctx context.Context, agreementID, id int64) (partnership.Document, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			DELETE FROM agreement_documents WHERE agreement_id = $1 AND id = $2
			RETURNING id, agreement_id, kind, file_name, content_type, size_bytes, sha256,
			          description, uploaded_by, uploaded_at)
		SELECT `+documentColumns+changedFrom, agreementID, id)
	return collectDocument(rows, fmt.Sprintf("delete document %d of agreement %d", id, agreementID))
}

// AgreementTitle is the title of an agreement, for the heading of its
// documents page.
func (s *Documents) AgreementTitle(ctx context.Context, agreementID int64) (string, error) {
	var title string
	if err := s.db.QueryRow(ctx, `SELECT title FROM agreements WHERE id = $1`, agreementID).Scan(&title); err != nil {
		return "", fmt.Errorf("title of agreement %d: %w", agreementID, mapError(err))
	}
	return title, nil
}
