package handlers

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/charts"
	"jobkpi/models"
)

// basePage is what the layout needs on every page.
type basePage struct {
	Lang  Lang
	Title string
	Demo  bool
	// Path is the page's path; links and forms keep a query in it
	// (?draft=1). It is empty on a page that is the same at every path, the
	// not-found page: its links to itself are relative.
	Path string
	Year int
	AsOf int // the as-of month, 0 on pages without one
	// asofHint is the catalogue key of the as-of form's hint, when the page
	// counts something other than approved figures.
	asofHint string
	Years    []int // plan years, for the navigation
	Crumbs   []crumb
	// sum is the evaluated plan of pages that have an as-of month; the
	// as-of form says from it why the month is the one shown.
	sum *models.Summary
	// nameFallback is set when Pick showed a Korean plan text on a page in
	// another language.
	nameFallback bool
	// fields names the 분야 by code, for pages that word a change of one
	// (see nameFields).
	fields map[string]string
	account
}

// account is the signed-in user as the layout shows them: the header
// names them, forms carry the CSRF token, and session.js warns before the
// session times out.
type account struct {
	User       *models.User
	SessionEnd string // RFC 3339 time at which the idle session ends
	DueCount   int    // months the user's department still owes, for the header badge
	// h and c give the CSRF token, made when a form first asks for it.
	h *Handler
	c echo.Context
}

// CSRF is the request's CSRF token for a form (Handler.csrfToken). Only a
// page that has a form asks, so only such a page sets the token cookie.
func (a account) CSRF() string {
	if a.h == nil {
		return ""
	}
	return a.h.csrfToken(a.c)
}

// account describes the request's user for the layout.
func (h *Handler) account(c echo.Context) account {
	a := account{User: currentUser(c), h: h, c: c}
	if s := currentSession(c); s != nil {
		a.SessionEnd = s.IdleEnd().UTC().Format(time.RFC3339)
	}
	if u := a.User; u != nil && u.Role.AtLeast(models.RoleStaff) {
		dept := u.Department
		if u.Role.AtLeast(models.RoleOfficial) {
			dept = ""
		}
		if n, err := h.store.DueCount(c.Request().Context(), dept); err == nil {
			a.DueCount = n
		} else {
			h.logFor(c).Error("count due months", "err", err)
		}
	}
	return a
}

// RoleName names a role in the page's language.
func (p *basePage) RoleName(r models.Role) string { return p.T("role." + string(r)) }

// Can reports whether the signed-in user's role includes min.
func (p *basePage) Can(min models.Role) bool { return p.User != nil && p.User.Role.AtLeast(min) }

type crumb struct {
	Name string
	URL  string
}

// T looks up a message in the page's language.
func (p *basePage) T(key string, args ...any) string { return p.Lang.T(key, args...) }

// Pick is the plan's own text (a name, a unit, a note) in the page's
// language, through Lang.Pick. When a text has no version in that
// language, the page shows the Korean and says so once (NameFallback).
func (p *basePage) Pick(ko, en string) string {
	text, fellBack := p.Lang.Pick(ko, en)
	p.nameFallback = p.nameFallback || fellBack
	return text
}

// NameFallback reports whether the page has shown a plan text in Korean
// for want of one in its language. The layout reads it after the content,
// so that the note covers every name on the page.
func (p *basePage) NameFallback() bool { return p.nameFallback }

// Month names month m in the page's language.
func (p *basePage) Month(m int) string { return p.Lang.Month(m) }

// AsOfLabel names the end of the as-of month.
func (p *basePage) AsOfLabel() string { return p.Lang.MonthEnd(p.Year, p.AsOf) }

// PlainURL is path in the page's language, without its as-of month: a
// link to a page that has none.
func (p *basePage) PlainURL(path string) string { return withLang(path, p.Lang) }

// URL links to path, keeping the page's language and as-of month.
func (p *basePage) URL(path string) string {
	return withQuery(path, p.Lang, p.AsOf)
}

// FormAction and FormQuery split the page's path for a GET form, which
// drops the query of its action: the query goes in hidden fields.
func (p *basePage) FormAction() string {
	path, _, _ := strings.Cut(p.Path, "?")
	return path
}

// FormQuery is the query of the page's own path (see FormAction).
func (p *basePage) FormQuery() url.Values {
	_, raw, _ := strings.Cut(p.Path, "?")
	q, _ := url.ParseQuery(raw)
	return q
}

// AsOfHint says what the as-of month counts.
func (p *basePage) AsOfHint() string {
	if p.asofHint != "" {
		return p.T(p.asofHint)
	}
	return p.T("asof.hint")
}

// asofLink is a link the as-of form offers to another month.
type asofLink struct {
	URL  string
	Text string
}

