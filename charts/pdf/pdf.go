// Package pdf writes a doc.Document as an A4 PDF: a cover, then each
// section's heading, facts, charts, tables and paragraphs, with the
// document's footer and page numbers on every page. Text is set in an
// embedded subset of PretendardGOV and charts are drawn by go-analyze
// into images; nothing is fetched while writing.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"jobkpi/charts/doc"
)

// Page geometry in points: A4 portrait with 15 mm margins.
const (
	pageW    = 595.28
	pageH    = 841.89
	margin   = 42.52
	contentW = pageW - 2*margin
	top      = margin + 6
	bottom   = pageH - margin
)

// Type sizes in points.
const (
	sizeTitle   = 24
	sizeCover   = 11
	sizeHeading = 14
	sizeCaption = 10
	sizeBody    = 9
	sizeTable   = 7.5
	sizeSmall   = 7.5
	leading     = 1.4 // line height as a multiple of the type size
)

// placement is a rectangle on a page, in points from the top left.
type placement struct {
	page       int
	x, y, w, h float64
}

// rgb is a colour, 0xRRGGBB.
type rgb uint32

func (c rgb) parts() (r, g, b uint8) { return uint8(c >> 16), uint8(c >> 8), uint8(c) }

// Colours from the KRDS palette the pages use.
const (
	colText    rgb = 0x1e2124 // gray-90
	colSubtle  rgb = 0x464c53 // gray-70
	colRule    rgb = 0xb1b8be // gray-30
	colLight   rgb = 0xcdd1d5 // gray-20
	colShade   rgb = 0xe6e8ea // gray-10
	colTint    rgb = 0xf4f5f6 // gray-5
	colGroup   rgb = 0xecf2fe // primary-5
	colPrimary rgb = 0x083891 // primary-70
	colDanger  rgb = 0xbd2c0f // danger-60
)

// Write draws d as a PDF into w. The PDF is built in memory and written
// only when it is complete.
func Write(w io.Writer, d *doc.Document) error {
	pw, err := layout(d)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pw.gp.Write(&buf); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// layout draws d into a new gopdf document.
func layout(d *doc.Document) (*writer, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	w := &writer{gp: new(gopdf.GoPdf), fonts: fonts, d: d}
	w.document()
	return w, w.err
}

// writer lays out one document, top to bottom, page by page. Its drawing
// methods stop at the first error, which err keeps.
type writer struct {
	gp    *gopdf.GoPdf
	fonts *fontSet
	d     *doc.Document
	err   error
	y     float64 // where the next block starts on the current page
	pages int
	// images are where the charts were drawn, in order
	images []placement

	// the font gopdf was last set to
	font *face
	size float64
}

// fail keeps the first error.
func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *writer) document() {
	w.gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	w.gp.SetInfo(gopdf.PdfInfo{Title: w.d.Title, Creator: "jobkpi"})
	for _, f := range []*face{w.fonts.regular, w.fonts.bold} {
		if err := w.gp.AddTTFFontFromFontContainer(f.family, w.fonts.container); err != nil {
			w.fail(fmt.Errorf("pdf: add font %s: %w", f.family, err))
			return
		}
	}
	w.cover()
	for i := range w.d.Sections {
		w.section(&w.d.Sections[i], i == 0)
	}
	w.footers()
}

// newPage starts a page and draws its header: the draft mark, when the
// document is a draft.
func (w *writer) newPage() {
	w.gp.AddPage()
	w.pages++
	w.y = top
	if w.d.Draft != "" {
		b := w.fonts.bold
		s := b.ellipsis(b.clean(w.d.Draft), sizeBody, contentW)
		w.text(b, sizeBody, colDanger, pageW-margin-b.width(s, sizeBody), margin-22, s)
	}
}

// ensure starts a new page unless h more points fit on this one.
func (w *writer) ensure(h float64) {
	if w.y+h > bottom && w.y > top {
		w.newPage()
	}
}

// footers draws, on every page, the document's footer on the left and
// "page of pages" on the right, now that the number of pages is known.
func (w *writer) footers() {
	r := w.fonts.regular
	format := w.d.PageOf
	if format == "" {
		format = "%d / %d"
	}
	y := bottom + 12
	for p := 1; p <= w.pages; p++ {
		if err := w.gp.SetPage(p); err != nil {
			w.fail(fmt.Errorf("pdf: page %d: %w", p, err))
			return
		}
		w.rule(margin, y-4, pageW-margin, colLight, 0.5)
		num := r.clean(fmt.Sprintf(format, p, w.pages))
		nw := r.width(num, sizeSmall)
		w.text(r, sizeSmall, colSubtle, pageW-margin-nw, y, num)
		foot := r.ellipsis(r.clean(w.d.Footer), sizeSmall, contentW-nw-12)
		w.text(r, sizeSmall, colSubtle, margin, y, foot)
	}
}

