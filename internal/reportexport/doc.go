// Package reportexport writes the annual reports (report.Report) as files
// that leave the system — an XLSX workbook, a CSV file and a tagged PDF
// printed by headless chromium — and the grants as 360Giving open data.
// Every report writer applies disclosure control first, whoever asked.
package reportexport
