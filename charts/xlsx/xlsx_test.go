package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"jobkpi/charts/doc"
)

func fp(v float64) *float64 { return &v }

// tasks is a table with every column format, a group, a subtotal, a
// status word and a formula-looking text.
func tasks() doc.Table {
	return doc.Table{
		Caption: "과제별 실적",
		Columns: []doc.Column{
			{Heading: "과제", Width: 3}, {Heading: "목표", Format: doc.Int}, {Heading: "실적", Format: doc.Int},
			{Heading: "달성률", Format: doc.Percent}, {Heading: "월평균", Format: doc.Decimal},
			{Heading: "예산", Format: doc.Million}, {Heading: "상태"},
		},
		Rows: []doc.Row{
			{Kind: doc.Group, Cells: []doc.Cell{doc.Str("일자리 창출")}},
			{Cells: []doc.Cell{doc.Str("청년 일자리 지원 사업"), doc.Num("5,000", 5000), doc.Num("2,163", 2163),
				doc.Num("43.3%", 0.433), doc.Num("64.1", 64.1), doc.Num("1,250", 1250), {Text: "부진", Status: "behind"}}},
			{Cells: []doc.Cell{doc.Str("=1+2"), doc.Num("80", 80), doc.Num("100", 100),
				doc.Num("125.0%", 1.25), doc.Num("42", 42), doc.Num("12.5", 12.5), {Text: "초과", Status: "ahead"}}},
			{Kind: doc.Subtotal, Cells: []doc.Cell{doc.Str("소계"), doc.Num("5,080", 5080), doc.Num("2,263", 2263),
				doc.Num("44.5%", 0.445), doc.Str(""), doc.Num("1,262.5", 1262.5), doc.Str("")}},
		},
		Note: "달성률은 실적 ÷ 목표입니다. 소계는 위 과제의 합입니다.",
	}
}

func sampleKo() *doc.Document {
	return &doc.Document{
		Lang:   "ko",
		Title:  "김포시 2020년 일자리대책 실적 보고서",
		Draft:  "초안: 공시 전 검토용",
		Footer: "김포시 일자리경제과 & 정책팀",
		PageOf: "%d / %d쪽",
		Cover: []doc.Field{
			{Label: "도시", Value: "김포시"}, {Label: "기준일", Value: "2020-12-31"},
			{Label: "비고", Value: `=HYPERLINK("http://example.com")`},
		},
		Sections: []doc.Section{
			{
				Heading: "1. 실적 요약", Sheet: "요약",
				Facts: []doc.Field{{Label: "취업자 수", Value: "2,163명"}, {Label: "메모", Value: "+SUM(A1:A2)"}},
				Charts: []doc.Chart{{Title: "월별 누적 취업자", Unit: "명", Categories: []string{"1월", "2월", "3월"},
					Series: []doc.Series{
						{Name: "실적", Values: []*float64{fp(120), nil, fp(340.5)}},
						{Name: "목표", Values: []*float64{fp(100), fp(200)}},
					}}},
				Tables: []doc.Table{tasks()},
				Paragraphs: []doc.Paragraph{
					{Title: "총평", Text: "상반기 실적이 부진했으나\n하반기에 회복했습니다."},
					{Title: "-주의", Text: "@SUM(1,2)"},
				},
			},
			{
				Heading: `2. 분야별 [2020] 실적: 목표*대비?/\ 아주 긴 이름의 시트`,
				Tables: []doc.Table{
					{Caption: "빈 표", Columns: []doc.Column{{Heading: "분야"}}, Empty: "자료가 없습니다."},
					{Caption: "분야별", Columns: []doc.Column{{Heading: "분야"}, {Heading: "실적", Format: doc.Int}},
						Rows: []doc.Row{
							{Cells: []doc.Cell{doc.Str("고용"), doc.Num("1,234,567", 1234567)}},
							{Cells: []doc.Cell{doc.Str("-3"), {Text: "—", Number: fp(math.NaN())}}},
						}},
				},
			},
			{Heading: "3. 요약 다시", Sheet: "요약"},
			{Heading: "표지", Sheet: "표지"},
		},
	}
}

