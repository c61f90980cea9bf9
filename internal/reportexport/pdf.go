package reportexport

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"iop/internal/report"
	"iop/templates"
)

// ErrNoBrowser is returned by Printer.PDF when chromium cannot be found or
// started: the server answers 503 with a Swedish explanation.
var ErrNoBrowser = errors.New("reportexport: chromium is not available")

// errClosed is returned after Close.
var errClosed = errors.New("reportexport: printer closed")

// maxRenders bounds the renders that run at the same time: each is a tab of
// the one browser, and the machine has few cores.
const maxRenders = 2

// renderTimeout bounds one render, so that a hung browser cannot hold a
// request (and a render slot) for ever.
const renderTimeout = 60 * time.Second

// Printer prints HTML documents to tagged, accessible PDF with headless
// chromium. One browser is started on the first print and reused; it is
// started again when it has died, and stopped by Close. At most maxRenders
// prints run at once; the others wait for a slot (or their context).
//
// The browser never reaches the network: documents are loaded with
// Page.setDocumentContent into about:blank, every request would go to a
// proxy that does not exist, and host names resolve to nothing.
type Printer struct {
	exe    string
	slot   chan struct{}
	cache  *pdfCache
	prints atomic.Int64 // documents sent to the browser to print

	mu      sync.Mutex
	closed  bool
	browser context.Context    // nil until started
	stop    context.CancelFunc // stops the browser and its allocator
}

// NewPrinter returns a printer that runs the chromium at exe, or, when exe
// is "", the first of chromium and chromium-browser on PATH. Nothing is
// started until the first print.
func NewPrinter(exe string) *Printer {
	return &Printer{exe: exe, slot: make(chan struct{}, maxRenders), cache: newPDFCache(pdfCacheBytes)}
}

// PDFPage is what goes around the document on every printed page.
type PDFPage struct {
	Header string // e.g. the municipality's name, top left of every page
}

// PDF prints the HTML document (a whole document with its own inline print
// stylesheet and no external resources) on A4 paper, tagged (structure
// tree, /MarkInfo), with the document outline, the header on top of every
// page and "Sida N av M" at its foot. A document printed recently, or
// being printed for another request, is not printed again (pdfCache).
func (p *Printer) PDF(ctx context.Context, document string, pg PDFPage) ([]byte, error) {
	return p.cache.get(ctx, pdfKey(document, pg), func() ([]byte, error) { return p.print(ctx, document, pg) })
}

// print prints the document in a render slot of the browser.
func (p *Printer) print(ctx context.Context, document string, pg PDFPage) ([]byte, error) {
	select {
	case p.slot <- struct{}{}:
		defer func() { <-p.slot }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	browser, err := p.running()
	if err != nil {
		return nil, err
	}
	p.prints.Add(1)
	out, err := printDocument(ctx, browser, document, pg)
	if err == nil || ctx.Err() != nil {
		return out, err
	}
	// The browser may have died between the check and the print: start a
	// fresh one and try once more.
	p.discard(browser)
	if browser, err = p.running(); err != nil {
		return nil, err
	}
	p.prints.Add(1)
	return printDocument(ctx, browser, document, pg)
}

// Close stops the browser; later prints fail.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.stop != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
}

// running returns the context of a live browser, starting one when there is
// none or the last one has died.
func (p *Printer) running() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errClosed
	}
	if p.browser != nil && alive(p.browser) {
		return p.browser, nil
	}
	if p.stop != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
	exe, err := p.executable()
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true),
		// Nothing leaves the machine: any request would go to a closed
		// local port, and no host name resolves.
		chromedp.ProxyServer("http://127.0.0.1:9"), chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	allocCtx, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, stopBrowser := chromedp.NewContext(allocCtx)
	stop := func() { stopBrowser(); stopAlloc() }
	// The first call starts the browser and binds it to the context it is
	// given, so that context must live as long as the browser.
	if err := chromedp.Do(browser); err != nil {
		stop()
		return nil, fmt.Errorf("%w: start %s: %v", ErrNoBrowser, exe, err)
	}
	p.browser, p.stop = browser, stop
	return browser, nil
}

// discard stops browser if it is still the printer's current one.
func (p *Printer) discard(browser context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser == browser && p.stop != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
}