// AsOfWhy says why the page shows its as-of month (see
// models.DefaultAsOf): the latest month every indicator has reported, or
// no month is complete yet, or (a month the user chose) how many
// indicators have reported it. Empty when the plan has no indicator that
// takes monthly figures.
func (p *basePage) AsOfWhy() string {
	s := p.sum
	if s == nil || s.Coverage.Due == 0 {
		return ""
	}
	cov, month := s.Coverage, p.Month(s.AsOf)
	switch {
	case s.Picked && !cov.Complete(s.AsOf):
		return p.T("asof.why.partial", month, cov.Reported[s.AsOf-1], cov.Due)
	case s.Picked:
		return ""
	case cov.Complete(s.AsOf):
		return p.T("asof.why.complete", p.AsOfLabel())
	case cov.Reported[s.AsOf-1] == 0:
		return p.T("asof.why.none", p.AsOfLabel())
	}
	return p.T("asof.why.most", p.AsOfLabel(), cov.Reported[s.AsOf-1], cov.Due)
}

// AsOfOther links to the month the user may want instead: from the
// default month to the latest month, which only some indicators have
// reported; from a month the user chose back to the default.
func (p *basePage) AsOfOther() *asofLink {
	s := p.sum
	switch {
	case s == nil || s.Coverage.Due == 0:
		return nil
	case s.Picked && s.AsOf != s.Default:
		return &asofLink{URL: withQuery(p.Path, p.Lang, 0), Text: p.T("asof.default", p.Lang.MonthEnd(p.Year, s.Default))}
	case !s.Picked && s.LatestMonth > s.AsOf:
		m := s.LatestMonth
		return &asofLink{URL: withQuery(p.Path, p.Lang, m),
			Text: p.T("asof.newer", p.Lang.MonthEnd(p.Year, m), s.Coverage.Reported[m-1], s.Coverage.Due)}
	}
	return nil
}

// NavCurrent is the aria-current value of a menu link to path: "page" on
// that very page, "true" on a page under it (a task of the plan), and
// empty elsewhere. The dashboard is only its own page.
func (p *basePage) NavCurrent(path string) string {
	here := p.FormAction()
	switch {
	case here == path:
		return "page"
	case path != "/" && strings.HasPrefix(here, path+"/"):
		return "true"
	}
	return ""
}

// langLink is a link to the page in another language, named in that
// language.
type langLink struct {
	Lang Lang
	Name string
	URL  string
}

// OtherLangs links this page in every other loaded language.
func (p *basePage) OtherLangs() []langLink {
	var links []langLink
	for _, l := range Languages() {
		if l != p.Lang {
			u := withQuery(p.Path, l, p.AsOf)
			if p.Path == "" {
				u = "?lang=" + url.QueryEscape(string(l)) // this page, wherever it is
			}
			links = append(links, langLink{Lang: l, Name: l.T("lang.name"), URL: u})
		}
	}
	return links
}

// LangParam is the lang parameter that keeps a link or form in the page's
// language: empty for Korean, the default.
func (p *basePage) LangParam() string { return p.Lang.Param() }

// HTMLLang is the value of <html lang>.
func (p *basePage) HTMLLang() string { return string(p.Lang) }

