package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/korean"

	"jobkpi/models"
)

// Limits of a figures upload.
const (
	// MaxUploadBytes bounds an uploaded file.
	MaxUploadBytes = 5 << 20
	// MaxUploadRows bounds the rows of the data sheet, heading included.
	MaxUploadRows = 50_000
	// maxUploadBody leaves room for the multipart envelope around the file.
	maxUploadBody = MaxUploadBytes + 64<<10
	// unzipLimit and unzipXMLLimit bound what an xlsx may inflate to. A zip
	// bomb is refused from its directory, before anything is inflated.
	unzipLimit    = 20 << 20
	unzipXMLLimit = 10 << 20
	// uploadLife is how long a read file waits to be saved.
	uploadLife = 15 * time.Minute
	// uploadWait is how long the upload waits for a quick file before it
	// shows the progress page.
	uploadWait = time.Second
	// maxImports bounds the files held at once, across users.
	maxImports = 64
	// maxProblems bounds the row problems kept per file; the page counts
	// the rest.
	maxProblems = 500
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The columns of the data sheet, in order. id, month, version and current
// are what the template carried; value, confirm and note are the input.
const (
	colID = iota
	colName
	colUnit
	colTarget
	colMonth
	colStatus
	colVersion
	colCurrent
	colValue
	colConfirm
	colNote
	numCols
)

// sheetColumn is a column of the data sheet; its heading is the catalogue
// message "excel.col."+key, in either language.
type sheetColumn struct {
	key      string
	required bool
	width    float64
}

var dataColumns = [numCols]sheetColumn{
	{"id", true, 10}, {"name", false, 34}, {"unit", false, 8}, {"target", false, 10}, {"month", true, 6},
	{"status", false, 14}, {"version", true, 8}, {"current", true, 11}, {"value", true, 11}, {"confirm", false, 14}, {"note", false, 40},
}

// SkipBodyLimit tells the global body limit to leave the upload to its own,
// larger one (Imports.Limit).
func SkipBodyLimit(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/entry/:year/upload"
}

// EntryTemplate sends the upload template of a department's year: one row
// per indicator and month with the current value and version, the key
// columns protected, and a sheet of instructions.
func (h *Handler) EntryTemplate(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	lockDay, err := h.store.LockDay(c.Request().Context())
	if err != nil {
		return err
	}
	f, err := buildTemplate(p, lockDay)
	if err != nil {
		return err
	}
	defer f.Close()
	return sendXLSX(c, f, fmt.Sprintf("figures-%d-template.xlsx", p.Year), p.T("excel.file.template", p.Year, p.Dept))
}

func buildTemplate(p *entryPage, lockDay int) (*excelize.File, error) {
	f := excelize.NewFile()
	sheet := p.T("excel.sheet.data")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	keep, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
	input, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
		Protection: &excelize.Protection{Locked: false}, Border: []excelize.Border{{Type: "bottom", Color: "BFBFBF", Style: 1}}})
	heading := make([]any, numCols)
	for i, col := range dataColumns {
		heading[i] = p.T("excel.col." + col.key)
	}
	if err := f.SetSheetRow(sheet, "A1", &heading); err != nil {
		return nil, err
	}
	last := 1
	for _, r := range p.Rows {
		for m, cell := range r.Cells {
			last++
			row := []any{int(r.Indicator.ID), r.Name, r.Unit, r.Indicator.Target, m + 1, templateStatus(p, &cell), cell.Version, "", "", "", cell.Note}
			if cell.Figure != nil {
				row[colCurrent], row[colValue] = cell.Figure.Value, cell.Figure.Value
			}
			if err := f.SetSheetRow(sheet, cellName(0, last), &row); err != nil {
				return nil, err
			}
			style := keep
			if cell.Editable {
				style = input
			}
			if err := f.SetCellStyle(sheet, cellName(colValue, last), cellName(colNote, last), style); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetCellStyle(sheet, "A1", cellName(numCols-1, 1), head); err != nil {
		return nil, err
	}
	for i, col := range dataColumns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return nil, err
		}
	}
	if err := templateRules(f, p, sheet, last); err != nil {
		return nil, err
	}
	if err := addGuide(f, p, lockDay); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// templateRules freezes the heading, checks the input in Excel as a first
