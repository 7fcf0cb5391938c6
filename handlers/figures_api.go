package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// apiFigure is a figure as the API writes it.
type apiFigure struct {
	IndicatorID   uint     `json:"indicator_id"`
	Year          int      `json:"year"`
	Month         int      `json:"month"`
	Value         float64  `json:"value"`
	Note          string   `json:"note"`
	Status        string   `json:"status"`
	Version       int      `json:"version"`
	Approved      *float64 `json:"approved"`
	ReturnComment string   `json:"return_comment,omitempty"`
	UpdatedBy     string   `json:"updated_by"`
	UpdatedAt     string   `json:"updated_at"`
}

func figureJSON(f *models.Figure) *apiFigure {
	if f == nil {
		return nil
	}
	return &apiFigure{
		IndicatorID: f.IndicatorID, Year: f.Year, Month: f.Month, Value: f.Value, Note: f.Note, Status: string(f.Status),
		Version: f.Version, Approved: f.Approved, ReturnComment: f.ReturnComment, UpdatedBy: f.UpdatedBy,
		UpdatedAt: f.UpdatedAt.UTC().Format(time.RFC3339),
	}
}

// figureBody is the JSON a PUT takes. Value stays a json.Number so that its
// spelling can be checked: 1e3 is refused like a clerk's typo.
type figureBody struct {
	Value   json.RawMessage `json:"value"`
	Note    string          `json:"note"`
	Version *int            `json:"version"`
	Confirm bool            `json:"confirm"`
	Reason  string          `json:"reason"`
}

// apiProblem is a problem detail with the extras the write API adds.
type apiProblem struct {
	problem
	Errors      []fieldProblem `json:"errors,omitempty"`
	Current     *apiFigure     `json:"current,omitempty"`
	LockedSince string         `json:"locked_since,omitempty"`
}

// fieldProblem is a problem with an input as its reader sees it: the
// field's path and the message in their language.
type fieldProblem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// problemsIn words models problems in lang.
func problemsIn(lang Lang, problems []models.Problem) []fieldProblem {
	out := make([]fieldProblem, len(problems))
	for i, p := range problems {
		out[i] = fieldProblem{Path: p.Path, Message: lang.Problem(p)}
	}
	return out
}

func (h *Handler) sendProblem(c echo.Context, status int, lang Lang, detail string, extra func(*apiProblem)) error {
	p := apiProblem{problem: problem{Type: "about:blank", Title: lang.T(titleKey(status)), Status: status, Detail: detail}}
	if extra != nil {
		extra(&p)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(status)
	return jsonEncode(c.Response(), p)
}

// figurePath reads indicator, year and month from the path.
func figurePath(c echo.Context) (id uint, year, month int, err error) {
	n, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return 0, 0, 0, notFound("error.indicator", c.Param("id"))
	}
	if year, err = parseYear(c.Param("year")); err != nil {
		return 0, 0, 0, err
	}
	month, ok = parseSmallInt(c.Param("month"), 2)
	if !ok || month < 1 || month > models.Months {
		return 0, 0, 0, badRequest("error.month")
	}
	return uint(n), year, month, nil
}

// GetFigure returns one month's figure with its version, for a writer to
// read before it writes.
func (h *Handler) GetFigure(c echo.Context) error {
	id, year, month, err := figurePath(c)
	if err != nil {
		return err
	}
	f, err := h.store.Figure(c.Request().Context(), id, year, month)
	if errors.Is(err, models.ErrNotFound) {
		return notFound("error.figure")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, figureJSON(f))
}

