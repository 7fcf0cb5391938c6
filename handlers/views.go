package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"jobkpi/charts/doc"
	"jobkpi/models"
	"jobkpi/static"
)

// Views holds the parsed page templates. Each page is the layout plus one
// page file; they are parsed once at start-up.
type Views struct {
	pages map[string]*template.Template
}

// NewViews parses every template in static/templates.
func NewViews() (*Views, error) {
	prefix := "/static/" + static.Version() + "/"
	funcs := template.FuncMap{
		"asset":   func(name string) string { return prefix + name },
		"num":     formatNumber,
		"pct":     formatPercent,
		"million": million,
		"seq":     seq,
		"list":    func(s ...string) []string { return s },
		"sub1":    func(i int) int { return i - 1 },
		"val":     func(v *float64) float64 { return *v },
		"pickID":  pickID,
		// statusOf is a document's status cell as the "status" partial draws it.
		"statusOf": func(key, label string) statusView { return statusView{Key: key, Label: label} },
		// Stored times are UTC; pages show them as Korea's clock reads.
		"kst":     func(t time.Time) string { return t.In(models.KST).Format("2006-01-02 15:04") },
		"kstDate": func(t time.Time) string { return t.In(models.KST).Format(time.DateOnly) },
		"iso":     func(t time.Time) string { return t.In(models.KST).Format(time.RFC3339) },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(static.Templates, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("handlers: parse layout: %w", err)
	}
	names, err := fs.Glob(static.Templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	v := &Views{pages: map[string]*template.Template{}}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" || strings.HasPrefix(file, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(static.Templates, name)
		if err != nil {
			return nil, fmt.Errorf("handlers: parse %s: %w", file, err)
		}
		v.pages[strings.TrimSuffix(file, ".html")] = t
	}
	return v, nil
}

// Render executes a page into a buffer, so that a failing template never
// sends half a page.
func (v *Views) Render(name string, data any) ([]byte, error) {
	t, ok := v.pages[name]
	if !ok {
		return nil, fmt.Errorf("handlers: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return nil, fmt.Errorf("handlers: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// formatNumber writes a number as every page and document does
// (doc.Number): 2163 → 2,163; 42.1 → 42.1.
func formatNumber(v float64) string { return doc.Number(v) }

// formatPercent writes a ratio as a percentage with one decimal: 0.8525 → 85.3%.
func formatPercent(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "—"
	}
	if math.Abs(r) >= 1e15 { // r*1000 could overflow; r is a whole number
		return strconv.FormatFloat(r, 'f', 0, 64) + "00.0%"
	}
	return strconv.FormatFloat(math.Round(r*1000)/10, 'f', 1, 64) + "%"
}

// seq returns 1..n, for loops over months in templates.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
