package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/korean"

	"jobkpi/models"
)

// uploadEnv is a plan for this year with the store's clock at 15 June 12:00
// KST: June is open, May is locked and July has not begun.
type uploadEnv struct {
	s          *testServer
	year       int
	own, other uint
	staff      *browserClient
}

func newUploadEnv(t *testing.T) *uploadEnv {
	t.Helper()
	s := newTestServer(t, true)
	year := time.Now().In(models.KST).Year()
	s.store.SetClock(func() time.Time { return time.Date(year, 6, 15, 12, 0, 0, 0, models.KST) })
	own, other := entryPlan(t, s, year)
	return &uploadEnv{s: s, year: year, own: own, other: other, staff: s.loginAs(t, "staff")}
}

func (env *uploadEnv) path(suffix string) string { return fmt.Sprintf("/entry/%d%s", env.year, suffix) }

// upload posts a file the way the upload form does.
func (b *browserClient) upload(t *testing.T, path, name string, content []byte) answer {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", b.csrf(t))
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.s.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(t, req)
}

// preview follows an upload's redirect and waits out the progress page.
func (b *browserClient) preview(t *testing.T, a answer) answer {
	t.Helper()
	if a.status != http.StatusSeeOther {
		return a
	}
	for range 100 {
		p := b.get(t, a.location)
		if p.header.Get("Refresh") == "" {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the upload at %s is still being read after 5 s", a.location)
	return answer{}
}

// template downloads the upload template and opens it.
func (env *uploadEnv) template(t *testing.T) *excelize.File {
	t.Helper()
	a := env.staff.get(t, env.path("/template.xlsx"))
	if a.status != http.StatusOK || !strings.Contains(a.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("template = %d %s: %.200s", a.status, a.header.Get("Content-Type"), a.body)
	}
	f, err := excelize.OpenReader(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// setTemplateCell writes a cell of the row of an indicator-month in the template's
// data sheet: col is the column letter, I for the new value.
func setTemplateCell(t *testing.T, f *excelize.File, id uint, month int, col string, v any) {
	t.Helper()
	rows, err := f.GetRows("실적", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 4 && r[0] == strconv.Itoa(int(id)) && r[4] == strconv.Itoa(month) {
			if err := f.SetCellValue("실적", fmt.Sprintf("%s%d", col, i+1), v); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no row for indicator %d month %d in the template", id, month)
}

func workbookBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// templateCSV turns the template's data sheet into CSV rows, the way a
// clerk's "save as CSV" would, after edit changes them.
func templateCSV(t *testing.T, f *excelize.File, edit func(rows [][]string) [][]string) []byte {
	t.Helper()
	rows, err := f.GetRows("실적", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i] = append(rows[i], make([]string, 11-len(rows[i]))...)
	}
	if edit != nil {
		rows = edit(rows)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	return buf.Bytes()
}

// csvRow finds the CSV row of an indicator-month.
func csvRow(rows [][]string, id uint, month int) []string {
	for _, r := range rows {
		if r[0] == strconv.Itoa(int(id)) && r[4] == strconv.Itoa(month) {
			return r
		}
	}
	return nil
}

// planFigures lists every figure of the year's plan, in every department.
func planFigures(t *testing.T, s *testServer, year int) map[string]string {
	t.Helper()
	ctx := context.Background()
	depts, err := s.store.Departments(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range depts {
		rows, err := s.store.EntryRows(ctx, year, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for _, c := range r.Cells {
				if f := c.Figure; f != nil {
					out[fmt.Sprintf("%d/%d", f.IndicatorID, f.Month)] = fmt.Sprintf("%v v%d %s %q", f.Value, f.Version, f.Status, f.Note)
				}
			}
		}
	}
	return out
}

var (
	previewChange = regexp.MustCompile(`<span class="old-value">`)
	saveButton    = regexp.MustCompile(`name="action" value="commit"`)
)

// TestUploadRoundTrip downloads the template, changes two cells, uploads
// it, checks that the preview lists exactly those and wrote nothing, saves,
// and checks that exactly those two figures changed.
func TestUploadRoundTrip(t *testing.T) {
	env := newUploadEnv(t)
	// An existing value, so that one change is old → new.
	if _, _, err := env.s.store.SaveFigure(context.Background(), storeStaff(t, env.s), models.FigureInput{IndicatorID: env.own, Year: env.year, Month: 6, Value: "4", Note: "상반기"}); err != nil {
		t.Fatal(err)
	}
	before := planFigures(t, env.s, env.year)
	f := env.template(t)
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "실적" || got[1] != "입력 안내" {
		t.Errorf("template sheets = %v, want [실적 입력 안내]", got)
	}
	if v, _ := f.GetCellValue("실적", "I1"); v != "입력 값" {
		t.Errorf("I1 = %q, want the 입력 값 heading", v)
	}
	if guide, _ := f.GetCellValue("입력 안내", "A7"); !strings.Contains(guide, "두 배") {
		t.Errorf("the guide does not explain the twice-the-target rule: %q", guide)
	}
	setTemplateCell(t, f, env.own, 6, "I", 7)
	setTemplateCell(t, f, env.own+1, 6, "I", 3)

	checksum := dbChecksum(t, env.s.db)
	a := env.staff.upload(t, env.path("/upload"), "실적.xlsx", workbookBytes(t, f))
	p := env.staff.preview(t, a)
	if p.status != http.StatusOK || len(previewChange.FindAllString(p.body, -1)) != 2 || !saveButton.MatchString(p.body) {
		t.Fatalf("preview = %d with %d changes; want 200 with 2 changes and a save button: %.2000s", p.status, len(previewChange.FindAllString(p.body, -1)), p.body)
	}
	for _, want := range []string{"공공근로 선발", "공공근로 교육", `<span class="old-value">4</span>`, "<strong>7</strong>", "<strong>3</strong>", "<caption>"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if after := dbChecksum(t, env.s.db); after != checksum {
		t.Fatal("the preview wrote to the database")
	}
	if other := env.s.loginAs(t, "staff").get(t, a.location); other.status != http.StatusNotFound {
		t.Errorf("another session opens the upload: %d, want 404", other.status)
	}
	c := env.staff.post(t, a.location, url.Values{"action": {"commit"}})
	if c.status != http.StatusSeeOther || !strings.Contains(c.location, "done=save&n=2") {
		t.Fatalf("commit = %d %s: %.500s", c.status, c.location, c.body)
	}
	after := planFigures(t, env.s, env.year)
	changed := map[string]string{}
	for k, v := range after {
		if before[k] != v {
			changed[k] = v
		}
	}
	want := map[string]string{
		fmt.Sprintf("%d/6", env.own):   `7 v2 draft "상반기"`,
		fmt.Sprintf("%d/6", env.own+1): `3 v1 draft ""`,
	}
	if fmt.Sprint(changed) != fmt.Sprint(want) || len(after) != len(before)+1 {
		t.Errorf("changed figures = %v, want exactly %v", changed, want)
	}
	if again := env.staff.post(t, a.location, url.Values{"action": {"commit"}}); again.status != http.StatusNotFound {
		t.Errorf("a second commit of the same upload = %d, want 404", again.status)
	}
}

func storeStaff(t *testing.T, s *testServer) *models.User {
	t.Helper()
	users, err := s.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range users {
		if users[i].Login == "staff" {
			return &users[i]
		}
	}
	t.Fatal("no staff user")
	return nil
}

// zipBombXLSX is a small xlsx whose worksheet inflates to 40 MB of spaces.
func zipBombXLSX(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":            `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`,
	} {
		w, _ := z.Create(name)
		w.Write([]byte(body))
	}
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 40 {
		w.Write(chunk)
	}
	z.Close()
	if buf.Len() > 200<<10 {
		t.Fatalf("the zip bomb is %d bytes, want a small file", buf.Len())
	}
	return buf.Bytes()
}

// TestUploadBadInputs sends bad files; each gets a 4xx or a preview with
// row problems, and the database does not change.
func TestUploadBadInputs(t *testing.T) {
	env := newUploadEnv(t)
	f := env.template(t)
	own := env.own
	change := func(month int, col int, v string) func([][]string) [][]string {
		return func(rows [][]string) [][]string {
			csvRow(rows, own, month)[col] = v
			return rows
		}
	}
	good := templateCSV(t, f, change(6, 8, "5"))
	eucKR, err := korean.EUCKR.NewEncoder().Bytes(templateCSV(t, f, func(rows [][]string) [][]string {
		r := csvRow(rows, own, 6)
		r[8], r[10] = "5", "엑셀에서 저장"
		return rows
	}))
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("1,6,0,,1\n"), (5<<20)/9+1)
	many := append([]byte("지표번호,월,버전,현재 값,입력 값\n"), bytes.Repeat([]byte("1,6,0,,\n"), 50_001)...)
	tests := []struct {
		name, file string
		content    []byte
		status     int    // the answer, or 200 for a preview
		want       string // a phrase of the answer
		canSave    bool   // the preview offers to save
	}{
		{"zip bomb", "bomb.xlsx", zipBombXLSX(t), http.StatusRequestEntityTooLarge, "압축을 풀면", false},
		{"CSV with BOM", "bom.csv", append([]byte("\ufeff"), good...), http.StatusOK, "CSV (UTF-8)", true},
		{"CSV with CRLF", "crlf.csv", bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")), http.StatusOK, "<strong>5</strong>", true},
		{"CSV in EUC-KR", "euckr.csv", eucKR, http.StatusOK, "EUC-KR(CP949) 파일로 보고 읽었습니다", true},
		{"CSV in EUC-KR, note decoded", "euckr.csv", eucKR, http.StatusOK, "<td>엑셀에서 저장</td>", true},
		{"CSV missing a column", "missing.csv", templateCSV(t, f, func(rows [][]string) [][]string {
			for i := range rows {
				rows[i] = append(rows[i][:6], rows[i][7:]...) // no 버전
			}
			return rows
		}), http.StatusUnprocessableEntity, "꼭 필요한 열이 없습니다: 버전", false},
		{"CSV with extra columns", "extra.csv", templateCSV(t, f, func(rows [][]string) [][]string {
			rows[0] = append(rows[0], "담당자")
			return rows
		}), http.StatusUnprocessableEntity, "입력 서식에 없는 열이 있습니다: 담당자", false},
		{"CSV with a formula value", "formula.csv", templateCSV(t, f, change(6, 8, "=1+1")), http.StatusUnprocessableEntity, "수식은 넣을 수 없습니다", false},
		{"CSV with a formula note", "note.csv", templateCSV(t, f, func(rows [][]string) [][]string {
			r := csvRow(rows, own, 6)
			r[8], r[10] = "5", `@SUM(A1)`
			return rows
		}), http.StatusUnprocessableEntity, "수식은 넣을 수 없습니다", false},
		{"negative value", "neg.csv", templateCSV(t, f, change(6, 8, "-5")), http.StatusUnprocessableEntity, "0 이상의 숫자만", false},
		{"file over 5 MB", "big.csv", big, http.StatusRequestEntityTooLarge, "5MB 이하", false},
		{"over 50,000 rows", "many.csv", many, http.StatusRequestEntityTooLarge, "50,000행까지", false},
		{"non-numeric value", "text.csv", templateCSV(t, f, change(6, 8, "열두")), http.StatusUnprocessableEntity, "숫자만 입력하세요", false},
		{"exponent", "exp.csv", templateCSV(t, f, change(6, 8, "1e3")), http.StatusUnprocessableEntity, "지수 표기", false},
		{"Arabic-Indic digits", "arabic.csv", templateCSV(t, f, change(6, 8, "١٢")), http.StatusUnprocessableEntity, "0–9", false},
		{"future month", "future.csv", templateCSV(t, f, change(7, 8, "3")), http.StatusUnprocessableEntity, "아직 오지 않았습니다", false},
		{"locked month", "locked.csv", templateCSV(t, f, change(5, 8, "3")), http.StatusUnprocessableEntity, "마감되었습니다", false},
		{"fraction of a count", "frac.csv", templateCSV(t, f, change(6, 8, "1.5")), http.StatusUnprocessableEntity, "정수만", false},
		{"over twice the target", "twice.csv", templateCSV(t, f, change(6, 8, "300")), http.StatusUnprocessableEntity, "두 배가 넘습니다", false},
		{"another department", "other.csv", templateCSV(t, f, func(rows [][]string) [][]string {
			r := csvRow(rows, own, 6)
			r[0], r[8] = strconv.Itoa(int(env.other)), "5"
			return rows
		}), http.StatusUnprocessableEntity, "이 부서의 이 연도 지표가 아닙니다", false},
		{"old Excel file", "old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), http.StatusUnprocessableEntity, "xls", false},
		{"broken xlsx", "broken.xlsx", []byte("PK\x03\x04 not really a zip"), http.StatusUnprocessableEntity, "xlsx 파일을 열 수 없습니다", false},
		{"unpaired quote", "quote.csv", []byte("지표번호,월,버전,현재 값,입력 값\n1,6,0,\"x,1\n2,6\"x\",0,,1\n"), http.StatusUnprocessableEntity, "큰따옴표", false},
		{"empty file", "empty.csv", []byte{}, http.StatusUnprocessableEntity, "파일이 비어 있습니다", false},
		{"body over the limit", "huge.csv", bytes.Repeat([]byte("x"), 6<<20), http.StatusRequestEntityTooLarge, "5MB 이하", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := dbChecksum(t, env.s.db)
			p := env.staff.preview(t, env.staff.upload(t, env.path("/upload"), tt.file, tt.content))
			if p.status != tt.status || !strings.Contains(p.body, tt.want) {
				t.Errorf("%s = %d, want %d saying %q: %.3000s", tt.name, p.status, tt.status, tt.want, p.body)
			}
			if can := saveButton.MatchString(p.body); can != tt.canSave {
				t.Errorf("the answer offers to save: %v, want %v", can, tt.canSave)
			}
			if tt.status >= 400 && !strings.Contains(p.body, "<h1") {
				t.Errorf("the error answer has no heading")
			}
			if after := dbChecksum(t, env.s.db); after != before {
				t.Errorf("the database changed")
			}
		})
	}
}

// TestUploadStaleVersion changes a figure after the template was
// downloaded: the preview says so, and a save after a clean preview is
// refused with nothing written.
func TestUploadStaleVersion(t *testing.T) {
	env := newUploadEnv(t)
	ctx := context.Background()
	f := env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 9)
	file := workbookBytes(t, f)
	// Someone saves the same cell after the download.
	if _, _, err := env.s.store.SaveFigure(ctx, storeStaff(t, env.s), models.FigureInput{IndicatorID: env.own, Year: env.year, Month: 6, Value: "2"}); err != nil {
		t.Fatal(err)
	}
	before := dbChecksum(t, env.s.db)
	p := env.staff.preview(t, env.staff.upload(t, env.path("/upload"), "stale.xlsx", file))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "그 사이 staff님이") || saveButton.MatchString(p.body) {
		t.Errorf("a stale upload's preview = %d; want the conflict and no save button: %.2000s", p.status, p.body)
	}
	if dbChecksum(t, env.s.db) != before {
		t.Error("the preview of a stale file wrote to the database")
	}

	// A clean preview, then a change before the save: nothing is written.
	f = env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 9)
	setTemplateCell(t, f, env.own+1, 6, "I", 1)
	a := env.staff.upload(t, env.path("/upload"), "race.xlsx", workbookBytes(t, f))
	if p := env.staff.preview(t, a); !saveButton.MatchString(p.body) {
		t.Fatalf("clean preview = %d: %.2000s", p.status, p.body)
	}
	fig, _ := env.s.store.Figure(ctx, env.own, env.year, 6)
	if _, _, err := env.s.store.SaveFigure(ctx, storeStaff(t, env.s), models.FigureInput{IndicatorID: env.own, Year: env.year, Month: 6, Value: "3", Version: fig.Version}); err != nil {
		t.Fatal(err)
	}
	before = dbChecksum(t, env.s.db)
	c := env.staff.post(t, a.location, url.Values{"action": {"commit"}})
	if c.status != http.StatusConflict || !strings.Contains(c.body, "그 사이 staff님이") || !strings.Contains(c.body, "아무것도 저장하지 않았습니다") {
		t.Errorf("commit after a change = %d, want 409 naming who changed it: %.2000s", c.status, c.body)
	}
	if dbChecksum(t, env.s.db) != before {
		t.Error("a refused commit wrote to the database")
	}
}

// TestUploadAccess checks who may use the upload and download routes.
func TestUploadAccess(t *testing.T) {
	env := newUploadEnv(t)
	for _, path := range []string{"/template.xlsx", "/export.xlsx", "/export.csv", "/upload"} {
		if a := env.s.newClient(t).get(t, env.path(path)); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/login") {
			t.Errorf("anonymous GET %s = %d %s, want the login page", path, a.status, a.location)
		}
		if a := env.s.loginAs(t, "council").get(t, env.path(path)); a.status != http.StatusForbidden {
			t.Errorf("council GET %s = %d, want 403", path, a.status)
		}
	}
	if a := env.s.loginAs(t, "official").get(t, env.path("/template.xlsx?dept=없는과")); a.status != http.StatusNotFound {
		t.Errorf("an unknown department = %d, want 404", a.status)
	}
	if a := env.staff.get(t, env.path("/upload/nosuchtoken")); a.status != http.StatusNotFound || !strings.Contains(a.body, "만료") {
		t.Errorf("an unknown upload = %d, want 404 saying it expired", a.status)
	}
	if a := env.staff.get(t, env.path("/upload?lang=en")); a.status != http.StatusOK || !strings.Contains(a.body, "Upload and check") || !strings.Contains(a.body, `enctype="multipart/form-data"`) {
		t.Errorf("English upload form = %d: %.500s", a.status, a.body)
	}
	if a := env.staff.get(t, env.path("")); !strings.Contains(a.body, env.path("/upload?dept=")) || !strings.Contains(a.body, "export.csv") {
		t.Error("the entry grid does not link to the upload and the exports")
	}
}

// TestExportNeutralisesFormulas exports notes that a spreadsheet would run.
func TestExportNeutralisesFormulas(t *testing.T) {
	env := newUploadEnv(t)
	ctx := context.Background()
	u := storeStaff(t, env.s)
	for id, note := range map[uint]string{env.own: `=HYPERLINK("http://x")`, env.own + 1: "@SUM(A1)"} {
		if _, _, err := env.s.store.SaveFigure(ctx, u, models.FigureInput{IndicatorID: id, Year: env.year, Month: 6, Value: "1", Note: note}); err != nil {
			t.Fatal(err)
		}
	}
	a := env.staff.get(t, env.path("/export.csv"))
	if a.status != http.StatusOK || !strings.HasPrefix(a.body, "\ufeff") || !strings.Contains(a.body, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(a.body, ",'@SUM(A1),") {
		t.Errorf("export.csv = %d, want formula-like notes neutralised: %s", a.status, a.body)
	}
	x := env.staff.get(t, env.path("/export.xlsx"))
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("export.xlsx = %d: %v", x.status, err)
	}
	defer f.Close()
	rows, _ := f.GetRows("실적")
	if len(rows) != 3 {
		t.Fatalf("export.xlsx has %d rows, want a heading and 2 figures", len(rows))
	}
	for i := 2; i <= 3; i++ {
		if formula, _ := f.GetCellFormula("실적", fmt.Sprintf("H%d", i)); formula != "" {
			t.Errorf("H%d is a formula: %q", i, formula)
		}
	}
}

// TestBrowserUpload uploads a template in Chromium: the form, a preview
// with changes and a preview with problems pass axe and the CSP, and
// saving lands back on the entry grid.
func TestBrowserUpload(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	env := newUploadEnv(t)
	f := env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 8)
	setTemplateCell(t, f, env.own+1, 6, "I", 2)
	good := filepath.Join(t.TempDir(), "실적.xlsx")
	os.WriteFile(good, workbookBytes(t, f), 0o644)
	setTemplateCell(t, f, env.own, 7, "I", 3)
	setTemplateCell(t, f, env.own+1, 6, "I", "=A1")
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	os.WriteFile(bad, workbookBytes(t, f), 0o644)

	own, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(own); err != nil {
		t.Fatal(err)
	}
	signIn(t, own, env.s.URL, "staff")
	for _, tc := range []struct {
		file, wait string
	}{{bad, ".upload-problems"}, {good, ".upload-changes"}} {
		tab, v := visit(t, own, env.s.URL+env.path("/upload"))
		checkAxe(t, tab, v)
		err := chromedp.Do(tab,
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{tc.file}),
			chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(tc.wait)),
		)
		if err != nil {
			v.failf(t, tab, "upload %s: %v", filepath.Base(tc.file), err)
			continue
		}
		checkAxe(t, tab, v)
		if csp, _ := chromedp.Run(tab, chromedp.Evaluate[[]string](`window.__csp`)); len(csp) > 0 {
			v.failf(t, tab, "CSP violations: %v", csp)
		}
		if tc.file != good {
			continue
		}
		// The preview has a notice of its own: wait for the next page's.
		clickAndLoad(t, tab, `button[name=action][value=commit]`)
		notice, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('.notice').textContent`))
		if err != nil || !strings.Contains(notice, "2칸") {
			v.failf(t, tab, "save: %v, notice %q", err, notice)
		}
	}
}

// TestDownloadNames: every download is named with its extension, in the
// ASCII name and in the UTF-8 one, in both languages, so that Windows
// opens it and the upload picker shows it.
func TestDownloadNames(t *testing.T) {
	env := newUploadEnv(t)
	if _, _, err := env.s.store.SaveFigure(context.Background(), storeStaff(t, env.s), models.FigureInput{IndicatorID: env.own, Year: env.year, Month: 6, Value: "4"}); err != nil {
		t.Fatal(err)
	}
	ascii := regexp.MustCompile(`filename="([^"]*)"`)
	utf8 := regexp.MustCompile(`filename\*=UTF-8''([^;\s]*)`)
	for _, tc := range []struct{ path, ext string }{
		{env.path("/template.xlsx"), ".xlsx"}, {env.path("/export.xlsx"), ".xlsx"}, {env.path("/export.csv"), ".csv"},
		{fmt.Sprintf("/plans/%d/results.csv", env.year), ".csv"}, {fmt.Sprintf("/plans/%d/indicators/%d/history.csv", env.year, env.own), ".csv"},
	} {
		for _, lang := range []string{"ko", "en"} {
			path := tc.path
			if lang == "en" {
				path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "lang=en"
			}
			a := env.staff.get(t, path)
			cd := a.header.Get("Content-Disposition")
			a1, u1 := ascii.FindStringSubmatch(cd), utf8.FindStringSubmatch(cd)
			if a.status != http.StatusOK || a1 == nil || u1 == nil {
				t.Errorf("%s = %d, Content-Disposition %q: want both filename and filename*", path, a.status, cd)
				continue
			}
			name, err := url.PathUnescape(u1[1])
			if err != nil || !strings.HasSuffix(a1[1], tc.ext) || !strings.HasSuffix(name, tc.ext) {
				t.Errorf("%s is named %q and %q, want both to end in %s", path, a1[1], name, tc.ext)
			}
		}
	}
}

