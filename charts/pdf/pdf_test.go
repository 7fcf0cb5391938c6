package pdf

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"jobkpi/charts/doc"
)

// need skips the test when a poppler tool is missing, unless CI is set,
// when a missing tool is a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (poppler-utils): %v", tool, err)
			}
			t.Skipf("%s is not installed (poppler-utils)", tool)
		}
	}
}

// writePDF writes d into a file in a temporary folder.
func writePDF(t *testing.T, d *doc.Document) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pageText is pdftotext's reading of pages first to last (0: to the end).
func pageText(t *testing.T, path string, first, last int, layout bool) string {
	t.Helper()
	args := []string{"-enc", "UTF-8", "-f", strconv.Itoa(first)}
	if last > 0 {
		args = append(args, "-l", strconv.Itoa(last))
	}
	if layout {
		args = append(args, "-layout")
	}
	return run(t, "pdftotext", append(args, path, "-")...)
}

// pageCount is the number of pages pdfinfo finds.
func pageCount(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo gave no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// squash drops all white space, so that text wrapped in a cell compares
// equal to the cell's text.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// firstPageWith is the first page whose text holds s, or 0.
func firstPageWith(t *testing.T, path string, pages int, s string) int {
	t.Helper()
	for p := 1; p <= pages; p++ {
		if strings.Contains(squash(pageText(t, path, p, p, false)), squash(s)) {
			return p
		}
	}
	return 0
}

func TestKoreanReportText(t *testing.T) {
	need(t, "pdftotext", "pdfinfo")
	d := sampleDoc(true, 200)
	path := writePDF(t, d)
	n := pageCount(t, path)
	all := squash(pageText(t, path, 1, 0, false))

	want := []string{d.Title, d.Draft, d.Footer, "이월 사업이 없습니다.", strings.Repeat("가", 200)}
	for _, f := range d.Cover {
		want = append(want, f.Label, f.Value)
	}
	for _, s := range koStatus {
		want = append(want, s.ko)
	}
	for _, s := range want {
		if !strings.Contains(all, squash(s)) {
			t.Errorf("the PDF's text lacks %q", s)
		}
	}
	pages := make([]string, n+1) // squashed text by page number
	for p := 1; p <= n; p++ {
		pages[p] = squash(pageText(t, path, p, p, false))
		if !strings.Contains(pages[p], squash(d.Draft)) {
			t.Errorf("page %d does not say it is a draft (%q)", p, d.Draft)
		}
	}
	// a row is never split: a long name's first and last words, which
	// wrap to two lines, are on the same page
	split := 0
	for _, r := range d.Sections[1].Tables[0].Rows {
		if r.Kind != doc.Body || !strings.HasSuffix(r.Cells[1].Text, ")") {
			continue
		}
		words := strings.Fields(r.Cells[1].Text)
		head, tail := squash(r.Cells[0].Text+strings.Join(words[:3], "")), squash(strings.Join(words[len(words)-2:], ""))
		if !slices.ContainsFunc(pages, func(p string) bool { return strings.Contains(p, head) && strings.Contains(p, tail) }) {
			t.Errorf("no page shows the whole row %s %q", r.Cells[0].Text, r.Cells[1].Text)
		}
		split++
	}
	if split < 10 {
		t.Errorf("checked %d long rows; want at least 10", split)
	}
	if first := pageText(t, path, 1, 1, false); !strings.Contains(first, fmt.Sprintf("1 / %d", n)) {
		t.Errorf("page 1 does not say %q (pdfinfo counts %d pages):\n%s", fmt.Sprintf("1 / %d", n), n, first)
	}
	if last := pageText(t, path, n, n, false); !strings.Contains(last, fmt.Sprintf("%d / %d", n, n)) {
		t.Errorf("page %d does not say %q", n, fmt.Sprintf("%d / %d", n, n))
	}

	// every cell of a row on the long table's second page
	tb := d.Sections[1].Tables[0]
	start := firstPageWith(t, path, n, tb.Caption)
	if start == 0 {
		t.Fatalf("no page holds the caption %q", tb.Caption)
	}
	// the first numbered row under the repeated header
	second := pageText(t, path, start+1, start+1, true)
	m := regexp.MustCompile(`(?m)^\s*(\d+) `).FindStringSubmatch(second)
	if m == nil {
		t.Fatalf("page %d, the table's second page, shows no numbered row:\n%s", start+1, second)
	}
	i := slices.IndexFunc(tb.Rows, func(r doc.Row) bool { return r.Kind == doc.Body && r.Cells[0].Text == m[1] })
	if i < 0 {
		t.Fatalf("page %d starts with row %s, which the table does not have", start+1, m[1])
	}
	// reading order keeps a wrapped cell's lines together
	read := squash(pageText(t, path, start+1, start+1, false))
	for _, c := range tb.Rows[i].Cells {
		if !strings.Contains(read, squash(c.Text)) {
			t.Errorf("page %d shows row %s but not its cell %q", start+1, m[1], c.Text)
		}
	}
}

func TestTableHeaderRepeats(t *testing.T) {
	need(t, "pdftotext", "pdfinfo")
	d := sampleDoc(true, 200)
	path := writePDF(t, d)
	n := pageCount(t, path)
	tb := d.Sections[1].Tables[0]
	var headings []string
	for _, c := range tb.Columns {
		headings = append(headings, c.Heading)
	}
	start := firstPageWith(t, path, n, tb.Caption)
	last := firstPageWith(t, path, n, tb.Note)
	if start == 0 || last <= start {
		t.Fatalf("the table runs from page %d to %d; want it on more than one page", start, last)
	}
	for p := start + 1; p <= last; p++ {
		var first string
		for l := range strings.SplitSeq(pageText(t, path, p, p, true), "\n") {
			if l = strings.TrimSpace(l); l != "" && l != d.Draft {
				first = l
				break
			}
		}
		if got := strings.Fields(first); !slices.Equal(got, headings) {
			t.Errorf("page %d starts with %q, want the table's header %q", p, first, strings.Join(headings, " "))
		}
	}
}

func TestFontsEmbeddedAsSubsets(t *testing.T) {
	need(t, "pdffonts")
	out := run(t, "pdffonts", writePDF(t, sampleDoc(true, 20)))
	found := 0
	for l := range strings.SplitSeq(out, "\n") {
		f := strings.Fields(l)
		if len(f) < 6 || !strings.Contains(f[0], "JobkpiSans") {
			continue
		}
		found++
		// name type... encoding emb sub uni object gen
		emb, sub := f[len(f)-5], f[len(f)-4]
		if emb != "yes" || sub != "yes" || !regexp.MustCompile(`^[A-Z]{6}\+`).MatchString(f[0]) {
			t.Errorf("font %s: emb %s sub %s, want an embedded subset:\n%s", f[0], emb, sub, out)
		}
	}
	if found != 2 {
		t.Errorf("pdffonts lists %d JobkpiSans fonts, want 2 (regular, bold):\n%s", found, out)
	}
}

func TestPagesRenderWithChart(t *testing.T) {
	need(t, "pdftoppm")
	const dpi = 50
	d := sampleDoc(true, 40)
	w, err := layout(d)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, d)
	dir := t.TempDir()
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "3", "-png", path, filepath.Join(dir, "p"))
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if len(files) != 3 {
		t.Fatalf("pdftoppm made %d pages, want 3", len(files))
	}
	slices.Sort(files)
	if len(w.images) == 0 || w.images[0].page != 2 {
		t.Fatalf("charts drawn at %+v, want the first on page 2", w.images)
	}
	for i, f := range files {
		ink, colour := pixels(t, f, nil)
		if ink < 500 {
			t.Errorf("page %d has %d pixels that are not white; it looks blank", i+1, ink)
		}
		if i == 1 {
			at := w.images[0]
			s := float64(dpi) / 72
			rect := [4]int{int(at.x * s), int(at.y * s), int((at.x + at.w) * s), int((at.y + at.h) * s)}
			if _, colour = pixels(t, f, &rect); colour < 300 {
				t.Errorf("page 2's chart area %v has %d coloured pixels; the chart is not drawn", rect, colour)
			}
		}
	}
}

