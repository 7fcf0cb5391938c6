package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"jobkpi/data"
	"jobkpi/models"
	"jobkpi/models/storetest"
)

// shippedPlanFile is a shipped plan as the store gives it back for
// revision (Plan.File, with its records' IDs), and the store's 분야.
func shippedPlanFile(t testing.TB, year int) (*models.PlanFile, []models.ProgramField) {
	t.Helper()
	b, err := data.Plans.ReadFile(fmt.Sprintf("plans/gimpo-%d.json", year))
	if err != nil {
		t.Fatal(err)
	}
	pf, err := models.ParsePlanFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	store, err := models.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if _, err := store.ImportPlan(ctx, pf); err != nil {
		t.Fatal(err)
	}
	plan, err := store.Plan(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := store.Fields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return plan.File(), fields
}

var testDepartments = []string{"일자리경제과", "기업지원과", "복지정책과"}

func ptr(v float64) *float64 { return &v }

// enrich gives the 2020 plan what the shipped file lacks: budgets,
// departments, a monthly plan, weights, baselines, a headline and text a
// spreadsheet could mistake for a formula or a number.
func enrich(t *testing.T, pf *models.PlanFile) {
	t.Helper()
	p0, p1 := &pf.Tasks[1].Programs[0], &pf.Tasks[4].Programs[1]
	p0.Budget = models.Budget{National: ptr(1500.5), Provincial: ptr(0), City: ptr(320), Other: ptr(12.25)}
	p1.Budget = models.Budget{City: ptr(80)}
	p0.Department, p1.Department = "일자리경제과", "새로 생긴 과"
	p0.Description = "- 청년 대상\n=1+1 은 수식이 아닙니다"
	pf.Tasks[0].Programs[1].Groups = []string{"youth", "women", "all"}
	flow := &p0.Indicators[0]
	if flow.Kind != models.KindFlow {
		t.Fatalf("the first indicator of %s is %s, want a flow", p0.Name, flow.Kind)
	}
	flow.Pacing = json.RawMessage(`[0,10,25,40,55,70,85,100,115,130,140.5,170]`) // ends at the target, 170
	flow.Weight, flow.Baseline, flow.BaselineYear, flow.Headline = ptr(2.5), ptr(120), 2019, true
	flow.TargetNote, flow.TargetNoteEn = "전년 실적 + 10%", "Last year + 10%"
	pf.Tasks[0].NameEn = "0123"
}

// planSheetBytes writes pf's spreadsheet and returns the file's bytes.
func planSheetBytes(t testing.TB, pf *models.PlanFile, fields []models.ProgramField) []byte {
	t.Helper()
	f, err := WritePlanSheet(pf, PlanSheetLists{Fields: fields, Departments: testDepartments})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetContent is pf with only what the spreadsheet carries: without
// facts, figures, milestone progress, outcome results, the plan's and the
// tasks' sources and the publication date, and with a "linear" monthly
// plan written as none.
func sheetContent(t *testing.T, pf *models.PlanFile) *models.PlanFile {
	t.Helper()
	b, err := json.Marshal(pf)
	if err != nil {
		t.Fatal(err)
	}
	var out models.PlanFile
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	out.Facts, out.Published, out.PublishedRef, out.Source = nil, "", "", models.Source{}
	for i := range out.Tasks {
		task := &out.Tasks[i]
		task.Source = models.Source{}
		for j := range task.Programs {
			for k := range task.Programs[j].Indicators {
				ind := &task.Programs[j].Indicators[k]
				ind.Figures, ind.Done, ind.State = nil, "", ""
				var pacing []float64
				if json.Unmarshal(ind.Pacing, &pacing) == nil && len(pacing) > 0 {
					ind.Pacing, _ = json.Marshal(pacing)
				} else {
					ind.Pacing = nil
				}
			}
		}
	}
	for i := range out.Outcomes {
		out.Outcomes[i].Results = nil
	}
	return &out
}

// diffPlans lists the first lines where two plan files differ, as
// indented JSON.
func diffPlans(want, got *models.PlanFile) string {
	a, _ := json.MarshalIndent(want, "", " ")
	b, _ := json.MarshalIndent(got, "", " ")
	wl, gl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out []string
	for i := 0; i < max(len(wl), len(gl)) && len(out) < 10; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			out = append(out, fmt.Sprintf("line %d: want %s\n          got  %s", i+1, strings.TrimSpace(w), strings.TrimSpace(g)))
		}
	}
	return strings.Join(out, "\n")
}

