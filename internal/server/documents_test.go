package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

const ikfName = "Internationella Kvinnoföreningen Linköping (IKF)"

// docAgreement inserts a bare agreement with plain SQL, independent of the
// agreement store, with the named organisations as parties.
func docAgreement(t *testing.T, a *app, title string, parties ...string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := a.db.Pool.QueryRow(ctx, `INSERT INTO agreements (title) VALUES ($1) RETURNING id`, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, name := range parties {
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO agreement_parties (agreement_id, organisation_id, role)
			VALUES ($1, $2, 'lead_association')`, id, orgID(t, a, name)); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func docsURL(agreementID int64) string { return "/agreements/" + itoa(agreementID) + "/documents" }

// pdfOfSize is a PDF header padded to n bytes.
func pdfOfSize(n int) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.4\n")
	return b
}

// postDocument sends the upload form as a browser does: multipart, same origin.
func (c *client) postDocument(path, kind, description, fileName string, content []byte) response {
	c.app.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	_ = mw.WriteField("description", description)
	if fileName != "" || content != nil {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			c.app.t.Fatal(err)
		}
		fw.Write(content) //nolint:errcheck // a bytes.Buffer
	}
	mw.Close() //nolint:errcheck // a bytes.Buffer
	req, _ := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// upload posts a valid document as the client and returns its download path.
func (c *client) upload(agreementID int64, kind, fileName string, content []byte) string {
	c.app.t.Helper()
	if res := c.postDocument(docsURL(agreementID), kind, "", fileName, content); res.StatusCode != http.StatusSeeOther {
		c.app.t.Fatalf("upload %s: %d\n%s", fileName, res.StatusCode, res.Body)
	}
	var id int64
	if err := c.app.db.Pool.QueryRow(context.Background(),
		`SELECT max(id) FROM agreement_documents WHERE agreement_id = $1`, agreementID).Scan(&id); err != nil {
		c.app.t.Fatal(err)
	}
	return docsURL(agreementID) + "/" + itoa(id)
}

// docCounts is the number of stored documents and of audit events.
func docCounts(t *testing.T, a *app) (docs, events int) {
	t.Helper()
	if err := a.db.Pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM agreement_documents), (SELECT count(*) FROM audit_events)`).Scan(&docs, &events); err != nil {
		t.Fatal(err)
	}
	return docs, events
}

type docEvent struct {
	Action  string
	ActorID int64
	Details map[string]any
}

// docEvents are the document events recorded on an agreement, oldest first.
func docEvents(t *testing.T, a *app, agreementID int64) []docEvent {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT action, actor_id, details FROM audit_events
		WHERE entity = 'agreement' AND entity_id = $1 AND action LIKE 'document.%' ORDER BY id`, itoa(agreementID))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []docEvent
	for rows.Next() {
		var e docEvent
		var raw []byte
		if err := rows.Scan(&e.Action, &e.ActorID, &raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &e.Details); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

var downloadLink = regexp.MustCompile(`href="(/agreements/\d+/documents/\d+)" data-testid="document-link"`)

func TestDocumentUploadListDownload(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Inkludering på lika villkor", ikfName)
	c := loggedIn(a, officerEmail)
	pdf := pdfOfSize(1536 * 1024)

	res := c.postDocument(docsURL(id), "signed_agreement", "Undertecknad av båda parter", "Överenskommelse IKF 2023.pdf", pdf)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != docsURL(id) {
		t.Fatalf("upload: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := c.get(docsURL(id))
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(stockholm).Format(time.DateOnly)
	for _, want := range []string{
		"Dokumentet Överenskommelse IKF 2023.pdf laddades upp.", "Överenskommelse IKF 2023.pdf",
		"Undertecknad överenskommelse", "Undertecknad av båda parter", "1,5 MB", "Erik Johansson", today,
		`data-testid="upload-form"`,
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("documents page lacks %q", want)
		}
	}
	m := downloadLink.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no download link")
	}
	dl := c.get(m[1])
	if dl.StatusCode != http.StatusOK || dl.Body != string(pdf) {
		t.Fatalf("download: %d, %d bytes, identical=%t", dl.StatusCode, len(dl.Body), dl.Body == string(pdf))
	}
	for header, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename="_verenskommelse IKF 2023.pdf"; filename*=UTF-8''%C3%96verenskommelse%20IKF%202023.pdf`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-store",
	} {
		if got := dl.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}

	// The type comes from the content: a PNG named .pdf is stored as a PNG.
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	pngPath := c.upload(id, "attachment", "foto.pdf", img.Bytes())
	if dl := c.get(pngPath); dl.Header.Get("Content-Type") != "image/png" ||
		!strings.Contains(dl.Header.Get("Content-Disposition"), `filename="foto.pdf.png"`) {
		t.Errorf("png upload: %q, %q", dl.Header.Get("Content-Type"), dl.Header.Get("Content-Disposition"))
	}
	if page := c.get(docsURL(id)); !strings.Contains(page.Body, "foto.pdf.png") || !strings.Contains(page.Body, "Bilaga") ||
		!strings.Contains(page.Body, "byte") {
		t.Error("the attachment is not listed with its kind and size")
	}

	officer := a.userID(officerEmail)
	events := docEvents(t, a, id)
	wantActions := []string{"document.upload", "document.download", "document.upload", "document.download"}
	if len(events) != len(wantActions) {
		t.Fatalf("audit events %+v, want %v", events, wantActions)
	}
	for i, e := range events {
		if e.Action != wantActions[i] || e.ActorID != officer || e.Details["document_id"] == nil || e.Details["file_name"] == "" {
			t.Errorf("event %d: %+v, want %s by %d with document id and file name", i, e, wantActions[i], officer)
		}
	}
	if events[0].Details["file_name"] != "Överenskommelse IKF 2023.pdf" {
		t.Errorf("upload event names %v", events[0].Details["file_name"])
	}
}

