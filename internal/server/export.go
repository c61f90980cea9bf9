package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// csvSafe keeps a spreadsheet program from reading a text cell as a
// formula: a leading = + - @ (or tab or carriage return) gets a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// download sets the headers of a file download named name.
func download(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
}

// writeCSV sends records as a CSV download named name, the way Swedish
// spreadsheet programs read it: UTF-8 with a byte order mark, semicolons,
// RFC 4180 quoting and CRLF line ends. Guarding text cells against formulas
// (csvSafe) is left to the caller, which knows which cells are text.
func (s *Server) writeCSV(w http.ResponseWriter, r *http.Request, name string, records [][]string) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.WriteAll(records); err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, "text/csv; charset=utf-8", name)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// xlsxType is the media type of an Office Open XML workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportSlots bounds the exports that read many rows (an agreement's
// activities over years): at most this many run at once in the process,
// the others wait for a slot, so that a burst of them neither takes every
// database connection nor every core from the pages. Each export streams,
// so a slot costs little memory.
var exportSlots = make(chan struct{}, 2)

// portfolioSlots bounds the portfolio's page and files, which compute the
// figures of every agreement: at most this many are built at once in the
// process, so that a burst of them leaves cores and memory (the page of
// 300 agreements is megabytes) to the other pages.
var portfolioSlots = make(chan struct{}, 2)

// acquire waits for one of the slots, or until the request ends; the
// returned function gives the slot back.
func acquire(ctx context.Context, slots chan struct{}) (release func(), err error) {
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inSlot runs h within one of the slots.
func (s *Server) inSlot(slots chan struct{}, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		release, err := acquire(r.Context(), slots)
		if err != nil {
			return // the client went away while it waited
		}
		defer release()
		h(w, r)
	}
}

// lazyDownload sends the download headers with the first bytes written, so
// that an export that fails before writing anything is answered with an
// error page, not an empty file.
type lazyDownload struct {
	w                 http.ResponseWriter
	contentType, name string
	started           bool
}

func (d *lazyDownload) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		download(d.w, d.contentType, d.name)
	}
	return d.w.Write(p)
}

// streamExport runs write within an export slot; write writes the file
// named name to out as it reads its rows. An error before the first byte
// is answered as usual (s.fail); one after it cuts the connection, so the
// client sees a broken download, never a short file that looks complete.
func (s *Server) streamExport(w http.ResponseWriter, r *http.Request, contentType, name string, write func(out io.Writer) error) {
	release, err := acquire(r.Context(), exportSlots)
	if err != nil {
		return // the client went away while it waited
	}
	defer release()
	out := &lazyDownload{w: w, contentType: contentType, name: name}
	err = write(out)
	if err != nil && !out.started {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "export cut off",
			slog.String("request_id", requestIDFrom(r.Context())), slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	if !out.started { // nothing written at all
		download(w, contentType, name)
	}
}

// csvExportWriter writes CSV to out the way writeCSV does (UTF-8 with a
// byte order mark, semicolons, CRLF), row by row. It buffers 32 KiB, so
// nothing (not even the byte order mark) reaches out before the first rows
// are read; Flush sends the rest.
func csvExportWriter(out io.Writer) *csv.Writer {
	bw := bufio.NewWriterSize(out, 32<<10)
	bw.WriteString("\uFEFF") //nolint:errcheck // a bufio.Writer reports errors on Flush
	cw := csv.NewWriter(bw)  // writes through bw itself: it is a large enough bufio.Writer
	cw.Comma = ';'
	cw.UseCRLF = true
	return cw
}
