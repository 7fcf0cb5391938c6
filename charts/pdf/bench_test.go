package pdf

import (
	"io"
	"testing"
)

// BenchmarkWrite draws the report of a 200-indicator plan: a cover,
// summary facts, five charts, a 200-row table, two short tables and 40
// paragraphs. The fonts are parsed before the timer starts, once a
// process, as in the app.
func BenchmarkWrite(b *testing.B) {
	d := sampleDoc(true, 200)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