// TestPlanSheetRoundTrip writes a plan's spreadsheet and reads it back:
// the plan file is the same on every field the sheet carries.
func TestPlanSheetRoundTrip(t *testing.T) {
	for _, year := range []int{2020, 2021} {
		t.Run(fmt.Sprint(year), func(t *testing.T) {
			pf, fields := shippedPlanFile(t, year)
			if year == 2020 {
				enrich(t, pf)
			}
			ps, problems := ReadPlanSheet(planSheetBytes(t, pf, fields))
			if len(problems) > 0 {
				t.Fatalf("ReadPlanSheet found problems in its own sheet: %v", problems)
			}
			want, got := sheetContent(t, pf), ps.File
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("read back a different plan:\n%s", diffPlans(want, got))
			}
			if err := got.Validate(); err != nil {
				t.Errorf("the plan read back is not valid: %v", err)
			}
			if year == 2021 && len(got.Tasks) == 0 {
				t.Error("the 2021 plan lost its tasks")
			}
		})
	}
}

// TestPlanSheetBlankTemplate reads back the sheet of a plan with no tasks:
// the header only.
func TestPlanSheetBlankTemplate(t *testing.T) {
	pf := &models.PlanFile{Year: 2027, City: "김포시", CityEn: "Gimpo", Title: "2027년 일자리대책 세부계획"}
	ps, problems := ReadPlanSheet(planSheetBytes(t, pf, nil))
	if len(problems) > 0 {
		t.Fatalf("problems in the blank template: %v", problems)
	}
	if !reflect.DeepEqual(ps.File, pf) {
		t.Fatalf("blank template read back as %+v, want %+v", ps.File, pf)
	}
}

// TestPlanSheetLayout checks what an official sees: the sheets in order
// with the lists hidden, Korean headings with the English, numbers as
// numbers, a frozen heading and the drop-down lists.
func TestPlanSheetLayout(t *testing.T) {
	pf, fields := shippedPlanFile(t, 2020)
	enrich(t, pf)
	f, err := excelize.OpenReader(bytes.NewReader(planSheetBytes(t, pf, fields)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"입력 안내", "과제", "세부사업", "지표", "공통목표", "목록"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Errorf("sheets = %v, want %v", got, want)
	}
	if visible, _ := f.GetSheetVisible("목록"); visible {
		t.Error("the lists sheet is visible")
	}
	if got, _ := f.GetCellValue("입력 안내", "A1"); got != "항목 (Item)" {
		t.Errorf("guide A1 = %q, want the item heading", got)
	}
	if got, _ := f.GetCellValue("입력 안내", "B2"); got != "2020" {
		t.Errorf("guide B2 (year) = %q, want 2020", got)
	}
	heads, _ := f.GetRows("세부사업")
	if !strings.Contains(strings.Join(heads[0], "|"), "|세부사업명 (Programme)|") {
		t.Errorf("programme headings = %v, want 세부사업명 (Programme)", heads[0])
	}
	target := fmt.Sprintf("%s%d", sheetCol(t, f, "지표", "목표"), flowRow(t, f))
	if typ, _ := f.GetCellType("지표", target); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("지표 %s has type %v, want a number", target, typ)
	}
	budget := sheetCol(t, f, "세부사업", "국비(백만원)")
	row := sheetRowOf(t, f, "세부사업", "세부사업명", pf.Tasks[1].Programs[0].Name)
	if typ, _ := f.GetCellType("세부사업", fmt.Sprintf("%s%d", budget, row)); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("the budget cell has type %v, want a number", typ)
	}
	if raw, _ := f.GetCellValue("세부사업", fmt.Sprintf("%s%d", budget, row), excelize.Options{RawCellValue: true}); raw != "1500.5" {
		t.Errorf("the budget cell holds %q, want 1500.5", raw)
	}
	panes, err := f.GetPanes("지표")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("지표 panes = %+v, %v; want the heading row frozen", panes, err)
	}
	dvs, err := f.GetDataValidations("세부사업")
	if err != nil {
		t.Fatal(err)
	}
	styles := map[string]string{}
	for _, dv := range dvs {
		styles[dv.Formula1] = *dv.ErrorStyle
	}
	if styles["'목록'!$D$2:$D$4"] != "warning" {
		t.Errorf("drop-downs of 세부사업 = %v, want the department list as a warning", styles)
	}
	if styles["'목록'!$A$2:$A$8"] != "stop" {
		t.Errorf("drop-downs of 세부사업 = %v, want the 분야 list as a stop", styles)
	}
	if len(dvs) != 1+1+6+2 { // department, 분야, six groups, new and classified
		t.Errorf("세부사업 has %d drop-downs, want 10", len(dvs))
	}
}

