package partnership

import (
	"testing"
	"time"
)

// BenchmarkParseActivityImport reads a file of MaxActivityImportRows
// activities, the most one import may hold, and reports the time and
// allocations per row.
func BenchmarkParseActivityImport(b *testing.B) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	types := []ActivityType{
		{ID: 1, AgreementID: 7, Name: "Skapandeträff", Active: true},
		{ID: 2, AgreementID: 7, Name: "Läxhjälp", Active: true},
	}
	records := [][]string{ActivityImportColumns}
	for i := range MaxActivityImportRows {
		records = append(records, FormatActivityImportRow(Activity{
			TypeName: types[i%2].Name, Date: today.AddDate(0, 0, -i%300), DurationMinutes: 30 + i%150,
			Women: i % 9, Men: i % 5, NonBinary: i % 2, Children: i % 4, VolunteerMinutes: i % 120,
			StaffPresent: 1 + i%3, Place: "Föreningens lokal", Notes: "Importerad i belastningstest",
		}))
	}
	file := WriteActivityCSV(records)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseActivityImport(file, types, today); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*MaxActivityImportRows), "µs/row")
}
