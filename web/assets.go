// Package web holds the static assets (CSS, images and the vendored npm
// assets that make copies in) and serves them under content-hashed URLs, so
// that browsers may cache them for a year and still never see a stale file.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// Assets maps logical asset names ("css/app.css") to hashed URLs and back.
type Assets struct {
	hashed   map[string]string // logical name → URL path
	byURL    map[string]string // URL path → logical name
	contents map[string][]byte
}

// NewAssets indexes every embedded asset.
func NewAssets() (*Assets, error) {
	files, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	a := &Assets{hashed: map[string]string{}, byURL: map[string]string{}, contents: map[string][]byte{}}
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		url := Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		a.hashed[name] = url
		a.byURL[url] = name
		a.contents[name] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index assets: %w", err)
	}
	return a, nil
}

// Path returns the hashed URL of a logical asset name, or "" when the asset
// is not embedded (e.g. a vendored file that make has not copied in yet).
func (a *Assets) Path(name string) string { return a.hashed[name] }

// ServeHTTP serves an asset by its hashed URL with immutable caching.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.contents[name]) //nolint:errcheck // the client went away
}
