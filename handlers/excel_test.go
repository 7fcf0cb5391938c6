package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/korean"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

func TestSameValue(t *testing.T) {
	tests := []struct {
		carried, value string
		want           bool
	}{
		{"", "", true}, {"12", "12", true}, {"12", "12.0", true}, {"12", "12.5", false},
		{"", "0", false}, {"3", "", false}, {"abc", "abc", true}, {"1", "x", false},
	}
	for _, tt := range tests {
		if got := sameValue(tt.carried, tt.value); got != tt.want {
			t.Errorf("sameValue(%q, %q) = %v, want %v", tt.carried, tt.value, got, tt.want)
		}
	}
}

func TestFormulaLike(t *testing.T) {
	for s, want := range map[string]bool{"=1+1": true, "+1": true, "-5": true, "@SUM(A1)": true, "\tx": true, "12": false, "": false, "비고 -1": false} {
		if got := formulaLike(s); got != want {
			t.Errorf("formulaLike(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMapHeading(t *testing.T) {
	korean := []string{"지표번호", "지표명", "단위", "연간 목표", "월", "상태", "버전", "현재 값", "입력 값", "목표 2배 확인", "비고"}
	tests := []struct {
		name    string
		cells   []string
		wantKey string // "" for accepted
	}{
		{"template", korean, ""},
		{"required only, reordered, with a BOM and spaces", []string{"\ufeff입력 값 ", "월", "지표번호", "현재 값", "버전"}, ""},
		{"English", []string{"Indicator ID", "month", "Version", "Current value", "New value"}, ""},
		{"empty heading cells are ignored", append(append([]string{}, korean...), "", " "), ""},
		{"missing", []string{"지표번호", "월", "현재 값", "입력 값"}, "upload.col.missing"},
		{"unknown", append(append([]string{}, korean...), "담당자"), "upload.col.unknown"},
		{"twice", append(append([]string{}, korean...), "월"), "upload.col.twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &importResult{}
			err := mapHeading(res, tt.cells)
			switch {
			case tt.wantKey == "" && err != nil:
				t.Fatalf("mapHeading refused: %s", err)
			case tt.wantKey != "" && (err == nil || err.Key != tt.wantKey):
				t.Fatalf("mapHeading = %v, want %s", err, tt.wantKey)
			case tt.wantKey == "" && (res.cols[colID] < 0 || res.cols[colValue] < 0):
				t.Errorf("columns = %v, want id and value found", res.cols)
			}
		})
	}
}

// readCSV reads data as an upload and returns the rows or the refusal.
func readCSV(t *testing.T, data []byte) (*importResult, *webError) {
	t.Helper()
	if werr := sniff(data); werr != nil {
		return nil, werr
	}
	return readUpload(&importJob{}, data)
}

func TestCSVEncodings(t *testing.T) {
	text := "지표번호,월,버전,현재 값,입력 값,비고\r\n7,6,1,3,4,현장 점검\r\n"
	euckr, err := korean.EUCKR.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		format  string
		wantKey string
	}{
		{"UTF-8", []byte(text), "csv", ""},
		{"UTF-8 with BOM", append([]byte("\ufeff"), text...), "csv", ""},
		{"EUC-KR", euckr, "csv-euckr", ""},
		{"UTF-16", append([]byte{0xFF, 0xFE}, "a\x00"...), "", "upload.utf16"},
		{"not text", []byte("abc\x00\x01"), "", "upload.unknown"},
		{"neither UTF-8 nor EUC-KR", []byte("지표번호\n\xff\xfe\xfd"), "", "upload.encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, werr := readCSV(t, tt.data)
			if tt.wantKey != "" {
				if werr == nil || werr.Key != tt.wantKey {
					t.Fatalf("read = %v, want %s", werr, tt.wantKey)
				}
				return
			}
			if werr != nil {
				t.Fatalf("read refused: %s", werr)
			}
			if res.format != tt.format || len(res.table) != 1 || res.table[0].cells[colNote] != "현장 점검" || res.table[0].line != 2 {
				t.Errorf("read = format %s, rows %+v", res.format, res.table)
			}
		})
	}
}

// zipBomb is a small zip whose one sheet inflates to 45 MB.
func zipBomb() []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte("<row/>"), 1<<18)
	for range 30 {
		w.Write(chunk)
	}
	z.Close()
	return buf.Bytes()
}

// TestZipBombIsRefused checks that the zip bomb is refused by the unzip
// limit (from the sizes in the zip's directory), not read.
func TestZipBombIsRefused(t *testing.T) {
	bomb := zipBomb()
	_, werr := readUpload(&importJob{}, bomb)
	if werr == nil || werr.Key != "upload.unzip" || werr.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a %d-byte zip bomb = %v, want 413 upload.unzip", len(bomb), werr)
	}
}