// help (the server checks again), and protects every cell but the input.
func templateRules(f *excelize.File, p *entryPage, sheet string, last int) error {
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if last > 1 {
		value := excelize.NewDataValidation(true)
		value.SetSqref(cellName(colValue, 2) + ":" + cellName(colValue, last))
		if err := value.SetRange(0, float64(models.MaxValue), excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		value.SetError(excelize.DataValidationErrorStyleStop, p.T("excel.col.value"), p.T("excel.rule.value"))
		confirm := excelize.NewDataValidation(true)
		confirm.SetSqref(cellName(colConfirm, 2) + ":" + cellName(colConfirm, last))
		if err := confirm.SetDropList([]string{p.T("excel.yes")}); err != nil {
			return err
		}
		for _, dv := range []*excelize.DataValidation{value, confirm} {
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
}

// addGuide writes the instructions sheet.
func addGuide(f *excelize.File, p *entryPage, lockDay int) error {
	guide := p.T("excel.sheet.guide")
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	lines := []string{p.T("excel.guide.title", p.Year, p.Dept), "",
		p.T("excel.guide.cells"), p.T("excel.guide.numbers"), p.T("excel.guide.counts"), p.T("excel.guide.months", lockDay),
		p.T("excel.guide.twice"), p.T("excel.guide.clear"), p.T("excel.guide.versions"), p.T("excel.guide.changes"),
		p.T("excel.guide.save"), p.T("excel.guide.csv", MaxUploadBytes>>20, formatNumber(MaxUploadRows))}
	for i, line := range lines {
		if err := f.SetCellStr(guide, cellName(0, i+1), line); err != nil {
			return err
		}
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err := f.SetColWidth(guide, "A", "A", 110); err != nil {
		return err
	}
	if err := f.SetCellStyle(guide, "A2", cellName(0, len(lines)), wrap); err != nil {
		return err
	}
	return f.SetCellStyle(guide, "A1", "A1", title)
}

func templateStatus(p *entryPage, c *entryCell) string {
	switch {
	case c.Future:
		return p.T("excel.future")
	case c.Locked && !c.Editable:
		return p.T("figure."+c.Status) + " · " + p.T("entry.locked")
	}
	return p.T("figure." + c.Status)
}

// cellName names the cell of a 0-based column and a 1-based row: A1.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

func sendXLSX(c echo.Context, f *excelize.File, ascii, name string) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	attach(c, ascii, name)
	return c.Blob(http.StatusOK, xlsxType, buf.Bytes())
}

// attach names a download, in ASCII for old clients and in UTF-8 for the rest.
func attach(c echo.Context, ascii, name string) {
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name)))
	c.Response().Header().Set("Cache-Control", "no-store")
}

// exportRow is one figure as the export lists it.
type exportRow struct {
	id, month       int
	name, unit      string
	value, approved *float64
	status, note    string
	by, at          string
}

func exportRows(p *entryPage) ([]string, []exportRow) {
	head := []string{p.T("excel.col.id"), p.T("excel.col.name"), p.T("excel.col.unit"), p.T("excel.col.month"), p.T("excel.col.figure"),
		p.T("excel.col.status"), p.T("excel.col.approved"), p.T("excel.col.note"), p.T("excel.col.by"), p.T("excel.col.at")}
	var out []exportRow
	for _, r := range p.Rows {
		for _, cell := range r.Cells {
			f := cell.Figure
			if f == nil {
				continue
			}
			v := f.Value
			out = append(out, exportRow{id: int(r.Indicator.ID), month: cell.Month, name: r.Name, unit: r.Unit, value: &v, approved: f.Approved,
				status: p.T("figure." + cell.Status), note: f.Note, by: f.UpdatedBy, at: f.UpdatedAt.In(models.KST).Format("2006-01-02 15:04")})
		}
	}
	return head, out
}

