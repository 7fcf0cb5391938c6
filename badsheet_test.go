package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

// indicatorTargeted finds the programme and the indicator of a year's plan
// whose target is target.
func indicatorTargeted(t *testing.T, s *testServer, year int, target float64) (prog, ind uint) {
	t.Helper()
	plan, err := s.store.Plan(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range plan.Indicators() {
		if i.Target == target && i.Kind == models.KindFlow {
			return i.ProgramID, i.ID
		}
	}
	t.Fatalf("no indicator of %d with the target %v", year, target)
	return 0, 0
}

// badSheets makes plan spreadsheets that are bad in one way each, from
// the 2020 plan's spreadsheet as an official downloads it.
type badSheets struct{ base []byte }

func newBadSheets(t *testing.T, s *testServer) *badSheets {
	t.Helper()
	a := s.loginAs(t, "official").get(t, "/plans/2020/plan.xlsx")
	if a.status != http.StatusOK {
		t.Fatalf("plan.xlsx = %d", a.status)
	}
	return &badSheets{base: []byte(a.body)}
}

// column is the 1-based column whose heading starts with prefix (and is
// not one of the longer headings that also do).
func sheetColumn(t *testing.T, f *excelize.File, sheet, prefix string, not ...string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
next:
	for i, h := range rows[0] {
		if !strings.HasPrefix(h, prefix) {
			continue
		}
		for _, n := range not {
			if strings.HasPrefix(h, n) {
				continue next
			}
		}
		return i + 1
	}
	t.Fatalf("sheet %s has no column %q: %v", sheet, prefix, rows[0])
	return 0
}

func setCell(t *testing.T, f *excelize.File, sheet string, col, row int, v any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

// make builds the bad spreadsheet named how.
func (b *badSheets) make(t *testing.T, how string) []byte {
	t.Helper()
	switch how {
	case "xls":
		return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	case "zip-bomb":
		return zipBombSheet(t)
	case "good":
		return b.base
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.base))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Row 2 of 지표 is the first indicator; the 2020 plan's first is a
	// milestone, the row with 170 (공공근로) a flow of 명.
	flowRow := 0
	rows, _ := f.GetRows("지표")
	target := sheetColumn(t, f, "지표", "목표", "목표 근거")
	for r, row := range rows {
		if target-1 < len(row) && row[target-1] == "170" {
			flowRow = r + 1
		}
	}
	switch how {
	case "missing-sheet":
		if err := f.DeleteSheet("세부사업"); err != nil {
			t.Fatal(err)
		}
	case "missing-column":
		setCell(t, f, "지표", target, 1, "")
	case "unknown-field":
		setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "분야"), 2, "우주개발")
	case "basis-unit":
		setCell(t, f, "지표", sheetColumn(t, f, "지표", "단위", "단위(영문)"), flowRow, "건")
		setCell(t, f, "지표", sheetColumn(t, f, "지표", "집계 기준"), flowRow, "실인원")
	case "pacing-down":
		jan := sheetColumn(t, f, "지표", "1월")
		for m := range 12 {
			setCell(t, f, "지표", jan+m, flowRow, 170-m)
		}
	case "negative-budget":
		setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "국비"), 2, -5)
	case "duplicate-indicator":
		dup := len(rows) + 1
		for c, v := range rows[flowRow-1] {
			if c > 0 { // no ID: a new row
				setCell(t, f, "지표", c+1, dup, v)
			}
		}
	case "missing-program":
		setCell(t, f, "지표", sheetColumn(t, f, "지표", "세부사업 ID"), flowRow, "")
		setCell(t, f, "지표", sheetColumn(t, f, "지표", "세부사업명"), flowRow, "없는 사업")
	case "formula":
		cell, _ := excelize.CoordinatesToCellName(target, flowRow)
		if err := f.SetCellFormula("지표", cell, "=100+70"); err != nil {
			t.Fatal(err)
		}
	case "rows-60000":
		sw, err := f.NewStreamWriter("지표")
		if err != nil {
			t.Fatal(err)
		}
		header := make([]any, len(rows[0]))
		for i, h := range rows[0] {
			header[i] = h
		}
		if err := sw.SetRow("A1", header); err != nil {
			t.Fatal(err)
		}
		for r := 2; r <= 60_001; r++ {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, []any{"", "", "사업", fmt.Sprintf("지표 %d", r)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no bad sheet %q", how)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBombSheet is a small xlsx whose sheet inflates far past the unzip
// limits.
func zipBombSheet(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 64 {
		w.Write(zeros)
	}
	zw.Close()
	return buf.Bytes()
}

// checkBadSheet uploads a bad plan spreadsheet.
func checkBadSheet(t *testing.T, b *browserClient, row badInput, content []byte) {
	t.Helper()
	a := b.upload(t, row.Path, "plan.xlsx", content)
	if a.status != row.Status {
		t.Errorf("upload %s to %s = %d, want %d: %.400s", row.Sheet, row.Path, a.status, row.Status, a.body)
	}
	if !strings.Contains(a.body, row.Message) || !strings.Contains(a.body, "<h1") {
		t.Errorf("upload %s body does not say %q: %.2000s", row.Sheet, row.Message, a.body)
	}
}