// executable finds the chromium to run.
func (p *Printer) executable() (string, error) {
	if p.exe != "" {
		if _, err := os.Stat(p.exe); err != nil {
			return "", fmt.Errorf("%w: %v", ErrNoBrowser, err)
		}
		return p.exe, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w: neither chromium nor chromium-browser is on PATH", ErrNoBrowser)
}

// alive reports whether the browser of ctx still runs: its context is not
// done and its process has not exited (chromedp reaps it, so a signal 0 to
// an exited process fails).
func alive(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	c := chromedp.FromContext(ctx)
	if c == nil || c.Browser == nil {
		return false
	}
	proc := c.Browser.Process()
	return proc != nil && proc.Signal(syscall.Signal(0)) == nil
}

// printDocument renders the document in a new tab of browser and prints it.
func printDocument(ctx context.Context, browser context.Context, document string, pg PDFPage) ([]byte, error) {
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	// The tab ends with the request, or after renderTimeout.
	stopAfter := context.AfterFunc(ctx, closeTab)
	defer stopAfter()
	tctx, cancel := context.WithTimeout(tab, renderTimeout)
	defer cancel()

	load := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return fmt.Errorf("frame tree: %w", err)
		}
		if tree.FrameTree == nil || tree.FrameTree.Frame == nil {
			return errors.New("the tab has no frame")
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{
			FrameID: tree.FrameTree.Frame.ID, HTML: document,
		})
		if err != nil {
			return fmt.Errorf("set document: %w", err)
		}
		return nil
	})
	if err := chromedp.Do(tctx, chromedp.Navigate("about:blank"), load); err != nil {
		return nil, fmt.Errorf("load the document: %w", err)
	}
	// Layout waits for the (local) fonts, so no glyph is printed as a box.
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("wait for fonts: %w", err)
	}
	const frame = `<div style="font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 8pt; color: #333; width: 100%%; margin: 0 15mm; display: flex; justify-content: space-between;">%s</div>`
	header := fmt.Sprintf(frame, "<span>"+html.EscapeString(pg.Header)+"</span>")
	footer := fmt.Sprintf(frame, `<span></span><span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span>`)
	out, err := chromedp.Run(tctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargins(0.8, 0.6, 0.8, 0.6),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(header),
		chromedp.PDFFooterTemplate(footer),
		chromedp.PDFOutlineAndTagged(),
	))
	if err != nil {
		return nil, fmt.Errorf("print to PDF: %w", err)
	}
	return out, nil
}

// ReportPDF prints an annual report: the print template with the figures
// disclosed (a large portfolio's per-agreement tables as their totals, see
// forPrint), and the municipality's name in the header of every page.
func ReportPDF(ctx context.Context, p *Printer, vm templates.ReportPrintVM) ([]byte, error) {
	vm.Figures = forPrint(disclosed(vm.Figures))
	var doc strings.Builder
	if err := templates.ReportPrint(vm).Render(ctx, &doc); err != nil {
		return nil, fmt.Errorf("render the print document: %w", err)
	}
	return p.PDF(ctx, doc.String(), PDFPage{Header: vm.Municipality})
}

// PrintAgreementRows is the most agreements a portfolio's printed tables
// list one row each. A larger portfolio prints each table of one row per
// agreement as its totals row, with a note that the Excel and CSV files
// hold every row: at 300 agreements the full tables fill some 150 A4 pages,
// which no committee reads and chromium takes tens of seconds to lay out.
// The list of agreements that need attention is printed whole.
const PrintAgreementRows = 40

// forPrint is the disclosed report as printed: unchanged for an agreement
// or a portfolio of at most PrintAgreementRows agreements. The totals row
// was disclosed in its whole table, so printing it alone reveals nothing
// the full table would not.
func forPrint(r report.Report) report.Report {
	if r.Agreement != nil {
		return r
	}
	out := r
	out.Sections = slices.Clone(r.Sections)
	for i := range out.Sections {
		sec := &out.Sections[i]
		sec.Tables = slices.Clone(sec.Tables)
		for j := range sec.Tables {
			t := &sec.Tables[j]
			agreements := len(t.Rows) - 1
			if !t.ColTotal || agreements <= PrintAgreementRows {
				continue
			}
			totals := slices.Clone(t.Rows[agreements])
			for k := range totals {
				totals[k].Basis = nil
			}
			t.Rows, t.Sums = [][]report.Cell{totals}, nil
			t.Note = fmt.Sprintf("Summan för alla %d överenskommelser. Excel- och CSV-filen har en rad per överenskommelse.", agreements)
		}
	}
	return out
}
