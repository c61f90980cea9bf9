package server_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestNoIdentityOnAnyPageOrExport walks every GET route of the route x role
// matrix as the roles that may never see a participant's identity (officer,
// viewer, admin), once with the matrix's own agreements and once more for
// every demo agreement with participants, and searches each page and export
// (inside the XLSX archives too) for the identities of the fixture's and the
// demo's participants. A new route in the matrix is searched by itself.
func TestNoIdentityOnAnyPageOrExport(t *testing.T) {
	a := newApp(t)
	f := newFixture(t, a, a.userID(viewerEmail))
	secrets, _, agreements := demoIdentities(t, a)
	secrets = append(secrets, fixtureName, fixturePnr)

	var paths []string
	for _, row := range matrix(f) {
		if !strings.HasPrefix(row.route, "GET ") || row.path == "" || strings.HasPrefix(row.route, "GET /static/") {
			continue
		}
		paths = append(paths, row.path)
		participantAgreement := strings.TrimSuffix(strings.TrimPrefix(f.participant.list, "/agreements/"), "/participants")
		for _, from := range []string{f.ikfAgreement, participantAgreement} {
			prefix := "/agreements/" + from
			if !strings.HasPrefix(row.path, prefix+"/") && row.path != prefix {
				continue
			}
			for ag := range agreements {
				paths = append(paths, "/agreements/"+itoa(ag)+strings.TrimPrefix(row.path, prefix))
			}
		}
	}
	searched, workbooks := 0, 0
	for _, email := range []string{officerEmail, viewerEmail, adminEmail} {
		c := loggedIn(a, email)
		for _, path := range paths {
			res := c.get(path)
			body := res.Body
			if strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
				body = unzipAll(t, path, body)
				workbooks++
			}
			if res.StatusCode == 200 {
				searched++
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s as %s (%d) shows an identity", path, email, res.StatusCode)
					break
				}
			}
		}
	}
	// The walk must have reached the pages and the exports it means to search.
	if searched < 100 || workbooks < 10 {
		t.Errorf("searched only %d pages and %d workbooks", searched, workbooks)
	}
}

// unzipAll is the text of every entry of an Office archive, one after the
// other, so that a search sees the workbook's strings.
func unzipAll(t *testing.T, what, archive string) string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatalf("%s: not an archive: %v", what, err)
	}
	var buf bytes.Buffer
	for _, file := range zr.File {
		rc, err := file.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", what, file.Name, err)
		}
		_, err = io.Copy(&buf, rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", what, file.Name, err)
		}
	}
	return buf.String()
}
