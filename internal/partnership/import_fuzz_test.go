package partnership

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// pnrLike matches what could be a personnummer in a file: 10 or 12 digits,
// a separator allowed before the last four.
var pnrLike = regexp.MustCompile(`\d{6}(\d{2})?[-+]?\d{4}`)

// FuzzParseImportFiles feeds whole files (headers, encodings, separators
// and all) to both CSV imports: neither panics, errors are the documented
// lists of problems with a message each, accepted rows validate, and no
// problem quotes anything in the file that looks like a personnummer.
func FuzzParseImportFiles(f *testing.F) {
	f.Add([]byte(importHeaderLine + "\nSkapandeträff;2024-03-05;2,5;12;0;1;8;1,5;2;Skäggetorp;Tema\n"))
	f.Add([]byte("\ufeff" + importHeaderLine + "\r\nYoga;05/03/2024;x;-1;;;;;;;\r\n"))
	f.Add([]byte(participantHeaderLine + "\nKvinna;1988;Afrika;;Okänd;Okänd;Okänd;;;;2024-03-01;Annan;;Test;19880314-9825;;;2024-03-01\n"))
	f.Add([]byte(participantHeaderLine + "\n19880314-9825;198803149825;x;;;;;;;;;;;;19880314-9826;;;\n"))
	f.Add([]byte("\xff\xfeT\x00y\x00p\x00"))
	f.Add([]byte("a,b\n\"unterminated"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		quoted := func(msg string) {
			for _, p := range pnrLike.FindAllString(string(data), -1) {
				if strings.Contains(msg, p) {
					t.Fatalf("message %q quotes %q", msg, p)
				}
			}
		}
		acts, err := ParseActivityImport(data, importTypes, importToday)
		if err != nil {
			var errs ActivityImportErrors
			if !errors.As(err, &errs) || len(errs) == 0 || acts != nil {
				t.Fatalf("activity import: %v is not a list of problems", err)
			}
			for _, e := range errs {
				if e.Message == "" || e.Row < 0 {
					t.Fatalf("activity import: bad problem %+v", e)
				}
			}
		}
		for _, a := range acts {
			if err := a.Validate(importToday); err != nil {
				t.Fatalf("activity import accepted %+v: %v", a, err)
			}
		}
		rows, err := ParseParticipantImport(data, participantImportToday)
		if err != nil {
			var errs ImportErrors
			if !errors.As(err, &errs) || len(errs) == 0 || rows != nil {
				t.Fatalf("participant import: %v is not a list of problems", err)
			}
			for _, e := range errs {
				if e.Message == "" || e.Row < 0 {
					t.Fatalf("participant import: bad problem %+v", e)
				}
				quoted(e.Message)
				quoted(e.Column)
			}
		}
		for _, r := range rows {
			if err := r.Participant.Validate(participantImportToday); err != nil {
				t.Fatalf("participant import accepted an invalid participant: %v", err)
			}
			if !r.Identity.IsZero() && r.ConsentGivenOn == nil {
				t.Fatal("identity without consent")
			}
		}
	})
}
