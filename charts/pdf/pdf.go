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

// rgb is a colour.
type rgb struct{ r, g, b uint8 }

// Colours from the KRDS palette the pages use.
var (
	colText    = rgb{0x1e, 0x21, 0x24} // gray-90
	colSubtle  = rgb{0x46, 0x4c, 0x53} // gray-70
	colRule    = rgb{0xb1, 0xb8, 0xbe} // gray-30
	colLight   = rgb{0xcd, 0xd1, 0xd5} // gray-20
	colShade   = rgb{0xe6, 0xe8, 0xea} // gray-10
	colTint    = rgb{0xf4, 0xf5, 0xf6} // gray-5
	colPrimary = rgb{0x08, 0x38, 0x91} // primary-70
	colDanger  = rgb{0xbd, 0x2c, 0x0f} // danger-60
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
	return w, w.document()
}

// writer lays out one document, top to bottom, page by page.
type writer struct {
	gp    *gopdf.GoPdf
	fonts *fontSet
	d     *doc.Document
	y     float64 // where the next block starts on the current page
	pages int
	// images are where the charts were drawn, in order
	images []placement

	// the font gopdf was last set to
	font *face
	size float64
}

func (w *writer) document() error {
	w.gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	w.gp.SetInfo(gopdf.PdfInfo{Title: w.d.Title, Creator: "jobkpi"})
	for _, f := range []*face{w.fonts.regular, w.fonts.bold} {
		if err := w.gp.AddTTFFontFromFontContainer(f.family, w.fonts.container); err != nil {
			return fmt.Errorf("pdf: add font %s: %w", f.family, err)
		}
	}
	if err := w.cover(); err != nil {
		return err
	}
	for i := range w.d.Sections {
		if err := w.section(&w.d.Sections[i], i == 0); err != nil {
			return err
		}
	}
	return w.footers()
}

// newPage starts a page and draws its header: the draft mark, when the
// document is a draft.
func (w *writer) newPage() error {
	w.gp.AddPage()
	w.pages++
	w.y = top
	if w.d.Draft == "" {
		return nil
	}
	b := w.fonts.bold
	s := b.ellipsis(b.clean(w.d.Draft), sizeBody, contentW)
	return w.text(b, sizeBody, colDanger, pageW-margin-b.width(s, sizeBody), margin-22, s)
}

// footers draws, on every page, the document's footer on the left and
// "page of pages" on the right, now that the number of pages is known.
func (w *writer) footers() error {
	r := w.fonts.regular
	format := w.d.PageOf
	if format == "" {
		format = "%d / %d"
	}
	y := bottom + 12
	for p := 1; p <= w.pages; p++ {
		if err := w.gp.SetPage(p); err != nil {
			return fmt.Errorf("pdf: page %d: %w", p, err)
		}
		w.font = nil // a page's content starts without a font
		w.rule(margin, y-4, pageW-margin, colLight, 0.5)
		num := fmt.Sprintf(format, p, w.pages)
		nw := r.width(num, sizeSmall)
		if err := w.text(r, sizeSmall, colSubtle, pageW-margin-nw, y, num); err != nil {
			return err
		}
		foot := r.ellipsis(r.clean(w.d.Footer), sizeSmall, contentW-nw-12)
		if err := w.text(r, sizeSmall, colSubtle, margin, y, foot); err != nil {
			return err
		}
	}
	return nil
}

// cover draws the first page: the title, the draft mark and the cover
// fields as label and value lines.
func (w *writer) cover() error {
	if err := w.newPage(); err != nil {
		return err
	}
	b, r := w.fonts.bold, w.fonts.regular
	w.y = top + 150
	if err := w.lines(b, sizeTitle, colText, margin, contentW, w.d.Title, 1.25); err != nil {
		return err
	}
	w.y += 14
	if w.d.Draft != "" {
		if err := w.draftBox(); err != nil {
			return err
		}
	}
	w.rule(margin, w.y, pageW-margin, colPrimary, 1.5)
	w.y += 16
	labelW := 0.0
	for _, f := range w.d.Cover {
		labelW = max(labelW, b.width(b.clean(f.Label), sizeCover))
	}
	labelW = min(labelW+18, contentW*0.4)
	lh := sizeCover * 1.6
	for _, f := range w.d.Cover {
		label := b.wrap(b.clean(f.Label), sizeCover, labelW-18)
		value := r.wrap(r.clean(f.Value), sizeCover, contentW-labelW)
		w.ensure(float64(max(len(label), len(value))) * lh)
		y := w.y
		if err := w.textLines(b, sizeCover, colSubtle, margin, y, lh, label); err != nil {
			return err
		}
		if err := w.textLines(r, sizeCover, colText, margin+labelW, y, lh, value); err != nil {
			return err
		}
		w.y += float64(max(len(label), len(value)))*lh + 2
	}
	return nil
}

// draftBox draws the draft mark on the cover, large, in a red frame.
func (w *writer) draftBox() error {
	b := w.fonts.bold
	const size, pad = 14.0, 8.0
	lines := b.wrap(b.clean(w.d.Draft), size, contentW-2*pad)
	h := float64(len(lines))*size*leading + 2*pad
	w.setStroke(colDanger)
	w.gp.SetLineWidth(1.5)
	w.gp.RectFromUpperLeftWithStyle(margin, w.y, contentW, h, "D")
	if err := w.textLines(b, size, colDanger, margin+pad, w.y+pad, size*leading, lines); err != nil {
		return err
	}
	w.y += h + 16
	return nil
}

