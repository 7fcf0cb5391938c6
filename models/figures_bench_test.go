package models

import (
	"context"
	"strconv"
	"testing"
	"time"
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

// BenchmarkSaveFigures saves a grid's worth of values per transaction
// (every month of one indicator to date), as the entry grid and the file
// upload do; writes/s counts values, each with its audit row.
func BenchmarkSaveFigures(b *testing.B) {
	s, c, users, id := entryStoreB(b)
	c.t = time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC) // November is open; earlier months are unlocked
	ctx := context.Background()
	const months = 11
	for m := 1; m < months; m++ {
		if err := s.UnlockMonth(ctx, users["official"], id, 2026, m, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	versions := make([]int, months)
	ins := make([]FigureInput, months)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range ins {
			ins[i] = FigureInput{IndicatorID: id, Year: 2026, Month: i + 1, Value: strconv.Itoa(n % 100), Version: versions[i]}
		}
		out, err := s.SaveFigures(ctx, users["staff"], ins)
		if err != nil {
			b.Fatal(err)
		}
		for i, f := range out {
			versions[i] = f.Version
		}
		n++
	}
	b.ReportMetric(float64(b.N*months)/b.Elapsed().Seconds(), "writes/s")
}
