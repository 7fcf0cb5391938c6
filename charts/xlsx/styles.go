package xlsx

import (
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"

	"jobkpi/charts/doc"
)

// role is what a cell is on its sheet; each role has one look.
type role int

const (
	plain    role = iota
	title         // the document's title on the cover
	heading       // a section's heading in row 1
	draft         // the draft notice at the top of the cover
	caption       // a chart's or a table's caption, a paragraph's title
	label         // a field's label
	value         // a field's value
	header        // a table's header cell
	body          // an ordinary table cell
	group         // a cell of a row that starts a group
	subtotal      // a cell of a subtotal row
	remark        // a table's note, or its Empty line
	prose         // a paragraph's text
)

// Number formats, as Excel writes them.
const (
	fmtInt     = "#,##0"
	fmtDecimal = "#,##0.0"
	fmtPercent = "0.0%"
)

// numberFormat is the Excel number format that shows v as the pages show
// it in a column of format f: Int with thousands separators; Percent as a
// ratio with one decimal; Decimal and Million (and a number in a Text
// column) with thousands separators and the one decimal only when v has
// one, as the pages drop a ".0".
func numberFormat(f doc.Format, v float64) string {
	switch f {
	case doc.Int:
		return fmtInt
	case doc.Percent:
		return fmtPercent
	}
	if v == math.Trunc(v) {
		return fmtInt
	}
	return fmtDecimal
}

// styleKey names one cell style: a role and a number format ("" for text).
type styleKey struct {
	role   role
	numFmt string
}

// styles makes each cell style once per workbook.
type styles struct {
	f   *excelize.File
	ids map[styleKey]int
}

func newStyles(f *excelize.File) *styles {
	return &styles{f: f, ids: make(map[styleKey]int)}
}

// id returns the workbook's style id for k, making the style on first use.
func (s *styles) id(k styleKey) (int, error) {
	if id, ok := s.ids[k]; ok {
		return id, nil
	}
	st := k.role.style()
	if k.numFmt != "" {
		nf := k.numFmt
		st.CustomNumFmt = &nf
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, fmt.Errorf("xlsx: style %d %q: %w", k.role, k.numFmt, err)
	}
	s.ids[k] = id
	return id, nil
}

const (
	gridColor  = "BFBFBF"
	headFill   = "D9D9D9"
	groupFill  = "F2F2F2"
	draftFill  = "FFF2CC"
	draftColor = "9C5700"
)

// grid is a thin light border on every side; top, when set, replaces the
// top side.
func grid(top *excelize.Border) []excelize.Border {
	b := []excelize.Border{
		{Type: "left", Color: gridColor, Style: 1},
		{Type: "right", Color: gridColor, Style: 1},
		{Type: "top", Color: gridColor, Style: 1},
		{Type: "bottom", Color: gridColor, Style: 1},
	}
	if top != nil {
		b[2] = *top
	}
	return b
}

func fill(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// style is the look of role r.
func (r role) style() *excelize.Style {
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	switch r {
	case title:
		return &excelize.Style{Font: &excelize.Font{Bold: true, Size: 18}}
	case heading:
		return &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}
	case draft:
		return &excelize.Style{Font: &excelize.Font{Bold: true, Color: draftColor}, Fill: fill(draftFill),
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}
	case caption:
		return &excelize.Style{Font: &excelize.Font{Bold: true}}
	case label:
		return &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(groupFill), Border: grid(nil), Alignment: top}
	case value, body:
		return &excelize.Style{Border: grid(nil), Alignment: top}
	case header:
		return &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(headFill), Border: grid(nil),
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	case group:
		return &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(groupFill), Border: grid(nil), Alignment: top}
	case subtotal:
		return &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top,
			Border: grid(&excelize.Border{Type: "top", Color: "000000", Style: 2})}
	case remark:
		return &excelize.Style{Font: &excelize.Font{Italic: true}}
	case prose:
		return &excelize.Style{Alignment: top}
	}
	return &excelize.Style{}
}
