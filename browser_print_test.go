package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"jobkpi/handlers"
	"jobkpi/models"
)

// pdftotextPath finds poppler's pdftotext, which reads a printed page back
// as text. Like Chromium it is required in CI (.ci/run installs it).
func pdftotextPath(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("pdftotext"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext is not installed; .ci/run installs it with apt-get install -y poppler-utils")
	}
	t.Skip("pdftotext is not installed (apt-get install -y poppler-utils); skipping the print test")
	return ""
}

// TestBrowserReportPrint prints the council report as a council member
// does, on A4 with 15 mm margins, in Korean and in English, and reads the
// PDF back with pdftotext -layout. Every indicator's row must stand on one
// line with every figure and its status word whole (so no column is cut
// off and nothing wraps inside a cell), no page may end with a task
// heading, the navigation must not print, and every page must carry its
// number and the print date in the margin.
func TestBrowserReportPrint(t *testing.T) {
	parallelShort(t)
	pdftotext := pdftotextPath(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	const year, asof = 2020, 9
	sum, err := s.store.Summary(context.Background(), year, asof)
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, browser, s.URL, "council")
	for _, lang := range []handlers.Lang{handlers.Korean, handlers.English} {
		t.Run(string(lang), func(t *testing.T) {
			path := fmt.Sprintf("/reports/%d?asof=%d&lang=%s", year, asof, lang)
			tab, v := visit(t, browser, s.URL+path)
			before := time.Now()
			pdf := printA4(t, tab)
			after := time.Now()
			text := pdfText(t, pdftotext, pdf)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf(format, args...)
				keepPrint(t, v, pdf, text)
			}
			for _, msg := range v.csp {
				fail("CSP violation: %s", msg)
			}
			checkPrintedRows(t, fail, lang, sum, text)
			checkPrintedPages(t, fail, lang, sum, text, before, after)
		})
	}
}

// printA4 prints the page in the tab to PDF as a browser's print dialog
// does with A4 paper and 15 mm margins, once the page has fully loaded.
func printA4(t *testing.T, tab context.Context) []byte {
	t.Helper()
	const mm = 1 / 25.4 // inches
	margin := 15 * mm
	var pdf []byte
	_, err := chromedp.Run(tab, chromedp.Poll[bool](`document.readyState === 'complete'`))
	if err == nil {
		err = chromedp.Do(tab, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			res, err := cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{
				PaperWidth: 210 * mm, PaperHeight: 297 * mm,
				MarginTop: &margin, MarginBottom: &margin, MarginLeft: &margin, MarginRight: &margin,
			})
			if err == nil {
				pdf = res.Data
			}
			return err
		}))
	}
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	return pdf
}

// pdfText is the text of a PDF as pdftotext -layout lays it out, pages
// separated by form feeds.
func pdfText(t *testing.T, pdftotext string, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// keepPrint saves the PDF and its text of a failing print in a folder that
// outlives the test, once, and prints the path.
func keepPrint(t *testing.T, v *pageVisit, pdf []byte, text string) {
	t.Helper()
	if v.artifacts != "" {
		return
	}
	dir, err := os.MkdirTemp("", "jobkpi-print-")
	if err != nil {
		t.Logf("cannot keep the print: %v", err)
		return
	}
	v.artifacts = dir
	name := strings.ReplaceAll(t.Name(), "/", "_")
	os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644)
	os.WriteFile(filepath.Join(dir, name+".txt"), []byte(text), 0o644)
	t.Logf("the print is kept in %s", dir)
}

// checkPrintedRows requires, for every indicator, a line holding its
// cells from the target to the status word, in order, each written as the
// report writes it; and the plan's overall achievement and pace.
func checkPrintedRows(t *testing.T, fail func(string, ...any), lang handlers.Lang, sum *models.Summary, text string) {
	t.Helper()
	want := map[string][]string{} // row pattern → the indicators printed as that row
	for _, is := range sum.Indicators {
		row := printedRow(lang, is)
		want[row] = append(want[row], lang.Text(is.Indicator.Name, is.Indicator.NameEn))
	}
	for row, names := range want {
		if n := len(regexp.MustCompile(`(?m)`+row).FindAllString(text, -1)); n < len(names) {
			fail("%d of %d row(s) of %q printed whole on one line; want a line matching %s", n, len(names), names, row)
		}
	}
	overall := cellPattern(lang.T("plan.achievement")+" "+printedPercent(sum.Overall.Achievement)) + ` +· +` +
		cellPattern(lang.T("plan.pace")+" "+printedPercent(sum.Overall.Pace))
	if !regexp.MustCompile(overall).MatchString(text) {
		fail("the plan's achievement and pace are not printed whole: want %s", overall)
	}
}