// write writes d to a file in a temporary folder and opens it.
func write(t *testing.T, d *doc.Document) *excelize.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowOf is the row number of the first row whose column A reads text.
func rowOf(t *testing.T, f *excelize.File, sheet, text string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == text {
			return i + 1
		}
	}
	t.Fatalf("sheet %q has no row starting %q", sheet, text)
	return 0
}

func ref(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// builtInFormats are the built-in number formats a style may be read
// back as.
var builtInFormats = map[int]string{0: "General", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}

// styleOf is the style of a cell, with a font even when it has the
// default one.
func styleOf(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Font == nil {
		st.Font = &excelize.Font{}
	}
	return st
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return builtInFormats[st.NumFmt]
}

// checkText checks that cell holds text verbatim, as text, not a formula.
func checkText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell)
	if err != nil || got != want {
		t.Errorf("%s!%s = %q (%v), want %q", sheet, cell, got, err, want)
	}
	if want == "" {
		return
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s %q has type %v, want a string", sheet, cell, want, typ)
	}
	if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
		t.Errorf("%s!%s has formula %q (%v), want none", sheet, cell, formula, err)
	}
}

// checkNumber checks that cell holds want as a number in format fmtCode.
func checkNumber(t *testing.T, f *excelize.File, sheet, cell string, want float64, fmtCode string) {
	t.Helper()
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := strconv.ParseFloat(raw, 64); err != nil || got != want {
		t.Errorf("%s!%s = %q, want the number %v", sheet, cell, raw, want)
	}
	if got := numFmt(t, f, sheet, cell); got != fmtCode {
		t.Errorf("%s!%s number format = %q, want %q", sheet, cell, got, fmtCode)
	}
}

// wantFormat is the number format each column format asks for; Decimal
// and Million show one decimal only when the number has one, as the
// pages do.
func wantFormat(col doc.Format, v float64) string {
	switch {
	case col == doc.Percent:
		return "0.0%"
	case col == doc.Int, v == math.Trunc(v):
		return "#,##0"
	}
	return "#,##0.0"
}

// checkTable checks every cell of table tb, found by its caption.
func checkTable(t *testing.T, f *excelize.File, sheet string, tb doc.Table) {
	t.Helper()
	top := rowOf(t, f, sheet, tb.Caption) + 1
	for j, c := range tb.Columns {
		checkText(t, f, sheet, ref(j+1, top), c.Heading)
	}
	for i, r := range tb.Rows {
		for j, c := range r.Cells {
			cell := ref(j+1, top+1+i)
			if c.Number != nil && !math.IsNaN(*c.Number) {
				checkNumber(t, f, sheet, cell, *c.Number, wantFormat(tb.Columns[j].Format, *c.Number))
			} else {
				checkText(t, f, sheet, cell, c.Text)
			}
		}
	}
	checkText(t, f, sheet, ref(1, top+1+len(tb.Rows)), tb.Note)
}

// longSheet is the second section's heading, cleaned and cut to 31 characters.
const longSheet = "2. 분야별 (2020) 실적- 목표-대비--- 아주 긴"

func TestWriteSheetsInOrder(t *testing.T) {
	f := write(t, sampleKo())
	want := []string{"표지", "요약", longSheet, "요약 (2)", "표지 (2)"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet = %d, want the cover", got)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "김포시 2020년 일자리대책 실적 보고서" {
		t.Errorf("document title = %q (%v)", props.Title, err)
	}
}

