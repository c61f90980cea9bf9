package partnership

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// contentTypesXML is the [Content_Types].xml of a Word document.
const contentTypesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`</Types>`

const relsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`</Relationships>`

// wordDocumentXML is a document.xml of paragraphs of Swedish text, drawn
// from a small vocabulary, about size bytes long: text as Word packs it.
func wordDocumentXML(size int) string {
	words := strings.Fields("överenskommelsen parterna föreningen kommunen deltagare aktiviteter " +
		"arbetsmarknadsnämnden uppföljning budget insatser målgrupp kvinnor språk praktik och i för med som av")
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for b.Len() < size {
		b.WriteString("<w:p><w:r><w:t>")
		for range 8 + r.IntN(30) {
			b.WriteString(words[r.IntN(len(words))] + " ")
		}
		b.WriteString("</w:t></w:r></w:p>")
	}
	b.WriteString("</w:body></w:document>")
	return b.String()
}

// zipEntry is one entry of a test archive: its content, or with raw set,
// deflated bytes written as they are under the declared size.
type zipEntry struct {
	name     string
	content  []byte
	raw      []byte
	declared uint64
	crc      uint32
}

func buildZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.raw != nil {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
				CompressedSize64: uint64(len(e.raw)), UncompressedSize64: e.declared})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.raw) //nolint:errcheck // a bytes.Buffer
			continue
		}
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.content) //nolint:errcheck // a bytes.Buffer
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated packs n zero bytes: about a thousand to one.
func deflated(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(make([]byte, n)) //nolint:errcheck // a bytes.Buffer
	fw.Close()                //nolint:errcheck // a bytes.Buffer
	return buf.Bytes()
}

// docxParts are the parts of a small, real Word document.
func docxParts(size int) []zipEntry {
	return []zipEntry{
		{name: "[Content_Types].xml", content: []byte(contentTypesXML)},
		{name: "_rels/.rels", content: []byte(relsXML)},
		{name: "word/document.xml", content: []byte(wordDocumentXML(size))},
	}
}

func TestDetectDocumentTypeOfficeArchives(t *testing.T) {
	t.Parallel()
	zeros := make([]byte, 8<<20)
	many := docxParts(100)
	for i := range maxOfficeEntries {
		many = append(many, zipEntry{name: "customXml/item" + strconv.Itoa(i) + ".xml", content: []byte("<x/>")})
	}
	hiddenZeros := deflated(t, 4<<20)
	tests := []struct {
		name    string
		content []byte
		want    error
	}{
		{"small docx", buildZip(t, docxParts(2000)...), nil},
		{"docx with 2 MB of text", buildZip(t, docxParts(2<<20)...), nil},
		{"docx with an incompressible image", buildZip(t, append(docxParts(2000),
			zipEntry{name: "word/media/image1.png", content: randomBytes(3 << 20)})...), nil},
		{"zip bomb: 8 MB of zeros", buildZip(t, append(docxParts(2000), zipEntry{name: "word/media/image1.png", content: zeros})...), ErrDocumentArchive},
		{"zip bomb as the document itself", buildZip(t, zipEntry{name: "[Content_Types].xml", content: []byte(contentTypesXML)},
			zipEntry{name: "word/document.xml", content: zeros}), ErrDocumentArchive},
		{"zip bomb in an xlsx", buildZip(t, zipEntry{name: "[Content_Types].xml", content: []byte(contentTypesXML)},
			zipEntry{name: "xl/workbook.xml", content: []byte("<workbook/>")}, zipEntry{name: "xl/worksheets/sheet1.xml", content: zeros}), ErrDocumentArchive},
		// Each entry packed 75 resp. 30 times: only their sum is too much.
		{"declared sizes over 200 MB", buildZip(t, append(docxParts(2000),
			zipEntry{name: "a.bin", raw: randomBytes(2 << 20), declared: 150 << 20},
			zipEntry{name: "b.bin", raw: randomBytes(2 << 20), declared: 60 << 20})...), ErrDocumentArchive},
		{"too many entries", buildZip(t, many...), ErrDocumentArchive},
		{"entry holds more than declared", buildZip(t, append(docxParts(2000),
			zipEntry{name: "word/media/image1.png", raw: hiddenZeros, declared: 1000})...), ErrDocumentDamaged},
		{"entry holds less than declared", buildZip(t, append(docxParts(2000),
			zipEntry{name: "word/media/image1.png", raw: deflated(t, 1000), declared: 2000})...), ErrDocumentDamaged},
		{"entry fails its checksum", buildZip(t, append(docxParts(2000),
			zipEntry{name: "word/media/image1.png", raw: deflated(t, 1000), declared: 1000, crc: 12345})...), ErrDocumentDamaged},
		{"not deflate", buildZip(t, append(docxParts(2000),
			zipEntry{name: "word/media/image1.png", raw: []byte("garbage, not deflate"), declared: 1000})...), ErrDocumentDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectDocumentType(tt.content)
			if tt.want == nil {
				if err != nil || got != ContentTypeDOCX {
					t.Errorf("got %q, %v; want a DOCX", got, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || got != "" {
				t.Errorf("got %q, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestNewDocumentRefusesZipBomb(t *testing.T) {
	t.Parallel()
	bomb := buildZip(t, append(docxParts(2000), zipEntry{name: "word/media/image1.png", content: make([]byte, 16<<20)})...)
	if len(bomb) > 100<<10 {
		t.Fatalf("the bomb is %d bytes packed", len(bomb))
	}
	_, err := NewDocument(1, DocumentAttachment, "avtal.docx", "", bomb)
	var v ValidationError
	if !errors.As(err, &v) || v["file"] != MsgDocumentArchive || len(v) != 1 {
		t.Errorf("zip bomb: %v", err)
	}
	lying := buildZip(t, append(docxParts(2000),
		zipEntry{name: "word/media/image1.png", raw: deflated(t, 4<<20), declared: 1000, crc: crc32.ChecksumIEEE(make([]byte, 1000))})...)
	if _, err := NewDocument(1, DocumentAttachment, "avtal.docx", "", lying); !errors.As(err, &v) || v["file"] != MsgDocumentDamaged {
		t.Errorf("entry larger than declared: %v", err)
	}
	d, err := NewDocument(1, DocumentAttachment, "avtal.docx", "", buildZip(t, docxParts(20000)...))
	if err != nil || d.ContentType != ContentTypeDOCX || d.FileName != "avtal.docx" {
		t.Errorf("real docx: %+v, %v", d, err)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