// ExportCSV sends a department's figures of a year as CSV (UTF-8 with BOM,
// for Excel), with formula-like cells neutralised.
func (h *Handler) ExportCSV(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	head, rows := exportRows(p)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Write(head)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatValue(*v)
	}
	for _, r := range rows {
		w.Write(safeCSV([]string{strconv.Itoa(r.id), r.name, r.unit, strconv.Itoa(r.month), num(r.value), r.status, num(r.approved), r.note, r.by, r.at}))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	attach(c, fmt.Sprintf("figures-%d.csv", p.Year), p.T("excel.file.export", p.Year, p.Dept)+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// ExportXLSX sends a department's figures of a year as xlsx. Text goes in
// as text, never as a formula.
func (h *Handler) ExportXLSX(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	head, rows := exportRows(p)
	f := excelize.NewFile()
	defer f.Close()
	sheet := p.T("excel.sheet.data")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, s := range head {
		f.SetCellStr(sheet, cellName(i, 1), s)
	}
	for i, r := range rows {
		line := i + 2
		f.SetCellInt(sheet, cellName(0, line), int64(r.id))
		f.SetCellStr(sheet, cellName(1, line), r.name)
		f.SetCellStr(sheet, cellName(2, line), r.unit)
		f.SetCellInt(sheet, cellName(3, line), int64(r.month))
		f.SetCellFloat(sheet, cellName(4, line), *r.value, -1, 64)
		f.SetCellStr(sheet, cellName(5, line), r.status)
		if r.approved != nil {
			f.SetCellFloat(sheet, cellName(6, line), *r.approved, -1, 64)
		}
		f.SetCellStr(sheet, cellName(7, line), r.note)
		f.SetCellStr(sheet, cellName(8, line), r.by)
		f.SetCellStr(sheet, cellName(9, line), r.at)
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle(sheet, "A1", cellName(len(head)-1, 1), bold)
	f.SetColWidth(sheet, "B", "B", 34)
	f.SetColWidth(sheet, "H", "H", 40)
	f.SetColWidth(sheet, "J", "J", 17)
	return sendXLSX(c, f, fmt.Sprintf("figures-%d.xlsx", p.Year), p.T("excel.file.export", p.Year, p.Dept)+".xlsx")
}

// Imports reads uploaded figure files in the background and keeps each
// result for uploadLife, until its owner saves or drops it. A result is
// found by a random token and only by the session that uploaded the file.
type Imports struct {
	h    *Handler
	mu   sync.Mutex
	jobs map[string]*importJob
}

// NewImports builds the upload flow on top of h.
func NewImports(h *Handler) *Imports {
	return &Imports{h: h, jobs: map[string]*importJob{}}
}

// importJob is one uploaded file: read in the background, then kept until
// it is saved, dropped or expires.
type importJob struct {
	token   string
	session uint
	user    models.User
	year    int
	dept    string
	file    string
	lang    Lang
	expires time.Time
	read    atomic.Int64 // rows read so far
	total   atomic.Int64 // rows expected, 0 while unknown
	done    chan struct{}
	// Guarded by Imports.mu; set before done closes.
	res    *importResult
	fatal  *webError
	saving bool
}

// importResult is what a file would change and what is wrong with it. It
// is never changed once made; a refused save replaces it.
type importResult struct {
	format   string // xlsx, csv, csv-euckr
	sheet    string
	rows     int
	cols     [numCols]int // the file's column of each data column, -1 if absent
	changes  []importChange
	problems []rowProblem
	more     int        // problems beyond maxProblems
	noteOnly int        // rows whose note alone differs: not saved
	table    []tableRow // the rows read, until compare
	formulas [][2]int   // xlsx input cells holding a formula: line, data column
}

// importChange is one cell the file changes.
type importChange struct {
	line int
	ind  models.Indicator
	old  string
	in   models.FigureInput
}

// rowProblem is something wrong in a row of the file.
type rowProblem struct {
	line int
	col  int // a data column, or -1
	msg  string
}

func (r *importResult) fail(line, col int, msg string) {
	if len(r.problems) >= maxProblems {
		r.more++
		return
	}
	r.problems = append(r.problems, rowProblem{line, col, msg})
}

// Limit replaces the global body limit on the upload: it refuses a body
// over maxUploadBody with 413 and reads the multipart form itself, before
// the CSRF check reads it with no limit of its own.
func (im *Imports) Limit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > maxUploadBody {
			return &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.too.large", Args: []any{MaxUploadBytes >> 20}}
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, maxUploadBody)
		err := req.ParseMultipartForm(maxUploadBody)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.too.large", Args: []any{MaxUploadBytes >> 20}}
		case err != nil && !errors.Is(err, http.ErrNotMultipart):
			return badRequest("upload.bad.form")
		}
		return next(c)
	}
}

// uploadPage is the upload form, the progress of a file being read, or the
// preview of what it changes.
type uploadPage struct {
	*formPage
	Year     int
	Dept     string
	Depts    []string
	Mode     string // form, progress or preview
	File     string
	Percent  int
	Read     int64
	Total    int64
	Format   string
	EUCKR    bool
	Rows     int
	Changes  []changeView
	Problems []problemView
	More     int
	NoteOnly int
	Saving   bool // no problems and something to save
	Token    string
}

type changeView struct {
	Line           int
	Name, Unit     string
	Month          int
	Old, New, Note string
	Confirm        bool
	Problems       []string
}

type problemView struct {
	ID                     string
	Sheet, Column, Message string
	Line                   int
}

// MaxMB and MaxRows state the limits on the form.
func (p *uploadPage) MaxMB() int      { return MaxUploadBytes >> 20 }
func (p *uploadPage) MaxRows() string { return formatNumber(MaxUploadRows) }

// MaxBytes is the file limit in bytes, for the size check in upload.js.
func (p *uploadPage) MaxBytes() int { return MaxUploadBytes }

// FormURL, TemplateURL and StatusURL link the steps of the upload.
func (p *uploadPage) FormURL() string {
	return withLang(fmt.Sprintf("/entry/%d/upload?dept=%s", p.Year, urlEscape(p.Dept)), p.Lang)
}
func (p *uploadPage) TemplateURL() string {
	return withLang(fmt.Sprintf("/entry/%d/template.xlsx?dept=%s", p.Year, urlEscape(p.Dept)), p.Lang)
}
func (p *uploadPage) StatusURL() string {
	return withLang(fmt.Sprintf("/entry/%d/upload/%s", p.Year, p.Token), p.Lang)
}