// sheetCol is the column letter of the heading that starts with ko.
func sheetCol(t testing.TB, f *excelize.File, sheet, ko string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	for i, h := range rows[0] {
		if h == ko || strings.HasPrefix(h, ko+" (") {
			return colLetter(i)
		}
	}
	t.Fatalf("sheet %s has no heading %s: %v", sheet, ko, rows[0])
	return ""
}

// sheetRowOf is the first row whose cell under the heading ko is value.
func sheetRowOf(t testing.TB, f *excelize.File, sheet, ko, value string) int {
	t.Helper()
	col := sheetCol(t, f, sheet, ko)
	rows, _ := f.GetRows(sheet)
	for i := range rows {
		if v, _ := f.GetCellValue(sheet, fmt.Sprintf("%s%d", col, i+1)); v == value {
			return i + 1
		}
	}
	t.Fatalf("sheet %s has no %s %q", sheet, ko, value)
	return 0
}

// editedSheet writes the 2020 plan's sheet, lets edit change it and
// returns the file's bytes.
func editedSheet(t *testing.T, edit func(f *excelize.File)) []byte {
	t.Helper()
	pf, fields := shippedPlanFile(t, 2020)
	enrich(t, pf)
	f, err := excelize.OpenReader(bytes.NewReader(planSheetBytes(t, pf, fields)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// set writes value in the column headed ko of a row.
func set(t *testing.T, f *excelize.File, sheet, ko string, row int, value any) {
	t.Helper()
	if err := f.SetCellValue(sheet, fmt.Sprintf("%s%d", sheetCol(t, f, sheet, ko), row), value); err != nil {
		t.Fatal(err)
	}
}

// flowRow is the row of the first flow indicator on 지표.
func flowRow(t *testing.T, f *excelize.File) int {
	return sheetRowOf(t, f, "지표", "종류", "누적형")
}

// rowsPastLimit replaces the tasks, programmes and indicators sheets by
// ones whose single data rows lie 20,000 rows down: no sheet passes the
// row limit, all three together do.
func rowsPastLimit(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, tbl := range []*planTable{planTasks, planPrograms, planIndicators} {
		sw, err := f.NewStreamWriter(tbl.name)
		if err != nil {
			t.Fatal(err)
		}
		heading := make([]any, len(tbl.columns))
		for i, c := range tbl.columns {
			heading[i] = c.heading()
		}
		if err := sw.SetRow("A1", heading); err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A20000", []any{nil, "T1", "과제"}); err != nil {
			t.Fatal(err)
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPlanSheetProblems reads broken spreadsheets: each problem is found
// at its sheet, row and column with its message key.
func TestPlanSheetProblems(t *testing.T) {
	type want struct {
		key    string
		sheet  string
		row    int    // -1: any row
		column string // the heading's Korean, "" for none
	}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want want
		// validate: the reader keeps the value, and pf.Validate's problem
		// is located in the sheet.
		validate bool
	}{
		{"missing sheet", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.DeleteSheet("세부사업") })
		}, want{"plansheet.sheet.missing", "세부사업", 0, ""}, false},
		{"missing column", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.RemoveCol("지표", sheetCol(t, f, "지표", "목표")) })
		}, want{"plansheet.col.missing", "지표", 1, "목표"}, false},
		{"column twice", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.SetCellValue("과제", "E1", "과제명") })
		}, want{"plansheet.col.twice", "과제", 1, "과제명"}, false},
		{"unknown 분야", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "세부사업", "분야", 3, "우주 개발") })
		}, want{"problem.field.unknown", "세부사업", 3, "분야"}, true},
		{"not a number", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "지표", "목표", flowRow(t, f), "abc") })
		}, want{"plansheet.number", "지표", -1, "목표"}, false},
		{"negative budget", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "세부사업", "국비(백만원)", 3, "-1,500") })
		}, want{"problem.budget.negative", "세부사업", 3, "국비(백만원)"}, true},
		{"formula", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) {
				f.SetCellFormula("지표", fmt.Sprintf("%s%d", sheetCol(t, f, "지표", "목표"), flowRow(t, f)), "=1+2")
			})
		}, want{"plansheet.formula", "지표", -1, "목표"}, false},
		{"formula in the header", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.SetCellFormula("입력 안내", "B4", `="Gimpo"`) })
		}, want{"plansheet.formula", "입력 안내", 4, "값"}, false},
		{"programme by name not found", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) {
				set(t, f, "지표", "세부사업 ID", 2, nil)
				set(t, f, "지표", "세부사업명", 2, "없는 사업")
			})
		}, want{"plansheet.program.unknown.name", "지표", 2, "세부사업명"}, false},
		{"programme by ID not found", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "지표", "세부사업 ID", 2, 99999) })
		}, want{"plansheet.program.unknown.id", "지표", 2, "세부사업 ID"}, false},
		{"task code not on 과제", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "세부사업", "과제 코드", 4, "T9") })
		}, want{"plansheet.task.unknown", "세부사업", 4, "과제 코드"}, false},
		{"partly filled monthly plan", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) {
				row := flowRow(t, f)
				for m := 1; m <= models.Months; m++ {
					set(t, f, "지표", fmt.Sprintf("%d월", m), row, nil)
				}
				for m := 1; m <= 5; m++ {
					set(t, f, "지표", fmt.Sprintf("%d월", m), row, m*10)
				}
			})
		}, want{"plansheet.months.partial", "지표", -1, "6월"}, false},
		{"bad Y/N", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "세부사업", "신규", 2, "글쎄") })
		}, want{"plansheet.yesno", "세부사업", 2, "신규"}, false},
		{"bad group mark", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "세부사업", "대상: 노인", 2, "많음") })
		}, want{"plansheet.mark", "세부사업", 2, "대상: 노인"}, false},
		{"bad kind", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "지표", "종류", 2, "분기형") })
		}, want{"plansheet.choice", "지표", 2, "종류"}, false},
		{"bad date", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "지표", "기한", 2, "3월 말") })
		}, want{"plansheet.date", "지표", 2, "기한"}, false},
		{"bad ID", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { set(t, f, "공통목표", "ID", 2, "1.5") })
		}, want{"plansheet.id", "공통목표", 2, "ID"}, false},
		{"ID twice", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) {
				id, _ := f.GetCellValue("지표", "A2")
				set(t, f, "지표", "ID", 3, id)
			})
		}, want{"plansheet.id.twice", "지표", 3, "ID"}, false},
		{"missing header item", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.SetCellValue("입력 안내", "A5", "제목") })
		}, want{"plansheet.item.missing", "입력 안내", 0, ""}, false},
		{"bad year", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { f.SetCellValue("입력 안내", "B2", "이천이십") })
		}, want{"plansheet.year", "입력 안내", 2, "값"}, false},
		{"more rows than the limit", func(t *testing.T) []byte {
			return editedSheet(t, func(f *excelize.File) { rowsPastLimit(t, f) })
		}, want{"upload.rows", "지표", -1, ""}, false},
		{"xls", func(t *testing.T) []byte {
			return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
		}, want{"upload.xls", "", 0, ""}, false},
		{"not a spreadsheet", func(t *testing.T) []byte { return []byte("과제 코드,과제명\nT1,일자리\n") },
			want{"upload.xlsx.bad", "", 0, ""}, false},
		{"zip bomb", func(t *testing.T) []byte { return zipBomb() }, want{"upload.unzip", "", 0, ""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, problems := ReadPlanSheet(tt.data(t))
			var got []SheetProblem
			if tt.validate {
				if len(problems) > 0 {
					t.Fatalf("ReadPlanSheet found %v, want none: the plan's own check finds it", problems)
				}
				var verr *models.ValidationError
				if err := ps.File.Validate(); !errors.As(err, &verr) {
					t.Fatalf("Validate() = %v, want problems", err)
				}
				for _, p := range verr.Problems {
					cell, ok := ps.Locate(p.Path)
					if !ok {
						t.Errorf("Locate(%q) found nothing", p.Path)
					}
					got = append(got, SheetProblem{Cell: cell, Key: p.Key, Args: p.Args})
				}
			} else {
				got = problems
			}
			if len(got) != 1 {
				t.Fatalf("problems = %v, want one %s", got, tt.want.key)
			}
			p, w := got[0], tt.want
			column := strings.TrimSpace(strings.SplitN(p.Cell.Column, " (", 2)[0])
			if p.Key != w.key || p.Cell.Sheet != w.sheet || (w.row >= 0 && p.Cell.Row != w.row) || column != w.column {
				t.Errorf("problem = %v, want %s at %s row %d column %q", p, w.key, w.sheet, w.row, w.column)
			}
			if w.column != "" && p.Key != "plansheet.col.missing" && p.Cell.Ref == "" {
				t.Errorf("problem %v has no cell reference", p)
			}
			for _, l := range []Lang{Korean, English} {
				if msg := l.T(p.Key, p.Args...); strings.HasPrefix(msg, "!") || strings.Contains(msg, "%!") {
					t.Errorf("%s message of %s = %q", l, p.Key, msg)
				}
			}
			if w.key == "upload.unzip" && !reflect.DeepEqual(p.Args, []any{unzipLimit >> 20}) {
				t.Errorf("unzip args = %v, want the limit in MB", p.Args)
			}
		})
	}
}