// BenchmarkRefuseZipBomb measures the cost of refusing a zip bomb.
func BenchmarkRefuseZipBomb(b *testing.B) {
	bomb := zipBomb()
	b.ReportAllocs()
	for b.Loop() {
		if _, werr := readUpload(&importJob{}, bomb); werr == nil {
			b.Fatal("the zip bomb was read")
		}
	}
}

// rowMillion is an xlsx whose one data row claims to be row 1,000,000.
func rowMillion(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"지표번호", "월", "버전", "현재 값", "입력 값"})
	f.SetSheetRow("Sheet1", "A2", &[]any{1, 6, 0, "", 5})
	buf, _ := f.WriteToBuffer()
	return patchSheet(t, buf.Bytes(), strings.NewReplacer(`<row r="2"`, `<row r="1000000"`, `r="A2"`, `r="A1000000"`, `r="B2"`, `r="B1000000"`,
		`r="C2"`, `r="C1000000"`, `r="E2"`, `r="E1000000"`))
}

// TestRowLimit: a sheet that reaches past the row limit is refused with
// the row-limit message.
func TestRowLimit(t *testing.T) {
	if _, werr := readUpload(&importJob{}, rowMillion(t)); werr == nil || werr.Key != "upload.rows" {
		t.Fatalf("a sheet with row 1,000,000 = %v, want upload.rows", werr)
	}
}

// BenchmarkRowLimit measures stopping at the row limit, which must not
// walk the empty rows up to row 1,000,000.
func BenchmarkRowLimit(b *testing.B) {
	data := rowMillion(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, werr := readUpload(&importJob{}, data); werr == nil {
			b.Fatal("the sheet was read")
		}
	}
}

