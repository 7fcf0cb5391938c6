package handlers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// targetForm is the target form of an indicator page; a milestone's page
// has none, and its error page says why.
func targetForm(p *indicatorPage) *formPage {
	if !p.Ind.Indicator.Kind.Monthly() {
		return nil
	}
	return p.TargetForm
}

// SetTarget changes an indicator's annual target from the indicator page.
// Officials only (the route and the store both check); the reason is
// required and goes into the history.
func (h *Handler) SetTarget(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	in := models.TargetInput{Year: year, Target: strings.TrimSpace(c.FormValue("target")), Pacing: c.FormValue("pacing"), Reason: c.FormValue("reason")}
	lang := parseLang(c.FormValue("lang"))
	revised, err := h.store.SetTarget(c.Request().Context(), currentUser(c), uint(id), in)
	if errors.Is(err, models.ErrInvalid) {
		typed := map[string]string{"target": in.Target, "pacing": in.Pacing, "reason": in.Reason}
		return h.indicatorFormError(c, year, id, lang, targetForm, typed, err)
	}
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	if revised {
		return back(c, withLang(fmt.Sprintf("/plans/%d/revision?added=%d", year, id), lang))
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/indicators/%d?target=changed#target-form", year, id), lang))
}
