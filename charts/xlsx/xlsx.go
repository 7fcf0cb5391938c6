// Package xlsx writes a doc.Document as an Excel workbook: a cover sheet,
// then one sheet per section with its facts, its charts' data, its tables
// and its paragraphs. Numbers stay numbers, in the number format the
// pages show them in; every text is written as text, never as a formula.
// Each sheet prints on A4 landscape, one page wide, with the first
// table's header row repeated on every page.
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"jobkpi/charts/doc"
)

// words are the few words the writer adds itself, in the document's
// language.
type words struct {
	// cover names the first sheet.
	cover string
	// category heads a chart's first column.
	category string
}

func wordsFor(lang string) words {
	if lang == "ko" {
		return words{cover: "표지", category: "구분"}
	}
	return words{cover: "Cover", category: "Category"}
}

// book is a workbook being written.
type book struct {
	f      *excelize.File
	styles *styles
	footer *excelize.HeaderFooterOptions
}

// Write writes d to w as an xlsx workbook: a cover sheet named in d's
// language, then one sheet per section named by its Sheet (or Heading),
// in order.
func Write(w io.Writer, d *doc.Document) error {
	if d == nil {
		return errors.New("xlsx: no document")
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, styles: newStyles(f), footer: headerFooter(d)}
	wd := wordsFor(d.Lang)
	names := sheetNames(wd.cover, d.Sections)
	first := f.GetSheetName(0)
	if err := f.SetSheetName(first, names[0]); err != nil {
		return fmt.Errorf("xlsx: name the cover %q: %w", names[0], err)
	}
	if err := b.write(names[0], cover(d, wd)); err != nil {
		return err
	}
	for i, s := range d.Sections {
		if _, err := f.NewSheet(names[i+1]); err != nil {
			return fmt.Errorf("xlsx: add sheet %q: %w", names[i+1], err)
		}
		if err := b.write(names[i+1], section(s, wd)); err != nil {
			return err
		}
	}
	// The cover stays the active sheet, as in a new file; SetActiveSheet
	// would read every streamed sheet back in.
	if err := f.SetDocProps(&excelize.DocProperties{Title: d.Title, Language: d.Lang}); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: write workbook: %w", err)
	}
	return nil
}

// write streams a laid-out sheet into the workbook's sheet name, with its
// print settings, column widths, frozen header and print titles.
func (b *book) write(name string, s *sheet) error {
	// The stream writer writes the sheet's properties when it starts and
	// its page setup when it ends: set both first.
	if err := b.settings(name); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: stream sheet %q: %w", name, err)
	}
	// Each width set goes before the ones already set: set them from the
	// last column back, so that the columns are listed in order, as Excel
	// requires.
	for i := len(s.widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, s.widths[i]); err != nil {
			return fmt.Errorf("xlsx: sheet %q column %d width: %w", name, i+1, err)
		}
	}
	if s.header > 0 && s.header <= maxFrozen {
		below := "A" + strconv.Itoa(s.header+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.header, TopLeftCell: below, ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: below, ActiveCell: below, Pane: "bottomLeft"}}}); err != nil {
			return fmt.Errorf("xlsx: sheet %q panes: %w", name, err)
		}
	}
	if err := b.rows(sw, s); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: sheet %q: %w", name, err)
	}
	if s.header > 0 {
		row := "$" + strconv.Itoa(s.header)
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
			RefersTo: quoteSheet(name) + "!" + row + ":" + row}); err != nil {
			return fmt.Errorf("xlsx: sheet %q print titles: %w", name, err)
		}
	}
	return nil
}

// maxFrozen is the most rows frozen at the top of a sheet. A table below
// a long chart's data has its header further down: freezing it there
// would leave little or no room to scroll on a laptop screen, so such a
// sheet is not frozen (its header still repeats on every printed page).
const maxFrozen = 15

