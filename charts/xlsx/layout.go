package xlsx

import (
	"math"
	"strconv"
	"unicode"

	"jobkpi/charts/doc"
)

// A sheet is laid out in full before it is written, since the stream
// writer needs the column widths and the frozen rows before the first row.

// sheet is one laid-out worksheet.
type sheet struct {
	lines []line
	// widths are the column widths in characters, one per used column.
	widths []float64
	// header is the row number of the first table's header row; 0 if the
	// sheet has no table with a header.
	header int
}

// line is one row; a line without cells is a blank row.
type line struct {
	cells []cell
	// span merges the first cell across the sheet's columns (a paragraph's
	// text), with a height that fits its wrapped text.
	span bool
	// height, when set, is the row's height in points (a title in large
	// type); other rows fit their text.
	height float64
}

// cell is a cell's content and style. A cell with num set is a number.
type cell struct {
	text  string
	num   *float64
	style styleKey
}

func textCell(text string, r role) cell { return cell{text: text, style: styleKey{role: r}} }

// Column widths, in characters.
const (
	minWidth    = 8
	maxWidth    = 60
	headerWidth = 24 // a longer heading wraps rather than widen its column
	shareWidth  = 10 // a column of average share is at least this wide
	padWidth    = 2
)

// layout builds a sheet line by line.
type layout struct {
	sheet
	words words
}

// add appends a line; measured lines widen the columns to fit them.
func (l *layout) add(cells []cell, measured bool) {
	l.lines = append(l.lines, line{cells: cells})
	if !measured {
		return
	}
	for i, c := range cells {
		w := textWidth(c.text)
		switch {
		case c.style.role == header:
			w = min(w, headerWidth)
		case c.num != nil && c.text == "": // a chart's value: as wide as shown
			w = numberWidth(*c.num)
		}
		l.widen(i, w+padWidth)
	}
}

// numberWidth is about the width of v shown with thousands separators
// and a decimal.
func numberWidth(v float64) float64 {
	digits := len(strconv.FormatFloat(math.Abs(v), 'f', 0, 64))
	return float64(digits + (digits-1)/3 + 3)
}

// widen makes column i (0-based) at least w characters wide.
func (l *layout) widen(i int, w float64) {
	for len(l.widths) <= i {
		l.widths = append(l.widths, minWidth)
	}
	l.widths[i] = min(max(l.widths[i], math.Ceil(w)), maxWidth)
}

// blank leaves one blank row after the block above, if any.
func (l *layout) blank() {
	if n := len(l.lines); n > 0 && len(l.lines[n-1].cells) > 0 {
		l.lines = append(l.lines, line{})
	}
}

// text adds a one-cell line that does not widen its column.
func (l *layout) text(s string, r role) {
	if s != "" {
		l.add([]cell{textCell(s, r)}, false)
	}
}

// big adds a one-cell line in large type, with the height it needs.
func (l *layout) big(s string, r role, height float64) {
	l.lines = append(l.lines, line{cells: []cell{textCell(s, r)}, height: height})
}

// fields adds a block of label | value rows.
func (l *layout) fields(fs []doc.Field) {
	if len(fs) == 0 {
		return
	}
	l.blank()
	for _, f := range fs {
		l.add([]cell{textCell(f.Label, label), textCell(f.Value, value)}, true)
	}
}

// cover lays out the first sheet: the draft notice, the title and the
// document's fields.
func cover(d *doc.Document, w words) *sheet {
	l := &layout{words: w}
	if d.Draft != "" {
		l.lines = append(l.lines, line{cells: []cell{textCell(d.Draft, draft)}, span: true})
	}
	if d.Title != "" {
		l.big(d.Title, title, titleHeight)
	}
	l.fields(d.Cover)
	return l.done()
}

// section lays out one section's sheet: heading, facts, charts as data
// tables, tables and paragraphs, a blank row between blocks.
func section(s doc.Section, w words) *sheet {
	l := &layout{words: w}
	l.big(s.Heading, heading, headingHeight)
	l.fields(s.Facts)
	for _, c := range s.Charts {
		l.blank()
		l.chart(c)
	}
	for _, t := range s.Tables {
		l.blank()
		l.table(t)
	}
	for _, p := range s.Paragraphs {
		l.blank()
		l.text(p.Title, caption)
		if p.Text != "" {
			l.lines = append(l.lines, line{cells: []cell{textCell(p.Text, prose)}, span: true})
		}
	}
	return l.done()
}