// TestPlanSheetProblemsAllAtOnce: problems on several sheets come back
// together, in English without Korean words but the file's own.
func TestPlanSheetProblemsAllAtOnce(t *testing.T) {
	data := editedSheet(t, func(f *excelize.File) {
		set(t, f, "지표", "목표", flowRow(t, f), "많이")
		set(t, f, "지표", "기한", 2, "올해 안")
		set(t, f, "세부사업", "국비(백만원)", 2, "1,5OO")
		f.DeleteSheet("공통목표")
	})
	_, problems := ReadPlanSheet(data)
	keys := map[string]int{}
	for _, p := range problems {
		keys[p.Key]++
		args := slices.Clone(p.Args)
		for i, a := range args {
			if _, ok := a.(string); ok {
				args[i] = "x" // the file's own text
			}
		}
		if msg := English.T(p.Key, args...); strings.ContainsFunc(msg, isHangul) {
			t.Errorf("English message %q has Hangul", msg)
		}
	}
	want := map[string]int{"plansheet.number": 2, "plansheet.date": 1, "plansheet.sheet.missing": 1}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("problems = %v, want %v", problems, want)
	}
}

func isHangul(r rune) bool { return unicode.Is(unicode.Hangul, r) }

// TestPlanSheetLocate maps problem paths to the cells they came from,
// also when an official has added a column of their own in front.
func TestPlanSheetLocate(t *testing.T) {
	pf, fields := shippedPlanFile(t, 2020)
	enrich(t, pf)
	data := planSheetBytes(t, pf, fields)
	moved := editedSheet(t, func(f *excelize.File) {
		f.InsertCols("지표", "A", 1)
		f.SetCellValue("지표", "A1", "메모")
	})
	ind := pf.Tasks[1].Programs[0].Indicators[0]
	tests := []struct {
		path string
		want SheetCell
		ok   bool
	}{
		{"tasks[1].programs[0].indicators[0].target", SheetCell{"지표", 0, "목표 (Target)", "K"}, true},
		{"tasks[1].programs[0].indicators[0].pacing", SheetCell{"지표", 0, "1월 (Month 1)", "P"}, true},
		{"tasks[1].programs[0].indicators[0].figures[2].value", SheetCell{"지표", 0, "", ""}, true},
		{"outcomes[0].unit", SheetCell{"공통목표", 2, "단위 (Unit)", "E2"}, true},
		{"tasks[0].programs[3].budget.city", SheetCell{"세부사업", 5, "시비(백만원) (City, KRW million)", "S5"}, true},
		{"tasks[2].code", SheetCell{"과제", 4, "과제 코드 (Task code)", "B4"}, true},
		{"tasks[4].programs[1].field", SheetCell{"세부사업", 2 + 5 + 4 + 5 + 2 + 1, "분야 (Field)", "H19"}, true},
		{"year", SheetCell{"입력 안내", 2, "값 (Value)", "B2"}, true},
		{"city_en", SheetCell{"입력 안내", 4, "값 (Value)", "B4"}, true},
		{"tasks", SheetCell{"과제", 2, "", ""}, true},
		{"tasks[9].name", SheetCell{}, false},
		{"tasks[0].programs[9]", SheetCell{}, false},
		{"facts[0].value", SheetCell{}, false},
	}
	for _, file := range []struct {
		name  string
		data  []byte
		shift int
	}{{"as written", data, 0}, {"with a column added", moved, 1}} {
		ps, problems := ReadPlanSheet(file.data)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", file.name, problems)
		}
		f, _ := excelize.OpenReader(bytes.NewReader(file.data))
		indRow := sheetRowOf(t, f, "지표", "ID", fmt.Sprint(ind.ID))
		f.Close()
		for _, tt := range tests {
			want := tt.want
			if want.Sheet == "지표" {
				want.Row = indRow
				if want.Ref != "" {
					n, _ := excelize.ColumnNameToNumber(want.Ref)
					want.Ref = fmt.Sprintf("%s%d", colLetter(n-1+file.shift), indRow)
				}
			}
			got, ok := ps.Locate(tt.path)
			if ok != tt.ok || got != want {
				t.Errorf("%s: Locate(%q) = %+v, %v; want %+v, %v", file.name, tt.path, got, ok, want, tt.ok)
			}
		}
	}
}

