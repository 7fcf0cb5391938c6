package pdf

// cover draws the first page: the title, the draft mark and the cover
// fields as label and value lines.
func (w *writer) cover() {
	w.newPage()
	b, r := w.fonts.bold, w.fonts.regular
	w.y = top + 150
	lh := sizeTitle * 1.25
	title := b.wrap(b.clean(w.d.Title), sizeTitle, contentW)
	w.textLines(b, sizeTitle, colText, margin, w.y, lh, title)
	w.y += float64(len(title))*lh + 14
	if w.d.Draft != "" {
		w.draftBox()
	}
	w.rule(margin, w.y, pageW-margin, colPrimary, 1.5)
	w.y += 16

	const gap = 18
	labelW := 0.0
	for _, f := range w.d.Cover {
		labelW = max(labelW, b.width(b.clean(f.Label), sizeCover))
	}
	labelW = min(labelW+gap, contentW*0.4)
	lh = sizeCover * 1.6
	for _, f := range w.d.Cover {
		label := b.wrap(b.clean(f.Label), sizeCover, labelW-gap)
		value := r.wrap(r.clean(f.Value), sizeCover, contentW-labelW)
		h := float64(max(len(label), len(value))) * lh
		w.ensure(h)
		w.textLines(b, sizeCover, colSubtle, margin, w.y, lh, label)
		w.textLines(r, sizeCover, colText, margin+labelW, w.y, lh, value)
		w.y += h + 2
	}
}

// draftBox draws the draft mark on the cover, large, in a red frame.
func (w *writer) draftBox() {
	b := w.fonts.bold
	const size, pad = 14.0, 8.0
	lines := b.wrap(b.clean(w.d.Draft), size, contentW-2*pad)
	h := float64(len(lines))*size*leading + 2*pad
	w.gp.SetStrokeColor(colDanger.parts())
	w.gp.SetLineWidth(1.5)
	w.gp.RectFromUpperLeftWithStyle(margin, w.y, contentW, h, "D")
	w.textLines(b, size, colDanger, margin+pad, w.y+pad, size*leading, lines)
	w.y += h + 16
}
