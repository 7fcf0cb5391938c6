package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"jobkpi/models"
)

// storeErr is a store's refusal as the user reads it: the status, what
// to tell them in the page's language, and the input it is about.
type storeErr struct {
	Status int
	// Field is the input the refusal is about: value, confirm, note,
	// month, year, status, comment, pick (the store's problem paths) or
	// version (409), month (423), id (403, 404).
	Field   string
	Message string
	// Problems are a 422's problems, each in the page's language.
	Problems []fieldProblem
	// Current is a 409's figure as it is now (nil when there is none).
	Current *models.Figure
	// Since is a 423's lock date, YYYY-MM-DD.
	Since string
}

// storeError says what a store error means to the user: 422 for broken
// rules, 409 for a stale version, 423 for a locked month, 403 for another
// department's indicator, 404 for a missing one. ok is false for any
// other error, which is the server's fault (500). remedy, for a 409 with
// a current figure, is the catalogue key of what to do on this page.
func storeError(err error, lang Lang, remedy string) (se storeErr, ok bool) {
	var v *models.ValidationError
	var conflict *models.ConflictError
	var locked *models.LockedError
	switch {
	case errors.As(err, &v):
		se = storeErr{Status: http.StatusUnprocessableEntity, Problems: problemsIn(lang, v.Problems)}
		msgs := make([]string, len(se.Problems))
		for i, pr := range se.Problems {
			msgs[i] = pr.Message
		}
		if len(v.Problems) > 0 {
			se.Field = v.Problems[0].Path
		}
		se.Message = strings.Join(msgs, " ")
	case errors.As(err, &conflict):
		se = storeErr{Status: http.StatusConflict, Field: "version", Current: conflict.Current, Message: lang.T("error.409.new")}
		if cur := conflict.Current; cur != nil {
			se.Message = lang.T("entry.conflict", cur.UpdatedBy, cur.UpdatedAt.In(models.KST).Format("2006-01-02 15:04"), formatValue(cur.Value))
			if remedy != "" {
				se.Message += " " + lang.T(remedy)
			}
		}
	case errors.As(err, &locked):
		since := locked.Since.Format(time.DateOnly)
		se = storeErr{Status: http.StatusLocked, Field: "month", Since: since, Message: lang.T("error.423", since)}
	case errors.Is(err, models.ErrPublished):
		se = storeErr{Status: http.StatusConflict, Field: "plan", Message: lang.T("error.published")}
	case errors.Is(err, models.ErrForbidden):
		se = storeErr{Status: http.StatusForbidden, Field: "id", Message: lang.T("error.department")}
	case errors.Is(err, models.ErrNotFound):
		se = storeErr{Status: http.StatusNotFound, Field: "id", Message: lang.T("error.404.help")}
	default:
		return storeErr{}, false
	}
	return se, true
}