// pixels counts the pixels of a PNG (or of a rectangle of it, in pixels)
// that are not white, and those that are coloured rather than grey.
func pixels(t *testing.T, path string, rect *[4]int) (ink, colour int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	x0, y0, x1, y1 := b.Min.X, b.Min.Y, b.Max.X, b.Max.Y
	if rect != nil {
		x0, y0, x1, y1 = rect[0], rect[1], rect[2], rect[3]
	}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r < 240 || g < 240 || b < 240 {
				ink++
			}
			if max(r, g, b)-min(r, g, b) > 60 {
				colour++
			}
		}
	}
	return ink, colour
}

func TestEnglishReport(t *testing.T) {
	need(t, "pdftotext", "pdfinfo")
	d := sampleDoc(false, 60)
	path := writePDF(t, d)
	n := pageCount(t, path)
	text := pageText(t, path, 1, 0, false)
	want := []string{d.Title, d.Draft, "Results by indicator", "Indicator 60: youth job placements",
		"Reached", "Behind", "Watch", "Missing", "No programme was carried over.", fmt.Sprintf("%d / %d", n, n)}
	for _, f := range d.Cover {
		want = append(want, f.Label, f.Value)
	}
	for _, s := range want {
		if !strings.Contains(squash(text), squash(s)) {
			t.Errorf("the English PDF's text lacks %q", s)
		}
	}
	if got := run(t, "pdfinfo", path); !strings.Contains(got, d.Title) {
		t.Errorf("pdfinfo shows no title %q:\n%s", d.Title, got)
	}
}

