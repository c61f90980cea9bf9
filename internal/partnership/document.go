package partnership

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DocumentKind says what a document is to its agreement.
type DocumentKind string

// The kinds of document: the signed agreement itself, or an attachment.
const (
	DocumentSignedAgreement DocumentKind = "signed_agreement"
	DocumentAttachment      DocumentKind = "attachment"
)

// DocumentKinds lists every kind in the order the UI presents them.
var DocumentKinds = []DocumentKind{DocumentSignedAgreement, DocumentAttachment}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool { return k == DocumentSignedAgreement || k == DocumentAttachment }

// Label is the Swedish name of the kind.
func (k DocumentKind) Label() string {
	switch k {
	case DocumentSignedAgreement:
		return "Undertecknad överenskommelse"
	case DocumentAttachment:
		return "Bilaga"
	}
	return string(k)
}

// MaxDocumentSize is the largest document accepted: 20 MiB, shown to users
// as "20 MB".
const MaxDocumentSize = 20 << 20

// MaxDocumentDescription is the longest description, in characters.
const MaxDocumentDescription = 500

// maxFileNameRunes bounds a stored file name; longer names are shortened
// before the extension.
const maxFileNameRunes = 200

// The content types of the accepted documents.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypePNG  = "image/png"
	ContentTypeJPEG = "image/jpeg"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// documentExtensions are the file name extensions that fit each content
// type; the first is added to a name that has none of them.
var documentExtensions = map[string][]string{
	ContentTypePDF:  {".pdf"},
	ContentTypePNG:  {".png"},
	ContentTypeJPEG: {".jpg", ".jpeg"},
	ContentTypeDOCX: {".docx"},
	ContentTypeXLSX: {".xlsx"},
}

// Messages for the upload form's file field.
const (
	MsgDocumentMissing  = "Välj en fil att ladda upp."
	MsgDocumentEmpty    = "Filen är tom."
	MsgDocumentTooLarge = "Filen är för stor: högst 20 MB."
	MsgDocumentType     = "Filtypen stöds inte: ladda upp en PDF-, Word- (DOCX), Excel- (XLSX), PNG- eller JPEG-fil. Typen avgörs av filens innehåll, inte av dess namn."
)

// ErrUnsupportedDocumentType means the content is none of the accepted types.
var ErrUnsupportedDocumentType = errors.New("unsupported document type")

// Document is a file attached to an agreement: the signed agreement or an
// attachment. The content itself travels separately.
type Document struct {
	ID           int64
	AgreementID  int64
	Kind         DocumentKind
	FileName     string // sanitised; its extension fits ContentType
	ContentType  string // detected from the content
	Size         int64  // bytes
	SHA256       string // hex digest of the content
	Description  string
	UploadedBy   *int64 // nil when uploaded by the system
	UploaderName string // read-only, from the user
	UploadedAt   time.Time
}

// NewDocument checks an upload and describes it: the kind must be known, the
// description short enough, and the content non-empty, within
// MaxDocumentSize and of an accepted type, which is decided from the bytes
// alone. Every problem is reported as a ValidationError on the fields
// "file", "kind" and "description".
func NewDocument(agreementID int64, kind DocumentKind, fileName, description string, content []byte) (Document, error) {
	verr := ValidationError{}
	if !kind.Valid() {
		verr.Add("kind", "Välj om dokumentet är den undertecknade överenskommelsen eller en bilaga.")
	}
	description = strings.TrimSpace(description)
	if utf8.RuneCountInString(description) > MaxDocumentDescription {
		verr.Add("description", "Beskrivningen får vara högst 500 tecken.")
	}
	var contentType string
	switch {
	case len(content) == 0:
		verr.Add("file", MsgDocumentEmpty)
	case len(content) > MaxDocumentSize:
		verr.Add("file", MsgDocumentTooLarge)
	default:
		var err error
		contentType, err = DetectDocumentType(content)
		switch {
		case errors.Is(err, ErrDocumentArchive):
			verr.Add("file", MsgDocumentArchive)
		case errors.Is(err, ErrDocumentDamaged):
			verr.Add("file", MsgDocumentDamaged)
		case err != nil:
			verr.Add("file", MsgDocumentType)
		}
	}
	if err := verr.Err(); err != nil {
		return Document{}, err
	}
	sum := sha256.Sum256(content)
	return Document{
		AgreementID: agreementID, Kind: kind, Description: description,
		FileName: SanitizeFileName(fileName, contentType), ContentType: contentType,
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
	}, nil
}