// PostURL is where the form posts; the query keeps the language for the
// error page of a refused body.
func (p *uploadPage) PostURL() string {
	return withLang(fmt.Sprintf("/entry/%d/upload", p.Year), p.Lang)
}

func (im *Imports) newPage(c echo.Context, year int, dept string, depts []string) *uploadPage {
	p := &uploadPage{formPage: newFormPage(im.h.page(c, "upload.title")), Year: year, Dept: dept, Depts: depts, Mode: "form"}
	p.Title = p.T("upload.heading", year, dept)
	p.Crumbs = []crumb{{Name: p.T("entry.heading", year, dept), URL: withLang(fmt.Sprintf("/entry/%d?dept=%s", year, urlEscape(dept)), p.Lang)},
		{Name: p.T("upload.title")}}
	return p
}

// UploadForm shows the form to upload a filled-in template.
func (im *Imports) UploadForm(c echo.Context) error {
	ep, err := im.h.entryPage(c)
	if err != nil {
		return err
	}
	p := im.newPage(c, ep.Year, ep.Dept, ep.Depts)
	if c.QueryParam("done") == "cancel" {
		p.Notice = p.T("upload.cancelled")
	}
	return im.h.renderForm(c, http.StatusOK, "upload", p)
}

// Upload starts reading an uploaded xlsx or CSV file and sends to its
// progress or preview page. Nothing is saved yet.
func (im *Imports) Upload(c echo.Context) error {
	ep, err := im.h.entryPage(c)
	if err != nil {
		return err
	}
	p := im.newPage(c, ep.Year, ep.Dept, ep.Depts)
	data, name, werr := readUploadFile(c)
	if werr == nil {
		werr = sniff(data)
	}
	if werr != nil {
		if werr.Status == http.StatusRequestEntityTooLarge {
			return werr
		}
		p.fail("file", p.T(werr.Key, werr.Args...))
		return im.h.renderForm(c, werr.Status, "upload", p)
	}
	job, err := im.start(c, ep, name)
	if err != nil {
		return err
	}
	go im.run(job, data, ep.Rows)
	select {
	case <-job.done:
	case <-time.After(uploadWait):
	}
	if _, fatal, done := im.state(job); done && fatal != nil {
		im.drop(job.token)
		p.fail("file", p.T(fatal.Key, fatal.Args...))
		return im.h.renderForm(c, fatal.Status, "upload", p)
	}
	p.Token = job.token
	return back(c, p.StatusURL())
}

func readUploadFile(c echo.Context) ([]byte, string, *webError) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Filename == "" {
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.no.file"}
	}
	if fh.Size > MaxUploadBytes {
		return nil, "", &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.too.large", Args: []any{MaxUploadBytes >> 20}}
	}
	if fh.Size == 0 {
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.empty"}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", &webError{Status: http.StatusBadRequest, Key: "upload.bad.form"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxUploadBytes+1))
	if err != nil || len(data) > MaxUploadBytes {
		return nil, "", &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.too.large", Args: []any{MaxUploadBytes >> 20}}
	}
	name := strings.ToValidUTF8(fh.Filename, "")
	if len(name) > 200 {
		name = name[:200]
	}
	return data, name, nil
}

// sniff refuses what is neither xlsx nor text before anything is read.
func sniff(data []byte) *webError {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xls"}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.utf16"}
	case !isZip(data) && bytes.IndexByte(data, 0) >= 0:
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.unknown"}
	}
	return nil
}

func isZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// start registers a job for the request's session, after dropping expired
// ones; each session reads one file at a time.
func (im *Imports) start(c echo.Context, ep *entryPage, name string) (*importJob, error) {
	sess, u := currentSession(c), currentUser(c)
	if sess == nil || u == nil {
		return nil, &webError{Status: http.StatusForbidden, Key: "error.forbidden"}
	}
	b := make([]byte, 18)
	rand.Read(b)
	job := &importJob{token: base64.RawURLEncoding.EncodeToString(b), session: sess.ID, user: *u, year: ep.Year, dept: ep.Dept, file: name,
		lang: ep.Lang, expires: im.h.now().Add(uploadLife), done: make(chan struct{})}
	im.mu.Lock()
	defer im.mu.Unlock()
	im.sweep()
	for _, j := range im.jobs {
		select {
		case <-j.done:
		default:
			if j.session == sess.ID {
				return nil, &webError{Status: http.StatusTooManyRequests, Key: "upload.busy.you"}
			}
		}
	}
	if len(im.jobs) >= maxImports {
		return nil, &webError{Status: http.StatusTooManyRequests, Key: "upload.busy"}
	}
	im.jobs[job.token] = job
	return job, nil
}

// sweep drops expired jobs; im.mu must be held.
func (im *Imports) sweep() {
	now := im.h.now()
	for k, j := range im.jobs {
		if now.After(j.expires) {
			delete(im.jobs, k)
		}
	}
}

