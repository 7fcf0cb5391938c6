package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"jobkpi/models"
)

// sizedPlan imports a published plan of year with n indicators: five
// tasks of programmes of ten monthly indicators each, three of them
// headline, every programme with a 분야, 대상 and a budget, and sample
// figures to the demo month.
func sizedPlan(t testing.TB, s *testServer, year, n int) {
	t.Helper()
	pf := &models.PlanFile{Year: year, City: "김포시", CityEn: "Gimpo", Title: fmt.Sprintf("%d년 일자리대책 세부계획", year),
		TitleEn: fmt.Sprintf("%d jobs plan", year), Published: fmt.Sprintf("%d-03-30", year)}
	progs := (n + 9) / 10
	for ti := range 5 {
		pf.Tasks = append(pf.Tasks, models.TaskFile{Code: fmt.Sprintf("T%d", ti+1), Name: fmt.Sprintf("중점과제 %d", ti+1)})
	}
	made := 0
	for p := range progs {
		task := &pf.Tasks[p%5]
		budget := float64(100 + p)
		prog := models.ProgramFile{Name: fmt.Sprintf("세부사업 %d 청년 일자리 지원", p+1), Department: []string{"일자리경제과", "노인장애인과", "기업지원과"}[p%3],
			Field: []string{"direct", "training", "employment_service"}[p%3], Groups: []string{"youth", "midlife"}[p%2 : p%2+1],
			Budget: models.Budget{City: &budget}}
		for k := 0; k < 10 && made < n; k++ {
			target := float64(120 + k*10)
			prog.Indicators = append(prog.Indicators, models.IndicatorFile{Name: fmt.Sprintf("참여자 수 %d-%d", p+1, k+1), Unit: "명",
				Basis: models.BasisPeople, Kind: models.KindFlow, Target: &target, Headline: made < 3})
			made++
		}
		task.Programs = append(task.Programs, prog)
	}
	ctx := context.Background()
	if _, err := s.store.ImportPlan(ctx, pf); err != nil {
		t.Fatal(err)
	}
	if err := s.store.SeedDemo(ctx, year); err != nil {
		t.Fatal(err)
	}
}

// TestHugeReportRefusedAtOnce: the PDF of a plan of 10,000 indicators is
// refused at once with a message that names the xlsx, which is made.
func TestHugeReportRefusedAtOnce(t *testing.T) {
	parallelShort(t)
	if testing.Short() {
		t.Skip("imports a plan of 10,000 indicators")
	}
	s := newTestServer(t, true)
	sizedPlan(t, s, 2040, 10000)
	council := s.loginAs(t, "council")
	a := council.get(t, "/reports/2040/download?format=pdf&period=2040")
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "지표가 10000개라 PDF로 만들 수 없습니다") || !strings.Contains(a.body, "xlsx") {
		t.Errorf("PDF of 10,000 indicators = %d, want 422 saying to take the xlsx\n%.400s", a.status, a.body)
	}
	if a := council.get(t, "/reports/2040/download?format=xlsx&period=2040"); a.status != http.StatusOK || len(a.body) < 100_000 {
		t.Errorf("xlsx of 10,000 indicators = %d, %d bytes", a.status, len(a.body))
	}
	if status, _, body := s.get(t, "/disclosure/2040/download?format=pdf"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "CSV") {
		t.Errorf("공시 PDF of 10,000 indicators = %d, want 422", status)
	}
}

// BenchmarkReportPDF makes the council report PDF of a plan of 200
// indicators (about 20 pages) through the router, as a council member
// downloads it.
func BenchmarkReportPDF(b *testing.B) {
	benchmarkReport(b, 200, "pdf")
}

// BenchmarkReportXLSX10000 makes the xlsx of a plan of 10,000 indicators.
func BenchmarkReportXLSX10000(b *testing.B) {
	benchmarkReport(b, 10000, "xlsx")
}

func benchmarkReport(b *testing.B, n int, format string) {
	s := newTestServer(b, true)
	sizedPlan(b, s, 2040, n)
	council := s.loginAs(b, "council")
	path := "/reports/2040/download?period=2040&format=" + format
	a := council.get(b, path)
	if a.status != http.StatusOK {
		b.Fatalf("GET %s = %d\n%.300s", path, a.status, a.body)
	}
	b.ReportAllocs()
	for b.Loop() {
		if a := council.get(b, path); a.status != http.StatusOK {
			b.Fatalf("GET %s = %d", path, a.status)
		}
	}
	if format == "pdf" {
		b.ReportMetric(float64(len(regexp.MustCompile(`/Type\s*/Page\b`).FindAllString(a.body, -1))), "pages")
	}
}
