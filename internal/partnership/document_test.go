package partnership

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// testImage is a small picture to encode as PNG and JPEG.
func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		for y := range 3 {
			img.Set(x, y, color.RGBA{R: uint8(60 * x), G: uint8(80 * y), B: 200, A: 255})
		}
	}
	return img
}

func pngFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipFile builds a ZIP archive holding the named entries.
func zipFile(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("<?xml version=\"1.0\"?><x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const minimalPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func TestDetectDocumentType(t *testing.T) {
	docx := zipFile(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := zipFile(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	pngData := pngFile(t)
	jpegData := jpegFile(t)
	tests := []struct {
		name    string
		content []byte
		want    string
	}{
		{"pdf", []byte(minimalPDF), ContentTypePDF},
		{"png", pngData, ContentTypePNG},
		{"jpeg", jpegData, ContentTypeJPEG},
		{"docx", docx, ContentTypeDOCX},
		{"xlsx", xlsx, ContentTypeXLSX},
		{"zip without office entries", zipFile(t, "readme.txt", "data/word.xml"), ""},
		{"zip with both office entries", zipFile(t, "word/document.xml", "xl/workbook.xml"), ""},
		{"macro-enabled word file", zipFile(t, "word/document.xml", "word/vbaProject.bin"), ""},
		{"macro-enabled excel file", zipFile(t, "xl/workbook.xml", "xl/vbaProject.bin"), ""},
		{"entry name differs in case", zipFile(t, "Word/Document.xml"), ""},
		{"zip header only", []byte("PK\x03\x04garbage"), ""},
		{"plain text", []byte("Överenskommelse om idéburet offentligt partnerskap\n"), ""},
		{"pdf marker not at the start", []byte(" %PDF-1.4\n"), ""},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), ""},
		{"windows executable", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...), ""},
		{"elf executable", []byte("\x7fELF\x02\x01\x01\x00"), ""},
		{"png signature, broken header", []byte("\x89PNG\r\n\x1a\nnot a chunk"), ""},
		{"jpeg signature, broken header", []byte("\xff\xd8\xff\xe0 broken"), ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectDocumentType(tt.content)
			if tt.want == "" {
				if !errors.Is(err, ErrUnsupportedDocumentType) || got != "" {
					t.Errorf("got %q, %v; want ErrUnsupportedDocumentType", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestNewDocument(t *testing.T) {
	pdf := []byte(minimalPDF)
	sum := sha256.Sum256(pdf)
	d, err := NewDocument(7, DocumentSignedAgreement, `C:\Users\anna\Överenskommelse IKF.pdf`, "  Underskriven 2023-01-10  ", pdf)
	if err != nil {
		t.Fatal(err)
	}
	want := Document{
		AgreementID: 7, Kind: DocumentSignedAgreement, FileName: "Överenskommelse IKF.pdf",
		ContentType: ContentTypePDF, Size: int64(len(pdf)), SHA256: hex.EncodeToString(sum[:]),
		Description: "Underskriven 2023-01-10",
	}
	if d != want {
		t.Errorf("got %+v\nwant %+v", d, want)
	}

	tooLarge := append([]byte("%PDF-1.7\n"), make([]byte, MaxDocumentSize)...)
	refused := []struct {
		name        string
		kind        DocumentKind
		description string
		content     []byte
		field, msg  string
	}{
		{"text named .pdf", DocumentAttachment, "", []byte("bara text"), "file", MsgDocumentType},
		{"too large", DocumentAttachment, "", tooLarge, "file", MsgDocumentTooLarge},
		{"empty", DocumentAttachment, "", nil, "file", MsgDocumentEmpty},
		{"no kind", "", "", pdf, "kind", "Välj om dokumentet är den undertecknade överenskommelsen eller en bilaga."},
		{"unknown kind", "contract", "", pdf, "kind", "Välj om dokumentet är den undertecknade överenskommelsen eller en bilaga."},
		{"long description", DocumentAttachment, strings.Repeat("å", MaxDocumentDescription+1), pdf, "description", "Beskrivningen får vara högst 500 tecken."},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewDocument(7, tt.kind, "avtal.pdf", tt.description, tt.content)
			var verr ValidationError
			if !errors.As(err, &verr) || verr[tt.field] != tt.msg {
				t.Errorf("got %v; want %s: %q", err, tt.field, tt.msg)
			}
		})
	}
	if _, err := NewDocument(7, DocumentAttachment, "a.pdf", strings.Repeat("å", MaxDocumentDescription), pdf); err != nil {
		t.Errorf("description of exactly the maximum: %v", err)
	}
}

func TestSanitizeFileName(t *testing.T) {
	tests := []struct {
		name, contentType, want string
	}{
		{"Överenskommelse IKF 2023.pdf", ContentTypePDF, "Överenskommelse IKF 2023.pdf"},
		{"AVTAL.PDF", ContentTypePDF, "AVTAL.PDF"},
		{"../../etc/passwd", ContentTypePDF, "passwd.pdf"},
		{`C:\temp\budget.xlsx`, ContentTypeXLSX, "budget.xlsx"},
		{"foto.jpeg", ContentTypeJPEG, "foto.jpeg"},
		{"foto.JPG", ContentTypeJPEG, "foto.JPG"},
		{"avtal.pdf", ContentTypePNG, "avtal.pdf.png"},
		{"rapport", ContentTypeDOCX, "rapport.docx"},
		{"a\x00b\nc\td.pdf", ContentTypePDF, "abcd.pdf"},
		{"fil\u202egnp.exe", ContentTypePNG, "filgnp.exe.png"},
		{`"citat" <x>|y?*.pdf`, ContentTypePDF, "_citat_ _x__y__.pdf"},
		{"  många   mellanslag  .pdf", ContentTypePDF, "många mellanslag .pdf"},
		{"...", ContentTypePDF, "dokument.pdf"},
		{"", ContentTypePDF, "dokument.pdf"},
		{".pdf", ContentTypePDF, "pdf.pdf"},
		{"ogiltig\xff.pdf", ContentTypePDF, "ogiltig.pdf"},
		{strings.Repeat("ä", 300) + ".pdf", ContentTypePDF, strings.Repeat("ä", 196) + ".pdf"},
	}
	for _, tt := range tests {
		if got := SanitizeFileName(tt.name, tt.contentType); got != tt.want {
			t.Errorf("SanitizeFileName(%q, %s) = %q, want %q", tt.name, tt.contentType, got, tt.want)
		}
	}
}

func TestDocumentKindLabels(t *testing.T) {
	for _, k := range DocumentKinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("kind %q: valid=%t label %q", k, k.Valid(), k.Label())
		}
	}
	if DocumentKind("other").Valid() {
		t.Error("unknown kind is valid")
	}
}

// FuzzDetectDocumentType checks that no input panics, that only accepted
// types come out, that PNG and JPEG agree with http.DetectContentType, and
// that sanitised names stay safe.
func FuzzDetectDocumentType(f *testing.F) {
	f.Add([]byte(minimalPDF))
	f.Add(pngFile(f))
	f.Add(jpegFile(f))
	f.Add(zipFile(f, "word/document.xml"))
	f.Add(zipFile(f, "xl/workbook.xml"))
	f.Add(zipFile(f, "other.txt"))
	f.Add([]byte("MZ\x90\x00"))
	f.Add([]byte("plain text"))
	f.Fuzz(func(t *testing.T, content []byte) {
		got, err := DetectDocumentType(content)
		if err != nil {
			known := errors.Is(err, ErrUnsupportedDocumentType) || errors.Is(err, ErrDocumentArchive) || errors.Is(err, ErrDocumentDamaged)
			if got != "" || !known {
				t.Fatalf("error %v with type %q", err, got)
			}
			return
		}
		exts, ok := documentExtensions[got]
		if !ok {
			t.Fatalf("unknown type %q", got)
		}
		switch got {
		case ContentTypePNG, ContentTypeJPEG:
			if sniffed := http.DetectContentType(content); sniffed != got {
				t.Errorf("detected %s, http.DetectContentType says %s", got, sniffed)
			}
		case ContentTypePDF:
			if !bytes.HasPrefix(content, []byte("%PDF-")) {
				t.Errorf("PDF without header")
			}
		}
		name := SanitizeFileName(string(content), got)
		if !utf8.ValidString(name) || strings.ContainsAny(name, "/\\\x00\n\"") || utf8.RuneCountInString(name) > maxFileNameRunes {
			t.Errorf("unsafe name %q", name)
		}
		if !strings.HasSuffix(strings.ToLower(name), exts[0]) && (got != ContentTypeJPEG || !strings.HasSuffix(strings.ToLower(name), ".jpeg")) {
			t.Errorf("name %q does not end in an extension of %s", name, got)
		}
	})
}
