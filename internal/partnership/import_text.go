package partnership

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Messages for an import file that is not text the parser can read.
const (
	msgImportUnreadable = "Filen kunde inte läsas. Spara den som CSV UTF-8 (kommaavgränsad) i Excel och försök igen."
	msgImportZIP        = "Filen är en Excel-arbetsbok (eller annan ZIP-fil), inte en CSV-fil. Spara den som CSV UTF-8 (kommaavgränsad) i Excel och försök igen."
	msgImportUTF32      = "Filen är sparad som UTF-32, som inte stöds. Spara den som CSV UTF-8 (kommaavgränsad) i Excel och försök igen."
	msgImportUTF16NoBOM = "Filen verkar vara sparad som UTF-16 (Unicode-text) utan byteordningsmärke, och kan då inte läsas säkert. " +
		"Spara den som CSV UTF-8 (kommaavgränsad) i Excel och försök igen."
	msgImportNUL = "Filen innehåller nolltecken (NUL) och är därför ingen CSV-textfil. " +
		"Spara den som CSV UTF-8 (kommaavgränsad) i Excel och försök igen."
	msgImportControl = "Texten innehåller styrtecken som inte kan sparas. Ta bort dem och försök igen."
)

// maxShownText bounds, in characters, a text from the file quoted in a
// message, so that a whole garbled line is not echoed.
const maxShownText = 60

// decodeImportText turns an import file into UTF-8 text whose lines end
// in LF or CRLF, or gives the Swedish reason it cannot. Excel saves CSV as
// UTF-8 (with a byte order mark) or Windows-1252 ("CSV
// (semikolonavgränsad)"), and "Unicode-text" as UTF-16 with a byte order
// mark; old Mac programs end lines with a lone CR. A ZIP archive is an
// XLSX workbook, not CSV. A file that holds NUL bytes once decoded is not
// text: most likely UTF-16 without a byte order mark, which cannot be told
// from binary data with certainty, so it is refused rather than guessed at.
func decodeImportText(data []byte) (string, string) {
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", msgImportZIP
	case bytes.HasPrefix(data, []byte("\xff\xfe\x00\x00")), bytes.HasPrefix(data, []byte("\x00\x00\xfe\xff")):
		return "", msgImportUTF32
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		dec = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		dec = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case looksLikeUTF16(data):
		return "", msgImportUTF16NoBOM
	}
	if dec == nil && !utf8.Valid(data) {
		dec = charmap.Windows1252.NewDecoder()
	}
	if dec != nil {
		decoded, err := dec.Bytes(data)
		if err != nil {
			return "", msgImportUnreadable
		}
		data = bytes.TrimPrefix(decoded, []byte("\xef\xbb\xbf"))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", msgImportNUL
	}
	text := string(data)
	if !strings.Contains(text, "\n") {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text, ""
}

// looksLikeUTF16 reports whether data, without a byte order mark, reads as
// UTF-16 text: mostly Latin text in UTF-16 has a NUL in every other byte.
func looksLikeUTF16(data []byte) bool {
	n := min(len(data), 512) &^ 1
	if n < 4 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return (even > half/2 && odd == 0) || (odd > half/2 && even == 0)
}

// storableCell reports whether a cell holds only text that can be stored:
// no control character other than tab and line breaks, as for every form.
func storableCell(s string) bool {
	for _, c := range s {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// shownText is a text from the file fit to quote in a message on a page:
// valid UTF-8, single spaces for runs of white space, U+FFFD for anything
// else that does not print (control and format characters, invalid
// bytes), and cut short with "…".
func shownText(s string) string {
	if len(s) > 4*maxShownText*utf8.UTFMax {
		s = s[:4*maxShownText*utf8.UTFMax] // far more than is shown; ToValidUTF8 mends a rune cut in two
	}
	s = strings.Map(func(c rune) rune {
		switch {
		case unicode.IsSpace(c):
			return ' '
		case !unicode.IsPrint(c):
			return utf8.RuneError
		}
		return c
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxShownText {
		s = string(r[:maxShownText]) + "…"
	}
	return s
}
