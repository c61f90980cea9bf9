package reportexport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"iop/internal/money"
)

// Grant is one grant as the 360Giving Data Standard describes it: what
// the municipality (the funder) pays an association (the recipient) for
// one calendar year of a partnership. It holds organisations only, never
// a person.
type Grant struct {
	Identifier    string
	Title         string
	Description   string
	Amount        money.Amount // the year's cash contribution after indexation
	AwardDate     time.Time
	Start, End    time.Time // the planned dates: the part of the year the agreement covers
	RecipientID   string
	RecipientName string
	FunderID      string
	FunderName    string
}

// GrantIdentifier identifies the grant of an agreement in a year. 360Giving
// asks publishers to prefix identifiers with a registered "360G-" prefix;
// "360G-iop" stands in until the municipality registers its own.
func GrantIdentifier(agreementID int64, year int) string {
	return fmt.Sprintf("360G-iop-%d-%d", agreementID, year)
}

// OrgIdentifier is the org-id.guide identifier of an organisation: SE-BO
// and its Swedish organisation number when that is a legal person's
// number. An organisation without one (or with a sole trader's number,
// which is the owner's personal identity number) gets an identifier made
// from its id in this system instead, so that no personnummer is ever
// published.
func OrgIdentifier(orgNumber string, id int64) string {
	if LegalPersonNumber(orgNumber) {
		return "SE-BO-" + orgNumber
	}
	return fmt.Sprintf("360G-iop-org-%d", id)
}

// LegalPersonNumber reports whether n is a Swedish organisation number of a
// legal person: ten digits whose third is at least 2 (a personal identity
// number has a month, 01–12, there).
func LegalPersonNumber(n string) bool {
	if len(n) != 10 {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return n[2] >= '2'
}

// kronorNumber writes an amount in kronor as a JSON/CSV number: whole
// kronor without decimals, otherwise with two ("1234.50"): money's plain
// form with a decimal point.
func kronorNumber(a money.Amount) string {
	return strings.Replace(a.Plain(), ",", ".", 1)
}

type grantOrg struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type grantDates struct {
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

type grantJSON struct {
	ID                    string       `json:"id"`
	Title                 string       `json:"title"`
	Description           string       `json:"description"`
	Currency              string       `json:"currency"`
	AmountAwarded         json.Number  `json:"amountAwarded"`
	AwardDate             string       `json:"awardDate"`
	PlannedDates          []grantDates `json:"plannedDates"`
	RecipientOrganization []grantOrg   `json:"recipientOrganization"`
	FundingOrganization   []grantOrg   `json:"fundingOrganization"`
}

// GrantsJSON is the grants as a 360Giving JSON package: {"grants": [...]}
// with the standard's field names.
func GrantsJSON(grants []Grant) ([]byte, error) {
	out := struct {
		Grants []grantJSON `json:"grants"`
	}{Grants: make([]grantJSON, len(grants))}
	for i, g := range grants {
		out.Grants[i] = grantJSON{
			ID: g.Identifier, Title: g.Title, Description: g.Description, Currency: "SEK",
			AmountAwarded: json.Number(kronorNumber(g.Amount)), AwardDate: g.AwardDate.Format(time.DateOnly),
			PlannedDates:          []grantDates{{StartDate: g.Start.Format(time.DateOnly), EndDate: g.End.Format(time.DateOnly)}},
			RecipientOrganization: []grantOrg{{ID: g.RecipientID, Name: g.RecipientName}},
			FundingOrganization:   []grantOrg{{ID: g.FunderID, Name: g.FunderName}},
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("grants as JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// GrantsCSVHeader is the header row of the 360Giving CSV: the standard's
// column titles.
var GrantsCSVHeader = []string{
	"Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
	"Planned Dates:Start Date", "Planned Dates:End Date",
	"Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier", "Funding Org:Name",
}

// GrantsCSV is the grants as a 360Giving CSV file: comma-separated UTF-8
// without a byte order mark, as the standard's tools read it, and numbers
// with a decimal point. guard protects text cells against being read as a
// formula by a spreadsheet program.
func GrantsCSV(grants []Grant, guard func(string) string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	records := [][]string{GrantsCSVHeader}
	for _, g := range grants {
		records = append(records, []string{
			guard(g.Identifier), guard(g.Title), guard(g.Description), "SEK", kronorNumber(g.Amount),
			g.AwardDate.Format(time.DateOnly), g.Start.Format(time.DateOnly), g.End.Format(time.DateOnly),
			guard(g.RecipientID), guard(g.RecipientName), guard(g.FunderID), guard(g.FunderName),
		})
	}
	if err := w.WriteAll(records); err != nil {
		return nil, fmt.Errorf("grants as CSV: %w", err)
	}
	return buf.Bytes(), nil
}
