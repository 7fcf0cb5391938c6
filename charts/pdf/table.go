package pdf

import (
	"jobkpi/charts/doc"
)

// Table geometry in points.
const (
	cellPadX   = 3
	cellPadY   = 2.5
	markW      = 7 // room for a status mark before its word
	tableLead  = 1.3
	tableLineH = sizeTable * tableLead
)

// statusColour colours a status mark and its word, as the pages do
// (models.Status codes); the word is always drawn, so the colour only
// repeats it. An unknown status gets no mark.
func statusColour(status string) (rgb, bool) {
	switch status {
	case "reached":
		return 0x267337, true // success-60
	case "on_track":
		return 0x0b50d0, true // primary-60
	case "watch":
		return 0x8a5c00, true // warning-60
	case "behind":
		return 0xbd2c0f, true // danger-60
	case "missing", "none":
		return 0x464c53, true // gray-70
	}
	return 0, false
}

// tableLayout is a table's column positions.
type tableLayout struct {
	t      *doc.Table
	x, w   []float64 // each column's left edge and width
	header row
}

// header is the kind of a table's header row.
const header doc.RowKind = -1

// row is a table row wrapped to its columns.
type row struct {
	kind   doc.RowKind
	cells  [][]string // wrapped lines per column
	status []string   // each cell's status, when it has a colour
	span   bool       // a group's name across the whole row
	h      float64
}

func (w *writer) layoutTable(t *doc.Table) *tableLayout {
	tl := &tableLayout{t: t, x: make([]float64, len(t.Columns)), w: make([]float64, len(t.Columns))}
	total := 0.0
	for _, c := range t.Columns {
		total += colWeight(c)
	}
	x := float64(margin)
	for i, c := range t.Columns {
		tl.x[i], tl.w[i] = x, contentW*colWeight(c)/total
		x += tl.w[i]
	}
	hc := make([]doc.Cell, len(t.Columns))
	for i, c := range t.Columns {
		hc[i] = doc.Str(c.Heading)
	}
	tl.header = w.wrapRow(tl, doc.Row{Kind: header, Cells: hc})
	return tl
}

func colWeight(c doc.Column) float64 {
	if c.Width <= 0 {
		return 1
	}
	return c.Width
}

// wrapRow wraps each cell of r to its column.
func (w *writer) wrapRow(tl *tableLayout, r doc.Row) row {
	f := w.rowFace(r.Kind)
	out := row{kind: r.Kind, cells: make([][]string, len(tl.w)), status: make([]string, len(tl.w))}
	if r.Kind == doc.Group && len(r.Cells) > 0 && restEmpty(r.Cells[1:]) {
		out.span = true
		out.cells[0] = f.wrap(f.clean(r.Cells[0].Text), sizeTable, contentW-2*cellPadX)
		out.h = float64(len(out.cells[0]))*tableLineH + 2*cellPadY
		return out
	}
	n := 1
	for i := range tl.w {
		var c doc.Cell
		if i < len(r.Cells) {
			c = r.Cells[i]
		}
		width := tl.w[i] - 2*cellPadX
		if _, ok := statusColour(c.Status); ok {
			width -= markW
			out.status[i] = c.Status
		}
		out.cells[i] = f.wrap(f.clean(c.Text), sizeTable, width)
		n = max(n, len(out.cells[i]))
	}
	out.h = float64(n)*tableLineH + 2*cellPadY
	return out
}

func restEmpty(cells []doc.Cell) bool {
	for _, c := range cells {
		if c.Text != "" {
			return false
		}
	}
	return true
}

func (w *writer) rowFace(k doc.RowKind) *face {
	if k == doc.Body {
		return w.fonts.regular
	}
	return w.fonts.bold
}

// tableStart is the height of a table's caption with its header and first
// row, or with its Empty line: what must not be parted.
func (w *writer) tableStart(t *doc.Table) float64 {
	h := 6 + w.captionHeight(t.Caption)
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		return h + sizeBody*leading
	}
	tl := w.layoutTable(t)
	return h + tl.header.h + w.wrapRow(tl, t.Rows[0]).h
}

