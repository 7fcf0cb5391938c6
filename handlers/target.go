package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// SetTarget changes an indicator's annual target from the indicator page.
// Officials only (the route and the store both check); the reason is
// required and goes into the history.
func (h *Handler) SetTarget(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	in := models.TargetInput{Year: year, Target: strings.TrimSpace(c.FormValue("target")), Reason: c.FormValue("reason")}
	lang := parseLang(c.FormValue("lang"))
	err = h.store.SetTarget(c.Request().Context(), currentUser(c), uint(id), in)
	var v *models.ValidationError
	if errors.As(err, &v) {
		req := pageRequest{lang: lang, month: h.thisMonth(), account: h.account(c)}
		p, perr := h.indicatorPage(c, req, year, id)
		if perr != nil {
			return perr
		}
		if p.Ind.Indicator.Kind == models.KindMilestone {
			return err // no target form on a milestone's page: the error page says why
		}
		p.TargetForm.Values["target"], p.TargetForm.Values["reason"] = in.Target, in.Reason
		p.TargetForm.failValidation(err)
		return h.renderForm(c, http.StatusUnprocessableEntity, "indicator", p)
	}
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/indicators/%d?target=changed#target-form", year, id), lang))
}
