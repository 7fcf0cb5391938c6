package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"jobkpi/models"
)

// bigPlan is a plan of 5 tasks × 40 programmes × 10 indicators (2,000
// indicators), each with a budget, a monthly plan and its sources.
func bigPlan() *models.PlanFile {
	pf := &models.PlanFile{Year: 2026, City: "김포시", CityEn: "Gimpo", Title: "2026년 일자리대책 세부계획", TitleEn: "2026 jobs plan"}
	id := uint(1)
	for ti := range 5 {
		task := models.TaskFile{ID: uint(ti + 1), Code: fmt.Sprintf("T%d", ti+1), Name: fmt.Sprintf("중점과제 %d", ti+1), NameEn: fmt.Sprintf("Task %d", ti+1)}
		for pj := range 40 {
			n := ti*40 + pj + 1
			p := models.ProgramFile{ID: uint(n), Name: fmt.Sprintf("세부사업 %d", n), NameEn: fmt.Sprintf("Programme %d", n),
				Description: "청년과 신중년의 취업을 돕는 사업을 지역 기업과 함께 추진한다.", Department: testDepartments[n%len(testDepartments)],
				Field: "direct", Groups: []string{"youth", "midlife"}, New: n%3 == 0,
				Budget: models.Budget{National: ptr(float64(n) * 10.5), City: ptr(float64(n) * 3)},
				Source: models.Source{SourceRef: "2026년 세부계획 12쪽", SourceQuote: "청년 일자리를 늘린다."}}
			for k := range 10 {
				target := float64(120 + k*10)
				pacing := make([]float64, models.Months)
				for m := range pacing {
					pacing[m] = target * float64(m+1) / models.Months
				}
				raw, _ := json.Marshal(pacing)
				p.Indicators = append(p.Indicators, models.IndicatorFile{ID: id, Name: fmt.Sprintf("참여자 %d-%d", n, k), NameEn: fmt.Sprintf("Participants %d-%d", n, k),
					Unit: "명", UnitEn: "people", Basis: models.BasisPeople, Kind: models.KindFlow, Target: &target, Pacing: raw,
					TargetNote: "전년 실적 기준", Source: models.Source{SourceRef: "2026년 세부계획 13쪽", SourceQuote: "참여자를 모집한다."}})
				id++
			}
			task.Programs = append(task.Programs, p)
		}
		pf.Tasks = append(pf.Tasks, task)
	}
	return pf
}

// BenchmarkReadPlanSheet reads the spreadsheet of a plan of 2,000
// indicators.
func BenchmarkReadPlanSheet(b *testing.B) {
	data := planSheetBytes(b, bigPlan(), nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ps, problems := ReadPlanSheet(data)
		if len(problems) > 0 || len(ps.File.Tasks) != 5 {
			b.Fatalf("read %d tasks with problems %v", len(ps.File.Tasks), problems)
		}
	}
}

// BenchmarkImportPlanSheet imports the spreadsheet of a plan of 2,000
// indicators into a new database, as `jobkpi plan import` does: read,
// check and store in one transaction.
func BenchmarkImportPlanSheet(b *testing.B) {
	data := planSheetBytes(b, bigPlan(), nil)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		store, err := models.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ps, problems := ReadPlanSheet(data)
		if len(problems) > 0 {
			b.Fatal(problems)
		}
		if err := ps.File.Validate(); err != nil {
			b.Fatal(err)
		}
		plan, err := store.ImportPlan(context.Background(), ps.File)
		if err != nil || len(plan.Indicators()) != 2000 {
			b.Fatalf("imported %v: %v", plan, err)
		}
		b.StopTimer()
		store.Close()
		b.StartTimer()
	}
}

// TestWriteBigPlanSheet writes the spreadsheet of the 2,000-indicator
// plan to $JOBKPI_BIG_PLAN_SHEET, for measuring one `jobkpi plan import`
// run with /usr/bin/time -v.
func TestWriteBigPlanSheet(t *testing.T) {
	out := os.Getenv("JOBKPI_BIG_PLAN_SHEET")
	if out == "" {
		t.Skip("set JOBKPI_BIG_PLAN_SHEET to a file name to write the sheet")
	}
	if err := os.WriteFile(out, planSheetBytes(t, bigPlan(), nil), 0o644); err != nil {
		t.Fatal(err)
	}
}
