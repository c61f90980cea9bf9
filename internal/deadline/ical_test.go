package deadline

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"iop/internal/partnership"
)

func TestFoldKeepsCharactersWhole(t *testing.T) {
	long := "SUMMARY:" + strings.Repeat("åäö€", 40)
	folded := Fold(long)
	if !strings.HasSuffix(folded, "\r\n") {
		t.Fatal("no CRLF at the end")
	}
	lines := strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n")
	var joined strings.Builder
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character: %q", i, l)
		}
		if i > 0 {
			if !strings.HasPrefix(l, " ") {
				t.Errorf("continuation %d does not start with a space", i)
			}
			l = l[1:]
		}
		joined.WriteString(l)
	}
	if joined.String() != long {
		t.Error("unfolding does not give the line back")
	}
	if Fold("A:b") != "A:b\r\n" {
		t.Error("a short line is changed")
	}
}

func TestEscapeText(t *testing.T) {
	got := EscapeText("a\\b;c,d\r\ne\nf")
	if want := `a\\b\;c\,d\ne\nf`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriteICS(t *testing.T) {
	start := time.Date(2024, 3, 15, 13, 30, 0, 0, partnership.Stockholm)
	events := []Event{
		{UID: "report-1-2024@iop", Summary: "Årsrapport 2024; del, två", Date: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), URL: "http://x/agreements/1"},
		{UID: "meeting-2@iop", Summary: strings.Repeat("Dialogmöte – Överenskommelse ", 5), Start: &start, Location: "Kö\nrum"},
	}
	var buf bytes.Buffer
	if err := WriteICS(&buf, "IOP", events, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\r") {
		t.Error("a line end that is not CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("bad line %q", l)
		}
	}
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "TZID:Europe/Stockholm\r\n", "UID:report-1-2024@iop\r\n",
		"DTSTAMP:20240102T030405Z\r\n", "DTSTART;VALUE=DATE:20250331\r\n", "DTEND;VALUE=DATE:20250401\r\n",
		`SUMMARY:Årsrapport 2024\; del\, två`, "DTSTART;TZID=Europe/Stockholm:20240315T133000\r\n",
		"DTEND;TZID=Europe/Stockholm:20240315T143000\r\n", `LOCATION:Kö\nrum`, "END:VCALENDAR\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Count(out, "BEGIN:VEVENT") != 2 {
		t.Error("want two events")
	}
}