func TestWriteCover(t *testing.T) {
	d := sampleKo()
	f := write(t, d)
	checkText(t, f, "표지", "A1", d.Draft)
	if st := styleOf(t, f, "표지", "A1"); len(st.Fill.Color) == 0 || !st.Font.Bold {
		t.Errorf("draft row style = fill %v bold %v, want a bold highlighted row", st.Fill.Color, st.Font.Bold)
	}
	checkText(t, f, "표지", "A2", d.Title)
	if h, _ := f.GetRowHeight("표지", 2); h < 30 {
		t.Errorf("title row height %v, want room for 18 pt type", h)
	}
	if st := styleOf(t, f, "표지", "A2"); !st.Font.Bold || st.Font.Size < 14 {
		t.Errorf("title font = %+v, want large and bold", st.Font)
	}
	for i, fd := range d.Cover {
		checkText(t, f, "표지", ref(1, 4+i), fd.Label)
		checkText(t, f, "표지", ref(2, 4+i), fd.Value)
	}
}

func TestWriteSectionContent(t *testing.T) {
	d := sampleKo()
	f := write(t, d)
	checkText(t, f, "요약", "A1", "1. 실적 요약")
	for i, fd := range d.Sections[0].Facts {
		checkText(t, f, "요약", ref(1, 3+i), fd.Label)
		checkText(t, f, "요약", ref(2, 3+i), fd.Value)
	}

	// The chart as a data table: categories down, a column per series.
	top := rowOf(t, f, "요약", "월별 누적 취업자 (명)") + 1
	checkText(t, f, "요약", ref(1, top), "구분")
	checkText(t, f, "요약", ref(2, top), "실적")
	checkText(t, f, "요약", ref(3, top), "목표")
	checkText(t, f, "요약", ref(1, top+2), "2월")
	checkNumber(t, f, "요약", ref(2, top+1), 120, "#,##0")
	checkNumber(t, f, "요약", ref(2, top+3), 340.5, "#,##0.0")
	checkText(t, f, "요약", ref(2, top+2), "") // a gap
	checkText(t, f, "요약", ref(3, top+3), "") // past the series' end

	checkTable(t, f, "요약", d.Sections[0].Tables[0])
	sheet2 := f.GetSheetName(2)
	empty := rowOf(t, f, sheet2, "빈 표")
	checkText(t, f, sheet2, ref(1, empty+1), "자료가 없습니다.")
	checkTable(t, f, sheet2, d.Sections[1].Tables[1])
	// A number that is not finite is written as its text.
	checkText(t, f, sheet2, ref(2, rowOf(t, f, sheet2, "-3")), "—")

	for _, p := range d.Sections[0].Paragraphs {
		r := rowOf(t, f, "요약", p.Title)
		checkText(t, f, "요약", ref(1, r+1), p.Text)
	}
	r := rowOf(t, f, "요약", "총평") + 1
	merged, _ := f.GetMergeCells("요약")
	if !slices.ContainsFunc(merged, func(m excelize.MergeCell) bool { return m.GetStartAxis() == ref(1, r) }) {
		t.Errorf("paragraph text in row %d is not merged across the sheet: %v", r, merged)
	}
	if h, _ := f.GetRowHeight("요약", r); h < 30 {
		t.Errorf("two-line paragraph row height = %v, want room for two lines", h)
	}
}

func TestWriteRowStyles(t *testing.T) {
	f := write(t, sampleKo())
	top := rowOf(t, f, "요약", "과제별 실적") + 1
	topBorder := func(st *excelize.Style) int {
		for _, b := range st.Border {
			if b.Type == "top" {
				return b.Style
			}
		}
		return 0
	}
	for _, tc := range []struct {
		name, cell        string
		bold, filled      bool
		topBorderAtLeast2 bool
	}{
		{"caption", ref(1, top-1), true, false, false},
		{"header", ref(3, top), true, true, false},
		{"group", ref(1, top+1), true, true, false},
		{"group padding", ref(5, top+1), true, true, false},
		{"body", ref(1, top+2), false, false, false},
		{"subtotal", ref(2, top+4), true, false, true},
	} {
		st := styleOf(t, f, "요약", tc.cell)
		if st.Font.Bold != tc.bold || (len(st.Fill.Color) > 0) != tc.filled || (topBorder(st) >= 2) != tc.topBorderAtLeast2 {
			t.Errorf("%s %s: bold %v fill %v top border %d", tc.name, tc.cell, st.Font.Bold, st.Fill.Color, topBorder(st))
		}
	}
	if st := styleOf(t, f, "요약", ref(1, top+5)); !st.Font.Italic {
		t.Errorf("note row is not italic")
	}
}