// DetectDocumentType decides the type of a document from its content alone:
// PDF by its "%PDF-" header; PNG and JPEG by their signatures (those of the
// WHATWG sniffing rules that http.DetectContentType follows) and a header
// that decodes; DOCX and XLSX as ZIP archives holding word/document.xml
// resp. xl/workbook.xml. Macro-enabled Office files and anything else are
// ErrUnsupportedDocumentType; an Office archive that unpacks to far more
// than a real document (a ZIP bomb) is ErrDocumentArchive, and one whose
// entries do not unpack as its directory says is ErrDocumentDamaged.
func DetectDocumentType(content []byte) (string, error) {
	switch {
	case bytes.HasPrefix(content, []byte("%PDF-")):
		return ContentTypePDF, nil
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		if _, err := png.DecodeConfig(bytes.NewReader(content)); err == nil {
			return ContentTypePNG, nil
		}
	case bytes.HasPrefix(content, []byte("\xff\xd8\xff")):
		if _, err := jpeg.DecodeConfig(bytes.NewReader(content)); err == nil {
			return ContentTypeJPEG, nil
		}
	case bytes.HasPrefix(content, []byte("PK\x03\x04")):
		return detectOfficeType(content)
	}
	return "", ErrUnsupportedDocumentType
}

// detectOfficeType decides the type from the archive's directory, refuses
// an archive whose directory promises more than a real document holds
// (ErrDocumentArchive) before unpacking anything, and then unpacks the
// entries of a DOCX or XLSX, under caps, to make sure they hold what the
// directory says (ErrDocumentDamaged otherwise): a file that passes is
// safe to hand to Word or Excel.
func detectOfficeType(content []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", ErrUnsupportedDocumentType
	}
	if err := checkOfficeDirectory(zr); err != nil {
		return "", err
	}
	var word, excel bool
	for _, f := range zr.File {
		switch {
		case f.Name == "word/document.xml":
			word = true
		case f.Name == "xl/workbook.xml":
			excel = true
		case path.Base(f.Name) == "vbaProject.bin":
			return "", ErrUnsupportedDocumentType
		}
	}
	contentType := ""
	switch {
	case word && !excel:
		contentType = ContentTypeDOCX
	case excel && !word:
		contentType = ContentTypeXLSX
	default:
		return "", ErrUnsupportedDocumentType
	}
	if err := checkOfficeContent(zr); err != nil {
		return "", err
	}
	return contentType, nil
}

// SanitizeFileName makes an uploaded file name safe to store and to offer
// as a download name: the last path element only, no control or reserved
// characters, at most 200 characters, and an extension that fits the
// detected content type, so that a PNG named "avtal.pdf" is saved as
// "avtal.pdf.png".
func SanitizeFileName(name, contentType string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	name = strings.Trim(name, " .")
	exts := documentExtensions[contentType]
	ext := strings.ToLower(path.Ext(name))
	stem := name
	fits := false
	for _, e := range exts {
		if ext == e {
			fits = true
		}
	}
	if fits {
		stem = strings.TrimSuffix(name, name[len(name)-len(ext):])
		ext = name[len(name)-len(ext):]
	} else if len(exts) > 0 {
		ext = exts[0]
	} else {
		ext = ""
	}
	if stem == "" {
		stem = "dokument"
	}
	if runes := []rune(stem); len(runes)+utf8.RuneCountInString(ext) > maxFileNameRunes {
		stem = strings.TrimRight(string(runes[:maxFileNameRunes-utf8.RuneCountInString(ext)]), " .")
	}
	return stem + ext
}