func (w *writer) captionHeight(caption string) float64 {
	if caption == "" {
		return 0
	}
	b := w.fonts.bold
	return float64(len(b.wrap(b.clean(caption), sizeCaption, contentW)))*sizeCaption*leading + 2
}

// table draws a captioned table. Its header row is drawn again at the top
// of each page it goes on to; a row is never split between pages.
func (w *writer) table(t *doc.Table) {
	w.y += 6
	w.ensure(w.tableStart(t) - 6)
	if t.Caption != "" {
		w.lines(w.fonts.bold, sizeCaption, colText, t.Caption)
		w.y += 2
	}
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		empty := t.Empty
		if empty == "" {
			empty = "—"
		}
		w.lines(w.fonts.regular, sizeBody, colSubtle, empty)
		w.tableNote(t.Note)
		return
	}
	tl := w.layoutTable(t)
	w.drawRow(tl, tl.header)
	room := bottom - top - tl.header.h // the most a row may take
	for _, r := range t.Rows {
		wr := w.wrapRow(tl, r)
		if wr.h > room {
			wr = clip(wr, room)
		}
		if w.y+wr.h > bottom {
			w.newPage()
			w.drawRow(tl, tl.header)
		}
		w.drawRow(tl, wr)
	}
	w.rule(margin, w.y, pageW-margin, colRule, 0.8)
	w.tableNote(t.Note)
}

// clip cuts a row taller than a page down to what fits, ending its cut
// cells in "…".
func clip(r row, room float64) row {
	n := max(1, int((room-2*cellPadY)/tableLineH))
	for i, c := range r.cells {
		if len(c) > n {
			r.cells[i] = append(c[:n-1:n-1], c[n-1]+"…")
		}
	}
	r.h = float64(n)*tableLineH + 2*cellPadY
	return r
}

func (w *writer) tableNote(note string) {
	if note != "" {
		w.y += 3
		w.lines(w.fonts.regular, sizeSmall, colSubtle, note)
	}
	w.y += 6
}

// drawRow draws one wrapped row at w.y and moves below it: the header
// shaded, a group with a light fill, a subtotal under a rule.
func (w *writer) drawRow(tl *tableLayout, r row) {
	switch r.kind {
	case header:
		w.box(margin, w.y, contentW, r.h, colShade)
		w.rule(margin, w.y, pageW-margin, colText, 1)
	case doc.Group:
		w.box(margin, w.y, contentW, r.h, colGroup)
	case doc.Subtotal:
		w.rule(margin, w.y, pageW-margin, colText, 0.8)
	}
	f := w.rowFace(r.kind)
	if r.span {
		w.textLines(f, sizeTable, colText, margin+cellPadX, w.y+cellPadY, tableLineH, r.cells[0])
	} else {
		for i, lines := range r.cells {
			w.drawCell(tl, r, i, lines)
		}
	}
	w.y += r.h
	if r.kind == header {
		w.rule(margin, w.y, pageW-margin, colRule, 0.8)
	} else {
		w.rule(margin, w.y, pageW-margin, colLight, 0.4)
	}
}

// drawCell draws column i's lines: numbers on the right, words on the
// left, a status word after a mark in its colour.
func (w *writer) drawCell(tl *tableLayout, r row, i int, lines []string) {
	f := w.rowFace(r.kind)
	x, y := tl.x[i]+cellPadX, w.y+cellPadY
	c := colText
	if st := r.status[i]; st != "" {
		c, _ = statusColour(st)
		w.box(x, y+(tableLineH-4.5)/2, 4.5, 4.5, c)
		x += markW
	}
	right := tl.t.Columns[i].Format != doc.Text
	for j, l := range lines {
		lx := x
		if right {
			lx = tl.x[i] + tl.w[i] - cellPadX - f.width(l, sizeTable)
		}
		w.text(f, sizeTable, c, lx, y+float64(j)*tableLineH, l)
	}
}
