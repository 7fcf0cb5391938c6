package pdf

import "jobkpi/charts/doc"

// Facts grid: two label and value pairs a row.
const (
	factsPerRow = 2
	factPad     = 4
	factLabelW  = 0.42 // a label's share of its pair
	factsSpace  = 4    // room above the grid
)

// facts draws key facts as a compact grid of labels and values.
func (w *writer) facts(fs []doc.Field) {
	if len(fs) == 0 {
		return
	}
	w.y += factsSpace
	for i := 0; i < len(fs); i += factsPerRow {
		pairs := fs[i:min(i+factsPerRow, len(fs))]
		h := w.factRowHeight(pairs)
		w.ensure(h)
		if i == 0 || w.y == top {
			w.rule(margin, w.y, pageW-margin, colText, 1)
		}
		w.factRow(pairs, h)
		w.y += h
		w.rule(margin, w.y, pageW-margin, colLight, 0.4)
	}
	w.y += 8
}

// factCols are a pair's label and value widths.
func factCols() (label, value float64) {
	pair := contentW / factsPerRow
	return pair * factLabelW, pair * (1 - factLabelW)
}

func (w *writer) factLines(f doc.Field) (label, value []string) {
	lw, vw := factCols()
	b, r := w.fonts.bold, w.fonts.regular
	return r.wrap(r.clean(f.Label), sizeBody, lw-2*factPad), b.wrap(b.clean(f.Value), sizeBody, vw-2*factPad)
}

func (w *writer) factRowHeight(pairs []doc.Field) float64 {
	n := 1
	for _, f := range pairs {
		l, v := w.factLines(f)
		n = max(n, len(l), len(v))
	}
	return float64(n)*sizeBody*leading + 2*factPad
}

func (w *writer) factRow(pairs []doc.Field, h float64) {
	lw, vw := factCols()
	lh := sizeBody * leading
	for j, f := range pairs {
		x := margin + float64(j)*(lw+vw)
		w.box(x, w.y, lw, h, colTint)
		l, v := w.factLines(f)
		w.textLines(w.fonts.regular, sizeBody, colSubtle, x+factPad, w.y+factPad, lh, l)
		w.textLines(w.fonts.bold, sizeBody, colText, x+lw+factPad, w.y+factPad, lh, v)
	}
}