func TestWriteFormulaLookingTextStaysText(t *testing.T) {
	f := write(t, sampleKo())
	for _, tc := range []struct{ sheet, text string }{
		{"요약", "=1+2"},
		{"요약", "-주의"},
		{longSheet, "-3"},
	} {
		checkText(t, f, tc.sheet, ref(1, rowOf(t, f, tc.sheet, tc.text)), tc.text)
	}
	checkText(t, f, "표지", "B6", `=HYPERLINK("http://example.com")`)
	checkText(t, f, "요약", "B4", "+SUM(A1:A2)")
	checkText(t, f, "요약", ref(1, rowOf(t, f, "요약", "-주의")+1), "@SUM(1,2)")
}

func TestWriteFreezesFirstTableHeader(t *testing.T) {
	f := write(t, sampleKo())
	for _, tc := range []struct{ sheet, caption string }{
		{"요약", "과제별 실적"},
		{longSheet, "분야별"}, // the empty table has no header
		{"표지", ""},
		{"요약 (2)", ""},
	} {
		panes, err := f.GetPanes(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if tc.caption == "" {
			if panes.Freeze {
				t.Errorf("%s: frozen at row %d, want no frozen rows", tc.sheet, panes.YSplit)
			}
			continue
		}
		want := rowOf(t, f, tc.sheet, tc.caption) + 1
		if !panes.Freeze || panes.YSplit != want || panes.TopLeftCell != ref(1, want+1) {
			t.Errorf("%s: panes = %+v, want frozen below header row %d", tc.sheet, panes, want)
		}
	}
}

// TestWriteFreezesNoDeepHeader writes an indicator's sheet, whose table
// comes under a year of monthly chart data: freezing its header would
// leave no room to scroll, so nothing is frozen, and the header still
// repeats on every printed page.
func TestWriteFreezesNoDeepHeader(t *testing.T) {
	f := write(t, indicators(1))
	sheet := f.GetSheetName(1)
	r := rowOf(t, f, sheet, "월별 실적") + 1
	if r <= maxFrozen {
		t.Fatalf("header row %d is not below the first %d rows; the test needs a longer chart", r, maxFrozen)
	}
	if panes, _ := f.GetPanes(sheet); panes.Freeze {
		t.Errorf("%s: frozen at row %d, want nothing frozen", sheet, panes.YSplit)
	}
	want := fmt.Sprintf("'%s'!$%d:$%d", sheet, r, r)
	if !slices.ContainsFunc(f.GetDefinedName(), func(dn excelize.DefinedName) bool {
		return dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet && dn.RefersTo == want
	}) {
		t.Errorf("print titles %v, want %s", f.GetDefinedName(), want)
	}
}

func TestWritePrintSettings(t *testing.T) {
	f := write(t, sampleKo())
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
			t.Errorf("%s: page size %d %s, fit %d wide %d tall; want A4 (9) landscape, 1 wide, 0 tall",
				sheet, *pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page is off (%v)", sheet, err)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil || hf.OddFooter != "&L김포시 일자리경제과 && 정책팀&R&P / &N쪽" || !strings.HasSuffix(hf.OddHeader, "초안: 공시 전 검토용") {
			t.Errorf("%s: header %q footer %q (%v)", sheet, hf.OddHeader, hf.OddFooter, err)
		}
	}
	want := map[string]string{}
	for _, tc := range []struct{ sheet, caption string }{
		{"요약", "과제별 실적"}, {longSheet, "분야별"},
	} {
		r := rowOf(t, f, tc.sheet, tc.caption) + 1
		want[tc.sheet] = fmt.Sprintf("'%s'!$%d:$%d", tc.sheet, r, r)
	}
	if fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Errorf("print titles = %v, want %v", titles, want)
	}
}