func (im *Imports) drop(token string) {
	im.mu.Lock()
	delete(im.jobs, token)
	im.mu.Unlock()
}

// state reads a job's outcome: done is false while the file is being read.
func (im *Imports) state(job *importJob) (*importResult, *webError, bool) {
	select {
	case <-job.done:
	default:
		return nil, nil, false
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	return job.res, job.fatal, true
}

// find returns the request's job: one of the session's, for the year in
// the path, not expired.
func (im *Imports) find(c echo.Context) (*importJob, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	sess := currentSession(c)
	im.mu.Lock()
	defer im.mu.Unlock()
	im.sweep()
	job := im.jobs[c.Param("token")]
	if job == nil || sess == nil || job.session != sess.ID || job.year != year {
		return nil, notFound("upload.expired")
	}
	return job, nil
}

// run reads the file and checks every change as a save would, without
// saving. It never panics: a file that breaks the reader is refused.
func (im *Imports) run(job *importJob, data []byte, rows []entryRow) {
	var res *importResult
	var fatal *webError
	defer func() {
		if r := recover(); r != nil {
			im.h.log.Error("read upload", "file", job.file, "panic", r, "stack", string(debug.Stack()))
			res, fatal = nil, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.unreadable"}
		}
		im.mu.Lock()
		job.res, job.fatal = res, fatal
		im.mu.Unlock()
		close(job.done)
	}()
	res, fatal = readUpload(job, data)
	if fatal != nil {
		return
	}
	compare(res, job, rows)
	if len(res.changes) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := im.check(ctx, job, res); err != nil {
		im.h.log.Error("check upload", "err", err)
		res, fatal = nil, &webError{Status: http.StatusInternalServerError, Key: "error.500.help"}
		return
	}
	slices.SortStableFunc(res.problems, func(a, b rowProblem) int { return a.line - b.line })
}

// check runs the changes of rows without problems through the store's own
// rules (department, value, lock, version) and records what it refuses.
func (im *Imports) check(ctx context.Context, job *importJob, res *importResult) error {
	bad := map[int]bool{}
	for _, pr := range res.problems {
		bad[pr.line] = true
	}
	var ins []models.FigureInput
	var at []int
	for i, ch := range res.changes {
		if !bad[ch.line] {
			ins, at = append(ins, ch.in), append(at, i)
		}
	}
	if len(ins) == 0 {
		return nil
	}
	errs, err := im.h.checkFigures(ctx, &job.user, ins)
	if err != nil {
		return err
	}
	for i, e := range errs {
		im.h.figureProblems(res, job.lang, res.changes[at[i]].line, e)
	}
	return nil
}

// checkFigures runs a batch through SaveFigures without writing anything.
// The store has no validate-only call, so the batch ends with an input that
// can never be saved (no indicator 0, no month 0, not a number): because
// SaveFigures is all or nothing, the whole batch is rolled back, and its
// BatchError holds the store's verdict on each real input.
func (h *Handler) checkFigures(ctx context.Context, u *models.User, ins []models.FigureInput) (map[int]error, error) {
	probe := len(ins)
	_, err := h.store.SaveFigures(ctx, u, append(slices.Clip(ins), models.FigureInput{Value: "-"}))
	var batch *models.BatchError
	switch {
	case errors.As(err, &batch):
	case err == nil:
		return nil, errors.New("handlers: check figures: the probe input was saved")
	default:
		return nil, err
	}
	if batch.Errs[probe] == nil {
		return nil, errors.New("handlers: check figures: the probe input was not refused")
	}
	errs := map[int]error{}
	for i, e := range batch.Errs {
		if i != probe {
			errs[i] = e
		}
	}
	return errs, nil
}

// figureProblems turns a store error about one row into row problems, in
// the column each is about.
func (h *Handler) figureProblems(res *importResult, lang Lang, line int, err error) bool {
	var v *models.ValidationError
	var conflict *models.ConflictError
	var locked *models.LockedError
	switch {
	case errors.As(err, &v):
		for _, pr := range v.Problems {
			col := map[string]int{"value": colValue, "note": colNote, "month": colMonth}[pr.Path]
			if pr.Path == "year" {
				col = -1
			}
			res.fail(line, col, pr.Message)
		}
	case errors.As(err, &conflict):
		msg := lang.T("error.409.new")
		if cur := conflict.Current; cur != nil {
			msg = lang.T("upload.conflict", cur.UpdatedBy, cur.UpdatedAt.In(models.KST).Format("2006-01-02 15:04"), formatValue(cur.Value))
		}
		res.fail(line, colVersion, msg)
		return true
	case errors.As(err, &locked):
		res.fail(line, colMonth, lang.T("error.423", locked.Since.Format(time.DateOnly)))
	case errors.Is(err, models.ErrForbidden):
		res.fail(line, colID, lang.T("error.department"))
	case errors.Is(err, models.ErrNotFound):
		res.fail(line, colID, lang.T("upload.not.dept"))
	default:
		h.log.Error("check upload row", "line", line, "err", err)
		res.fail(line, -1, lang.T("error.500.help"))
	}
	return false
}

// rowSource yields the rows of the data sheet with their row numbers in
// the file, and io.EOF at the end.
type rowSource func() (cells []string, line int, err error)

// readUpload reads the data sheet of an xlsx or CSV file into rows of the
// data columns.
func readUpload(job *importJob, data []byte) (*importResult, *webError) {
	res := &importResult{format: "csv", sheet: "CSV"}
	var next rowSource
	var werr *webError
	var f *excelize.File
	if isZip(data) {
		res.format = "xlsx"
		f, res.sheet, werr = openXLSX(data)
		if werr != nil {
			return nil, werr
		}
		defer f.Close()
		var rows *excelize.Rows
		rows, next, werr = xlsxRows(f, res.sheet, job)
		if rows != nil {
			defer rows.Close()
		}
	} else {
		next, res.format, werr = csvRows(data, job)
	}
	if werr != nil {
		return nil, werr
	}
	if werr := readRows(res, next, job); werr != nil {
		return nil, werr
	}
	if f != nil {
		markFormulas(f, res)
	}
	return res, nil
}

// markFormulas finds formula cells among the input of changed rows: the
// row reader sees only their last computed values.
func markFormulas(f *excelize.File, res *importResult) {
	for _, r := range res.table {
		if sameValue(r.cells[colCurrent], r.cells[colValue]) {
			continue
		}
		for _, col := range []int{colValue, colNote} {
			if at := res.cols[col]; at >= 0 {
				if formula, err := f.GetCellFormula(res.sheet, cellName(at, r.line)); err == nil && formula != "" {
					res.formulas = append(res.formulas, [2]int{r.line, col})
				}
			}
		}
	}
}

func openXLSX(data []byte) (*excelize.File, string, *webError) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, "", &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.unzip", Args: []any{unzipLimit >> 20}}
		}
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if s == Korean.T("excel.sheet.data") || s == English.T("excel.sheet.data") {
			sheet = s
		}
	}
	return f, sheet, nil
}