// rows writes the sheet's lines in order; blank lines are skipped.
func (b *book) rows(sw *excelize.StreamWriter, s *sheet) error {
	last, _ := excelize.ColumnNumberToName(len(s.widths))
	var vals []any
	for i, ln := range s.lines {
		if len(ln.cells) == 0 {
			continue
		}
		vals = vals[:0]
		for _, c := range ln.cells {
			id, err := b.styles.id(c.style)
			if err != nil {
				return err
			}
			// Text goes in as a string: the stream writer keeps it an
			// inline string, so "=..." is never a formula.
			var v any = c.text
			if c.num != nil {
				v = *c.num
			} else if c.text == "" {
				v = nil
			}
			vals = append(vals, excelize.Cell{StyleID: id, Value: v})
		}
		r := strconv.Itoa(i + 1)
		var opts []excelize.RowOpts
		switch {
		case ln.height > 0:
			opts = append(opts, excelize.RowOpts{Height: ln.height})
		case ln.span:
			opts = append(opts, excelize.RowOpts{Height: spanHeight(ln.cells[0].text, s.spanWidth())})
		}
		if err := sw.SetRow("A"+r, vals, opts...); err != nil {
			return fmt.Errorf("row %s: %w", r, err)
		}
		if ln.span && last != "A" {
			if err := sw.MergeCell("A"+r, last+r); err != nil {
				return fmt.Errorf("merge row %s: %w", r, err)
			}
		}
	}
	return nil
}

// settings sets the sheet to print on A4 landscape, one page wide and as
// many tall as it takes, with the document's header and footer; and rows
// high enough for a line of Hangul where a reader does not fit them.
func (b *book) settings(name string) error {
	a4, landscape, wide, tall, fit, rowHeight := 9, "landscape", 1, 0, true, lineHeight
	if err := b.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit, DefaultRowHeight: &rowHeight}); err != nil {
		return fmt.Errorf("xlsx: sheet %q fit to page: %w", name, err)
	}
	if err := b.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape,
		FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("xlsx: sheet %q page layout: %w", name, err)
	}
	if err := b.f.SetHeaderFooter(name, b.footer); err != nil {
		return fmt.Errorf("xlsx: sheet %q header and footer: %w", name, err)
	}
	return nil
}

// headerFooter puts the draft notice at the top of every printed page,
// and the footer line and the page number at its foot.
func headerFooter(d *doc.Document) *excelize.HeaderFooterOptions {
	hf := &excelize.HeaderFooterOptions{OddFooter: "&L" + pageText(d.Footer, maxFooter) + "&R" + pageNumber(d.PageOf)}
	if d.Draft != "" {
		hf.OddHeader = `&C&"-,Bold"` + pageText(d.Draft, maxHeader)
	}
	return hf
}

// Excel keeps a page header or footer to 255 UTF-16 units, codes
// included: the texts put in them are cut to fit.
const (
	maxHeader = 200
	maxFooter = 150
	maxPageOf = 90
)

// pageText is s for a page header or footer, in at most n UTF-16 units:
// one line, with "&" (a code there) doubled, cut with "…" when too long.
func pageText(s string, n int) string {
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "&", "&&")
	if len(utf16.Encode([]rune(s))) <= n {
		return s
	}
	used := 0
	for i, r := range s {
		if used += utf16.RuneLen(r); used > n-1 {
			cut := s[:i]
			if amps := len(cut) - len(strings.TrimRight(cut, "&")); amps%2 == 1 {
				cut = cut[:len(cut)-1] // never half of a doubled "&"
			}
			return cut + "…"
		}
	}
	return s
}

// pageNumber turns a "%d / %d" page format into Excel's page codes; any
// other format falls back to "page / pages".
func pageNumber(format string) string {
	const fallback = "&P / &N"
	if strings.Count(format, "%d") != 2 || strings.Count(format, "%") != 2 {
		return fallback
	}
	s := pageText(format, maxPageOf)
	if strings.Count(s, "%d") != 2 {
		return fallback
	}
	s = strings.Replace(s, "%d", "&P", 1)
	return strings.Replace(s, "%d", "&N", 1)
}

// quoteSheet quotes a sheet name for a reference: 'name', with a quote
// inside doubled.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
