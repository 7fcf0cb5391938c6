package main

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// axeSource is axe-core, injected into pages by the tests only; it is not
// served by the app.
//
//go:embed static/vendor/axe/axe.min.js
var axeSource string

// chromiumPath finds a Chromium. Without one the browser tests skip on a
// developer machine and fail in CI, where a skipped gate would be a hole.
func chromiumPath(t testing.TB) string {
	t.Helper()
	storetest.SkipOnPostgres(t, "the browser tests run on SQLite; the handler tests cover PostgreSQL")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("Chromium is not installed (apt-get install -y chromium); skipping browser tests")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and no
// background traffic.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	return bctx
}

// cspProbe records CSP violations from the first moment of each document.
const cspProbe = `window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' line ' + e.lineNumber);
});`

// pageVisit is what a browser saw while loading one page.
type pageVisit struct {
	mu        sync.Mutex
	console   []string // console errors, exceptions and error log entries
	requests  []string // every URL the page asked for
	csp       []string
	artifacts string
}

func (v *pageVisit) add(list *[]string, s string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	*list = append(*list, s)
}

// visit opens rawURL in a new tab, waits until every chart is drawn and
// returns the tab (for further checks) with what was seen. The tab closes
// at the end of the test.
func visit(t *testing.T, browser context.Context, rawURL string) (context.Context, *pageVisit) {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser)
	tab, cancelTime := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
	})
	v := &pageVisit{}
	err := chromedp.Listen(tab, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				v.add(&v.console, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			v.add(&v.console, "exception: "+msg)
		case *cdplog.EventEntryAdded:
			// An error page's own status is expected; everything else is not.
			if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.URL != rawURL {
				v.add(&v.console, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			v.add(&v.requests, ev.Request.URL)
		}
	})
	if err == nil {
		err = chromedp.Do(tab,
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe})
				return err
			}),
			chromedp.Navigate(rawURL),
			chromedp.WaitReady(chromedp.CSS("body")),
		)
	}
	if err == nil {
		_, err = chromedp.Run(tab, chromedp.Poll[bool](`document.fonts.status === 'loaded' &&
			Array.from(document.querySelectorAll('[data-chart]')).every(function (n) { return n.hasAttribute('data-chart-ready'); })`,
			chromedp.WithPollingTimeout(20*time.Second)))
	}
	if err == nil {
		v.csp, err = chromedp.Run(tab, chromedp.Evaluate[[]string](`window.__csp`))
	}
	if err != nil {
		v.saveArtifacts(t, tab)
		t.Fatalf("load %s: %v", rawURL, err)
	}
	return tab, v
}

// saveArtifacts keeps a screenshot and the HTML of a failing page in a
// folder that outlives the test, and prints their paths.
func (v *pageVisit) saveArtifacts(t *testing.T, tab context.Context) {
	t.Helper()
	if v.artifacts != "" {
		return
	}
	dir, err := os.MkdirTemp("", "jobkpi-browser-")
	if err != nil {
		t.Logf("cannot save artifacts: %v", err)
		return
	}
	v.artifacts = dir
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(t.Name())
	png, page := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".html")
	os.WriteFile(png, shot, 0o644)
	os.WriteFile(page, []byte(html), 0o644)
	t.Logf("failure artifacts: %s %s", png, page)
}

// failf reports a failure and saves the artifacts once.
func (v *pageVisit) failf(t *testing.T, tab context.Context, format string, args ...any) {
	t.Helper()
	t.Errorf(format, args...)
	v.saveArtifacts(t, tab)
}

