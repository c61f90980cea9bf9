package report_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"iop/internal/report"
)

func TestReportDump(t *testing.T) {
	if os.Getenv("REPORT_DUMP") == "" {
		t.Skip()
	}
	db := demoData.New(t)
	svc := report.NewService(db, time.Now)
	for _, c := range []struct {
		title string
		year  int
	}{{ikfTitle, 2024}, {smTitle, 2019}} {
		r, err := svc.Agreement(context.Background(), officer, agreementID(t, db, c.title), c.year)
		if err != nil {
			t.Fatal(err)
		}
		dump(r)
	}
	for _, y := range []int{2019, 2024} {
		r, err := svc.Portfolio(context.Background(), officer, y)
		if err != nil {
			t.Fatal(err)
		}
		dump(r)
	}
}

func dump(r report.Report) {
	fmt.Println("=====", r.Year, r.Agreement)
	for _, s := range r.Sections {
		fmt.Println("##", s.Title, s.NotRecorded)
		for _, tb := range s.Tables {
			fmt.Println("  --", tb.ID, tb.Title, tb.Note)
			fmt.Println("    ", tb.Columns)
			for _, row := range tb.Rows {
				fmt.Print("     ")
				for _, c := range row {
					fmt.Print(c.Display(), " | ")
				}
				fmt.Println()
			}
		}
	}
}