func withQuery(path string, lang Lang, asof int) string {
	path, raw, _ := strings.Cut(path, "?")
	q, _ := url.ParseQuery(raw)
	if asof > 0 {
		q.Set("asof", strconv.Itoa(asof))
	}
	if lang != Korean {
		q.Set("lang", string(lang))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// statusView is a status as the page shows it: a word and an icon, with a
// class for colour. Colour is never the only signal. Note qualifies it:
// an on-track indicator whose forecast falls short of its target says by
// how much.
type statusView struct {
	Key   string
	Label string
	Note  string
}

// Status describes a status in the page's language.
func (p *basePage) Status(s models.Status) statusView {
	return statusView{Key: string(s), Label: p.T("status." + string(s))}
}

// IndStatus is an indicator's status with the forecast's shortfall
// against the target, when it falls short and the target is not reached:
// 정상 · 연말 전망 목표 대비 −43명.
func (p *basePage) IndStatus(v indicatorView) statusView {
	st := p.Status(v.Progress.Status)
	ind, f := v.Indicator, v.Progress.Forecast
	if f == nil || !ind.Kind.Monthly() || v.Progress.Status == models.StatusReached {
		return st
	}
	if d := ind.Round(*f) - ind.Round(ind.Target); d < 0 {
		st.Note = p.T("forecast.short", p.Amount(-d, ind))
	}
	return st
}

// State names a milestone's progress state.
func (p *basePage) State(s models.MilestoneState) string {
	if s == "" {
		s = models.MilestonePlanned
	}
	return p.T("state." + string(s))
}

// Standing is where a milestone is: its done date once done, its state
// before that.
func (p *basePage) Standing(ind *models.Indicator) string {
	if ind.DoneDate != nil {
		return p.T("ind.done") + " " + p.Date(ind.DoneDate)
	}
	return p.State(ind.MilestoneState)
}

// Unit is an indicator's unit in the page's language, with what a count
// of people counts (명, 실인원).
func (p *basePage) Unit(ind *models.Indicator) string {
	if ind.Basis == "" {
		return p.Pick(ind.Unit, ind.UnitEn)
	}
	return p.T("unit.basis", p.Pick(ind.Unit, ind.UnitEn), p.Basis(ind.Basis))
}

// Basis names what a count of people counts.
func (p *basePage) Basis(b models.Basis) string { return p.T("basis." + string(b)) }

// MeasureName names a measure: its unit, with its basis for a count of
// people.
func (p *basePage) MeasureName(m models.Measure) string {
	return p.Unit(&models.Indicator{Unit: m.Unit, UnitEn: m.UnitEn, Basis: m.Basis})
}

// Number writes a value of an indicator as people read it: rounded by
// the indicator's rule (whole in a count unit, see models.Indicator.Round)
// with thousands separators.
func (p *basePage) Number(v float64, ind *models.Indicator) string {
	return formatNumber(ind.Round(v))
}

// Amount writes a value with its unit, rounded like Number: 2,163명 or
// 2,163 people. A language whose catalogue has the unit (unit.people)
// writes it in the number's plural form: 1 person, 1 time.
func (p *basePage) Amount(v float64, ind *models.Indicator) string {
	v = ind.Round(v)
	if p.Lang != Korean && p.Lang.Has("unit."+ind.UnitEn) {
		return p.Lang.format("unit."+ind.UnitEn, v, []any{formatNumber(v)})
	}
	return p.T("amount", formatNumber(v), p.Pick(ind.Unit, ind.UnitEn))
}

// BasisNote says what an indicator's numbers count, for the label beside
// them: its unit with its 집계 기준 (명, 실인원), or "" when the unit is
// its own basis.
func (p *basePage) BasisNote(ind *models.Indicator) string {
	if ind.Basis == "" {
		return ""
	}
	return p.Unit(ind)
}

// chartView is one chart: its option for charts.js, and the words around it.
type chartView struct {
	ID      string
	Option  map[string]any
	Summary string
}

// chartLabels gives a chart its words in the page's language.
func (p *basePage) chartLabels(description string) charts.Labels {
	l := charts.Labels{
		Actual: p.T("ind.actual.cum"), Expected: p.T("ind.expected"), Target: p.T("ind.target"),
		Achievement: p.T("ind.achievement"), Description: description,
	}
	for m := range models.Months {
		l.Months[m] = p.Month(m + 1)
	}
	return l
}

// indicatorView is an evaluated indicator with what the page says of it.
type indicatorView struct {
	*models.IndicatorSummary
	Name     string
	URL      string
	Summary  string
	Forecast forecastView
	Reason   string // the indicator's note: the basis for its target, or why it changed
	// ReasonLabel names Reason: 목표 설정 근거, or 변경 사유 once an
	// official changed the target; 비고 for a milestone.
	ReasonLabel string
	// TermNote marks a target a revision changed (see basePage.termNote).
	TermNote  string
	PctCapped int // achievement in whole percent, at most 100, for <progress>
	Chart     *chartView
}

// basis is the note the plan gives as the basis for an indicator's
// target, or says that it was not recorded.
func (p *basePage) basis(ind *models.Indicator) string {
	if ind.TargetNoteUnrecorded {
		return p.T("ind.basis.unrecorded")
	}
	return p.Pick(ind.TargetNote, ind.TargetNoteEn)
}

func (p *basePage) indicator(is *models.IndicatorSummary, withChart bool) indicatorView {
	ind := is.Indicator
	v := indicatorView{
		IndicatorSummary: is,
		Name:             p.Pick(ind.Name, ind.NameEn),
		URL:              p.URL(fmt.Sprintf("/plans/%d/indicators/%d", p.Year, ind.ID)),
	}
	v.Summary = p.summarize(is, v.Name)
	v.Reason = p.Pick(ind.TargetNote, ind.TargetNoteEn)
	switch {
	case !ind.Kind.Monthly():
		v.ReasonLabel = p.T("ind.note")
	case is.Term.Revised():
		v.Reason, v.ReasonLabel = is.Term.Change.Reason, p.T("ind.reason")
	default:
		v.Reason, v.ReasonLabel = p.basis(ind), p.T("ind.basis")
	}
	v.TermNote = p.termNote(is)
	v.PctCapped = pctCapped(is.Progress.Achievement)
	v.Forecast = p.forecast(is)
	if withChart && ind.Kind.Monthly() {
		id := fmt.Sprintf("chart-ind-%d", ind.ID)
		v.Chart = &chartView{
			ID:      id,
			Option:  charts.Option(charts.Cumulative(id, is, p.chartLabels(v.Summary))),
			Summary: v.Summary,
		}
	}
	return v
}

// forecastView is a year-end forecast as the page writes it: the amount,
// and the months it projects from. It prints as 2,120명 (1–9월 실적 기준),
// or a dash when there is no forecast.
type forecastView struct {
	Amount string
	From   string
}

func (f forecastView) String() string {
	if f.From == "" {
		return f.Amount
	}
	return f.Amount + " (" + f.From + ")"
}

// forecast describes an indicator's year-end forecast (see forecastView).
func (p *basePage) forecast(is *models.IndicatorSummary) forecastView {
	ind, pr := is.Indicator, is.Progress
	if pr.Forecast == nil || !ind.Kind.Monthly() {
		return forecastView{Amount: p.T("ind.none")}
	}
	key := "forecast.from.flow"
	if ind.Kind.CarriesForward() {
		key = "forecast.from.stock"
	}
	return forecastView{Amount: p.Amount(*pr.Forecast, ind), From: p.T(key, p.MonthRanges(pr.ForecastFrom))}
}

// ShortMonths lists the short month names, comma-separated, for print.js.
func (p *basePage) ShortMonths() string {
	names := make([]string, 12)
	for m := range names {
		names[m] = p.T(fmt.Sprintf("month.short.%d", m+1))
	}
	return strings.Join(names, ",")
}

// MonthRanges names months as runs (Lang.Months).
func (p *basePage) MonthRanges(months []int) string { return p.Lang.Months(months) }

// summarize writes the one-sentence summary of an indicator.
func (p *basePage) summarize(is *models.IndicatorSummary, name string) string {
	ind, pr := is.Indicator, is.Progress
	st := p.T("status." + string(pr.Status))
	if !ind.Kind.Monthly() {
		due := p.Date(ind.DueDate)
		if pr.Actual >= 1 {
			return p.T("summary.milestone.done", name, p.Date(ind.DoneDate), due)
		}
		return p.T("summary.milestone.open", name, due, st)
	}
	return p.T("summary.flow", p.AsOfLabel(), p.Amount(pr.Actual, ind), p.Amount(ind.Target, ind),
		formatPercent(pr.Achievement), formatPercent(pr.Pace), st)
}

// Change describes the target against the baseline year: +60명 (2019년 110명).
func (p *basePage) Change(ind *models.Indicator) string {
	if ind.Baseline == nil {
		return p.T("ind.baseline.no")
	}
	d := ind.Target - *ind.Baseline
	sign := "+"
	if d < 0 {
		sign = "−"
		d = -d
	}
	return p.T("ind.change", sign, p.Number(d, ind), p.Unit(ind), ind.BaselineYear, p.Number(*ind.Baseline, ind), p.Unit(ind))
}

// MissingMonths lists the due months that have no figure.
func (p *basePage) MissingMonths(pr models.Progress) string {
	names := make([]string, len(pr.Missing))
	for i, m := range pr.Missing {
		names[i] = p.Month(m)
	}
	return p.T("ind.missing.months", strings.Join(names, ", "))
}

// Date writes a date in the page's language, or a dash when there is none.
func (p *basePage) Date(t *time.Time) string {
	if t == nil {
		return p.T("ind.none")
	}
	return p.Lang.Date(*t)
}

// pctCapped is a ratio in whole percent between 0 and 100.
func pctCapped(r float64) int {
	return int(math.Round(100 * min(max(r, 0), 1)))
}

// Counts writes how many indicators have each status.
func (p *basePage) Counts(r models.Rollup) string {
	c := r.Counts
	return p.T("plan.counts", r.Total, c[models.StatusReached], c[models.StatusOnTrack], c[models.StatusWatch],
		c[models.StatusBehind], c[models.StatusMissing])
}

// pageIndicator and pageIndicators carry the page into shared partials.
type pageIndicator struct {
	Page *basePage
	Ind  indicatorView
}

type pageIndicators struct {
	Page    *basePage
	Caption string
	Items   []indicatorView
}

// WithInd pairs the page with one indicator, for the monthly table.
func (p *basePage) WithInd(v indicatorView) pageIndicator { return pageIndicator{p, v} }

// Table pairs the page with indicators, for the indicator table.
func (p *basePage) Table(caption string, items []indicatorView) pageIndicators {
	return pageIndicators{p, caption, items}
}
