package handlers

import "testing"

func TestDuplicateKey(t *testing.T) {
	tests := map[string]string{
		`{"value":1,"value":2}`:                  "value",
		`{"a":{"b":1,"b":2}}`:                    "b",
		`{"a":[{"x":1},{"x":2}],"b":"a"}`:        "",
		`{"note":"value","value":1,"version":0}`: "",
		`[1,2,{"k":1,"k":1}]`:                    "k",
	}
	for in, want := range tests {
		if got := duplicateKey([]byte(in)); got != want {
			t.Errorf("duplicateKey(%s) = %q, want %q", in, got, want)
		}
	}
}
