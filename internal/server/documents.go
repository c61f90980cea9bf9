package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

func documentsPath(agreementID int64) string { return agreementPath(agreementID) + "/documents" }

func documentPath(agreementID, docID int64) string {
	return documentsPath(agreementID) + "/" + strconv.FormatInt(docID, 10)
}

// agreementAndDocumentID reads both ids of a document route. The agreement
// goes through agreementID, so association staff cannot reach another
// organisation's documents; the stores find a document only through its own
// agreement.
func (s *Server) agreementAndDocumentID(r *http.Request) (int64, int64, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return 0, 0, err
	}
	docID, err := urlID(r, "docID")
	return id, docID, err
}

func (s *Server) handleDocumentList(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderDocuments(w, r, id, templates.Form{Values: map[string]string{}})
}

// renderDocuments shows the documents page, with status 422 when the upload
// form has errors.
func (s *Server) renderDocuments(w http.ResponseWriter, r *http.Request, agreementID int64, form templates.Form) {
	store := postgres.NewDocuments(s.db.Pool)
	title, err := store.AgreementTitle(r.Context(), agreementID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs, err := store.List(r.Context(), agreementID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canEdit := currentUser(r).Role.CanEditAgreements()
	vm := templates.DocumentsVM{
		Base: s.base(r, "Dokument – "+title), AgreementTitle: title,
		AgreementURL: agreementPath(agreementID), MaxSize: "20 MB", Form: form,
	}
	if canEdit {
		vm.UploadURL = documentsPath(agreementID)
		for _, k := range partnership.DocumentKinds {
			vm.Kinds = append(vm.Kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: form.Value("kind") == string(k)})
		}
	}
	for _, d := range docs {
		row := templates.DocumentRow{
			Name: d.FileName, DownloadURL: documentPath(agreementID, d.ID), Kind: d.Kind.Label(),
			Description: d.Description, Size: formatSize(d.Size), UploadedBy: d.UploaderName,
			UploadedAt: formatDateTime(&d.UploadedAt, ""),
		}
		if canEdit {
			row.DeleteURL = documentPath(agreementID, d.ID) + "/delete"
		}
		vm.Documents = append(vm.Documents, row)
	}
	s.render(w, r, formStatus(form), templates.DocumentsPage(vm))
}

// upload is what the upload form sent.
type upload struct {
	values   map[string]string // kind and description, kept for re-rendering
	fileName string
	content  []byte
}

// readUpload reads the multipart form, which readInput has parsed under the
// upload limit. A form that holds no file, or one over the document limit,
// is a validation error on the file field.
func readUpload(r *http.Request) (upload, partnership.ValidationError, error) {
	up := upload{values: map[string]string{"kind": "", "description": ""}}
	verr := partnership.ValidationError{}
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		verr.Add("file", partnership.MsgDocumentMissing)
		return up, verr, nil
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files; the OS cleans up what is left
	up.values = postedValues(r, "kind", "description")
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		verr.Add("file", partnership.MsgDocumentMissing)
		return up, verr, nil
	}
	if err != nil {
		return up, nil, fmt.Errorf("open uploaded file: %w", err)
	}
	defer file.Close()
	if header.Size > partnership.MaxDocumentSize {
		verr.Add("file", partnership.MsgDocumentTooLarge)
		return up, verr, nil
	}
	up.fileName = header.Filename
	if up.content, err = io.ReadAll(io.LimitReader(file, partnership.MaxDocumentSize+1)); err != nil {
		return up, nil, fmt.Errorf("read uploaded file: %w", err)
	}
	return up, verr, nil
}

func (s *Server) handleDocumentUpload(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, verr, err := readUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var doc partnership.Document
	if len(verr) == 0 {
		doc, err = partnership.NewDocument(id, partnership.DocumentKind(up.values["kind"]), up.fileName, up.values["description"], up.content)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		s.renderDocuments(w, r, id, templates.Form{Values: up.values, Errors: verr})
		return
	}
	doc.UploadedBy = &currentUser(r).ID
	err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		created, err := postgres.NewDocuments(tx).Create(r.Context(), doc, up.content)
		if err != nil {
			return err
		}
		doc = created
		return postgres.NewAudit(tx).Record(r.Context(), s.documentEvent(r, "document.upload", created))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Dokumentet %s laddades upp.", doc.FileName))
	http.Redirect(w, r, documentsPath(id), http.StatusSeeOther)
}

// handleDocumentDownload sends a document as an attachment, never to be
// shown inline, with the type detected at upload. The read is audited in
// the transaction that reads it, so no download goes unrecorded.
func (s *Server) handleDocumentDownload(w http.ResponseWriter, r *http.Request) {
	id, docID, err := s.agreementAndDocumentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var doc partnership.Document
	var content []byte
	err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		if doc, content, err = postgres.NewDocuments(tx).Content(r.Context(), id, docID); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(r.Context(), s.documentEvent(r, "document.download", doc))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", doc.ContentType)
	h.Set("Content-Disposition", attachmentDisposition(doc.FileName))
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(content) //nolint:errcheck // the client went away
}

func (s *Server) handleDocumentDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	id, docID, err := s.agreementAndDocumentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := postgres.NewDocuments(s.db.Pool).ByID(r.Context(), id, docID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base: s.base(r, "Ta bort dokument"), Heading: "Ta bort dokument",
		Text: fmt.Sprintf("Vill du ta bort %s (%s, %s) från överenskommelsen? Dokumentet raderas och kan inte återställas.",
			doc.FileName, strings.ToLower(doc.Kind.Label()), formatSize(doc.Size)),
		Action: documentPath(id, docID) + "/delete", Confirm: "Ta bort dokument", Cancel: documentsPath(id),
	}))
}

func (s *Server) handleDocumentDelete(w http.ResponseWriter, r *http.Request) {
	id, docID, err := s.agreementAndDocumentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var doc partnership.Document
	err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		if doc, err = postgres.NewDocuments(tx).Delete(r.Context(), id, docID); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(r.Context(), s.documentEvent(r, "document.delete", doc))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Dokumentet %s togs bort.", doc.FileName))
	http.Redirect(w, r, documentsPath(id), http.StatusSeeOther)
}

// documentEvent is the audit event of an action on a document, recorded on
// its agreement so that it shows in the agreement's history.
func (s *Server) documentEvent(r *http.Request, action string, d partnership.Document) partnership.AuditEvent {
	return s.agreementEvent(r, action, d.AgreementID, map[string]any{"document_id": d.ID, "file_name": d.FileName})
}

// attachmentDisposition names the download after RFC 6266: an ASCII
// fallback for old clients, and the exact UTF-8 name in filename*.
func attachmentDisposition(name string) string {
	var fallback, encoded strings.Builder
	for _, c := range name {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' {
			fallback.WriteByte('_')
		} else {
			fallback.WriteRune(c)
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + encoded.String()
}

// isAttrChar reports whether b may stand unencoded in an RFC 8187 value.
func isAttrChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}

// formatSize shows a file size the Swedish way: "850 byte", "312 kB",
// "1,5 MB", counting in 1024s as the 20 MB limit does.
func formatSize(n int64) string {
	const kb, mb = 1024, 1024 * 1024
	switch {
	case n < kb:
		return fmt.Sprintf("%d byte", n)
	case n < mb-kb/2:
		return fmt.Sprintf("%d kB", (n+kb/2)/kb)
	}
	tenths := (n*10 + mb/2) / mb
	return fmt.Sprintf("%d,%d MB", tenths/10, tenths%10)
}