func xlsxRows(f *excelize.File, sheet string, job *importJob) (*excelize.Rows, rowSource, *webError) {
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, end, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(end); err == nil {
				job.total.Store(int64(min(row, MaxUploadRows+1)))
			}
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	line := 0
	return rows, func() ([]string, int, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, line, err
			}
			return nil, line, io.EOF
		}
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		return cells, line, err
	}, nil
}

// csvRows reads UTF-8, with or without a BOM, or else EUC-KR (CP949).
func csvRows(data []byte, job *importJob) (rowSource, string, *webError) {
	format := "csv"
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		dec, err := korean.EUCKR.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.encoding"}
		}
		data, format = dec, "csv-euckr"
	}
	job.total.Store(int64(min(bytes.Count(data, []byte("\n"))+1, MaxUploadRows+1)))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	return func() ([]string, int, error) {
		rec, err := r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.Line, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.csv.bad", Args: []any{pe.Line}}
			}
			return nil, 0, err
		}
		line, _ := r.FieldPos(0)
		return rec, line, nil
	}, format, nil
}

// readRows finds the heading in the first non-empty row, maps it to the
// data columns, and keeps each later non-empty row's data cells.
func readRows(res *importResult, next rowSource, job *importJob) *webError {
	var rows []tableRow
	heading := false
	for n := 1; ; n++ {
		cells, line, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		var werr *webError
		if errors.As(err, &werr) {
			return werr
		}
		if err != nil {
			return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.unreadable"}
		}
		if n > MaxUploadRows || line > MaxUploadRows {
			return &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.rows", Args: []any{formatNumber(MaxUploadRows)}}
		}
		job.read.Store(int64(n))
		if blank(cells) {
			continue
		}
		if !heading {
			if werr := mapHeading(res, cells); werr != nil {
				return werr
			}
			heading = true
			continue
		}
		var row tableRow
		row.line = line
		for i, at := range res.cols {
			if at >= 0 && at < len(cells) {
				row.cells[i] = strings.TrimSpace(cells[at])
			}
		}
		rows = append(rows, row)
	}
	if !heading {
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.empty"}
	}
	res.rows = len(rows)
	res.table = rows
	return nil
}

// tableRow is a row of the data sheet reduced to the data columns.
type tableRow struct {
	line  int
	cells [numCols]string
}

