package main

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// popplerTool finds one of poppler's tools (pdftotext, pdffonts,
// pdftoppm, pdfinfo); .ci/run installs them.
func popplerTool(t testing.TB, name string) string {
	t.Helper()
	if name == "pdftotext" {
		return pdftotextPath(t)
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; .ci/run installs poppler-utils", name)
	}
	t.Skipf("%s is not installed (apt-get install -y poppler-utils)", name)
	return ""
}

func runTool(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(popplerTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// downloadReport saves the council report of a period as a file.
func downloadReport(t *testing.T, s *testServer, query string) string {
	t.Helper()
	a := s.loginAs(t, "council").get(t, "/reports/2020/download?"+query)
	if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("report PDF (%s) = %d %s\n%.300s", query, a.status, a.header.Get("Content-Type"), a.body)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, []byte(a.body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReportPDFText reads the council report PDF of Gimpo 2020 (demo)
// back with pdftotext: the cover, every indicator with its status word on
// its line, the 공통목표 and the page count, with the font embedded.
func TestReportPDFText(t *testing.T) {
	s := newTestServer(t, true)
	file := downloadReport(t, s, "format=pdf&period=2020")
	text := runTool(t, "pdftotext", "-layout", file, "-")
	for _, want := range []string{"김포시 2020년 연간 일자리대책 추진 실적", "지자체", "2020년 김포시 일자리대책 연차별 세부계획", "기간", "2020년 연간",
		"기준", "인쇄일", "발행 부서", "문의", "집계 대상", "승인된 실적만", "공통목표", "고용률 (15–64세)", "취업자 수", "핵심 목표", "부서별 현황"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	lines := strings.Split(text, "\n")
	for _, ind := range planIndicators(t, s, "/api/v1/plans/2020?asof=12") {
		status := map[string]string{"reached": "달성", "on_track": "정상", "watch": "주의", "behind": "부진", "missing": "미입력"}[ind.Status]
		prefix := string([]rune(ind.Name)[:min(6, len([]rune(ind.Name)))])
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, prefix) && strings.Contains(l, status)
		}
		if !found {
			t.Errorf("no line of the PDF has indicator %q with its status %q", ind.Name, status)
		}
	}
	pages := pdfPages(t, file)
	if pages < 5 {
		t.Errorf("the report has %d pages, want a cover, a summary, charts and tables", pages)
	}
	for _, n := range []int{1, pages} {
		if !regexp.MustCompile(fmt.Sprintf(`\b%d ?/ ?%d\b`, n, pages)).MatchString(text) {
			t.Errorf("the PDF text lacks the page number %d / %d", n, pages)
		}
	}
	fonts := runTool(t, "pdffonts", file)
	if !regexp.MustCompile(`JobkpiSans\S*\s.*\byes\s+yes\b`).MatchString(fonts) {
		t.Errorf("pdffonts shows no embedded subset of JobkpiSans:\n%s", fonts)
	}
}

func pdfPages(t *testing.T, file string) int {
	t.Helper()
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(runTool(t, "pdfinfo", file))
	if m == nil {
		t.Fatal("pdfinfo gives no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestReportPDFLook turns the first three pages of the report PDF, in
// Korean and in English, into images: none is blank, and the charts page
// has coloured ink where the charts are.
func TestReportPDFLook(t *testing.T) {
	s := newTestServer(t, true)
	for _, lang := range []string{"ko", "en"} {
		file := downloadReport(t, s, "format=pdf&period=2020-H1&lang="+lang)
		dir := t.TempDir()
		runTool(t, "pdftoppm", "-r", "40", "-f", "1", "-l", "3", "-png", file, filepath.Join(dir, "p"))
		for page := 1; page <= 3; page++ {
			ink, colour := pageInk(t, filepath.Join(dir, fmt.Sprintf("p-%d.png", page)))
			if ink < 0.005 {
				t.Errorf("%s page %d is blank (%.2f%% ink)", lang, page, 100*ink)
			}
			if page == 3 && colour < 0.002 {
				t.Errorf("%s page 3 (charts) has %.3f%% coloured ink in the chart area, want the chart lines", lang, 100*colour)
			}
		}
		text := runTool(t, "pdftotext", "-f", "3", "-l", "3", file, "-")
		if heading := map[string]string{"ko": "차트", "en": "Charts"}[lang]; !strings.HasPrefix(strings.TrimSpace(text), heading) {
			t.Errorf("%s page 3 starts %.40q, want the charts", lang, strings.TrimSpace(text))
		}
	}
}

// pageInk is the share of a page image's pixels that are not white, and
// the share below its top fifth that are coloured (not grey).
func pageInk(t *testing.T, path string) (ink, colour float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r := img.Bounds()
	var inked, coloured int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			c := [3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)}
			if c[0] < 235 || c[1] < 235 || c[2] < 235 {
				inked++
			}
			spread := max(c[0], c[1], c[2]) - min(c[0], c[1], c[2])
			if y > r.Dy()/5 && spread > 60 {
				coloured++
			}
		}
	}
	total := float64(r.Dx() * r.Dy())
	return float64(inked) / total, float64(coloured) / total
}
