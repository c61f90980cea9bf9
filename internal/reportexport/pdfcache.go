package reportexport

import (
	"container/list"
	"context"
	"crypto/sha256"
	"sync"
)

// pdfCacheBytes bounds the prints the printer keeps: a few of the largest
// portfolios, many agreements' reports.
const pdfCacheBytes = 32 << 20

// pdfCache keeps the most recently used prints by their document, so that
// a report downloaded again (by each member of the committee, or any time
// after approval, when its figures no longer change) is sent at once
// instead of being laid out by chromium again; and a request for a
// document that is being printed waits for that print instead of taking a
// render slot of its own. The key is the whole HTML document and page
// header: any change to a figure or text makes another document, so a
// stale print is never sent.
type pdfCache struct {
	mu      sync.Mutex
	max     int // bytes of the kept prints
	size    int
	entries map[[sha256.Size]byte]*list.Element // of *pdfEntry
	lru     list.List                           // most recently used first
}

// pdfEntry is one document's print: done is closed once pdf or err is set.
type pdfEntry struct {
	key     [sha256.Size]byte
	done    chan struct{}
	pdf     []byte
	err     error
	waiters int // requests that waited for this print besides the one printing
}

func newPDFCache(max int) *pdfCache {
	return &pdfCache{max: max, entries: map[[sha256.Size]byte]*list.Element{}}
}

func pdfKey(document string, pg PDFPage) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(pg.Header)) //nolint:errcheck // a hash does not fail
	h.Write([]byte{0})         //nolint:errcheck // a hash does not fail
	h.Write([]byte(document))  //nolint:errcheck // a hash does not fail
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// get returns the document's print, calling print when there is none yet
// and no other request is printing it. When the print it waited for fails
// (that request was given up, say), it tries again itself. A failed print
// is not kept.
func (c *pdfCache) get(ctx context.Context, key [sha256.Size]byte, print func() ([]byte, error)) ([]byte, error) {
	for {
		c.mu.Lock()
		if el, ok := c.entries[key]; ok {
			e := el.Value.(*pdfEntry)
			c.lru.MoveToFront(el)
			e.waiters++
			c.mu.Unlock()
			select {
			case <-e.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if e.err == nil {
				return e.pdf, nil
			}
			continue
		}
		e := &pdfEntry{key: key, done: make(chan struct{})}
		el := c.lru.PushFront(e)
		c.entries[key] = el
		c.mu.Unlock()

		e.pdf, e.err = print()
		c.mu.Lock()
		if e.err != nil || len(e.pdf) > c.max/4 {
			c.lru.Remove(el)
			delete(c.entries, key)
		} else {
			c.size += len(e.pdf)
			c.evict()
		}
		c.mu.Unlock()
		close(e.done)
		return e.pdf, e.err
	}
}

// evict drops the least recently used finished prints until the kept ones
// fit; prints still running are skipped (their size is not known yet).
func (c *pdfCache) evict() {
	for el := c.lru.Back(); el != nil && c.size > c.max; {
		prev := el.Prev()
		if e := el.Value.(*pdfEntry); e.pdf != nil {
			c.size -= len(e.pdf)
			c.lru.Remove(el)
			delete(c.entries, e.key)
		}
		el = prev
	}
}
