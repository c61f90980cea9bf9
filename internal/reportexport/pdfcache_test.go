package reportexport

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

const cacheDoc = `<!DOCTYPE html><html lang="sv"><head><title>Rapport</title></head><body><h1>Rapport</h1></body></html>`

func TestPrinterPrintsTheSameDocumentOnce(t *testing.T) {
	t.Parallel()
	p := NewPrinter(chromium(t))
	t.Cleanup(p.Close)
	ctx := context.Background()
	first, err := p.PDF(ctx, cacheDoc, PDFPage{Header: "Linköpings kommun"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.PDF(ctx, cacheDoc, PDFPage{Header: "Linköpings kommun"})
	if err != nil || !bytes.Equal(first, again) || p.prints.Load() != 1 {
		t.Fatalf("the same document again: %v, same bytes %v, %d prints; want the kept print", err, bytes.Equal(first, again), p.prints.Load())
	}
	if _, err := p.PDF(ctx, cacheDoc, PDFPage{Header: "Norrköpings kommun"}); err != nil || p.prints.Load() != 2 {
		t.Fatalf("another header: %v, %d prints; want a print of its own", err, p.prints.Load())
	}
}

// TestConcurrentRequestsShareOnePrint: requests for a document that is
// being printed (here waiting for a render slot) wait for that print.
func TestConcurrentRequestsShareOnePrint(t *testing.T) {
	t.Parallel()
	p := NewPrinter(chromium(t))
	t.Cleanup(p.Close)
	p.slot <- struct{}{}
	p.slot <- struct{}{}
	const requests = 3
	var wg sync.WaitGroup
	results := make([][]byte, requests)
	errs := make([]error, requests)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = p.PDF(context.Background(), cacheDoc, PDFPage{})
		}()
	}
	key := pdfKey(cacheDoc, PDFPage{})
	for deadline := time.Now().Add(30 * time.Second); ; {
		p.cache.mu.Lock()
		el, ok := p.cache.entries[key]
		waiting := ok && el.Value.(*pdfEntry).waiters == requests-1
		p.cache.mu.Unlock()
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the requests never came to wait for one print")
		}
		time.Sleep(10 * time.Millisecond)
	}
	<-p.slot
	<-p.slot
	wg.Wait()
	for i := range requests {
		if errs[i] != nil || !bytes.HasPrefix(results[i], []byte("%PDF-")) || !bytes.Equal(results[i], results[0]) {
			t.Fatalf("request %d: %v (%d bytes)", i, errs[i], len(results[i]))
		}
	}
	if n := p.prints.Load(); n != 1 {
		t.Errorf("%d prints for %d requests of one document, want 1", n, requests)
	}
}

func TestPDFCacheKeepsTheMostRecentlyUsedAndNoFailure(t *testing.T) {
	c := newPDFCache(100) // prints of at most 25 bytes are kept
	ctx := context.Background()
	printed := 0
	get := func(name string) {
		t.Helper()
		out, err := c.get(ctx, pdfKey(name, PDFPage{}), func() ([]byte, error) {
			printed++
			return bytes.Repeat([]byte(name[:1]), 20), nil
		})
		if err != nil || len(out) != 20 || out[0] != name[0] {
			t.Fatalf("get %s: %q %v", name, out, err)
		}
	}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		get(name)
	}
	get("a") // used again: b is now the least recently used
	get("f") // 120 bytes: b goes
	if printed != 6 || c.size != 100 {
		t.Fatalf("%d prints, %d bytes kept; want 6 and 100", printed, c.size)
	}
	get("a")
	get("b")
	if printed != 7 {
		t.Errorf("%d prints; want a kept and b printed again (7)", printed)
	}

	failed := errors.New("the request was given up")
	if _, err := c.get(ctx, pdfKey("x", PDFPage{}), func() ([]byte, error) { return nil, failed }); !errors.Is(err, failed) {
		t.Fatalf("failed print: %v", err)
	}
	get("x")
	if printed != 8 {
		t.Errorf("%d prints; want the failed print not kept (8)", printed)
	}
	big := bytes.Repeat([]byte("z"), 26)
	if out, err := c.get(ctx, pdfKey("z", PDFPage{}), func() ([]byte, error) { return big, nil }); err != nil || len(out) != 26 {
		t.Fatalf("large print: %d %v", len(out), err)
	}
	if _, ok := c.entries[pdfKey("z", PDFPage{})]; ok {
		t.Error("a print larger than a quarter of the cache was kept")
	}
}