// TestReuploadUnchanged uploads a file again after saving it: its rows
// now equal what is stored, so they are neither changes nor conflicts.
func TestReuploadUnchanged(t *testing.T) {
	env := newUploadEnv(t)
	f := env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 16)
	file := workbookBytes(t, f)
	a := env.staff.upload(t, env.path("/upload"), "실적.xlsx", file)
	if p := env.staff.preview(t, a); !saveButton.MatchString(p.body) {
		t.Fatalf("first upload = %d: %.2000s", p.status, p.body)
	}
	if c := env.staff.post(t, a.location, url.Values{"action": {"commit"}}); c.status != http.StatusSeeOther {
		t.Fatalf("commit = %d: %.500s", c.status, c.body)
	}
	before := dbChecksum(t, env.s.db)
	p := env.staff.preview(t, env.staff.upload(t, env.path("/upload"), "실적.xlsx", file))
	if p.status != http.StatusOK || strings.Contains(p.body, "그 사이") || !strings.Contains(p.body, "현재 값과 다른 칸이 없습니다") {
		t.Errorf("the same file again = %d; want 200 with no change and no conflict: %.2000s", p.status, p.body)
	}
	if dbChecksum(t, env.s.db) != before {
		t.Error("the second upload changed the database")
	}
}

// TestUploadTypedNumbers: a file may carry "1,000" and full-width digits
// as text, the way people type and paste them; they are read as numbers.
func TestUploadTypedNumbers(t *testing.T) {
	env := newUploadEnv(t)
	f := env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", "1,000")
	setTemplateCell(t, f, env.own, 6, "J", "예")
	setTemplateCell(t, f, env.own, 6, "K", "행사 특별 채용")
	setTemplateCell(t, f, env.own+1, 6, "I", "２０")
	a := env.staff.upload(t, env.path("/upload"), "typed.xlsx", workbookBytes(t, f))
	if p := env.staff.preview(t, a); p.status != http.StatusOK || !saveButton.MatchString(p.body) {
		t.Fatalf(`"1,000" and "２０" in a file = %d: %.2000s`, p.status, p.body)
	}
	if c := env.staff.post(t, a.location, url.Values{"action": {"commit"}}); c.status != http.StatusSeeOther {
		t.Fatalf("commit = %d: %.500s", c.status, c.body)
	}
	got := planFigures(t, env.s, env.year)
	if got[fmt.Sprintf("%d/6", env.own)] != `1000 v1 draft "행사 특별 채용"` || got[fmt.Sprintf("%d/6", env.own+1)] != `20 v1 draft ""` {
		t.Errorf("stored %v, want 1000 and 20", got)
	}
}
