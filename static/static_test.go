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
