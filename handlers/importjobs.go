package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// Imports reads uploaded figure files in the background and keeps each
// one's progress and result in the store's uploads table for uploadLife,
// until its owner saves or drops it, so that any instance of the program
// can show and save it. A result is found by a random token and only by
// the session that uploaded the file.
type Imports struct {
	h *Handler
}

// NewImports builds the upload flow on top of h.
func NewImports(h *Handler) *Imports {
	return &Imports{h: h}
}

// Timing of the reading of a file, as other instances see it.
const (
	// progressEvery is how often, at most, the reader writes its progress.
	progressEvery = 250 * time.Millisecond
	// beatEvery is how often, at least, the reader says it is alive.
	beatEvery = time.Second
	// uploadStale is how long a reader may be silent before a poll takes
	// it for stopped (its instance died) and asks for the file again.
	uploadStale = 10 * time.Second
)

// importJob is the reading of one uploaded file, on the instance that
// took it.
type importJob struct {
	token string
	user  models.User
	year  int
	dept  string
	file  string
	lang  Lang
	read  atomic.Int64 // rows read so far
	total atomic.Int64 // rows expected, 0 while unknown
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

// saveable says the file changes something and nothing is wrong with it.
func (r *importResult) saveable() bool {
	return len(r.problems) == 0 && r.more == 0 && len(r.changes) > 0
}

// start keeps a new upload for the request's session; each session reads
// one file at a time.
func (im *Imports) start(c echo.Context, ep *entryPage, name string) (*importJob, error) {
	sess, u := currentSession(c), currentUser(c)
	if sess == nil || u == nil {
		return nil, &webError{Status: http.StatusForbidden, Key: "error.forbidden"}
	}
	now := im.h.now()
	up := &models.Upload{Kind: models.UploadFigures, SessionID: sess.ID, UserID: u.ID, Year: ep.Year, Department: ep.Dept,
		FileName: name, Lang: string(ep.Lang), State: models.UploadReading, Expires: now.Add(uploadLife)}
	err := im.h.store.CreateUpload(c.Request().Context(), up, models.UploadLimits{Max: maxImports, OnePerSession: true, Alive: now.Add(-uploadStale)})
	switch {
	case errors.Is(err, models.ErrUploadBusy):
		return nil, &webError{Status: http.StatusTooManyRequests, Key: "upload.busy.you"}
	case errors.Is(err, models.ErrUploadsFull):
		return nil, &webError{Status: http.StatusTooManyRequests, Key: "upload.busy"}
	case err != nil:
		return nil, err
	}
	return &importJob{token: up.Token, user: *u, year: ep.Year, dept: ep.Dept, file: name, lang: ep.Lang}, nil
}

// find returns the request's upload: the session's, for the year in the
// path, not expired and not saved yet.
func (im *Imports) find(c echo.Context) (*models.Upload, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	sess := currentSession(c)
	if sess == nil {
		return nil, notFound("upload.expired")
	}
	up, err := im.h.store.FindUpload(c.Request().Context(), models.UploadFigures, c.Param("token"), sess.ID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, notFound("upload.expired")
	case err != nil:
		return nil, err
	case up.Year != year:
		return nil, notFound("upload.expired")
	case up.State == models.UploadSaved:
		return nil, notFound("upload.saved")
	}
	return up, nil
}

// alive fails an upload whose reader stopped saying it is alive: its
// instance died, and the file is asked for again. It returns the upload
// as it is now.
func (im *Imports) alive(c echo.Context, up *models.Upload) (*models.Upload, error) {
	cutoff := im.h.now().Add(-uploadStale)
	if up.State != models.UploadReading || !up.Beat.Before(cutoff) {
		return up, nil
	}
	lost, err := encodeError(&webError{Status: http.StatusGone, Key: "upload.lost"})
	if err != nil {
		return nil, err
	}
	if _, err := im.h.store.FailStaleUpload(c.Request().Context(), up.Token, cutoff, lost); err != nil {
		return nil, err
	}
	return im.find(c)
}

// run reads the file and checks every change as a save would, without
// saving, and keeps the outcome in the upload's row; then it sends on done
// why the file cannot be read, or nil. It never panics: a file that breaks
// the reader is refused.
func (im *Imports) run(job *importJob, data []byte, rows []entryRow, done chan<- *webError) {
	var res *importResult
	var fatal *webError
	stop := im.report(job)
	defer func() {
		if r := recover(); r != nil {
			im.h.log.Error("read upload", "file", job.file, "panic", r, "stack", string(debug.Stack()))
			res, fatal = nil, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.unreadable"}
		}
		stop()
		if err := im.finish(job.token, res, fatal); err != nil {
			im.h.log.Error("keep upload result", "file", job.file, "err", err)
			fatal = &webError{Status: http.StatusInternalServerError, Key: "error.500.help"}
		}
		im.h.metrics.uploadJob("figures", figureUpload(res, fatal))
		done <- fatal
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

// report writes the progress of job to its row while the file is read,
// at most every progressEvery and at least every beatEvery, until stop.
func (im *Imports) report(job *importJob) (stop func()) {
	quit, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		var read, total int64
		last := time.Now()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			r, n := job.read.Load(), job.total.Load()
			if r == read && n == total && time.Since(last) < beatEvery {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := im.h.store.UploadProgress(ctx, job.token, r, n); err != nil {
				im.h.log.Warn("upload progress", "file", job.file, "err", err)
			}
			cancel()
			read, total, last = r, n, time.Now()
		}
	}()
	return func() {
		close(quit)
		<-exited
	}
}

// finish keeps the outcome of reading a file in its row.
func (im *Imports) finish(token string, res *importResult, fatal *webError) error {
	var result, why []byte
	var err error
	if fatal != nil {
		why, err = encodeError(fatal)
	} else {
		result, err = encodeResult(res)
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = im.h.store.FinishUpload(ctx, token, result, why)
	if errors.Is(err, models.ErrNotFound) {
		return nil // dropped while it was read
	}
	return err
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
	errs, err := im.h.store.CheckFigures(ctx, &job.user, ins)
	if err != nil {
		return err
	}
	for i, e := range errs {
		if _, err := figureProblems(res, job.lang, res.changes[at[i]].line, e); err != nil {
			return err
		}
	}
	return nil
}

// figureProblems turns a store's refusal of one row into row problems,
// each in the column it is about, and returns its status. An error the
// store did not refuse for the user is returned.
func figureProblems(res *importResult, lang Lang, line int, err error) (int, error) {
	se, ok := storeError(err, lang, "upload.conflict.remedy")
	switch {
	case !ok:
		return 0, err
	case se.Status == http.StatusNotFound:
		res.fail(line, colID, lang.T("upload.not.dept"))
	case len(se.Problems) > 0:
		for _, pr := range se.Problems {
			res.fail(line, uploadColumn(pr.Path), pr.Message)
		}
	default:
		res.fail(line, uploadColumn(se.Field), se.Message)
	}
	return se.Status, nil
}

// uploadColumn is the data column of an input's field, or -1.
func uploadColumn(field string) int {
	col, ok := map[string]int{"id": colID, "month": colMonth, "version": colVersion, "value": colValue, models.PathConfirm: colConfirm, "note": colNote}[field]
	if !ok {
		return -1
	}
	return col
}

// claim marks a read file with changes and no problems as being saved, on
// every instance, so that a second click cannot save it twice. It returns
// the result as it is then, or false when there is none to save.
func (im *Imports) claim(c echo.Context, up *models.Upload) (*importResult, bool, error) {
	claimed, err := im.h.store.ClaimUpload(c.Request().Context(), models.UploadFigures, up.Token, up.SessionID)
	switch {
	case errors.Is(err, models.ErrUploadNotReady):
		return nil, false, nil
	case errors.Is(err, models.ErrUploadSaved):
		return nil, false, notFound("upload.saved")
	case errors.Is(err, models.ErrUploadSaving):
		return nil, false, &webError{Status: http.StatusConflict, Key: "upload.saving"}
	case errors.Is(err, models.ErrNotFound):
		return nil, false, notFound("upload.expired")
	case err != nil:
		return nil, false, err
	}
	res, err := decodeResult(claimed.Result)
	if err == nil && res.saveable() {
		return res, true, nil
	}
	if rerr := im.release(c, up.Token, nil); rerr != nil {
		return nil, false, rerr
	}
	return nil, false, err
}

// release ends a save that did not apply, keeping what the store said
// when res is not nil. It runs even when the request was cancelled.
func (im *Imports) release(c echo.Context, token string, res *importResult) error {
	var result []byte
	if res != nil {
		var err error
		if result, err = encodeResult(res); err != nil {
			return err
		}
	}
	return im.h.store.ReleaseUpload(context.WithoutCancel(c.Request().Context()), token, result)
}

// storedResult is an importResult as the uploads table keeps it: what the
// preview shows and the save applies.
type storedResult struct {
	Format   string          `json:"format"`
	Sheet    string          `json:"sheet"`
	Rows     int             `json:"rows"`
	Cols     [numCols]int    `json:"cols"`
	Changes  []storedChange  `json:"changes"`
	Problems []storedProblem `json:"problems"`
	More     int             `json:"more"`
	NoteOnly int             `json:"noteOnly"`
}

type storedChange struct {
	Line   int                `json:"line"`
	Name   string             `json:"name"`
	NameEn string             `json:"nameEn"`
	Unit   string             `json:"unit"`
	UnitEn string             `json:"unitEn"`
	Basis  models.Basis       `json:"basis"`
	Old    string             `json:"old"`
	In     models.FigureInput `json:"in"`
}

type storedProblem struct {
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"msg"`
}

func encodeResult(res *importResult) ([]byte, error) {
	out := storedResult{Format: res.format, Sheet: res.sheet, Rows: res.rows, Cols: res.cols, More: res.more, NoteOnly: res.noteOnly,
		Changes: make([]storedChange, len(res.changes)), Problems: make([]storedProblem, len(res.problems))}
	for i, ch := range res.changes {
		out.Changes[i] = storedChange{Line: ch.line, Name: ch.ind.Name, NameEn: ch.ind.NameEn, Unit: ch.ind.Unit, UnitEn: ch.ind.UnitEn,
			Basis: ch.ind.Basis, Old: ch.old, In: ch.in}
	}
	for i, pr := range res.problems {
		out.Problems[i] = storedProblem{pr.line, pr.col, pr.msg}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("handlers: encode upload result: %w", err)
	}
	return b, nil
}

func decodeResult(b []byte) (*importResult, error) {
	var in storedResult
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("handlers: decode upload result: %w", err)
	}
	res := &importResult{format: in.Format, sheet: in.Sheet, rows: in.Rows, cols: in.Cols, more: in.More, noteOnly: in.NoteOnly}
	for _, ch := range in.Changes {
		res.changes = append(res.changes, importChange{line: ch.Line, old: ch.Old, in: ch.In,
			ind: models.Indicator{ID: ch.In.IndicatorID, Name: ch.Name, NameEn: ch.NameEn, Unit: ch.Unit, UnitEn: ch.UnitEn, Basis: ch.Basis}})
	}
	for _, pr := range in.Problems {
		res.problems = append(res.problems, rowProblem{pr.Line, pr.Col, pr.Msg})
	}
	return res, nil
}

// storedError is a webError as the uploads table keeps it, its arguments
// typed so that each page words it in its own language.
type storedError struct {
	Status int         `json:"status"`
	Key    string      `json:"key"`
	Args   []storedArg `json:"args,omitempty"`
}

type storedArg struct {
	S *string `json:"s,omitempty"`
	N *int64  `json:"n,omitempty"`
	K keyList `json:"k,omitempty"`
}

func encodeError(werr *webError) ([]byte, error) {
	out := storedError{Status: werr.Status, Key: werr.Key}
	for _, a := range werr.Args {
		var arg storedArg
		switch a := a.(type) {
		case int:
			n := int64(a)
			arg.N = &n
		case int64:
			arg.N = &a
		case keyList:
			arg.K = a
		case string:
			arg.S = &a
		default:
			s := fmt.Sprint(a)
			arg.S = &s
		}
		out.Args = append(out.Args, arg)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("handlers: encode upload error: %w", err)
	}
	return b, nil
}

func decodeError(b []byte) (*webError, error) {
	var in storedError
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("handlers: decode upload error: %w", err)
	}
	werr := &webError{Status: in.Status, Key: in.Key}
	for _, a := range in.Args {
		switch {
		case a.N != nil:
			werr.Args = append(werr.Args, int(*a.N))
		case a.K != nil:
			werr.Args = append(werr.Args, a.K)
		case a.S != nil:
			werr.Args = append(werr.Args, *a.S)
		default:
			werr.Args = append(werr.Args, "")
		}
	}
	return werr, nil
}