// browserPages lists every page to check: all plan pages in both languages,
// the error pages and the login page. The plain go test ./... checks one
// page of each kind, the languages taking turns; .ci/run checks them all
// (see fullGates).
func browserPages(t testing.TB, s *testServer) []string {
	if fullGates() {
		return append(pages(t, s), "/no/such/page", "/no/such/page?lang=en", "/plans/2031", "/?asof=13", "/?asof=13&lang=en",
			"/plans/2020?version=1", "/plans/2020?version=1&lang=en",
			"/login", "/login?lang=en")
	}
	sum, err := s.store.Summary(context.Background(), 2020, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{"/", "/?lang=en", "/plans/2020?asof=3&lang=en", "/no/such/page?lang=en", "/login?lang=en",
		"/plans/2020?version=1&lang=en", "/plans/2020/groups?lang=en",
		"/plans/2020/tasks/" + sum.Tasks[len(sum.Tasks)-1].Task.Code + "?lang=en"}
	lang := map[bool]string{false: "", true: "?lang=en"}
	seen := map[models.Kind]bool{}
	for _, ts := range sum.Tasks {
		for _, ps := range ts.Programs {
			for _, is := range ps.Indicators {
				if k := is.Indicator.Kind; !seen[k] {
					seen[k] = true
					out = append(out, fmt.Sprintf("/plans/2020/indicators/%d%s", is.Indicator.ID, lang[len(seen)%2 == 0]))
				}
			}
		}
	}
	return out
}

func TestBrowserPages(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	origin, _ := url.Parse(s.URL)
	for _, path := range browserPages(t, s) {
		t.Run(path, func(t *testing.T) {
			tab, v := visit(t, browser, s.URL+path)
			for _, msg := range v.console {
				v.failf(t, tab, "console error: %s", msg)
			}
			for _, msg := range v.csp {
				v.failf(t, tab, "CSP violation: %s", msg)
			}
			for _, raw := range v.requests {
				u, err := url.Parse(raw)
				if err != nil || (u.Scheme != "data" && u.Host != origin.Host) {
					v.failf(t, tab, "request to another host: %s", raw)
				}
			}
			checkCharts(t, tab, v)
			checkFont(t, tab, v)
			checkStatusWords(t, tab, v)
			checkAxe(t, tab, v)
			checkLayout(t, tab, v, "at 1280 px")
			if _, err := chromedp.Run(tab, chromedp.EmulateViewport(390, 844)); err != nil {
				t.Fatal(err)
			}
			checkLayout(t, tab, v, "at 390 px")
		})
	}
}

// checkLayout requires text to stay readable at the tab's present width:
// no two table cells' text overlapping, no word or figure split over two
// lines, no status, code, time or date in a table on two lines, and the
// caption of a table that scrolls sideways still in view at the far end.
func checkLayout(t *testing.T, tab context.Context, v *pageVisit, width string) {
	t.Helper()
	res, err := chromedp.Run(tab, chromedp.Evaluate[map[string][]string](layoutProbe))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res["overlaps"] {
		v.failf(t, tab, "%s, table text overlaps: %s", width, p)
	}
	for _, p := range res["splits"] {
		v.failf(t, tab, "%s, split over two lines: %s", width, p)
	}
	for _, p := range res["lost"] {
		v.failf(t, tab, "%s, the caption %q scrolls out of view with its table", width, p)
	}
}

// layoutProbe measures the drawn text with Ranges. A cell's text is the
// Ranges over its text nodes, less the visually hidden ones for screen
// readers (clipped to a box of 1 px); a word is a run of letters and
// digits, joined by . , or : with an optional % (1,802.5명, 100.0%, 21:00).
const layoutProbe = `(function () {
	function boxes(range) {
		return Array.from(range.getClientRects()).filter(function (b) { return b.width > 1 && b.height > 1; });
	}
	function contents(el) {
		var r = document.createRange();
		r.selectNodeContents(el);
		return boxes(r);
	}
	var seen = new Map();
	function hidden(el) {
		if (!el || el === document.body) { return false; }
		if (!seen.has(el)) {
			var cs = getComputedStyle(el), r = el.getBoundingClientRect();
			// checkVisibility is false inside a closed <details> too.
			seen.set(el, el.matches('script, style, [hidden]') || cs.display === 'none' || cs.visibility === 'hidden' || !el.checkVisibility() ||
				((cs.overflow !== 'visible' || cs.clip !== 'auto') && (r.width <= 1 || r.height <= 1)) || hidden(el.parentElement));
		}
		return seen.get(el);
	}
	// texts lists the drawn text nodes under root.
	function texts(root) {
		var out = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (var n = walker.nextNode(); n; n = walker.nextNode()) {
			if (n.data.trim() !== '' && !hidden(n.parentElement)) { out.push(n); }
		}
		return out;
	}
	function textBoxes(root) {
		return texts(root).flatMap(function (n) { return contents(n); });
	}
	function meet(a, b) {
		return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
	}
	// twoLines: some box lies wholly below another.
	function twoLines(bs) {
		return bs.some(function (a) { return bs.some(function (b) { return b.top >= a.bottom - 1; }); });
	}
	function text(el) { return (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50); }
	var overlaps = [], splits = [];
	document.querySelectorAll('table').forEach(function (table) {
		var name = table.caption ? text(table.caption) : 'table';
		var cells = Array.from(table.querySelectorAll('th, td')).filter(function (c) { return c.closest('table') === table; })
			.map(function (c) { return {el: c, boxes: textBoxes(c)}; });
		cells.forEach(function (a, i) {
			cells.slice(i + 1).forEach(function (b) {
				if (a.boxes.some(function (x) { return b.boxes.some(function (y) { return meet(x, y); }); })) {
					overlaps.push(name + ': "' + text(a.el) + '" and "' + text(b.el) + '"');
				}
			});
		});
	});
	document.querySelectorAll('.status, .cell-status, code, time').forEach(function (el) {
		if (!hidden(el) && twoLines(contents(el))) { splits.push('"' + text(el) + '" (' + el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class').split(' ').join('.') : '') + ')'); }
	});
	var word = /[\p{L}\p{N}]+(?:[.,:][\p{L}\p{N}]+)*%?/gu;
	var date = /\d{4}\. \d{1,2}\. \d{1,2}\.|\d{1,2} [A-Z][a-z]{2} \d{4}/g;
	texts(document.body).forEach(function (node) {
		var el = node.parentElement;
		if (!twoLines(contents(node)) || getComputedStyle(el).wordBreak === 'break-all') { return; }
		var patterns = el.closest('td, th') ? [word, date] : [word];
		patterns.forEach(function (re) {
			re.lastIndex = 0;
			for (var m = re.exec(node.data); m; m = re.exec(node.data)) {
				var r = document.createRange();
				r.setStart(node, m.index);
				r.setEnd(node, m.index + m[0].length);
				if (twoLines(boxes(r))) { splits.push('"' + m[0] + '" in "' + text(el) + '"'); }
			}
		});
	});
	// Last, as it scrolls: a table that scrolls sideways keeps its caption in view.
	var lost = [];
	document.querySelectorAll('table').forEach(function (table) {
		var wrap = table.parentElement;
		if (!table.caption || wrap.scrollWidth <= wrap.clientWidth + 1) { return; }
		var keep = wrap.scrollLeft;
		wrap.scrollLeft = wrap.scrollWidth;
		var box = wrap.getBoundingClientRect();
		if (contents(table.caption).some(function (b) { return b.left < box.left - 1 || b.right > box.right + 1; })) {
			lost.push(text(table.caption));
		}
		wrap.scrollLeft = keep;
	});
	return {overlaps: overlaps, splits: splits, lost: lost};
})()`

// checkCharts requires a drawn canvas of non-zero size in every chart,
// followed by a table with a caption.
func checkCharts(t *testing.T, tab context.Context, v *pageVisit) {
	t.Helper()
	problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(function () {
		var out = [];
		document.querySelectorAll('[data-chart]').forEach(function (node) {
			var c = node.querySelector('canvas');
			if (!c || c.width === 0 || c.height === 0 || node.clientHeight === 0) {
				out.push(node.id + ': no drawn canvas');
			}
			var fig = node.closest('figure') || node;
			var next = fig.nextElementSibling;
			var table = next && (next.matches('table') ? next : next.querySelector('table'));
			if (!table || !table.caption || table.caption.textContent.trim() === '') {
				out.push(node.id + ': not followed by a table with a caption');
			}
		});
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		v.failf(t, tab, "chart %s", p)
	}
}

// checkFont requires the Korean text to be drawn with the embedded
// PretendardGOV font, loaded from the app itself.
func checkFont(t *testing.T, tab context.Context, v *pageVisit) {
	t.Helper()
	type fontState struct {
		Loaded  bool   `json:"loaded"`
		Family  string `json:"family"`
		Sources int    `json:"sources"`
	}
	res, err := chromedp.Run(tab, chromedp.Evaluate[fontState](`({
		loaded: document.fonts.check('16px PretendardGOV', '가나다'),
		family: getComputedStyle(document.body).fontFamily,
		sources: performance.getEntriesByType('resource').filter(function (e) {
			return e.name.indexOf(location.origin + '/static/') === 0 && /PretendardGOV-.*\.woff2$/.test(e.name);
		}).length
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Loaded || !strings.HasPrefix(res.Family, "PretendardGOV") || res.Sources == 0 {
		v.failf(t, tab, "Korean font not in use: loaded=%v family=%q font files from the app=%d", res.Loaded, res.Family, res.Sources)
	}
}

// checkStatusWords requires every status to carry a word and an icon, so
// that colour is never the only signal.
func checkStatusWords(t *testing.T, tab context.Context, v *pageVisit) {
	t.Helper()
	bad, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.status')).filter(function (s) {
		var label = s.querySelector('.status-label');
		return !label || label.textContent.trim() === '' || !s.querySelector('svg');
	}).map(function (s) { return s.outerHTML; })`))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		v.failf(t, tab, "status without a word and an icon: %s", b)
	}
}

// checkAxe runs axe-core for WCAG 2.0/2.1 A and AA and requires no violations.
func checkAxe(t *testing.T, tab context.Context, v *pageVisit) {
	t.Helper()
	type violation struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	}
	_, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](axeSource))
	var violations []violation
	if err == nil {
		violations, err = chromedp.Run(tab, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
			.then(function (r) { return r.violations; })`, chromedp.EvalAwaitPromise))
	}
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	for _, vi := range violations {
		var where []string
		for _, n := range vi.Nodes[:min(len(vi.Nodes), 3)] {
			where = append(where, n.HTML)
		}
		v.failf(t, tab, "axe %s: %s (%d nodes, e.g. %s)", vi.ID, vi.Help, len(vi.Nodes), strings.Join(where, " | "))
	}
}

// focusStop describes the focused element after one Tab.
type focusStop struct {
	Key     string  `json:"key"`
	Tag     string  `json:"tag"`
	Text    string  `json:"text"`
	Top     float64 `json:"top"`
	Ring    bool    `json:"ring"`
	Visible bool    `json:"visible"`
}

const describeFocus = `(function () {
	var el = document.activeElement;
	if (!el || el === document.body) { return {key: 'body'}; }
	var s = getComputedStyle(el), r = el.getBoundingClientRect();
	var ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
	return {
		key: el.getAttribute('data-focus-key'), tag: el.tagName.toLowerCase(),
		text: (el.getAttribute('aria-label') || el.textContent || el.id || '').trim().slice(0, 40),
		top: r.top + window.scrollY, ring: ring, visible: r.width > 0 && r.height > 0
	};
})()`

// markFocusables numbers every element that Tab should reach, in document
// order, and returns how many there are.
const markFocusables = `(function () {
	var els = Array.from(document.querySelectorAll('a[href], select, button, input:not([type=hidden]), [tabindex]:not([tabindex="-1"])'))
		.filter(function (el) { return !el.disabled && el.getClientRects().length > 0 || el.closest('#krds-skip-link'); });
	els.forEach(function (el, i) { el.setAttribute('data-focus-key', String(i)); });
	return els.length;
})()`

func TestBrowserKeyboard(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, true)
	for _, path := range []string{"/", "/?lang=en", "/plans/2020/tasks/T5", "/plans/2020/indicators/1?lang=en", "/no/such/page"} {
		t.Run(path, func(t *testing.T) {
			tab, v := visit(t, browser, s.URL+path)
			n, err := chromedp.Run(tab, chromedp.Evaluate[int](markFocusables))
			if err != nil {
				t.Fatal(err)
			}
			var stops []focusStop
			for range n + 1 {
				if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
					t.Fatal(err)
				}
				st, err := chromedp.Run(tab, chromedp.Evaluate[focusStop](describeFocus))
				if err != nil {
					t.Fatal(err)
				}
				stops = append(stops, st)
			}
			checkTabOrder(t, tab, v, n, stops, path != "/no/such/page")
		})
	}
}

// checkTabOrder requires Tab to visit every focusable element once, in
// document order, each with a visible focus ring, including the month
// selector and the language switch.
func checkTabOrder(t *testing.T, tab context.Context, v *pageVisit, n int, stops []focusStop, wantMonth bool) {
	t.Helper()
	var seenMonth, seenLang bool
	for i, st := range stops[:n] {
		if st.Key != fmt.Sprint(i) {
			v.failf(t, tab, "Tab %d reached %s %q (key %s), want focusable #%d in document order", i+1, st.Tag, st.Text, st.Key, i)
			return
		}
		if !st.Ring {
			v.failf(t, tab, "Tab %d: %s %q has no visible focus ring", i+1, st.Tag, st.Text)
		}
		seenMonth = seenMonth || st.Tag == "select"
		seenLang = seenLang || st.Text == "English" || st.Text == "한국어"
	}
	if wantMonth && !seenMonth {
		v.failf(t, tab, "Tab never reached the month selector")
	}
	if !seenLang {
		v.failf(t, tab, "Tab never reached the language switch")
	}
}

// TestBrowserPageWeight measures what the dashboard costs on the wire: a
// first visit (without fonts), the fonts, and a second visit that should
// come from the cache apart from the page itself.
func TestBrowserPageWeight(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	tab, _ := visit(t, browser, s.URL+"/")
	type weight struct {
		Other int `json:"other"`
		Fonts int `json:"fonts"`
	}
	const measure = `(function () {
		var w = {other: 0, fonts: 0};
		var entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
		entries.forEach(function (e) {
			if (/\.woff2$/.test(e.name)) { w.fonts += e.transferSize; } else { w.other += e.transferSize; }
		});
		return w;
	})()`
	first, err := chromedp.Run(tab, chromedp.Evaluate[weight](measure))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(s.URL+"/")); err != nil {
		t.Fatal(err)
	}
	second, err := chromedp.Run(tab, chromedp.Evaluate[weight](measure))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("page weight: first visit %d B (+ fonts %d B), second visit %d B", first.Other, first.Fonts, second.Other+second.Fonts)
	if first.Other > 250<<10 || first.Fonts > 530<<10 || second.Other+second.Fonts > 30<<10 {
		t.Errorf("page weight over budget: first %d B (max 250 KiB), fonts %d B (max 530 KiB), second %d B (max 30 KiB)",
			first.Other, first.Fonts, second.Other+second.Fonts)
	}
}

// clickAndLoad clicks a submit button and waits until the page the form
// answers with has loaded and shows its notice (see clickUntil).
func clickAndLoad(t *testing.T, tab context.Context, button string) {
	t.Helper()
	clickUntil(t, tab, button, `document.querySelector('.notice') !== null`)
}
