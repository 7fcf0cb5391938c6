package static

import (
	"regexp"
	"testing"
)

func TestKeyFilesExist(t *testing.T) {
	for _, name := range []string{
		"css/app.css", "js/charts.js", "img/favicon.svg",
		"vendor/echarts/echarts.min.js", "vendor/krds/krds.css",
		"vendor/fonts/fonts.css", "vendor/fonts/PretendardGOV-Regular.subset.woff2", "vendor/fonts/PretendardGOV-Bold.subset.woff2",
	} {
		b, err := Assets.ReadFile(name)
		if err != nil || len(b) == 0 {
			t.Errorf("asset %s missing or empty: %v", name, err)
		}
	}
	for _, name := range []string{"templates/layout.html", "templates/plan.html", "templates/error.html"} {
		if _, err := Templates.ReadFile(name); err != nil {
			t.Errorf("template %s: %v", name, err)
		}
	}
}

func TestVersionIsStable(t *testing.T) {
	v := Version()
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(v) || Version() != v {
		t.Errorf("Version() = %q, want 12 stable hex digits", v)
	}
}

// TestCSSVariablesAreDefined catches a custom property that the app's CSS
// uses and nobody defines (the KRDS subset leaves many shades out), which
// a browser silently drops.
func TestCSSVariablesAreDefined(t *testing.T) {
	var all []byte
	for _, name := range []string{"vendor/krds/krds.css", "css/app.css"} {
		b, err := Assets.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	app, _ := Assets.ReadFile("css/app.css")
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`(--[\w-]+)\s*:`).FindAllSubmatch(all, -1) {
		defined[string(m[1])] = true
	}
	uses := regexp.MustCompile(`var\((--[\w-]+)`).FindAllSubmatch(app, -1)
	if len(uses) < 10 {
		t.Fatalf("found only %d var() uses in app.css", len(uses))
	}
	for _, m := range uses {
		if !defined[string(m[1])] {
			t.Errorf("app.css uses %s, which no stylesheet defines", m[1])
		}
	}
}
