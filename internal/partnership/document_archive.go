package partnership

import (
	"archive/zip"
	"errors"
	"io"
)

// The limits of an Office document's ZIP archive. A DOCX or XLSX is
// mostly XML, which deflate packs some 5–20 times, and images, which it
// hardly packs at all; a ZIP bomb packs a gigabyte of zeros into a
// megabyte. The ratio is only judged for entries large enough to matter,
// as a small XML part of repeated markup can be packed hard.
const (
	maxOfficeUnpacked   = 200 << 20 // bytes, summed over the entries
	maxOfficeEntries    = 10_000
	maxOfficeRatio      = 100     // unpacked bytes per packed byte
	officeRatioFromSize = 1 << 20 // unpacked bytes
)

// Messages for the upload form's file field about an Office archive.
const (
	MsgDocumentArchive = "Filen tas inte emot: den packas upp till orimligt mycket data (mer än 200 MB, " +
		"mer än 10 000 delar eller innehåll som är packat över 100 gånger), som en så kallad ZIP-bomb. " +
		"Spara dokumentet på nytt i Word eller Excel, eller som PDF, och försök igen."
	MsgDocumentDamaged = "Filen är skadad: dess innehåll stämmer inte med dess innehållsförteckning. " +
		"Spara dokumentet på nytt i Word eller Excel, eller som PDF, och försök igen."
)

// ErrDocumentArchive means an Office document's archive would unpack to
// far more than any real document: too much data, too many entries or an
// entry packed beyond belief.
var ErrDocumentArchive = errors.New("document archive unpacks to too much")

// ErrDocumentDamaged means an Office document's archive cannot be
// unpacked as its directory says: a broken or lying entry.
var ErrDocumentDamaged = errors.New("document archive damaged")

// checkOfficeDirectory refuses an archive whose directory declares more
// than a real document holds, before anything is unpacked.
func checkOfficeDirectory(zr *zip.Reader) error {
	if len(zr.File) > maxOfficeEntries {
		return ErrDocumentArchive
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > maxOfficeUnpacked {
			return ErrDocumentArchive
		}
		if total += size; total > maxOfficeUnpacked {
			return ErrDocumentArchive
		}
		if size > officeRatioFromSize && size/max(f.CompressedSize64, 1) > maxOfficeRatio {
			return ErrDocumentArchive
		}
	}
	return nil
}

// checkOfficeContent unpacks every entry, whose directory
// checkOfficeDirectory has accepted, and refuses the archive when one does
// not unpack to what the directory declares (a broken entry, or a bomb in
// disguise). The directory is written by whoever made the file, so each
// entry is read through a cap of its declared size: one that holds more is
// cut off there, never unpacked in full.
func checkOfficeContent(zr *zip.Reader) error {
	for _, f := range zr.File {
		rc, err := f.Open()
		if errors.Is(err, zip.ErrAlgorithm) {
			return ErrUnsupportedDocumentType
		}
		if err != nil {
			return ErrDocumentDamaged
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		rc.Close() //nolint:errcheck // reading from memory; the copy reported any problem
		if err != nil || uint64(n) != f.UncompressedSize64 {
			return ErrDocumentDamaged
		}
	}
	return nil
}