// section draws one section; the first starts on a new page after the
// cover, the others when they ask for one.
func (w *writer) section(s *doc.Section, first bool) error {
	if first || (s.NewPage && w.y > top) {
		if err := w.newPage(); err != nil {
			return err
		}
	}
	if s.Heading != "" {
		if err := w.heading(s.Heading, w.firstBlock(s)); err != nil {
			return err
		}
	}
	if err := w.facts(s.Facts); err != nil {
		return err
	}
	for i := range s.Charts {
		if err := w.chart(&s.Charts[i]); err != nil {
			return err
		}
	}
	for i := range s.Tables {
		if err := w.table(&s.Tables[i]); err != nil {
			return err
		}
	}
	for _, p := range s.Paragraphs {
		if err := w.paragraph(p); err != nil {
			return err
		}
	}
	return nil
}

// firstBlock is the height of what must follow a section's heading on
// the same page: its first row of facts, first chart, a table's caption,
// header and first row, or a paragraph's title and first lines.
func (w *writer) firstBlock(s *doc.Section) float64 {
	switch {
	case len(s.Facts) > 0:
		return w.factRowHeight(s.Facts[:min(2, len(s.Facts))])
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
func (w *writer) heading(text string, next float64) error {
	b := w.fonts.bold
	lines := b.wrap(b.clean(text), sizeHeading, contentW)
	h := float64(len(lines))*sizeHeading*1.3 + 10
	if w.y > top {
		w.y += 10
	}
	w.ensure(h + next)
	if err := w.textLines(b, sizeHeading, colPrimary, margin, w.y, sizeHeading*1.3, lines); err != nil {
		return err
	}
	w.y += h - 6
	w.rule(margin, w.y, pageW-margin, colPrimary, 0.8)
	w.y += 6
	return nil
}

// ensure starts a new page unless h more points fit on this one.
func (w *writer) ensure(h float64) {
	if w.y+h > bottom && w.y > top {
		// newPage fails only when text cannot be drawn, which the
		// header's cleaned text always can.
		_ = w.newPage()
	}
}

// paragraph draws a bold title line and wrapped text, keeping the title
// with the text's first lines.
func (w *writer) paragraph(p doc.Paragraph) error {
	b, r := w.fonts.bold, w.fonts.regular
	w.y += 4
	w.ensure(w.paragraphStart(p))
	if p.Title != "" {
		if err := w.lines(b, sizeCaption, colText, margin, contentW, p.Title, leading); err != nil {
			return err
		}
		w.y += 2
	}
	if err := w.lines(r, sizeBody, colText, margin, contentW, p.Text, leading); err != nil {
		return err
	}
	w.y += 6
	return nil
}

func (w *writer) paragraphStart(p doc.Paragraph) float64 {
	b, r := w.fonts.bold, w.fonts.regular
	h := 4.0
	if p.Title != "" {
		h += float64(len(b.wrap(b.clean(p.Title), sizeCaption, contentW)))*sizeCaption*leading + 2
	}
	n := len(r.wrap(r.clean(p.Text), sizeBody, contentW))
	return h + float64(min(n, 2))*sizeBody*leading
}

// lines draws text wrapped to width at x, line by line from w.y, going on
// to the next page when the page is full.
func (w *writer) lines(f *face, size float64, c rgb, x, width float64, text string, lead float64) error {
	lh := size * lead
	for _, l := range f.wrap(f.clean(text), size, width) {
		w.ensure(lh)
		if err := w.text(f, size, c, x, w.y, l); err != nil {
			return err
		}
		w.y += lh
	}
	return nil
}

// textLines draws lines from y down, lh apart, without breaking pages.
func (w *writer) textLines(f *face, size float64, c rgb, x, y, lh float64, lines []string) error {
	for i, l := range lines {
		if err := w.text(f, size, c, x, y+float64(i)*lh, l); err != nil {
			return err
		}
	}
	return nil
}

// text draws one line of cleaned text whose line box starts at y.
func (w *writer) text(f *face, size float64, c rgb, x, y float64, s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if w.font != f || w.size != size {
		if err := w.gp.SetFont(f.family, "", size); err != nil {
			return fmt.Errorf("pdf: font: %w", err)
		}
		w.font, w.size = f, size
	}
	w.gp.SetTextColor(c.r, c.g, c.b)
	w.gp.SetXY(x, y+size*(leading-1.19)/2)
	if err := w.gp.Cell(nil, s); err != nil {
		return fmt.Errorf("pdf: text: %w", err)
	}
	return nil
}

// rule draws a horizontal line.
func (w *writer) rule(x1, y, x2 float64, c rgb, width float64) {
	w.setStroke(c)
	w.gp.SetLineWidth(width)
	w.gp.Line(x1, y, x2, y)
}

func (w *writer) setStroke(c rgb) { w.gp.SetStrokeColor(c.r, c.g, c.b) }

// box fills a rectangle.
func (w *writer) box(x, y, width, h float64, c rgb) {
	w.gp.SetFillColor(c.r, c.g, c.b)
	w.gp.RectFromUpperLeftWithStyle(x, y, width, h, "F")
}
