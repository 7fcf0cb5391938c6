package handlers

// The plan spreadsheet as officials use it: downloaded blank or filled
// from a plan, filled in, and uploaded. The upload shows the whole tree
// and, for a plan that exists, every change as old → new; saving it makes
// a draft plan (a year with none), changes a draft in place, or prepares
// a 수정공시 of a published plan, all or nothing.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// planUploadTTL is how long an uploaded plan waits to be saved.
const planUploadTTL = 30 * time.Minute

// PlanUploads keeps uploaded plan spreadsheets between their preview and
// their saving, in the store's uploads table, so that any instance of the
// program can save them. An upload is found by a random token and only by
// the session that uploaded it.
type PlanUploads struct {
	h *Handler
}

// NewPlanUploads makes the flow of uploaded plans.
func NewPlanUploads(h *Handler) *PlanUploads {
	return &PlanUploads{h: h}
}

// planKept is what an uploaded plan's row keeps besides the file, which
// is read again to save it.
type planKept struct {
	// Seen is the fingerprint of the changes the preview showed, or ""
	// for a year with no plan.
	Seen string `json:"seen"`
	// Moved says the file's dates were moved to the year of the path.
	Moved bool `json:"moved"`
}

// keep stores an uploaded file for its preview and returns its token. An
// official's new upload of a year replaces the one before.
func (pu *PlanUploads) keep(c echo.Context, year int, name string, data []byte, kept planKept) (string, error) {
	sess, u := currentSession(c), currentUser(c)
	if sess == nil || u == nil {
		return "", &webError{Status: http.StatusForbidden, Key: "error.forbidden"}
	}
	result, err := json.Marshal(kept)
	if err != nil {
		return "", fmt.Errorf("handlers: keep plan upload: %w", err)
	}
	up := &models.Upload{Kind: models.UploadPlan, SessionID: sess.ID, UserID: u.ID, Year: year, FileName: name,
		Content: data, State: models.UploadReady, Result: result, Expires: pu.h.now().Add(planUploadTTL)}
	if err := pu.h.store.CreateUpload(c.Request().Context(), up, models.UploadLimits{Replace: true}); err != nil {
		return "", err
	}
	pu.h.metrics.uploadJob("plan", uploadReady)
	return up.Token, nil
}

// find returns the session's upload of the token in the path, for year.
func (pu *PlanUploads) find(c echo.Context, year int) (*models.Upload, error) {
	sess := currentSession(c)
	if sess == nil {
		return nil, notFound("planupload.expired")
	}
	up, err := pu.h.store.FindUpload(c.Request().Context(), models.UploadPlan, c.Param("token"), sess.ID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, notFound("planupload.expired")
	case err != nil:
		return nil, err
	case up.Year != year:
		return nil, notFound("planupload.expired")
	case up.State == models.UploadSaved:
		return nil, notFound("planupload.saved")
	}
	return up, nil
}

// claim marks an upload as being saved, on every instance, so that two
// saves of one preview cannot both apply; it returns the upload as it is
// then.
func (pu *PlanUploads) claim(c echo.Context, up *models.Upload) (*models.Upload, error) {
	claimed, err := pu.h.store.ClaimUpload(c.Request().Context(), models.UploadPlan, up.Token, up.SessionID)
	switch {
	case errors.Is(err, models.ErrUploadSaved):
		return nil, notFound("planupload.saved")
	case errors.Is(err, models.ErrUploadSaving):
		return nil, &webError{Status: http.StatusConflict, Key: "planupload.saving"}
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrUploadNotReady):
		return nil, notFound("planupload.expired")
	case err != nil:
		return nil, err
	}
	return claimed, nil
}

