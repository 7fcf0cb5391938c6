// Package static embeds the web assets (CSS, JavaScript, fonts, images) and
// the page templates, so that the binary needs no files and no outside
// host at run time.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

// Assets holds everything served under /static/.
//
//go:embed css js img api
//go:embed vendor/echarts/echarts.min.js
//go:embed vendor/krds/krds.css vendor/krds/img
//go:embed vendor/fonts/fonts.css vendor/fonts/*.woff2
var Assets embed.FS

// Templates holds the HTML templates.
//
//go:embed templates/*.html
var Templates embed.FS

var version = sync.OnceValue(func() string {
	h := sha256.New()
	err := fs.WalkDir(Assets, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Assets.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	if err != nil {
		panic("static: hash embedded assets: " + err.Error())
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// Version is a hash of all assets. It is part of every asset URL, so that
// browsers may cache assets for good and still fetch new ones after an
// upgrade.
func Version() string { return version() }

// Catalogues holds the message catalogue of each language, one file per
// language named by its tag (ko.json, en.json).
//
//go:embed i18n/*.json
var catalogueFiles embed.FS

// Catalogues is the directory of catalogue files.
var Catalogues = must(fs.Sub(catalogueFiles, "i18n"))

func must(f fs.FS, err error) fs.FS {
	if err != nil {
		panic("static: " + err.Error())
	}
	return f
}