// printedRow is the pattern of an indicator's row from the target column
// to the status column, as the report's indicator table writes it.
func printedRow(lang handlers.Lang, is *models.IndicatorSummary) string {
	ind, pr := is.Indicator, is.Progress
	none := lang.T("ind.none")
	var cells []string
	status := cellPattern(lang.T("status." + string(pr.Status)))
	if ind.Kind.Monthly() {
		forecast := none
		if f := pr.Forecast; f != nil {
			// The forecast says what it projects from: 2,120명 (1–9월 실적 기준).
			forecast = printedAmount(lang, *f, ind) + ` +\([^)]+\)`
			if short := ind.Round(ind.Target) - ind.Round(*f); short > 0 && pr.Status != models.StatusReached {
				// An indicator that will fall short says by how much: 정상 · 연말 전망 목표 대비 −43명.
				status += ` +· +` + strings.Replace(cellPattern(lang.T("forecast.short", "§")), "§", printedAmount(lang, short, ind), 1)
			}
		}
		cells = []string{
			printedAmount(lang, ind.Target, ind), printedAmount(lang, pr.Actual, ind), cellPattern(printedPercent(pr.Achievement)),
			printedAmount(lang, pr.Expected, ind), cellPattern(printedPercent(pr.Pace)), forecast,
		}
	} else {
		state := ind.MilestoneState
		if state == "" {
			state = models.MilestonePlanned
		}
		cells = []string{
			cellPattern(printedDate(lang, *ind.DueDate)), cellPattern(lang.T("state." + string(state))),
			cellPattern(printedPercent(pr.Achievement)), none, none, none,
		}
	}
	cells = append(cells, status)
	return strings.Join(cells, ` +`) + ` *$`
}

// cellPattern matches s as pdftotext -layout prints it: exactly, except
// that a space may be printed wider.
func cellPattern(s string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(s), " ", " +")
}

// printedAmount matches a value with its unit, rounded as people read it
// (ind.Round: whole people). The number is exact; the English unit may be
// singular (1 person), so there any word will do.
func printedAmount(lang handlers.Lang, v float64, ind *models.Indicator) string {
	v = ind.Round(v)
	if lang == handlers.English {
		return regexp.QuoteMeta(printedNumber(v)) + ` \pL+`
	}
	return regexp.QuoteMeta(printedNumber(v) + ind.Unit)
}

// printedNumber writes v as the pages do: rounded to one decimal, with
// thousands separated by commas.
func printedNumber(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v*10)/10), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// printedPercent writes a ratio as the pages do: 73.5%.
func printedPercent(r float64) string {
	return strconv.FormatFloat(math.Round(r*1000)/10, 'f', 1, 64) + "%"
}

// printedDate writes a date as the pages do: 2020. 3. 31. or 31 Mar 2020.
func printedDate(lang handlers.Lang, d time.Time) string {
	if lang == handlers.English {
		return d.Format("2 Jan 2006")
	}
	return d.Format("2006. 1. 2.")
}

// checkPrintedPages requires every page to carry "n / pages" and the print
// date, the navigation not to print, and no page before the last to end
// with a task heading (a heading belongs with the table after it).
func checkPrintedPages(t *testing.T, fail func(string, ...any), lang handlers.Lang, sum *models.Summary, text string, before, after time.Time) {
	t.Helper()
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	// The date in Korea when printing began or ended (it may pass midnight).
	date := func(at time.Time) string {
		return cellPattern(lang.T("report.printed") + " " + printedDate(lang, at.In(models.KST)))
	}
	printed := regexp.MustCompile(date(before) + "|" + date(after))
	var headings []string
	for _, ts := range sum.Tasks {
		headings = append(headings, ts.Task.Code+" "+lang.Text(ts.Task.Name, ts.Task.NameEn))
	}
	for i, pg := range pages {
		number := regexp.MustCompile(fmt.Sprintf(`(?m)\b%d ?/ ?%d *$`, i+1, len(pages)))
		if !number.MatchString(pg) {
			fail("page %d does not say %d / %d in its margin", i+1, i+1, len(pages))
		}
		if !printed.MatchString(pg) {
			fail("page %d does not carry the print date: want %s", i+1, printed)
		}
		last := lastContentLine(pg, number, printed)
		for _, h := range headings {
			if i < len(pages)-1 && strings.HasPrefix(last, h) {
				fail("page %d ends with the heading %q; its table is on the next page", i+1, last)
			}
		}
	}
	for _, nav := range []string{"home", "nav.logout", "lang.switch", "asof.submit"} {
		if word := lang.T(nav); regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(word) + `(\s|$)`).MatchString(text) {
			fail("the navigation is printed: %q (%s) is on the page", word, nav)
		}
	}
}

// lastContentLine is the last line of a page above its margin, which holds
// the page number and the print date.
func lastContentLine(pg string, margin ...*regexp.Regexp) string {
	lines := strings.Split(pg, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimSpace(lines[i])
		inMargin := false
		for _, m := range margin {
			inMargin = inMargin || m.MatchString(line)
		}
		if line != "" && !inMargin {
			return line
		}
	}
	return ""
}
