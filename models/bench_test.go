package models

import (
	"context"
	"fmt"
	"testing"
)

// scalePlan builds a plan of 5 tasks × 10 programmes × 4 indicators (200
// indicators) with a figure for every month.
func scalePlan(year int) *PlanFile {
	pf := &PlanFile{Year: year, City: "bench", Title: fmt.Sprintf("plan %d", year), Published: PublishedUnknown}
	for t := range 5 {
		task := TaskFile{Code: fmt.Sprintf("T%d", t+1), Name: fmt.Sprintf("task %d", t+1)}
		for p := range 10 {
			prog := ProgramFile{Name: fmt.Sprintf("program %d-%d", t+1, p+1)}
			for i := range 4 {
				target := float64(100 + i)
				ind := IndicatorFile{Name: fmt.Sprintf("indicator %d", i), Unit: "명", Kind: KindFlow, Target: &target}
				if i == 3 {
					ind.Kind = KindStock
				}
				for m := 1; m <= Months; m++ {
					ind.Figures = append(ind.Figures, FigureFile{Month: m, Value: float64(8 + (m+i)%5)})
				}
				prog.Indicators = append(prog.Indicators, ind)
			}
			task.Programs = append(task.Programs, prog)
		}
		pf.Tasks = append(pf.Tasks, task)
	}
	return pf
}

// BenchmarkPlanSummary loads and evaluates one year out of ten, each with
// 200 indicators and 12 months of figures.
func BenchmarkPlanSummary(b *testing.B) {
	s := openTestStore(b)
	ctx := context.Background()
	for y := 2011; y <= 2020; y++ {
		pf := scalePlan(y)
		if err := pf.Validate(); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ImportPlan(ctx, pf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		sum, err := s.Summary(ctx, 2015, 12)
		if err != nil {
			b.Fatal(err)
		}
		if len(sum.Indicators) != 200 {
			b.Fatalf("indicators = %d, want 200", len(sum.Indicators))
		}
	}
}

// BenchmarkSummarize is the pure evaluation of the same plan, without I/O.
func BenchmarkSummarize(b *testing.B) {
	s := openTestStore(b)
	ctx := context.Background()
	if _, err := s.ImportPlan(ctx, scalePlan(2020)); err != nil {
		b.Fatal(err)
	}
	plan, err := s.Plan(ctx, 2020)
	if err != nil {
		b.Fatal(err)
	}
	figs, err := s.ApprovedFigures(ctx, plan)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Summarize(plan, figs, 12)
	}
}

// BenchmarkDueFor counts what is due for an official (every department)
// and for one department, in a plan of 200 indicators over 5 departments:
// the header badge does this on every signed-in page.
func BenchmarkDueFor(b *testing.B) {
	s := openTestStore(b)
	ctx := context.Background()
	year := s.now().In(KST).Year()
	pf := scalePlan(year)
	for t := range pf.Tasks {
		for p := range pf.Tasks[t].Programs {
			pf.Tasks[t].Programs[p].Department = fmt.Sprintf("부서 %d", p%5)
		}
	}
	if err := pf.Validate(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportPlan(ctx, pf); err != nil {
		b.Fatal(err)
	}
	for _, dept := range []string{"", "부서 1"} {
		b.Run(fmt.Sprintf("dept=%q", dept), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.DueFor(ctx, dept); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// What the header badge pays on each signed-in page between writes.
	b.Run("DueCount", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.DueCount(ctx, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