func TestWriteColumnWidths(t *testing.T) {
	f := write(t, sampleKo())
	task, _ := f.GetColWidth("요약", "A")
	goal, _ := f.GetColWidth("요약", "B")
	if task <= goal || task < 23 { // 9 Hangul and 3 spaces, and some room
		t.Errorf("width of the task column %v, of a number column %v: want the task's Korean name to fit", task, goal)
	}
	for col := 1; col <= 8; col++ {
		name, _ := excelize.ColumnNumberToName(col)
		if w, _ := f.GetColWidth("요약", name); w > maxWidth {
			t.Errorf("column %s width %v, over %d", name, w, maxWidth)
		}
	}
}

// TestWriteSheetXML reads the sheets' XML as Excel does: the columns
// listed in order (Excel reports a damaged file otherwise) and no formula
// anywhere.
func TestWriteSheetXML(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleKo()); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	colMin := regexp.MustCompile(`<col min="(\d+)"`)
	sheets := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f ")) {
			t.Errorf("%s has a formula", zf.Name)
		}
		last := 0
		for _, m := range colMin.FindAllSubmatch(data, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n <= last {
				t.Errorf("%s lists column %d after column %d", zf.Name, n, last)
			}
			last = n
		}
		if last == 0 {
			t.Errorf("%s sets no column widths", zf.Name)
		}
	}
	if sheets != 5 {
		t.Errorf("workbook has %d sheet files, want 5", sheets)
	}
}

// TestWriteChartNumberWidth writes a chart's large value, which has no
// text to measure: its column is still wide enough to show it.
func TestWriteChartNumberWidth(t *testing.T) {
	f := write(t, &doc.Document{Sections: []doc.Section{{Heading: "x", Charts: []doc.Chart{{Title: "t",
		Categories: []string{"a"}, Series: []doc.Series{{Name: "s", Values: []*float64{fp(-12345678.5)}}}}}}}})
	if w, _ := f.GetColWidth("x", "B"); w < float64(len("-12,345,678.5")) {
		t.Errorf("column width %v, too narrow for -12,345,678.5", w)
	}
}

// TestWriteTableWithoutColumns writes a table whose rows have cells but
// that has no columns: no header, nothing frozen.
func TestWriteTableWithoutColumns(t *testing.T) {
	f := write(t, &doc.Document{Sections: []doc.Section{{Heading: "x", Tables: []doc.Table{{Caption: "t",
		Rows: []doc.Row{{Cells: []doc.Cell{doc.Str("a"), doc.Num("1", 1)}}}}}}}})
	checkText(t, f, "x", "A4", "a")
	checkNumber(t, f, "x", "B4", 1, "#,##0")
	if panes, _ := f.GetPanes("x"); panes.Freeze {
		t.Errorf("frozen at %d without a header", panes.YSplit)
	}
}

func TestWriteEnglish(t *testing.T) {
	d := &doc.Document{
		Lang: "en", Title: "Gimpo 2020 employment plan results", PageOf: "page %d",
		Cover: []doc.Field{{Label: "City", Value: "Gimpo"}},
		Sections: []doc.Section{{Heading: "Summary", Sheet: "Summary",
			Charts: []doc.Chart{{Title: "Jobs", Categories: []string{"Jan"}, Series: []doc.Series{{Name: "Result", Values: []*float64{fp(3)}}}}},
			Tables: []doc.Table{tasks()},
		}, {Heading: "History"}},
	}
	f := write(t, d)
	if got, want := f.GetSheetList(), []string{"Cover", "Summary", "History (2)"}; !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	checkText(t, f, "Cover", "A1", d.Title)
	checkText(t, f, "Summary", ref(1, rowOf(t, f, "Summary", "Jobs")+1), "Category")
	checkTable(t, f, "Summary", d.Sections[0].Tables[0])
	if hf, _ := f.GetHeaderFooter("Summary"); hf.OddHeader != "" || hf.OddFooter != "&L&R&P / &N" {
		t.Errorf("header %q footer %q, want no draft line and the page number", hf.OddHeader, hf.OddFooter)
	}
}

