package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

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

// start registers a job for the request's session, after dropping expired
// ones; each session reads one file at a time.
// uploadToken names an uploaded file kept for its preview: random, so
// that it cannot be guessed.
func uploadToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (im *Imports) start(c echo.Context, ep *entryPage, name string) (*importJob, error) {
	sess, u := currentSession(c), currentUser(c)
	if sess == nil || u == nil {
		return nil, &webError{Status: http.StatusForbidden, Key: "error.forbidden"}
	}
	job := &importJob{token: uploadToken(), session: sess.ID, user: *u, year: ep.Year, dept: ep.Dept, file: name,
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
		im.h.metrics.uploadJob("figures", figureUpload(res, fatal))
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
