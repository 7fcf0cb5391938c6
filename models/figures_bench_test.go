package models

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkSaveFigure writes one figure per op, each with its audit row in
// the same transaction, under synchronous=FULL; it reports writes/s.
func BenchmarkSaveFigure(b *testing.B) {
	s, _, users, id := entryStoreB(b)
	ctx := context.Background()
	version := 0
	b.ReportAllocs()
	for b.Loop() {
		f, _, err := s.SaveFigure(ctx, users["staff"], FigureInput{IndicatorID: id, Year: 2026, Month: 5,
			Value: strconv.Itoa(version % 100), Version: version})
		if err != nil {
			b.Fatal(err)
		}
		version = f.Version
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}
