package pdf

import (
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	out := os.Getenv("PDF_OUT")
	if out == "" {
		t.Skip()
	}
	for _, ko := range []bool{true, false} {
		f, _ := os.Create(map[bool]string{true: out + "/ko.pdf", false: out + "/en.pdf"}[ko])
		if err := Write(f, sampleDoc(ko, 200)); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}
