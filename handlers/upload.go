package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

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
	done := make(chan *webError, 1)
	go im.run(job, data, ep.Rows, done)
	select {
	case fatal := <-done:
		if fatal != nil {
			if err := im.h.store.DeleteUpload(c.Request().Context(), models.UploadFigures, job.token, currentSession(c).ID); err != nil {
				return err
			}
			p.fail("file", p.T(fatal.Key, fatal.Args...))
			return im.h.renderForm(c, fatal.Status, "upload", p)
		}
	case <-time.After(uploadWait):
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

// UploadStatus shows the progress of a file being read, then the preview
// of what it would change.
func (im *Imports) UploadStatus(c echo.Context) error {
	up, err := im.find(c)
	if err != nil {
		return err
	}
	if up, err = im.alive(c, up); err != nil {
		return err
	}
	p := im.newPage(c, up.Year, up.Department, []string{up.Department})
	p.Token, p.File = up.Token, up.FileName
	switch up.State {
	case models.UploadReading:
		p.Mode, p.Read, p.Total = "progress", up.Read, up.Total
		if p.Total > 0 {
			p.Percent = int(min(99, p.Read*100/p.Total))
		}
		// The Refresh header reloads the page each second with no script;
		// the CSP allows it and it works in every browser.
		c.Response().Header().Set("Refresh", "1")
		return im.h.renderForm(c, http.StatusOK, "upload", p)
	case models.UploadFailed:
		fatal, err := decodeError(up.Fatal)
		if err != nil {
			return err
		}
		p.fail("file", p.T(fatal.Key, fatal.Args...))
		return im.h.renderForm(c, fatal.Status, "upload", p)
	}
	res, err := decodeResult(up.Result)
	if err != nil {
		return err
	}
	im.preview(p, res)
	status := http.StatusOK
	if p.ProblemCount() > 0 {
		// The file cannot be saved as it is: the preview lists why.
		status = http.StatusUnprocessableEntity
	}
	return im.h.renderForm(c, status, "upload", p)
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
	p.Saving = res.saveable()
}

// ProblemCount is every problem, shown or not.
func (p *uploadPage) ProblemCount() int { return len(p.Problems) + p.More }

// SummaryProblems are the first problems, for the summary at the top.
func (p *uploadPage) SummaryProblems() []problemView { return p.Problems[:min(len(p.Problems), 10)] }

// SaveUpload saves every change of a read file as drafts, all or nothing
// (action=commit), or drops the file (action=cancel).
func (im *Imports) SaveUpload(c echo.Context) error {
	up, err := im.find(c)
	if err != nil {
		return err
	}
	p := im.newPage(c, up.Year, up.Department, []string{up.Department})
	p.Token, p.File = up.Token, up.FileName
	switch c.FormValue("action") {
	case "cancel":
		if err := im.h.store.DeleteUpload(c.Request().Context(), models.UploadFigures, up.Token, up.SessionID); err != nil {
			return err
		}
		return back(c, withLang(fmt.Sprintf("/entry/%d/upload?dept=%s&done=cancel", up.Year, urlEscape(up.Department)), p.Lang))
	case "commit":
	default:
		return badRequest("error.action")
	}
	res, ok, err := im.claim(c, up)
	if err != nil {
		return err
	}
	if !ok {
		return back(c, p.StatusURL())
	}
	ins := make([]models.FigureInput, len(res.changes))
	for i, ch := range res.changes {
		ins[i] = ch.in
	}
	_, err = im.h.store.SaveFigures(c.Request().Context(), currentUser(c), ins)
	im.h.metrics.figureWrites(len(ins), err)
	var batch *models.BatchError
	switch {
	case errors.As(err, &batch):
		refused := *res
		refused.problems, refused.more = nil, 0
		status := http.StatusUnprocessableEntity
		for i, e := range batch.Errs {
			st, err := figureProblems(&refused, p.Lang, res.changes[i].line, e)
			if err != nil {
				return errors.Join(err, im.release(c, up.Token, nil))
			}
			if st == http.StatusConflict {
				status = st
			}
		}
		slices.SortStableFunc(refused.problems, func(a, b rowProblem) int { return a.line - b.line })
		if err := im.release(c, up.Token, &refused); err != nil {
			return err
		}
		im.preview(p, &refused)
		return im.h.renderForm(c, status, "upload", p)
	case err != nil:
		return errors.Join(err, im.release(c, up.Token, nil))
	}
	// The figures are saved: a failure to record it leaves the upload
	// claimed, which refuses a second save all the same.
	if err := im.h.store.SavedUpload(context.WithoutCancel(c.Request().Context()), up.Token); err != nil {
		im.h.log.Error("mark upload saved", "err", err)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=save&n=%d", up.Year, urlEscape(up.Department), len(ins)), p.Lang))
}