// TestPlanSheetReadsWhatOfficialsType reads cells as Excel keeps what
// officials type: a date typed into 기한 (an Excel date), a number typed
// with thousands separators as text, lower-case y, 분야 by its English
// name or its code, a kind in English, and a programme named instead of
// its ID.
func TestPlanSheetReadsWhatOfficialsType(t *testing.T) {
	var milestoneRow, flow int
	data := editedSheet(t, func(f *excelize.File) {
		milestoneRow = sheetRowOf(t, f, "지표", "종류", "일정형")
		flow = flowRow(t, f)
		set(t, f, "지표", "기한", milestoneRow, time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC))
		set(t, f, "지표", "목표", flow, " 1,500 ")
		set(t, f, "지표", "핵심 지표", flow, "y")
		set(t, f, "지표", "종류", flow, "flow")
		set(t, f, "지표", "세부사업 ID", flow, nil)
		set(t, f, "세부사업", "분야", 2, "Job infrastructure")
		set(t, f, "세부사업", "분야", 3, "training")
		set(t, f, "세부사업", "신규", 3, "")
	})
	ps, problems := ReadPlanSheet(data)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	pf := ps.File
	p0, p1 := pf.Tasks[0].Programs[0], pf.Tasks[0].Programs[1]
	if p0.Field != "infra" || p1.Field != "training" || p1.New {
		t.Errorf("분야 = %q, %q, new %v; want infra, training and not new", p0.Field, p1.Field, p1.New)
	}
	cell, _ := ps.Locate("tasks[1].programs[0].indicators[0].target")
	if cell.Row != flow {
		t.Fatalf("the flow indicator is located at row %d, want %d", cell.Row, flow)
	}
	ind := pf.Tasks[1].Programs[0].Indicators[0]
	if ind.Target == nil || *ind.Target != 1500 || !ind.Headline || ind.Kind != models.KindFlow {
		t.Errorf("flow indicator = target %v, headline %v, kind %s; want 1500, true, flow", ind.Target, ind.Headline, ind.Kind)
	}
	var due string
	for ti, task := range pf.Tasks {
		for pj, p := range task.Programs {
			for k, in := range p.Indicators {
				if c, _ := ps.Locate(fmt.Sprintf("tasks[%d].programs[%d].indicators[%d]", ti, pj, k)); c.Row == milestoneRow {
					due = in.Due
				}
			}
		}
	}
	if due != "2020-06-30" {
		t.Errorf("due typed as a date = %q, want 2020-06-30", due)
	}
}

func TestParseSheetCells(t *testing.T) {
	numbers := map[string]any{"1500": 1500.0, "1,500": 1500.0, " 1 500 ": 1500.0, "-3.5": -3.5, "1e3": 1000.0,
		"abc": false, "NaN": false, "Inf": false, "": false, "1,5OO": false}
	for in, want := range numbers {
		v, ok := parseSheetNumber(in)
		if w, isNum := want.(float64); ok != isNum || isNum && v != w {
			t.Errorf("parseSheetNumber(%q) = %v, %v; want %v", in, v, ok, want)
		}
	}
	dates := map[string]string{"2020-03-31": "2020-03-31", "2020.3.31.": "2020-03-31", "2020. 3. 31.": "2020-03-31",
		"2020/3/31": "2020-03-31", "43921": "2020-03-31", "43921.5": "2020-03-31", "2020-02-30": "", "3월 말": "",
		"2020.3": "", "20200331": "", "31-03-2020": ""}
	for in, want := range dates {
		got, ok := parseSheetDate(in)
		if ok != (want != "") || got != want {
			t.Errorf("parseSheetDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