func TestSheetNames(t *testing.T) {
	long := strings.Repeat("가", 40)
	for _, tc := range []struct {
		name     string
		sections []doc.Section
		want     []string
	}{
		{"sheet name first", []doc.Section{{Heading: "1. 요약", Sheet: "요약"}}, []string{"표지", "요약"}},
		{"heading when no sheet name", []doc.Section{{Heading: "실적"}}, []string{"표지", "실적"}},
		{"number when neither", []doc.Section{{}, {Sheet: " ' ", Heading: "\t"}}, []string{"표지", "1", "2"}},
		{"forbidden characters", []doc.Section{{Sheet: `a[b]c:d*e?f/g\h`}}, []string{"표지", "a(b)c-d-e-f-g-h"}},
		{"quotes and spaces at the ends", []doc.Section{{Sheet: "  'x\ty'  "}}, []string{"표지", "x y"}},
		{"at most 31", []doc.Section{{Sheet: long}}, []string{"표지", strings.Repeat("가", 31)}},
		{"clash, without case", []doc.Section{{Sheet: "Plan"}, {Sheet: "plan"}, {Sheet: "PLAN"}},
			[]string{"표지", "Plan", "plan (2)", "PLAN (3)"}},
		{"clash with the cover", []doc.Section{{Sheet: "표지"}}, []string{"표지", "표지 (2)"}},
		{"clash of long names", []doc.Section{{Sheet: long}, {Sheet: long}},
			[]string{"표지", strings.Repeat("가", 31), strings.Repeat("가", 27) + " (2)"}},
		{"reserved", []doc.Section{{Sheet: "history"}}, []string{"표지", "history (2)"}},
		{"wide characters count twice in UTF-16", []doc.Section{{Sheet: strings.Repeat("😀", 20)}},
			[]string{"표지", strings.Repeat("😀", 15)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sheetNames("표지", tc.sections)
			if !slices.Equal(got, tc.want) {
				t.Errorf("sheetNames = %q, want %q", got, tc.want)
			}
			for _, n := range got {
				if len(utf16.Encode([]rune(n))) > 31 || strings.ContainsAny(n, `[]:*?/\`) {
					t.Errorf("%q is not a valid sheet name", n)
				}
			}
		})
	}
}

// TestWriteOddInput writes what a document should not hold but might: no
// content at all, texts too long for a page footer, control characters.
func TestWriteOddInput(t *testing.T) {
	f := write(t, &doc.Document{})
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Cover"}) {
		t.Errorf("empty document sheets = %q, want the cover only", got)
	}

	d := &doc.Document{Lang: "ko", Draft: strings.Repeat("초안&", 200), Footer: strings.Repeat("&", 301),
		PageOf:   strings.Repeat("쪽", 200) + "%d/%d",
		Sections: []doc.Section{{Heading: "제어\x00문자\x0b", Paragraphs: []doc.Paragraph{{Title: "a\x01b", Text: strings.Repeat("긴 글 ", 2000)}}}}}
	f = write(t, d)
	sheet := f.GetSheetName(1)
	if sheet != "제어 문자" {
		t.Errorf("sheet name %q, want the control characters as spaces", sheet)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{hf.OddHeader, hf.OddFooter} {
		if n := len(utf16.Encode([]rune(s))); n > 255 {
			t.Errorf("page header or footer of %d units, over 255: %q", n, s)
		}
	}
	if left, _, _ := strings.Cut(strings.TrimPrefix(hf.OddFooter, "&L"), "&R"); strings.Count(strings.TrimSuffix(left, "…"), "&")%2 != 0 {
		t.Errorf("footer %q ends in half of a doubled &", left)
	}
	r := rowOf(t, f, sheet, "a\uFFFDb") + 1
	if h, _ := f.GetRowHeight(sheet, r); h != maxHeight {
		t.Errorf("long paragraph row height %v, want Excel's most, %v", h, maxHeight)
	}
	// A sheet of only a paragraph gives it a readable width.
	merged, _ := f.GetMergeCells(sheet)
	if len(merged) != 1 || merged[0].GetStartAxis() != ref(1, r) {
		t.Fatalf("merged cells %v, want the paragraph's row %d", merged, r)
	}
	last, _, _ := excelize.SplitCellName(merged[0].GetEndAxis())
	end, _ := excelize.ColumnNameToNumber(last)
	var width float64
	for c := 1; c <= end; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		w, _ := f.GetColWidth(sheet, name)
		width += w
	}
	if width < 80 {
		t.Errorf("paragraph spans %v characters of columns, want at least 80", width)
	}
}

func TestWriteNoDocument(t *testing.T) {
	if err := Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("Write(nil) = nil, want an error")
	}
}

// indicators is a document with one section per indicator, as a council
// report has: facts, a monthly chart, a monthly table and a comment.
func indicators(n int) *doc.Document {
	d := sampleKo()
	d.Sections = nil
	months := make([]string, 12)
	for m := range months {
		months[m] = fmt.Sprintf("%d월", m+1)
	}
	for i := range n {
		var plan, done []*float64
		tb := doc.Table{Caption: "월별 실적", Columns: []doc.Column{{Heading: "월"}, {Heading: "목표", Format: doc.Int},
			{Heading: "실적", Format: doc.Int}, {Heading: "달성률", Format: doc.Percent}, {Heading: "상태"}}}
		for m := range months {
			p, a := float64(100*(m+1)), float64(90*(m+1)+i)
			plan, done = append(plan, fp(p)), append(done, fp(a))
			tb.Rows = append(tb.Rows, doc.Row{Cells: []doc.Cell{doc.Str(months[m]), doc.Num(strconv.Itoa(int(p)), p),
				doc.Num(strconv.Itoa(int(a)), a), doc.Num("", math.Round(a/p*1000)/1000), doc.Str("정상")}})
		}
		d.Sections = append(d.Sections, doc.Section{
			Heading: fmt.Sprintf("지표 %d. 청년 취업자 수", i+1), Sheet: fmt.Sprintf("지표 %d", i+1),
			Facts:      []doc.Field{{Label: "목표", Value: "1,200명"}, {Label: "담당", Value: "일자리경제과"}},
			Charts:     []doc.Chart{{Title: "누적 실적", Unit: "명", Categories: months, Series: []doc.Series{{Name: "목표", Values: plan}, {Name: "실적", Values: done}}}},
			Tables:     []doc.Table{tb},
			Paragraphs: []doc.Paragraph{{Title: "추진 실적", Text: strings.Repeat("청년 일자리 사업을 추진했습니다. ", 10)}},
		})
	}
	return d
}

// bigTable is a document with one table of n rows.
func bigTable(n int) *doc.Document {
	d := sampleKo()
	tb := tasks()
	rows := tb.Rows
	tb.Rows = make([]doc.Row, 0, n)
	for len(tb.Rows) < n {
		tb.Rows = append(tb.Rows, rows[len(tb.Rows)%len(rows)])
	}
	d.Sections = []doc.Section{{Heading: "전체 실적", Tables: []doc.Table{tb}}}
	return d
}

func benchmarkWrite(b *testing.B, d *doc.Document) {
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "file-bytes")
}

func BenchmarkWrite(b *testing.B) {
	b.Run("200 indicators", func(b *testing.B) { benchmarkWrite(b, indicators(200)) })
	b.Run("10000 rows", func(b *testing.B) { benchmarkWrite(b, bigTable(10000)) })
}
