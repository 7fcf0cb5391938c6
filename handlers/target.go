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

// basisForm is the 집계 기준 form of an indicator page; only a count of
// people has one.
func basisForm(p *indicatorPage) *formPage { return p.BasisForm }

// SetBasis changes what an indicator's count of people counts, from the
// indicator page: in place in a draft plan, by revision in a published
// one.
func (h *Handler) SetBasis(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	in := models.BasisInput{Year: year, Basis: c.FormValue("basis"), Reason: c.FormValue("reason"), From: origin(c)}
	lang := parseLang(c.FormValue("lang"))
	revised, err := h.store.SetBasis(c.Request().Context(), currentUser(c), uint(id), in)
	if errors.Is(err, models.ErrInvalid) {
		return h.indicatorFormError(c, year, id, lang, basisForm, map[string]string{"basis": in.Basis, "reason": in.Reason}, err)
	}
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	if revised {
		return back(c, withLang(fmt.Sprintf("/plans/%d/revision?added=%d", year, id), lang))
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/indicators/%d?basis=changed#basis-form", year, id), lang))
}
