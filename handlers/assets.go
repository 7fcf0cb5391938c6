package handlers

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/static"
)

// asset is one embedded file, with its gzip form when that is smaller.
type asset struct {
	ctype string
	body  []byte
	gz    []byte
}

// Assets serves the embedded files under /static/{version}/. Files are
// read and compressed once, at start-up.
type Assets struct {
	version string
	files   map[string]*asset
}

// NewAssets loads every embedded asset.
func NewAssets() (*Assets, error) {
	a := &Assets{version: static.Version(), files: map[string]*asset{}}
	err := fs.WalkDir(static.Assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.Assets.ReadFile(name)
		if err != nil {
			return err
		}
		f := &asset{ctype: contentType(name), body: body}
		if compressible(f.ctype) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		a.files[name] = f
		return nil
	})
	return a, err
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".woff2":
		return "font/woff2"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "json")
}

// Serve answers GET /static/:version/*. The current version is cached for a
// year as immutable; an old version gets the current file, uncached.
func (a *Assets) Serve(c echo.Context) error {
	f := a.files[c.Param("*")]
	if f == nil {
		return echo.ErrNotFound
	}
	hdr := c.Response().Header()
	if c.Param("version") == a.version {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	hdr.Set("Vary", "Accept-Encoding")
	if f.gz != nil && acceptsGzip(c.Request()) {
		hdr.Set(echo.HeaderContentEncoding, "gzip")
		return c.Blob(http.StatusOK, f.ctype, f.gz)
	}
	return c.Blob(http.StatusOK, f.ctype, f.body)
}

// File serves one embedded file at a fixed path, such as the OpenAPI
// document, revalidated on every use.
func (a *Assets) File(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		f := a.files[name]
		if f == nil {
			return echo.ErrNotFound
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.Blob(http.StatusOK, f.ctype, f.body)
	}
}