func TestDocumentUploadRefusedStoresNothing(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Hoppfull framtid")
	c := loggedIn(a, officerEmail)
	docs, events := docCounts(t, a)
	cases := []struct {
		name, kind, fileName string
		content              []byte
		field, msg           string
	}{
		{"text named .pdf", "signed_agreement", "avtal.pdf", []byte("Det här är ingen PDF.\n"), "file", partnership.MsgDocumentType},
		{"executable named .pdf", "attachment", "avtal.pdf", append([]byte("MZ\x90\x00"), make([]byte, 200)...), "file", partnership.MsgDocumentType},
		{"one byte over the limit", "attachment", "stor.pdf", pdfOfSize(partnership.MaxDocumentSize + 1), "file", partnership.MsgDocumentTooLarge},
		{"empty file", "attachment", "tom.pdf", []byte{}, "file", partnership.MsgDocumentEmpty},
		{"no file", "attachment", "", nil, "file", partnership.MsgDocumentMissing},
		{"no kind", "", "avtal.pdf", pdfOfSize(100), "kind", "Välj om dokumentet är den undertecknade överenskommelsen eller en bilaga."},
	}
	for _, tc := range cases {
		res := c.postDocument(docsURL(id), tc.kind, "Min beskrivning", tc.fileName, tc.content)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.name, res.StatusCode)
			continue
		}
		if !strings.Contains(res.Body, `data-testid="error-summary"`) ||
			!strings.Contains(res.Body, `<p class="field-error" id="`+tc.field+`-error">`+tc.msg+`</p>`) {
			t.Errorf("%s: no error %q on %s", tc.name, tc.msg, tc.field)
		}
		if !strings.Contains(res.Body, `value="Min beskrivning"`) {
			t.Errorf("%s: the description was not kept", tc.name)
		}
	}
	// A body far over the limit is cut off while it arrives, before any
	// handler runs: the Swedish 413 page says how much is accepted.
	if res := c.postDocument(docsURL(id), "attachment", "Min beskrivning", "enorm.pdf", pdfOfSize(3*partnership.MaxDocumentSize)); res.StatusCode != http.StatusRequestEntityTooLarge ||
		!strings.Contains(res.Body, "en uppladdning högst 21 MB") {
		t.Errorf("far over the limit: status %d, want 413 with the limit named", res.StatusCode)
	}
	if d, e := docCounts(t, a); d != docs || e != events {
		t.Errorf("refused uploads stored %d documents and %d audit events", d-docs, e-events)
	}
}