// chart writes a chart's data: categories down the first column, one
// column per series; a gap is an empty cell.
func (l *layout) chart(c doc.Chart) {
	name := c.Title
	if c.Unit != "" {
		name += " (" + c.Unit + ")"
	}
	l.text(name, caption)
	head := []cell{textCell(l.words.category, header)}
	for _, s := range c.Series {
		head = append(head, textCell(s.Name, header))
	}
	l.add(head, true)
	for i, cat := range c.Categories {
		row := []cell{textCell(cat, body)}
		for _, s := range c.Series {
			var v *float64
			if i < len(s.Values) {
				v = s.Values[i]
			}
			row = append(row, numberCell(doc.Cell{Number: v}, doc.Decimal, body))
		}
		l.add(row, true)
	}
}

// table writes a captioned table: header, rows padded to the columns,
// then its note; Empty stands in for a table without rows.
func (l *layout) table(t doc.Table) {
	l.text(t.Caption, caption)
	if len(t.Rows) == 0 {
		l.text(t.Empty, remark)
		return
	}
	if len(t.Columns) > 0 {
		l.shares(t.Columns)
		head := make([]cell, len(t.Columns))
		for i, c := range t.Columns {
			head[i] = textCell(c.Heading, header)
		}
		l.add(head, true)
		if l.header == 0 {
			l.header = len(l.lines)
		}
	}
	for _, r := range t.Rows {
		rl := rowRole(r.Kind)
		row := make([]cell, max(len(r.Cells), len(t.Columns)))
		for i := range row {
			var c doc.Cell
			if i < len(r.Cells) {
				c = r.Cells[i]
			}
			var f doc.Format
			if i < len(t.Columns) {
				f = t.Columns[i].Format
			}
			row[i] = numberCell(c, f, rl)
		}
		l.add(row, true)
	}
	l.text(t.Note, remark)
}

// shares gives each column at least its share of the width, so that a
// wide column of words stays wider than a column of numbers.
func (l *layout) shares(cols []doc.Column) {
	var sum float64
	for _, c := range cols {
		sum += share(c)
	}
	mean := sum / float64(len(cols))
	for i, c := range cols {
		l.widen(i, shareWidth*share(c)/mean)
	}
}

func share(c doc.Column) float64 {
	if c.Width <= 0 {
		return 1
	}
	return c.Width
}

func rowRole(k doc.RowKind) role {
	switch k {
	case doc.Group:
		return group
	case doc.Subtotal:
		return subtotal
	}
	return body
}

// numberCell is c as a number in format f when it has a finite Number,
// else as its text; an empty cell keeps the row's look.
func numberCell(c doc.Cell, f doc.Format, r role) cell {
	if c.Number != nil && !math.IsNaN(*c.Number) && !math.IsInf(*c.Number, 0) {
		return cell{text: c.Text, num: c.Number, style: styleKey{role: r, numFmt: numberFormat(f, *c.Number)}}
	}
	return textCell(c.Text, r)
}

// done finishes a layout: every used column gets a width, and a sheet
// with a spanning text gets enough columns for a readable line of it.
func (l *layout) done() *sheet {
	cols, spans := 1, false
	for _, ln := range l.lines {
		if ln.span {
			spans = true
		} else {
			cols = max(cols, len(ln.cells))
		}
	}
	l.widen(cols-1, minWidth)
	for spans && l.spanWidth() < proseWidth {
		l.widths = append(l.widths, shareWidth)
	}
	return &l.sheet
}

// proseWidth is the least width, in characters, a spanning text is given.
const proseWidth = 80

// spanWidth is the width in characters of the columns a spanning cell
// covers: all the sheet's columns.
func (s *sheet) spanWidth() float64 {
	var w float64
	for _, c := range s.widths {
		w += c
	}
	return w
}

// Row heights, in points.
const (
	lineHeight    = 16.5 // one line of 11 pt text, Hangul included
	titleHeight   = 30   // the cover's title, in 18 pt
	headingHeight = 24   // a section's heading, in 14 pt
	maxHeight     = 409  // Excel's limit
)

// spanHeight is the height of a row whose merged cell wraps text over
// width characters; Excel does not fit merged cells itself.
func spanHeight(text string, width float64) float64 {
	lines, w := 0, 0.0
	flush := func() {
		lines += max(1, int(math.Ceil(w/width)))
		w = 0
	}
	for _, r := range text {
		if r == '\n' {
			flush()
			continue
		}
		w += runeWidth(r)
	}
	flush()
	return min(float64(lines)*lineHeight+2, maxHeight)
}

// textWidth is the width of s's longest line in characters, a Hangul or
// Han character counting as two.
func textWidth(s string) float64 {
	var best, w float64
	for _, r := range s {
		if r == '\n' {
			best, w = max(best, w), 0
			continue
		}
		w += runeWidth(r)
	}
	return max(best, w)
}

func runeWidth(r rune) float64 {
	if r < 0x1100 {
		return 1
	}
	if unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6) {
		return 2
	}
	return 1
}