// open reads a kept plan spreadsheet again, as its preview read it.
func (pu *PlanUploads) open(up *models.Upload) (*PlanSheet, planKept, error) {
	var kept planKept
	if err := json.Unmarshal(up.Result, &kept); err != nil {
		return nil, kept, fmt.Errorf("handlers: kept plan upload: %w", err)
	}
	sheet, problems := ReadPlanSheet(up.Content)
	if sheet == nil || len(problems) > 0 {
		return nil, kept, fmt.Errorf("handlers: a kept plan spreadsheet reads with %d problems", len(problems))
	}
	if kept.Moved {
		sheet.File.MoveTo(up.Year)
	}
	return sheet, kept, nil
}

// release ends a save that did not apply, keeping the fingerprint of the
// changes its page shows. It runs even when the request was cancelled.
func (pu *PlanUploads) release(c echo.Context, up *models.Upload, kept planKept) error {
	result, err := json.Marshal(kept)
	if err != nil {
		return fmt.Errorf("handlers: keep plan upload: %w", err)
	}
	return pu.h.store.ReleaseUpload(context.WithoutCancel(c.Request().Context()), up.Token, result)
}

// planUploadPage is the plan spreadsheet's form, the problems of an
// uploaded one, or its preview.
type planUploadPage struct {
	*formPage
	Year     int
	Plan     *models.Plan // nil for a year with no plan
	Mode     string       // form, problems, preview
	File     string
	Token    string
	Problems []sheetProblemView
	Tree     []previewTask
	Deltas   []deltaView
	NewDepts []string
	Checked  map[string]bool
	Counts   [3]int // tasks, programmes, indicators
	Outcomes int
	Replaces int // changes of the draft revision the upload replaces
}

type sheetProblemView struct {
	ID, Sheet, Column, Message string
	Row                        int
}

type previewTask struct {
	Code, Name string
	Programs   []previewProgram
}

type previewProgram struct {
	Name, Department, Field, Groups, Budget string
	Indicators                              []previewIndicator
}

type previewIndicator struct{ Name, Kind, Target string }

// deltaView is one change of an upload, as its preview lists it.
type deltaView struct {
	Key, What, Record, Field, Old, New string
	Reason                             string
	NeedsReason                        bool
	Direct                             bool
	Error                              string
}

// Published says the upload prepares a 수정공시.
func (p *planUploadPage) Published() bool {
	return p.Plan != nil && p.Plan.NeedsReasons()
}

// FillsOriginal says the upload gives a published plan its first programmes.
func (p *planUploadPage) FillsOriginal() bool { return p.Plan != nil && p.Plan.FillsOriginal() }

// MaxMB is the largest file taken, in MB.
func (p *planUploadPage) MaxMB() int { return MaxUploadBytes >> 20 }

func (pu *PlanUploads) page(c echo.Context) (*planUploadPage, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	plan, err := pu.h.store.Plan(c.Request().Context(), year)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	p := &planUploadPage{formPage: newFormPage(pu.h.page(c, "planupload.title")), Year: year, Plan: plan, Mode: "form",
		Checked: map[string]bool{}}
	p.Title = p.T("planupload.title.year", year)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", year), URL: p.URL(fmt.Sprintf("/plans/%d", year))}, {Name: p.T("planupload.title")}}
	if plan == nil {
		p.Crumbs = p.Crumbs[1:]
	}
	if _, err := pu.h.nameFields(c.Request().Context(), &p.basePage); err != nil {
		return nil, err
	}
	return p, nil
}