func TestDocumentUploadCrossOriginRefused(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Hoppfull framtid")
	c := loggedIn(a, officerEmail)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", "attachment")
	fw, _ := mw.CreateFormFile("file", "avtal.pdf")
	fw.Write(pdfOfSize(200)) //nolint:errcheck // a bytes.Buffer
	mw.Close()               //nolint:errcheck // a bytes.Buffer
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+docsURL(id), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := c.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site upload: %d, want 403", res.StatusCode)
	}
	if d, _ := docCounts(t, a); d != 0 {
		t.Errorf("cross-site upload stored %d documents", d)
	}
}

func TestDocumentTenancy(t *testing.T) {
	a := newApp(t)
	own := docAgreement(t, a, "Inkludering på lika villkor", ikfName)
	other := docAgreement(t, a, "Hoppfull framtid", "Linköpings Stadsmission")
	officer := loggedIn(a, officerEmail)
	ownPDF, otherPDF := pdfOfSize(300), pdfOfSize(400)
	ownDoc := officer.upload(own, "signed_agreement", "ikf.pdf", ownPDF)
	otherDoc := officer.upload(other, "signed_agreement", "stadsmissionen.pdf", otherPDF)
	otherDocID := otherDoc[strings.LastIndex(otherDoc, "/")+1:]

	staff := loggedIn(a, ikfEmail)
	for _, path := range []string{
		docsURL(other),                    // list another organisation's documents
		otherDoc,                          // download one of them
		docsURL(own) + "/" + otherDocID,   // guess its id through their own agreement
		docsURL(999999),                   // an agreement that does not exist
		docsURL(own) + "/999999",          // a document that does not exist
		docsURL(own) + "/inte-ett-nummer", // a malformed id
	} {
		if res := staff.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("staff GET %s: %d, want 404", path, res.StatusCode)
		} else if strings.Contains(res.Body, "stadsmissionen.pdf") || res.Body == string(otherPDF) {
			t.Errorf("staff GET %s: the 404 leaks the document", path)
		}
	}
	list := staff.get(docsURL(own))
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "ikf.pdf") || strings.Contains(list.Body, "stadsmissionen.pdf") {
		t.Errorf("staff list of own agreement: %d", list.StatusCode)
	}
	if strings.Contains(list.Body, `data-testid="upload-form"`) || strings.Contains(list.Body, "Ta bort") {
		t.Error("staff are offered upload or delete")
	}
	if res := staff.get(ownDoc); res.StatusCode != http.StatusOK || res.Body != string(ownPDF) {
		t.Errorf("staff download of own document: %d", res.StatusCode)
	}
	// Even the municipality reaches a document only through its agreement.
	if res := officer.get(docsURL(own) + "/" + otherDocID); res.StatusCode != http.StatusNotFound {
		t.Errorf("officer GET another agreement's document through this one: %d", res.StatusCode)
	}
	if events := docEvents(t, a, other); len(events) != 1 {
		t.Errorf("the refused reads were audited as downloads: %+v", events)
	}
}

func TestDocumentWritesNeedAdminOrOfficer(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Inkludering på lika villkor", ikfName)
	doc := loggedIn(a, adminEmail).upload(id, "attachment", "bilaga.pdf", pdfOfSize(500))
	for _, email := range []string{ikfEmail, viewerEmail, coordinatorEmail} {
		c := loggedIn(a, email)
		for name, res := range map[string]response{
			"upload":         c.postDocument(docsURL(id), "attachment", "", "ny.pdf", pdfOfSize(500)),
			"delete confirm": c.get(doc + "/delete"),
			"delete":         c.post(doc+"/delete", nil),
		} {
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", email, name, res.StatusCode)
			}
		}
		if res := c.get(doc); res.StatusCode != http.StatusOK {
			t.Errorf("%s download: %d", email, res.StatusCode)
		}
	}
	if docs, _ := docCounts(t, a); docs != 1 {
		t.Errorf("%d documents after forbidden writes, want 1", docs)
	}
	var actions []string
	for _, e := range docEvents(t, a, id) {
		actions = append(actions, e.Action)
	}
	if want := []string{"document.upload", "document.download", "document.download", "document.download"}; !slices.Equal(actions, want) {
		t.Errorf("audit %v, want %v", actions, want)
	}
}