func blank(cells []string) bool {
	for _, s := range cells {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// mapHeading finds each data column by its heading, in either language,
// and refuses unknown, repeated or missing columns.
func mapHeading(res *importResult, cells []string) *webError {
	for i := range res.cols {
		res.cols[i] = -1
	}
	var unknown []string
	for at, s := range cells {
		s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
		if s == "" {
			continue
		}
		col := slices.IndexFunc(dataColumns[:], func(c sheetColumn) bool {
			return s == Korean.T("excel.col."+c.key) || strings.EqualFold(s, English.T("excel.col."+c.key))
		})
		switch {
		case col < 0:
			unknown = append(unknown, s)
		case res.cols[col] >= 0:
			return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.twice", Args: []any{s}}
		default:
			res.cols[col] = at
		}
	}
	if len(unknown) > 0 {
		if len(unknown) > 5 {
			unknown = append(unknown[:5], "…")
		}
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.unknown", Args: []any{strings.Join(unknown, ", ")}}
	}
	var missing []string
	for i, c := range dataColumns {
		if c.required && res.cols[i] < 0 {
			missing = append(missing, Korean.T("excel.col."+c.key))
		}
	}
	if len(missing) > 0 {
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.missing", Args: []any{strings.Join(missing, ", ")}}
	}
	return nil
}

// compare finds the rows whose value differs from what the template
// carried, and what is wrong with them that the store would not see.
func compare(res *importResult, job *importJob, rows []entryRow) {
	type key struct{ id, month int }
	cells := map[key]*entryRow{}
	for i := range rows {
		for m := 1; m <= models.Months; m++ {
			cells[key{int(rows[i].Indicator.ID), m}] = &rows[i]
		}
	}
	seen := map[key]int{}
	t := job.lang.T
	for _, r := range res.table {
		c := r.cells
		id, ok := parseSmallInt(c[colID], 9)
		if !ok {
			res.fail(r.line, colID, t("upload.bad.id"))
			continue
		}
		m, ok := parseSmallInt(c[colMonth], 2)
		if !ok || m < 1 || m > models.Months {
			res.fail(r.line, colMonth, t("error.month"))
			continue
		}
		k := key{id, m}
		row := cells[k]
		if row == nil {
			res.fail(r.line, colID, t("upload.not.dept"))
			continue
		}
		if prev, dup := seen[k]; dup {
			res.fail(r.line, colID, t("upload.twice", prev))
			continue
		}
		seen[k] = r.line
		cell := &row.Cells[m-1]
		if sameValue(c[colCurrent], c[colValue]) {
			if f := cell.Figure; f != nil && c[colNote] != f.Note && strconv.Itoa(f.Version) == c[colVersion] {
				res.noteOnly++
			}
			continue
		}
		in := changeInput(res, t, r, job.year)
		res.changes = append(res.changes, importChange{line: r.line, ind: row.Indicator, old: cell.Original, in: in})
	}
	res.table = nil
}

// changeInput checks a changed row's own cells and builds its input.
func changeInput(res *importResult, t func(string, ...any) string, r tableRow, year int) models.FigureInput {
	c := r.cells
	id, _ := parseSmallInt(c[colID], 9)
	m, _ := parseSmallInt(c[colMonth], 2)
	in := models.FigureInput{IndicatorID: uint(id), Year: year, Month: m, Value: c[colValue], Note: c[colNote]}
	bad := func(col int, key string) { res.fail(r.line, col, t(key)) }
	var ok bool
	if in.Version, ok = parseSmallInt(c[colVersion], 9); !ok {
		bad(colVersion, "upload.bad.version")
	}
	switch {
	case in.Value == "":
		bad(colValue, "entry.no.clear")
	case strings.HasPrefix(in.Value, "-") && isNumber(in.Value[1:]):
		bad(colValue, "upload.negative")
	case formulaLike(in.Value):
		bad(colValue, "upload.formula")
	}
	if formulaLike(in.Note) {
		bad(colNote, "upload.formula")
	}
	for _, at := range res.formulas {
		if at[0] == r.line {
			bad(at[1], "upload.formula")
		}
	}
	switch strings.ToLower(c[colConfirm]) {
	case "":
	case strings.ToLower(Korean.T("excel.yes")), strings.ToLower(English.T("excel.yes")), "y", "o", "1", "true", "v", "✓", "✔":
		in.Confirm = true
	default:
		bad(colConfirm, "upload.bad.confirm")
	}
	return in
}

// sameValue reports whether an input cell equals what the template
// carried: the same text or the same number.
func sameValue(carried, value string) bool {
	if carried == value {
		return true
	}
	a, err1 := strconv.ParseFloat(carried, 64)
	b, err2 := strconv.ParseFloat(value, 64)
	return err1 == nil && err2 == nil && a == b
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// formulaLike is a cell a spreadsheet would read as a formula.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// UploadStatus shows the progress of a file being read, then the preview
// of what it would change.
func (im *Imports) UploadStatus(c echo.Context) error {
	job, err := im.find(c)
	if err != nil {
		return err
	}
	p := im.newPage(c, job.year, job.dept, []string{job.dept})
	p.Token, p.File = job.token, job.file
	res, fatal, done := im.state(job)
	switch {
	case !done:
		p.Mode, p.Read, p.Total = "progress", job.read.Load(), job.total.Load()
		if p.Total > 0 {
			p.Percent = int(min(99, p.Read*100/p.Total))
		}
		// The Refresh header reloads the page each second with no script;
		// the CSP allows it and it works in every browser.
		c.Response().Header().Set("Refresh", "1")
		return im.h.renderForm(c, http.StatusOK, "upload", p)
	case fatal != nil:
		p.fail("file", p.T(fatal.Key, fatal.Args...))
		return im.h.renderForm(c, fatal.Status, "upload", p)
	}
	im.preview(p, res)
	return im.h.renderForm(c, http.StatusOK, "upload", p)
}

// preview fills the page with the changes and problems of a read file.
func (im *Imports) preview(p *uploadPage, res *importResult) {
	p.Mode, p.Rows, p.EUCKR, p.More, p.NoteOnly = "preview", res.rows, res.format == "csv-euckr", res.more, res.noteOnly
	p.Format = p.T("upload.format." + res.format)
	byLine := map[int][]string{}
	for i, pr := range res.problems {
		col := ""
		if pr.col >= 0 {
			col = p.T("excel.col." + dataColumns[pr.col].key)
			if at := res.cols[pr.col]; at >= 0 {
				letter, _ := excelize.ColumnNumberToName(at + 1)
				col = letter + " · " + col
			}
		}
		pv := problemView{ID: fmt.Sprintf("p-%d", i+1), Sheet: res.sheet, Line: pr.line, Column: col, Message: pr.msg}
		p.Problems = append(p.Problems, pv)
		byLine[pr.line] = append(byLine[pr.line], pr.msg)
	}
	for _, ch := range res.changes {
		p.Changes = append(p.Changes, changeView{Line: ch.line, Name: p.Pick(ch.ind.Name, ch.ind.NameEn), Unit: p.Unit(&ch.ind), Month: ch.in.Month,
			Old: ch.old, New: ch.in.Value, Note: ch.in.Note, Confirm: ch.in.Confirm, Problems: byLine[ch.line]})
	}
	p.Saving = len(res.problems) == 0 && res.more == 0 && len(res.changes) > 0
}

// ProblemCount is every problem, shown or not.
func (p *uploadPage) ProblemCount() int { return len(p.Problems) + p.More }

// SummaryProblems are the first problems, for the summary at the top.
func (p *uploadPage) SummaryProblems() []problemView { return p.Problems[:min(len(p.Problems), 10)] }

// SaveUpload saves every change of a read file as drafts, all or nothing
// (action=commit), or drops the file (action=cancel).
func (im *Imports) SaveUpload(c echo.Context) error {
	job, err := im.find(c)
	if err != nil {
		return err
	}
	p := im.newPage(c, job.year, job.dept, []string{job.dept})
	p.Token, p.File = job.token, job.file
	switch c.FormValue("action") {
	case "cancel":
		im.drop(job.token)
		return back(c, withLang(fmt.Sprintf("/entry/%d/upload?dept=%s&done=cancel", job.year, urlEscape(job.dept)), p.Lang))
	case "commit":
	default:
		return badRequest("error.action")
	}
	res, ok := im.claim(job)
	if !ok {
		return back(c, p.StatusURL())
	}
	ins := make([]models.FigureInput, len(res.changes))
	for i, ch := range res.changes {
		ins[i] = ch.in
	}
	_, err = im.h.store.SaveFigures(c.Request().Context(), &job.user, ins)
	var batch *models.BatchError
	switch {
	case errors.As(err, &batch):
		refused := *res
		refused.problems, refused.more = nil, 0
		status := http.StatusUnprocessableEntity
		for i, e := range batch.Errs {
			if im.h.figureProblems(&refused, p.Lang, res.changes[i].line, e) {
				status = http.StatusConflict
			}
		}
		slices.SortStableFunc(refused.problems, func(a, b rowProblem) int { return a.line - b.line })
		im.release(job, &refused)
		im.preview(p, &refused)
		return im.h.renderForm(c, status, "upload", p)
	case err != nil:
		im.release(job, res)
		return err
	}
	im.drop(job.token)
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=save&n=%d", job.year, urlEscape(job.dept), len(ins)), p.Lang))
}

// claim marks a read file with changes and no problems as being saved, so
// that a second click cannot save it twice.
func (im *Imports) claim(job *importJob) (*importResult, bool) {
	res, fatal, done := im.state(job)
	im.mu.Lock()
	defer im.mu.Unlock()
	if !done || fatal != nil || job.saving || len(res.problems) > 0 || res.more > 0 || len(res.changes) == 0 {
		return nil, false
	}
	job.saving = true
	return res, true
}

// release ends a refused save, keeping what the store said.
func (im *Imports) release(job *importJob, res *importResult) {
	im.mu.Lock()
	job.res, job.saving = res, false
	im.mu.Unlock()
}
