package deadline

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"iop/internal/partnership"
)

// Event is one VEVENT of a calendar feed: all-day on Date, or timed from
// Start (Swedish local time) for an hour when Start is set.
type Event struct {
	UID         string
	Summary     string
	Description string
	Location    string
	URL         string
	Date        time.Time  // the calendar date, for an all-day event
	Start       *time.Time // the start, for a timed event
}

// eventLength is how long a timed event is shown: meetings record only
// their start.
const eventLength = time.Hour

// vtimezone describes Europe/Stockholm as RFC 5545 requires for TZID
// references: CET in winter, CEST from the last Sunday of March to the
// last Sunday of October (EU rules since 1996).
const vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n" +
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// WriteICS writes events as an RFC 5545 calendar named name: CRLF line
// ends, content lines folded at 75 octets without splitting a UTF-8
// character, TEXT values escaped. stamp is the DTSTAMP of every event.
func WriteICS(w io.Writer, name string, events []Event, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { bw.WriteString(Fold(name + ":" + value)) }
	bw.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//IOP//Deadlines//SV\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
	line("X-WR-CALNAME", EscapeText(name))
	line("X-WR-TIMEZONE", "Europe/Stockholm")
	bw.WriteString(vtimezone)
	dtstamp := stamp.UTC().Format("20060102T150405Z")
	for _, e := range events {
		bw.WriteString("BEGIN:VEVENT\r\n")
		line("UID", e.UID)
		line("DTSTAMP", dtstamp)
		if e.Start != nil {
			local := e.Start.In(partnership.Stockholm)
			line("DTSTART;TZID=Europe/Stockholm", local.Format("20060102T150405"))
			line("DTEND;TZID=Europe/Stockholm", local.Add(eventLength).Format("20060102T150405"))
		} else {
			line("DTSTART;VALUE=DATE", e.Date.Format("20060102"))
			line("DTEND;VALUE=DATE", e.Date.AddDate(0, 0, 1).Format("20060102"))
			line("TRANSP", "TRANSPARENT")
		}
		line("SUMMARY", EscapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", EscapeText(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", EscapeText(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		bw.WriteString("END:VEVENT\r\n")
	}
	bw.WriteString("END:VCALENDAR\r\n")
	return bw.Flush()
}

// EscapeText escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and line breaks.
func EscapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// maxLineOctets is the longest content line RFC 5545 allows, without CRLF.
const maxLineOctets = 75

// Fold returns the content line folded at 75 octets, each part ended by
// CRLF and each continuation starting with a space (which counts toward
// its 75). A multi-byte character is never split.
func Fold(s string) string {
	var b strings.Builder
	limit := maxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLineOctets - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}

// Events are the agenda as calendar events: every deadline all-day on its
// date, every meeting timed when it has a start time and all-day
// otherwise. base is the application's address, for the links.
func Events(ag Agenda, base string) []Event {
	base = strings.TrimSuffix(base, "/")
	out := make([]Event, 0, len(ag.Deadlines)+len(ag.Meetings))
	for _, d := range ag.Deadlines {
		out = append(out, Event{
			UID: d.UID(), Summary: d.Title, Description: d.Kind.Label() + " – " + d.AgreementTitle,
			URL: base + d.Link, Date: d.Due,
		})
	}
	for _, m := range ag.Meetings {
		e := Event{
			UID: fmt.Sprintf("meeting-%d@iop", m.ID), Summary: m.Kind.Label() + " – " + m.AgreementTitle,
			Location: m.Place, URL: fmt.Sprintf("%s/agreements/%d/meetings/%d", base, m.AgreementID, m.ID), Date: m.HeldOn,
		}
		if t, err := time.ParseInLocation("2006-01-02 15:04", m.HeldOn.Format(time.DateOnly)+" "+m.StartsAt, partnership.Stockholm); err == nil {
			e.Start = &t
		}
		out = append(out, e)
	}
	return out
}
