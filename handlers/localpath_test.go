package handlers

import "testing"

// TestLocalPath feeds the redirect guard values that browsers read as
// another host: control characters they strip, backslashes they read as
// slashes, schemes, and the same encoded.
func TestLocalPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"/plans/2020", "/plans/2020"},
		{"/plans/2020?asof=9&lang=en#t1", "/plans/2020?asof=9&lang=en#t1"},
		{"/admin/audit?login=kim&page=2", "/admin/audit?login=kim&page=2"},
		{"/검색?q=일자리", "/검색?q=일자리"},
		{"/a%20b", "/a%20b"},
		{"", "/"},
		{"plans", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"}, // a tab, as %2F%09%2F decodes
		{"/\r/evil.example", "/"}, // CR
		{"/\n/evil.example", "/"}, // LF
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"/\u0085/evil.example", "/"}, // a C1 control
		{"\t//evil.example", "/"},
		{" //evil.example", "/"},
		{"/plans\\..\\..\\evil", "/"},
		{"/%2F%2Fevil.example", "/"}, // decodes to ///evil.example
		{"/%2f/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0d%0a/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5C%5Cevil.example", "/"},
		{"%2F%2Fevil.example", "/"},
		{"https://evil.example", "/"},
		{"https:evil.example", "/"},
		{"HTTPS://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"JaVaScRiPt:alert(1)", "/"},
		{"java\tscript:alert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{"/\t/\t/evil.example", "/"},
		{"/.\\evil.example", "/"},
	}
	for _, tt := range tests {
		if got := localPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