func TestDocumentDeleteAfterConfirmation(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Världens mammor")
	c := loggedIn(a, officerEmail)
	doc := c.upload(id, "attachment", "Budget 2024.pdf", pdfOfSize(2048))
	confirm := c.get(doc + "/delete")
	if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.Body, "Budget 2024.pdf (bilaga, 2 kB)") ||
		!strings.Contains(confirm.Body, `action="`+doc+`/delete"`) {
		t.Fatalf("confirmation page: %d\n%s", confirm.StatusCode, confirm.Body)
	}
	if res := c.get(doc); res.StatusCode != http.StatusOK {
		t.Fatalf("the confirmation page deleted the document: %d", res.StatusCode)
	}
	res := c.post(doc+"/delete", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != docsURL(id) {
		t.Fatalf("delete: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.get(docsURL(id))
	if !strings.Contains(page.Body, "Dokumentet Budget 2024.pdf togs bort.") || !strings.Contains(page.Body, `data-testid="no-documents"`) {
		t.Error("the list still shows the document or lacks the flash")
	}
	if res := c.get(doc); res.StatusCode != http.StatusNotFound {
		t.Errorf("download after delete: %d", res.StatusCode)
	}
	if res := c.post(doc+"/delete", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("second delete: %d", res.StatusCode)
	}
	events := docEvents(t, a, id)
	if len(events) != 3 || events[2].Action != "document.delete" || events[2].Details["file_name"] != "Budget 2024.pdf" ||
		events[2].Details["document_id"] != events[0].Details["document_id"] {
		t.Errorf("events %+v", events)
	}
}

// storeDocument puts a small PDF straight into the store, for fixtures.
func storeDocument(t *testing.T, a *app, agreementID int64, fileName string) int64 {
	t.Helper()
	content := pdfOfSize(1000)
	d, err := partnership.NewDocument(agreementID, partnership.DocumentAttachment, fileName, "", content)
	if err != nil {
		t.Fatal(err)
	}
	created, err := postgres.NewDocuments(a.db.Pool).Create(context.Background(), d, content)
	if err != nil {
		t.Fatal(err)
	}
	return created.ID
}

// officeZip builds a Word document: the parts of a real one, plus extra
// entries of the given sizes, all of zeros.
func officeZip(t *testing.T, extra map[string]int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="xml" ContentType="application/xml"/></Types>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
			`<w:body><w:p><w:r><w:t>Bilaga till överenskommelsen</w:t></w:r></w:p></w:body></w:document>`,
	}
	for name, text := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text)) //nolint:errcheck // a bytes.Buffer
	}
	for name, size := range extra {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(make([]byte, size)) //nolint:errcheck // a bytes.Buffer
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDocumentUploadZipBombRefused: a ZIP bomb dressed as a .docx is
// refused on the file field, the form kept and nothing stored, while a
// real Word document is taken.
func TestDocumentUploadZipBombRefused(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Hoppfull framtid")
	c := loggedIn(a, officerEmail)
	docs, events := docCounts(t, a)
	bomb := officeZip(t, map[string]int{"word/media/image1.png": 64 << 20})
	if len(bomb) > 200<<10 {
		t.Fatalf("the bomb is %d bytes packed", len(bomb))
	}
	res := c.postDocument(docsURL(id), "attachment", "Min beskrivning", "avtal.docx", bomb)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("zip bomb: %d, want 422", res.StatusCode)
	}
	if !strings.Contains(res.Body, `data-testid="error-summary"`) ||
		!strings.Contains(res.Body, `<p class="field-error" id="file-error">`+partnership.MsgDocumentArchive+`</p>`) ||
		!strings.Contains(res.Body, `value="Min beskrivning"`) {
		t.Errorf("zip bomb: no error on the file field, or the form was not kept")
	}
	if d, e := docCounts(t, a); d != docs || e != events {
		t.Errorf("a zip bomb stored %d documents and %d audit events", d-docs, e-events)
	}

	link := c.upload(id, "attachment", "bilaga.docx", officeZip(t, map[string]int{"word/media/image1.png": 1000}))
	if dl := c.get(link); dl.StatusCode != http.StatusOK || dl.Header.Get("Content-Type") != partnership.ContentTypeDOCX {
		t.Errorf("real docx: %d %q", dl.StatusCode, dl.Header.Get("Content-Type"))
	}
}