// PutFigure stores one month's value: 201 when new, 200 when changed; 409
// on a stale version, 422 with field errors, 423 on a locked month, 403
// for another department's indicator.
func (h *Handler) PutFigure(c echo.Context) error {
	id, year, month, err := figurePath(c)
	if err != nil {
		return err
	}
	lang := apiLang(c.Request())
	raw, err := io.ReadAll(io.LimitReader(c.Request().Body, 64<<10+1))
	if err != nil {
		return err
	}
	if len(raw) > 64<<10 {
		return &webError{Status: http.StatusRequestEntityTooLarge, Key: "error.413"}
	}
	body, problems := decodeFigureBody(raw)
	if len(problems) > 0 {
		return h.sendProblem(c, http.StatusUnprocessableEntity, lang, lang.T("error.422"), func(p *apiProblem) { p.Errors = problemsIn(lang, problems) })
	}
	in := models.FigureInput{IndicatorID: id, Year: year, Month: month, Value: string(body.Value), Note: body.Note,
		Version: *body.Version, Confirm: body.Confirm, Reason: body.Reason}
	f, created, err := h.store.SaveFigure(c.Request().Context(), currentUser(c), in)
	h.metrics.figureWrites(1, err)
	if err != nil {
		return h.figureError(c, lang, err)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, figureJSON(f))
}

// figureError answers a refused figure write in problem+json; an error
// the store did not refuse for the user goes to the error handler.
func (h *Handler) figureError(c echo.Context, lang Lang, err error) error {
	se, ok := storeError(err, lang, "api.conflict.remedy")
	if !ok {
		return err
	}
	detail := se.Message
	switch se.Status {
	case http.StatusUnprocessableEntity:
		detail = lang.T("error.422")
	case http.StatusNotFound:
		detail = lang.T("error.indicator", c.Param("id"))
	}
	return h.sendProblem(c, se.Status, lang, detail, func(p *apiProblem) {
		p.Errors, p.Current, p.LockedSince = se.Problems, figureJSON(se.Current), se.Since
	})
}

// decodeFigureBody parses the JSON strictly: one object, no unknown or
// repeated keys, a number for value and an integer version.
func decodeFigureBody(raw []byte) (*figureBody, []models.Problem) {
	fail := func(path, key string) (*figureBody, []models.Problem) {
		return nil, []models.Problem{{Path: path, Key: key}}
	}
	if key := duplicateKey(raw); key != "" {
		return fail(key, "problem.api.duplicate.key")
	}
	var body figureBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ):
			return fail(typ.Field, "problem.api.type")
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return fail(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "problem.api.unknown.field")
		}
		return fail("", "problem.api.json.unreadable")
	}
	if dec.More() {
		return fail("", "problem.api.json.extra")
	}
	var problems []models.Problem
	switch v := bytes.TrimSpace(body.Value); {
	case len(v) == 0 || string(v) == "null":
		problems = append(problems, models.Problem{Path: "value", Key: "problem.api.value.required"})
	case v[0] == '"' || v[0] == '{' || v[0] == '[' || string(v) == "true" || string(v) == "false":
		problems = append(problems, models.Problem{Path: "value", Key: "problem.api.value.quoted"})
	}
	if body.Version == nil {
		problems = append(problems, models.Problem{Path: "version", Key: "problem.api.version.required"})
	}
	return &body, problems
}

// duplicateKey returns the first key that appears twice in one JSON
// object, or "".
func duplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // the next string token in an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.expect {
				if top.keys[t] {
					return t
				}
				top.keys[t] = true
				top.expect = false
				continue
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expect = true
		}
	}
}

// LoadAPIToken signs in a request that carries "Authorization: Bearer
// <token>". A wrong token gets 401; it never falls back to a cookie.
func (h *Handler) LoadAPIToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		auth := c.Request().Header.Get(echo.HeaderAuthorization)
		if auth == "" {
			return next(c)
		}
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return &webError{Status: http.StatusUnauthorized, Key: "error.token"}
		}
		u, err := h.store.TokenUser(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, models.ErrNotFound) {
			return &webError{Status: http.StatusUnauthorized, Key: "error.token"}
		}
		if err != nil {
			return err
		}
		c.Set(ctxUser, u)
		c.Set(ctxSession, nil)
		return next(c)
	}
}