// PlanSheet sends the plan spreadsheet of a year: filled from its plan,
// or blank (?blank=1, or a year with no plan) with the plan's header.
func (pu *PlanUploads) PlanSheet(c echo.Context) error {
	p, err := pu.page(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	fields, err := pu.h.store.Fields(ctx)
	if err != nil {
		return err
	}
	depts, err := pu.h.store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	lists := PlanSheetLists{Fields: fields, Departments: depts}
	pf := &models.PlanFile{Year: p.Year}
	if p.Plan != nil {
		pf = p.Plan.File()
		if c.QueryParam("blank") != "" {
			pf.Tasks, pf.Outcomes = nil, nil
		}
	}
	f, err := WritePlanSheet(pf, lists)
	if err != nil {
		return err
	}
	defer f.Close()
	return sendXLSX(c, f, fmt.Sprintf("plan-%d", p.Year), fmt.Sprintf("%d 일자리대책 계획", p.Year))
}

// PlanUploadForm shows the form that takes a plan spreadsheet.
func (pu *PlanUploads) PlanUploadForm(c echo.Context) error {
	p, err := pu.page(c)
	if err != nil {
		return err
	}
	return pu.h.renderForm(c, http.StatusOK, "plan_upload", p)
}

// PlanUpload reads a plan spreadsheet and shows its problems, or its
// preview with a token to save it.
func (pu *PlanUploads) PlanUpload(c echo.Context) error {
	p, err := pu.page(c)
	if err != nil {
		return err
	}
	data, name, werr := readUploadFile(c)
	if werr == nil {
		werr = sniff(data)
	}
	if werr != nil {
		p.fail("file", p.T(werr.Key, werr.Args...))
		return pu.h.renderForm(c, werr.Status, "plan_upload", p)
	}
	p.File = name
	sheet, problems := ReadPlanSheet(data)
	if len(problems) > 0 {
		return pu.problems(c, p, sheet, problems, nil)
	}
	pf := sheet.File
	ctx := c.Request().Context()
	var kept planKept
	if p.Plan == nil {
		pf.MoveTo(p.Year)
		kept.Moved = true
		if err := pu.h.store.CheckPlanFile(ctx, pf); err != nil {
			return pu.problems(c, p, sheet, nil, err)
		}
	} else {
		deltas, err := pu.h.store.DiffPlanFile(ctx, p.Year, pf)
		if err != nil {
			return pu.problems(c, p, sheet, nil, err)
		}
		if len(deltas) == 0 {
			p.fail("file", p.T("problem.plan.unchanged"))
			return pu.h.renderForm(c, http.StatusUnprocessableEntity, "plan_upload", p)
		}
		if p.NewDepts, err = pu.h.store.NewDepartments(ctx, models.DeltaDepartments(deltas)); err != nil {
			return err
		}
		p.Deltas = p.deltaViews(deltas)
		kept.Seen = models.Fingerprint(deltas)
		if d := p.Plan.DraftRevision(); d != nil && p.Published() {
			p.Replaces = len(d.Changes) + len(d.Edits)
		}
	}
	if p.Plan == nil {
		var err error
		if p.NewDepts, err = pu.h.store.NewDepartments(ctx, pf.Departments()); err != nil {
			return err
		}
	}
	if p.Token, err = pu.keep(c, p.Year, name, data, kept); err != nil {
		return err
	}
	p.preview(pf)
	return pu.h.renderForm(c, http.StatusOK, "plan_upload", p)
}

// SavePlanUpload saves (or cancels) an uploaded plan spreadsheet. The
// file is read again; a published plan's changes must still be those its
// preview showed.
func (pu *PlanUploads) SavePlanUpload(c echo.Context) error {
	p, err := pu.page(c)
	if err != nil {
		return err
	}
	up, err := pu.find(c, p.Year)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if c.FormValue("action") == "cancel" {
		if err := pu.h.store.DeleteUpload(ctx, models.UploadPlan, up.Token, up.SessionID); err != nil {
			return err
		}
		return back(c, withLang(fmt.Sprintf("/plans/%d/plan-upload", p.Year), p.Lang))
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest("error.form")
	}
	if up, err = pu.claim(c, up); err != nil {
		return err
	}
	sheet, kept, err := pu.open(up)
	if err != nil {
		return errors.Join(err, pu.release(c, up, kept))
	}
	to, err := pu.save(c, p, up, sheet, &kept, form)
	if to != "" {
		// The plan is saved: a failure to record it leaves the upload
		// claimed, which refuses a second save all the same.
		if err := pu.h.store.SavedUpload(context.WithoutCancel(ctx), up.Token); err != nil {
			pu.h.log.Error("mark plan upload saved", "err", err)
		}
		return back(c, withLang(to, p.Lang))
	}
	if rerr := pu.release(c, up, kept); rerr != nil {
		return errors.Join(err, rerr)
	}
	var derr *diffError
	if errors.As(err, &derr) {
		return pu.problems(c, p, sheet, nil, derr.err)
	}
	if !p.failValidation(err) {
		return err
	}
	for i := range p.Deltas {
		p.Deltas[i].Error = p.Err("reasons." + p.Deltas[i].Key)
	}
	if kept.Moved {
		p.NewDepts, _ = pu.h.store.NewDepartments(ctx, sheet.File.Departments())
	}
	p.preview(sheet.File)
	return pu.h.renderForm(c, http.StatusUnprocessableEntity, "plan_upload", p)
}

// diffError is a refused save whose plan could not be compared with the
// file again.
type diffError struct{ err error }

func (e *diffError) Error() string { return e.err.Error() }
func (e *diffError) Unwrap() error { return e.err }

// save applies an uploaded plan spreadsheet and returns where to go next;
// or, refused, why, with p and kept holding the changes the page shows
// now.
func (pu *PlanUploads) save(c echo.Context, p *planUploadPage, up *models.Upload, sheet *PlanSheet, kept *planKept, form url.Values) (string, error) {
	p.File, p.Token = up.FileName, up.Token
	p.Values["reason-all"] = form.Get("reason-all")
	ctx := c.Request().Context()
	depts := form["department-add"]
	for _, d := range depts {
		p.Checked[d] = true
	}
	u := currentUser(c)
	if kept.Moved {
		// The preview showed a new plan: it is made, or refused if the
		// year has one now.
		pf := *sheet.File
		pf.Published, pf.PublishedRef = "", ""
		_, err := pu.h.store.CreateDraftPlan(ctx, u, &pf, depts, origin(c))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("/plans/%d/draft?done=uploaded", p.Year), nil
	}
	reasons := map[string]string{}
	for k, v := range form {
		if key, ok := strings.CutPrefix(k, "reason-"); ok && len(v) > 0 {
			reasons[key] = v[0]
		}
	}
	written, err := pu.h.store.ApplyPlanFile(ctx, u, models.PlanWrite{Year: p.Year, File: sheet.File, Reasons: reasons,
		Reason: form.Get("reason-all"), Replace: true, Departments: depts, Expect: kept.Seen, From: origin(c)})
	if err == nil {
		if written.Revised {
			return fmt.Sprintf("/plans/%d/revision?added=1", p.Year), nil
		}
		return fmt.Sprintf("/plans/%d/draft?done=uploaded", p.Year), nil
	}
	deltas, derr := pu.h.store.DiffPlanFile(ctx, p.Year, sheet.File)
	if derr != nil {
		return "", &diffError{derr}
	}
	p.Deltas = p.deltaViews(deltas)
	for i := range p.Deltas {
		p.Deltas[i].Reason = reasons[p.Deltas[i].Key]
	}
	kept.Seen = models.Fingerprint(deltas) // the page shows these now
	p.NewDepts, _ = pu.h.store.NewDepartments(ctx, models.DeltaDepartments(deltas))
	return "", err
}

// problems shows what is wrong with an uploaded plan spreadsheet, each at
// its sheet, row and column.
func (pu *PlanUploads) problems(c echo.Context, p *planUploadPage, sheet *PlanSheet, read []SheetProblem, err error) error {
	p.Mode = "problems"
	for _, pr := range read {
		p.addProblem(pr.Cell, p.Lang.T(pr.Key, pr.Args...))
	}
	var v *models.ValidationError
	if errors.As(err, &v) {
		for _, pr := range v.Problems {
			cell, ok := SheetCell{}, false
			if sheet != nil {
				cell, ok = sheet.Locate(pr.Path)
			}
			msg := p.Lang.Problem(pr)
			if !ok && pr.Path != "" {
				msg = pr.Path + ": " + msg
			}
			p.addProblem(cell, msg)
		}
	} else if err != nil {
		return err
	}
	pu.h.metrics.uploadJob("plan", uploadProblems)
	return pu.h.renderForm(c, http.StatusUnprocessableEntity, "plan_upload", p)
}

func (p *planUploadPage) addProblem(cell SheetCell, msg string) {
	p.Problems = append(p.Problems, sheetProblemView{ID: fmt.Sprintf("problem-%d", len(p.Problems)+1), Sheet: cell.Sheet,
		Row: cell.Row, Column: cell.Column, Message: msg})
}

// SummaryProblems are the first problems, for the summary at the top.
func (p *planUploadPage) SummaryProblems() []sheetProblemView {
	return p.Problems[:min(len(p.Problems), 10)]
}

// preview lists the whole tree of the plan file.
func (p *planUploadPage) preview(pf *models.PlanFile) {
	p.Mode = "preview"
	p.Tree = nil
	p.Counts = [3]int{len(pf.Tasks), 0, 0}
	p.Outcomes = len(pf.Outcomes)
	for _, t := range pf.Tasks {
		pt := previewTask{Code: t.Code, Name: p.Pick(t.Name, t.NameEn)}
		for _, prog := range t.Programs {
			p.Counts[1]++
			pp := previewProgram{Name: p.Pick(prog.Name, prog.NameEn), Department: prog.Department, Field: p.fieldLabel(prog.Field),
				Groups: p.groupNames(&models.Program{Groups: strings.Join(prog.Groups, ",")}), Budget: p.budgetLabel(prog.Budget)}
			for _, ind := range prog.Indicators {
				p.Counts[2]++
				pi := previewIndicator{Name: p.Pick(ind.Name, ind.NameEn), Kind: p.T("plansheet.kind." + string(ind.Kind))}
				switch {
				case ind.Target != nil:
					pi.Target = p.T("planupload.target", formatNumber(*ind.Target), p.Pick(ind.Unit, ind.UnitEn))
				case ind.Due != "":
					pi.Target = p.T("planupload.due", ind.Due)
				}
				pp.Indicators = append(pp.Indicators, pi)
			}
			pt.Programs = append(pt.Programs, pp)
		}
		p.Tree = append(p.Tree, pt)
	}
}

func (p *planUploadPage) budgetLabel(b models.Budget) string {
	if t := b.Total(); t != nil {
		return million(t)
	}
	return ""
}

// deltaViews words an upload's changes.
func (p *planUploadPage) deltaViews(deltas []models.PlanDelta) []deltaView {
	out := make([]deltaView, 0, len(deltas))
	for _, d := range deltas {
		v := deltaView{Key: d.Key(), What: p.Pick(d.Name.Ko, d.Name.En), Record: p.T("planupload.record." + d.Record),
			Direct: d.Direct, NeedsReason: p.Published() && !d.Direct}
		switch d.Field {
		case models.DeltaAdd:
			v.Field, v.New = p.T("planupload.add"), v.What
		case models.DeltaRemove:
			v.Field, v.Old = p.T("planupload.remove"), v.What
		default:
			v.Field = p.T("edit.field." + d.Field)
			v.Old, v.New = p.columnText(p.Plan, d.Field, d.Old, d.OldPacing), p.columnText(p.Plan, d.Field, d.New, d.NewPacing)
		}
		out = append(out, v)
	}
	return out
}

// NewDeptChecked says the official ticked a new department.
func (p *planUploadPage) NewDeptChecked(name string) bool { return p.Checked[name] }

// SheetProblemText words a problem of a plan spreadsheet in lang, with
// the sheet, row and column it is at.
func SheetProblemText(lang Lang, p SheetProblem) string {
	msg := lang.T(p.Key, p.Args...)
	if p.Cell.Sheet == "" {
		return msg
	}
	at := lang.T("planupload.at", p.Cell.Sheet, p.Cell.Row)
	if p.Cell.Column != "" {
		at += " '" + p.Cell.Column + "'"
	}
	return at + ": " + msg
}
