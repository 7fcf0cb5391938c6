package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDisclosure walks the 공시 as its users do. An official opens
// the 상반기 results of 2020, sees them as a draft and publishes them. A
// citizen, signed out, follows the 공시 link of the dashboard to the year
// and the published results. Every page passes axe in Korean and English.
func TestBrowserDisclosure(t *testing.T) {
	parallelShort(t)
	s := newTestServer(t, true)

	official := signIn(t, newBrowser(t), s.URL, "official")
	tab, v := visit(t, official, s.URL+"/plans/2020/results/h1")
	checkAxe(t, tab, v)
	if text := pageTextOf(t, tab); !strings.Contains(text, "초안") {
		v.failf(t, tab, "the results to publish are not labelled a draft")
	}
	clickUntil(t, tab, `form.results-publish button[type=submit]`, `location.pathname === '/disclosure/2020/h1'`)

	citizen := newBrowser(t)
	tab, v = visit(t, citizen, s.URL+"/")
	clickUntil(t, tab, `.site-nav a[href="/disclosure"]`, `location.pathname === '/disclosure'`)
	checkAxe(t, tab, v)
	clickUntil(t, tab, `main a[href="/disclosure/2020"]`, `location.pathname === '/disclosure/2020'`)
	checkAxe(t, tab, v)
	clickUntil(t, tab, `main a[href="/disclosure/2020/h1?version=1"]`, `location.pathname === '/disclosure/2020/h1'`)
	checkAxe(t, tab, v)
	text := pageTextOf(t, tab)
	for _, want := range []string{"2020년 상반기 (1–6월)", "제1판", "분야별 예산·집행과 실적", "대상별 세부사업", "공통목표"} {
		if !strings.Contains(text, want) {
			v.failf(t, tab, "the published 상반기 page lacks %q", want)
		}
	}
	for _, path := range []string{"/disclosure?lang=en", "/disclosure/2020?lang=en", "/disclosure/2020/h1?lang=en"} {
		etab, ev := visit(t, citizen, s.URL+path)
		checkAxe(t, etab, ev)
		checkLayout(t, etab, ev, "at 1280 px")
	}
}

// pageTextOf is the visible text of the tab's page.
func pageTextOf(t *testing.T, tab context.Context) string {
	t.Helper()
	text, err := chromedp.Run(tab, chromedp.Evaluate[string](pageText))
	if err != nil {
		t.Fatal(err)
	}
	return text
}
