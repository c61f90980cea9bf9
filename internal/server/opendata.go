package server

import (
	"fmt"
	"net/http"

	"iop/internal/postgres"
	"iop/internal/reportexport"
)

// openDataGrants are the grants of the route's year for the open data: one per
// agreement in force some day of the year. The amount is the municipality's
// cash contribution for the year after indexation and pro-rata, chosen as
// the invoice pages choose it: the materialised amounts when the
// indexation has materialised every municipal cash line, else computed
// from the rules (partnership.MunicipalCashForYear).
func (s *Server) openDataGrants(r *http.Request) (grants []reportexport.Grant, year int, err error) {
	if year, err = urlYear(r); err != nil {
		return nil, 0, err
	}
	ctx := r.Context()
	rows, err := postgres.NewOpenData(s.db.Pool).Grants(ctx, year)
	if err != nil {
		return nil, 0, err
	}
	var estimate []int64 // the agreements whose year is not materialised
	for _, row := range rows {
		if !row.Materialised {
			estimate = append(estimate, row.AgreementID)
		}
	}
	estimated, err := s.estimatedMunicipalCash(ctx, estimate, year)
	if err != nil {
		return nil, 0, err
	}
	grants = make([]reportexport.Grant, len(rows))
	for i, row := range rows {
		amount := row.Expected
		if !row.Materialised {
			amount = estimated[row.AgreementID]
		}
		grants[i] = reportexport.Grant{
			Identifier: reportexport.GrantIdentifier(row.AgreementID, year),
			Title:      row.Title,
			Description: fmt.Sprintf("Idéburet offentligt partnerskap (IOP) mellan %s och %s: kommunens kontanta bidrag för %d efter indexering.",
				row.FunderName, row.RecipientName, year),
			Amount: amount, AwardDate: row.AwardDate, Start: row.From, End: row.To,
			RecipientID:   reportexport.OrgIdentifier(row.RecipientOrgNumber, row.RecipientID),
			RecipientName: row.RecipientName,
			FunderID:      reportexport.OrgIdentifier(row.FunderOrgNumber, row.FunderID),
			FunderName:    row.FunderName,
		}
	}
	return grants, year, nil
}

// handleOpenDataGrantsJSON publishes the grants of a year as 360Giving
// JSON. It is open data for the municipality's open-data portal: no login,
// readable from any origin, and free of personal data (organisations,
// titles, dates and amounts only).
func (s *Server) handleOpenDataGrantsJSON(w http.ResponseWriter, r *http.Request) {
	grants, year, err := s.openDataGrants(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := reportexport.GrantsJSON(grants)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="bidrag-%d.json"`, year))
	w.Write(body) //nolint:errcheck // the client went away
}

// handleOpenDataGrantsCSV publishes the same grants as 360Giving CSV.
func (s *Server) handleOpenDataGrantsCSV(w http.ResponseWriter, r *http.Request) {
	grants, year, err := s.openDataGrants(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := reportexport.GrantsCSV(grants, csvSafe)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	download(w, "text/csv; charset=utf-8", fmt.Sprintf("bidrag-%d.csv", year))
	w.Write(body) //nolint:errcheck // the client went away
}