// TestTextStaysInside checks, word by word, that nothing is drawn past
// the margins (long names and a 200-character word wrap) nor into the
// footer (a row that does not fit goes to the next page).
func TestTextStaysInside(t *testing.T) {
	need(t, "pdftotext")
	for _, ko := range []bool{true, false} {
		path := writePDF(t, sampleDoc(ko, 60))
		out := run(t, "pdftotext", "-bbox", path, "-")
		words := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`).FindAllStringSubmatch(out, -1)
		if len(words) < 1000 {
			t.Fatalf("pdftotext -bbox found %d words", len(words))
		}
		for _, m := range words {
			var v [4]float64
			for i := range v {
				v[i], _ = strconv.ParseFloat(m[i+1], 64)
			}
			x0, y0, x1, y1 := v[0], v[1], v[2], v[3]
			if x0 < margin-1 || x1 > pageW-margin+1 {
				t.Errorf("ko=%v: %q spans x %.1f–%.1f, outside the margins %.1f–%.1f", ko, m[5], x0, x1, margin, pageW-margin)
			}
			if y1 > bottom+1 && y0 < bottom+6 { // the footer starts at bottom+12
				t.Errorf("ko=%v: %q spans y %.1f–%.1f, past the foot of the text at %.1f", ko, m[5], y0, y1, bottom)
			}
		}
	}
}

// headingDoc has, for each k, pages of k rows each followed by a heading
// (over a paragraph, facts or a table) or by a captioned table, so that
// for some k each would fall at the foot of the page.
func headingDoc() *doc.Document {
	d := &doc.Document{Title: "Keep with next", Footer: "Footer line", PageOf: "%d / %d"}
	cols := []doc.Column{{Heading: "Name"}, {Heading: "Value", Format: doc.Int}}
	rows := func(n int) []doc.Row {
		var rs []doc.Row
		for i := range n {
			rs = append(rs, doc.Row{Cells: []doc.Cell{doc.Str(fmt.Sprintf("Row %d", i)), doc.Num(strconv.Itoa(i), float64(i))}})
		}
		return rs
	}
	filler := func(k int) doc.Section {
		return doc.Section{Heading: fmt.Sprintf("Filler %d", k), NewPage: true, Tables: []doc.Table{{Columns: cols, Rows: rows(k)}}}
	}
	for k := 40; k < 51; k++ {
		caption := fmt.Sprintf("Caption %02d", k)
		probe := filler(k)
		probe.Tables = append(probe.Tables, doc.Table{Caption: caption, Columns: cols, Rows: rows(2)})
		d.Sections = append(d.Sections,
			filler(k), doc.Section{Heading: fmt.Sprintf("Heading %02d", k), Paragraphs: []doc.Paragraph{{Text: "The text under the heading."}}},
			filler(k), doc.Section{Heading: fmt.Sprintf("Heading %02d", k), Facts: []doc.Field{{Label: "Fact", Value: "1"}}},
			filler(k), doc.Section{Heading: fmt.Sprintf("Heading %02d", k), Tables: []doc.Table{{Caption: caption, Columns: cols, Rows: rows(1)}}},
			probe,
		)
	}
	return d
}

func TestHeadingNeverLastOnPage(t *testing.T) {
	need(t, "pdftotext", "pdfinfo")
	d := headingDoc()
	path := writePDF(t, d)
	n := pageCount(t, path)
	if n < 5 {
		t.Fatalf("the document has %d pages; want enough for headings to meet page ends", n)
	}
	lastLine := regexp.MustCompile(`^(Heading|Caption) \d\d$|^Name\s+Value$`)
	for p := 2; p < n; p++ {
		var lines []string
		for l := range strings.SplitSeq(pageText(t, path, p, p, true), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, d.Footer) {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			t.Errorf("page %d is empty", p)
			continue
		}
		if last := lines[len(lines)-1]; lastLine.MatchString(last) {
			t.Errorf("page %d ends with %q, which belongs with what follows it", p, last)
		}
	}
}

// TestWritesAtOnce draws one document from several goroutines at once, as
// the server may; they share the parsed fonts and must all draw the same
// bytes as a write on its own.
func TestWritesAtOnce(t *testing.T) {
	d := sampleDoc(true, 30)
	var want bytes.Buffer
	if err := Write(&want, d); err != nil {
		t.Fatal(err)
	}
	got := make([]bytes.Buffer, 4)
	errs := make([]error, len(got))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { errs[i] = Write(&got[i], d) })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Errorf("write %d: %v", i, errs[i])
		} else if !bytes.Equal(got[i].Bytes(), want.Bytes()) {
			t.Errorf("write %d drew %d bytes unlike the %d of a write on its own", i, got[i].Len(), want.Len())
		}
	}
}

// oddDoc has what a writer may meet at the edges: no title, an empty
// section, charts with no figures, one category, short and non-finite
// series, many categories, negative values, a table without columns or
// rows, cells beyond the columns, a status the writer does not know, text
// with control characters and characters the font lacks, and a cell too
// tall for a page.
func oddDoc() *doc.Document {
	nan, inf := math.NaN(), math.Inf(1)
	many := make([]string, 40)
	vals := make([]*float64, 40)
	for i := range many {
		many[i] = fmt.Sprintf("항목 %d", i+1)
		vals[i] = ptr(float64(i*i) - 300)
	}
	tall := strings.Repeat("아주 긴 셀 내용입니다. ", 600)
	return &doc.Document{Sections: []doc.Section{
		{},
		{Heading: "차트", Charts: []doc.Chart{
			{Title: "빈 차트"},
			{Title: "값 없음", Categories: []string{"1월", "2월"}, Series: []doc.Series{{Name: "실적", Values: []*float64{nil, nil}}}},
			{Title: "한 항목", Kind: doc.Bar, Categories: []string{"하나"}, Series: []doc.Series{{Name: "실적", Values: []*float64{ptr(3)}}}},
			{Title: "짧은 계열", Categories: []string{"가", "나", "다"}, Series: []doc.Series{{Name: "실적", Values: []*float64{ptr(1), &nan, &inf}}, {Values: []*float64{ptr(2)}}}},
			{Title: "많은 항목", Kind: doc.Bar, Unit: "명", Categories: many, Series: []doc.Series{{Name: "증감", Values: vals}}},
		}},
		{Heading: "표", Tables: []doc.Table{
			{Caption: "열 없음", Rows: []doc.Row{{Cells: []doc.Cell{doc.Str("x")}}}},
			{Caption: "행 없음", Columns: []doc.Column{{Heading: "a"}}},
			{Caption: "넘치는 셀", Columns: []doc.Column{{Heading: "a"}, {Heading: "b", Format: doc.Int, Width: -1}}, Rows: []doc.Row{
				{Kind: doc.Group},
				{Cells: []doc.Cell{{Text: "모르는 상태", Status: "unknown"}, doc.Str("1"), doc.Str("남는 셀")}},
				{Cells: []doc.Cell{doc.Str("제어\x00문자\t와 漢字 😀"), doc.Str(tall)}},
				{Kind: doc.Subtotal},
			}},
		}},
	}}
}

func TestOddDocuments(t *testing.T) {
	need(t, "pdfinfo", "pdftoppm", "pdftotext")
	for name, d := range map[string]*doc.Document{"empty": {}, "odd": oddDoc()} {
		t.Run(name, func(t *testing.T) {
			path := writePDF(t, d)
			n := pageCount(t, path)
			if last := pageText(t, path, n, n, false); !strings.Contains(squash(last), fmt.Sprintf("%d/%d", n, n)) {
				t.Errorf("the last page does not say %q:\n%s", fmt.Sprintf("%d / %d", n, n), last)
			}
			run(t, "pdftoppm", "-r", "20", "-png", path, filepath.Join(t.TempDir(), "p"))
			if name == "empty" {
				return
			}
			text := pageText(t, path, 1, 0, false)
			for _, s := range []string{"모르는 상태", "제어 문자", "아주 긴 셀 내용입니다.", "내용입니다.…"} {
				if !strings.Contains(text, s) {
					t.Errorf("the text lacks %q", s)
				}
			}
			if strings.Contains(text, "남는 셀") {
				t.Errorf("a cell beyond the table's columns is drawn")
			}
		})
	}
}