// section draws one section; the first starts on a new page after the
// cover, the others when they ask for one.
func (w *writer) section(s *doc.Section, first bool) {
	if first || (s.NewPage && w.y > top) {
		w.newPage()
	}
	if s.Heading != "" {
		w.heading(s.Heading, w.firstBlock(s))
	}
	w.facts(s.Facts)
	for i := range s.Charts {
		w.chart(&s.Charts[i])
	}
	for i := range s.Tables {
		w.table(&s.Tables[i])
	}
	for _, p := range s.Paragraphs {
		w.paragraph(p)
	}
}

// firstBlock is the height of what must follow a section's heading on
// the same page: its first row of facts, first chart, a table's caption,
// header and first row, or a paragraph's title and first lines.
func (w *writer) firstBlock(s *doc.Section) float64 {
	switch {
	case len(s.Facts) > 0:
		return factsSpace + w.factRowHeight(s.Facts[:min(factsPerRow, len(s.Facts))])
	case len(s.Charts) > 0:
		return w.chartHeight(&s.Charts[0])
	case len(s.Tables) > 0:
		return w.tableStart(&s.Tables[0])
	case len(s.Paragraphs) > 0:
		return w.paragraphStart(s.Paragraphs[0])
	}
	return 0
}

// heading draws a section heading with a rule under it, on a new page if
// the heading and next (the height of what follows it) do not both fit.
func (w *writer) heading(text string, next float64) {
	b := w.fonts.bold
	lh := sizeHeading * 1.3
	lines := b.wrap(b.clean(text), sizeHeading, contentW)
	h := float64(len(lines))*lh + 10
	if w.y > top {
		w.y += 10
	}
	w.ensure(h + next)
	w.textLines(b, sizeHeading, colPrimary, margin, w.y, lh, lines)
	w.y += h - 6
	w.rule(margin, w.y, pageW-margin, colPrimary, 0.8)
	w.y += 6
}

// paragraph draws a bold title line and wrapped text, keeping the title
// with the text's first lines.
func (w *writer) paragraph(p doc.Paragraph) {
	w.y += paragraphSpace
	w.ensure(w.paragraphStart(p) - paragraphSpace)
	if p.Title != "" {
		w.lines(w.fonts.bold, sizeCaption, colText, p.Title)
		w.y += 2
	}
	w.lines(w.fonts.regular, sizeBody, colText, p.Text)
	w.y += 6
}

// paragraphSpace is the room above a paragraph.
const paragraphSpace = 4

// paragraphStart is the height of a paragraph's space above, title and
// first two lines: what must not be parted.
func (w *writer) paragraphStart(p doc.Paragraph) float64 {
	b, r := w.fonts.bold, w.fonts.regular
	h := float64(paragraphSpace)
	if p.Title != "" {
		h += float64(len(b.wrap(b.clean(p.Title), sizeCaption, contentW)))*sizeCaption*leading + 2
	}
	n := len(r.wrap(r.clean(p.Text), sizeBody, contentW))
	return h + float64(min(n, 2))*sizeBody*leading
}

// lines draws text wrapped to the text width, line by line from w.y,
// going on to the next page when the page is full.
func (w *writer) lines(f *face, size float64, c rgb, text string) {
	lh := size * leading
	for _, l := range f.wrap(f.clean(text), size, contentW) {
		w.ensure(lh)
		w.text(f, size, c, margin, w.y, l)
		w.y += lh
	}
}

// textLines draws lines from y down, lh apart, without breaking pages.
func (w *writer) textLines(f *face, size float64, c rgb, x, y, lh float64, lines []string) {
	for i, l := range lines {
		w.text(f, size, c, x, y+float64(i)*lh, l)
	}
}

// text draws one line of cleaned text whose line box starts at y.
func (w *writer) text(f *face, size float64, c rgb, x, y float64, s string) {
	if w.err != nil || strings.TrimSpace(s) == "" {
		return
	}
	if w.font != f || w.size != size {
		if err := w.gp.SetFont(f.family, "", size); err != nil {
			w.fail(fmt.Errorf("pdf: font: %w", err))
			return
		}
		w.font, w.size = f, size
	}
	w.gp.SetTextColor(c.parts())
	// centre the font's height (ascent to descent, 1.19 em) in the line
	w.gp.SetXY(x, y+size*(leading-1.19)/2)
	if err := w.gp.Cell(nil, s); err != nil {
		w.fail(fmt.Errorf("pdf: text: %w", err))
	}
}

// rule draws a horizontal line.
func (w *writer) rule(x1, y, x2 float64, c rgb, width float64) {
	w.gp.SetStrokeColor(c.parts())
	w.gp.SetLineWidth(width)
	w.gp.Line(x1, y, x2, y)
}

// box fills a rectangle.
func (w *writer) box(x, y, width, h float64, c rgb) {
	w.gp.SetFillColor(c.parts())
	w.gp.RectFromUpperLeftWithStyle(x, y, width, h, "F")
}