// patchSheet rewrites the first worksheet of an xlsx file.
func patchSheet(t testing.TB, xlsx []byte, r *strings.Replacer) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if zf.Name == "xl/worksheets/sheet1.xml" {
			patched := r.Replace(string(b))
			if patched == string(b) {
				t.Fatal("patchSheet changed nothing")
			}
			b = []byte(patched)
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// testEntryPage is one indicator of 2026 as the grid sees it in mid-June:
// January to April locked, May and June open, June with a figure, July
// onwards in the future.
func testEntryPage() *entryPage {
	p := &entryPage{formPage: newFormPage(basePage{Lang: Korean}), Year: 2026, Dept: "일자리경제과"}
	row := entryRow{EntryRow: models.EntryRow{Indicator: models.Indicator{ID: 7, Name: "공공근로 선발", Unit: "명", Target: 120}}, Name: "공공근로 선발", Unit: "명"}
	for m := range row.Cells {
		state := models.MonthOpen
		switch {
		case m >= 6:
			state = models.MonthFuture
		case m < 4:
			state = models.MonthLocked
		}
		row.Cells[m] = entryCell{EntryCell: models.EntryCell{Period: models.Period{Year: 2026, Month: m + 1, State: state}}, Status: "empty", Editable: m >= 4 && m < 6}
	}
	row.Cells[5].Figure = &models.Figure{Value: 12, Version: 3}
	row.Cells[5].Version, row.Cells[5].Note, row.Cells[5].Original = 3, "선발 완료", "12"
	p.Rows = []entryRow{row}
	return p
}

// TestTemplateCells checks that the template locks every cell but the
// input of open months, and protects the sheet.
func TestTemplateCells(t *testing.T) {
	f, err := buildTemplate(testEntryPage(), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	locked := func(cell string) bool {
		id, _ := f.GetCellStyle("실적", cell)
		st, _ := f.GetStyle(id)
		return st.Protection == nil || st.Protection.Locked
	}
	// Row 7 is June: open, with a figure. Row 2 is January: locked.
	for cell, want := range map[string]bool{"A7": true, "E7": true, "G7": true, "H7": true, "I7": false, "J7": false, "K7": false, "I2": true, "I8": true, "A1": true} {
		if got := locked(cell); got != want {
			t.Errorf("%s locked = %v, want %v", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"G7": "3", "H7": "12", "I7": "12", "K7": "선발 완료", "F8": "아직 오지 않은 달"} {
		if got, _ := f.GetCellValue("실적", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if prot, err := f.GetSheetProtection("실적"); err != nil || prot.SelectUnlockedCells != true {
		t.Errorf("sheet protection = %+v, %v", prot, err)
	}
}

// newTestImports is the upload flow over a fresh, empty database.
func newTestImports(t *testing.T) *Imports {
	t.Helper()
	store, err := models.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	views, err := NewViews()
	if err != nil {
		t.Fatal(err)
	}
	return NewImports(New(store, views, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{}))
}

// TestUploadProgressPage shows a file still being read, then its preview.
func TestUploadProgressPage(t *testing.T) {
	im := newTestImports(t)
	up := &models.Upload{Kind: models.UploadFigures, SessionID: 7, Year: 2026, Department: "일자리경제과", FileName: "big.csv",
		State: models.UploadReading, Read: 1200, Total: 3000, Expires: time.Now().Add(time.Minute)}
	if err := im.h.store.CreateUpload(context.Background(), up, models.UploadLimits{}); err != nil {
		t.Fatal(err)
	}
	get := func(session uint) *httptest.ResponseRecorder {
		e := echo.New()
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/entry/2026/upload/"+up.Token, nil), rec)
		c.SetParamNames("year", "token")
		c.SetParamValues("2026", up.Token)
		c.Set(ctxSession, &models.Session{ID: session})
		c.Set(ctxUser, &models.User{Login: "staff", Role: models.RoleStaff, Department: "일자리경제과"})
		if err := im.UploadStatus(c); err != nil {
			var werr *webError
			if errors.As(err, &werr) {
				rec.Code = werr.Status
				return rec
			}
			t.Fatal(err)
		}
		return rec
	}
	rec := get(7)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || rec.Header().Get("Refresh") != "1" {
		t.Fatalf("progress = %d, Refresh %q; want 200 reloading every second", rec.Code, rec.Header().Get("Refresh"))
	}
	for _, want := range []string{`<progress max="100" value="40"`, `role="status"`, "40% 읽음 (1200 / 3000행)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the progress page lacks %q: %s", want, body)
		}
	}
	if rec := get(8); rec.Code != http.StatusNotFound {
		t.Errorf("another session sees the progress: %d", rec.Code)
	}
	res := &importResult{format: "csv", sheet: "CSV", rows: 1, changes: []importChange{{line: 2, ind: models.Indicator{Name: "공공근로 선발", Unit: "명"},
		old: "3", in: models.FigureInput{Month: 6, Value: "4"}}}}
	if err := im.finish(up.Token, res, nil); err != nil {
		t.Fatal(err)
	}
	rec = get(7)
	if rec.Code != http.StatusOK || rec.Header().Get("Refresh") != "" || !strings.Contains(rec.Body.String(), `name="action" value="commit"`) {
		t.Errorf("preview = %d, Refresh %q: %s", rec.Code, rec.Header().Get("Refresh"), rec.Body.String())
	}
}

// TestLimitWithoutLength sends an upload body with no Content-Length that
// grows past the limit: 413, not a CSRF error or a crash.
func TestLimitWithoutLength(t *testing.T) {
	im := newTestImports(t)
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		fw, _ := w.CreateFormFile("file", "huge.csv")
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range 7 {
			if _, err := fw.Write(chunk); err != nil {
				break
			}
		}
		w.Close()
		pw.Close()
	}()
	req := httptest.NewRequest(http.MethodPost, "/entry/2026/upload", pr)
	req.ContentLength = -1
	req.Header.Set("Content-Type", w.FormDataContentType())
	c := echo.New().NewContext(req, httptest.NewRecorder())
	err := im.Limit(func(echo.Context) error { return nil })(c)
	pr.CloseWithError(io.ErrClosedPipe)
	var werr *webError
	if !errors.As(err, &werr) || werr.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 7 MB body without a length = %v, want 413", err)
	}
}

// TestXLSXFormulaCell refuses a formula typed into an input cell, which the
// row reader sees only as its computed value.
func TestXLSXFormulaCell(t *testing.T) {
	p := testEntryPage()
	f, err := buildTemplate(p, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.SetCellFormula("실적", "I7", "10+5") // June
	f.SetCellValue("실적", "I6", 4)        // May, plain
	buf, _ := f.WriteToBuffer()
	// Excel keeps the computed value next to the formula.
	data := patchSheet(t, buf.Bytes(), strings.NewReplacer("<f>10+5</f><v>12</v>", "<f>10+5</f><v>15</v>"))
	job := &importJob{lang: Korean, year: 2026}
	res, werr := readUpload(job, data)
	if werr != nil {
		t.Fatal(werr)
	}
	compare(res, job, p.Rows)
	var lines []int
	for _, pr := range res.problems {
		if strings.Contains(pr.msg, "수식") {
			lines = append(lines, pr.line)
		}
	}
	if len(res.changes) != 2 || len(lines) != 1 || lines[0] != 7 {
		t.Errorf("changes %d, formula problems on rows %v; want 2 changes and a formula problem on row 7", len(res.changes), lines)
	}
}
