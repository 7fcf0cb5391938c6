package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// usersPage lists the accounts.
type usersPage struct {
	*formPage
	deptChoice
	Users []models.User
	Roles []models.Role
}

// Users lists every account, with the form to add one.
func (h *Handler) Users(c echo.Context) error {
	p, err := h.usersPage(c)
	if err != nil {
		return err
	}
	if c.QueryParam("created") != "" {
		p.Notice = p.T("admin.user.created", c.QueryParam("created"))
	}
	return h.renderForm(c, http.StatusOK, "admin_users", p)
}

func (h *Handler) usersPage(c echo.Context) (*usersPage, error) {
	users, err := h.store.Users(c.Request().Context())
	if err != nil {
		return nil, err
	}
	depts, err := h.deptChoice(c.Request().Context(), "", false)
	if err != nil {
		return nil, err
	}
	p := &usersPage{formPage: newFormPage(h.page(c, "admin.users.title")), deptChoice: depts, Users: users, Roles: models.Roles}
	p.Crumbs = []crumb{{Name: p.Title}}
	return p, nil
}

// CreateUser adds an account with a temporary password, which the user
// must change at the first login.
func (h *Handler) CreateUser(c echo.Context) error {
	p, err := h.usersPage(c)
	if err != nil {
		return err
	}
	in := models.UserInput{
		Login: c.FormValue("login"), DisplayName: c.FormValue("display_name"), Department: c.FormValue("department"),
		Role: models.Role(c.FormValue("role")), Password: c.FormValue("password"), MustChange: true,
	}
	for _, k := range []string{"login", "display_name", "department", "role"} {
		p.Values[k] = strings.TrimSpace(c.FormValue(k))
	}
	if err := in.Validate(h.policy); err != nil {
		p.failValidation(err)
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_users", p)
	}
	ctx := c.Request().Context()
	u, err := h.store.CreateUser(ctx, in, false, currentUser(c), origin(c))
	if p.failValidation(err) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_users", p)
	}
	if err != nil {
		return err
	}
	return back(c, withLang("/admin/users?created="+u.Login, p.Lang))
}

// userPage shows one account with its admin forms.
type userPage struct {
	*formPage
	deptChoice
	Account *models.User
	Roles   []models.Role
	Events  []models.AccessEvent
}

func (h *Handler) userPage(c echo.Context) (*userPage, error) {
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return nil, notFound("error.user", c.Param("id"))
	}
	ctx := c.Request().Context()
	u, err := h.store.User(ctx, uint(id))
	if errors.Is(err, models.ErrNotFound) {
		return nil, notFound("error.user", c.Param("id"))
	}
	if err != nil {
		return nil, err
	}
	events, err := h.store.Events(ctx, models.EventFilter{Login: u.Login, Limit: 20})
	if err != nil {
		return nil, err
	}
	depts, err := h.deptChoice(ctx, u.Department, false)
	if err != nil {
		return nil, err
	}
	p := &userPage{formPage: newFormPage(h.page(c, "admin.user.title")), deptChoice: depts, Account: u, Roles: models.Roles, Events: events}
	p.Title = u.Login
	p.Crumbs = []crumb{{Name: p.T("admin.users.title"), URL: withLang("/admin/users", p.Lang)}, {Name: u.Login}}
	p.Values["role"], p.Values["department"] = string(u.Role), u.Department
	switch c.QueryParam("done") {
	case "role", "disable", "enable", "reset":
		p.Notice = p.T("admin.done." + c.QueryParam("done"))
	}
	return p, nil
}

// User shows one account.
func (h *Handler) User(c echo.Context) error {
	p, err := h.userPage(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, "admin_user", p)
}

// confirming makes the page the confirmation of disabling the account.
func (p *userPage) confirming() *userPage {
	p.Title = p.T("admin.disable.title", p.Account.Login)
	p.Crumbs = append(p.Crumbs[:len(p.Crumbs)-1],
		crumb{Name: p.Account.Login, URL: p.URL(fmt.Sprintf("/admin/users/%d", p.Account.ID))}, crumb{Name: p.T("admin.disable")})
	return p
}

// DisableForm asks the admin to confirm that an account is to be
// disabled: its sessions end at once.
func (h *Handler) DisableForm(c echo.Context) error {
	p, err := h.userPage(c)
	if err != nil {
		return err
	}
	if p.Account.ID == currentUser(c).ID {
		p.fail("action", p.T("admin.self.disable"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_user", p)
	}
	if p.Account.Disabled {
		return back(c, withLang(fmt.Sprintf("/admin/users/%d", p.Account.ID), p.Lang))
	}
	return h.renderForm(c, http.StatusOK, "admin_user_disable", p.confirming())
}

// UpdateUser applies one admin action to an account: role, disable,
// enable or reset (a temporary password).
func (h *Handler) UpdateUser(c echo.Context) error {
	p, err := h.userPage(c)
	if err != nil {
		return err
	}
	ctx, actor, u := c.Request().Context(), currentUser(c), p.Account
	action := c.FormValue("action")
	switch action {
	case "role":
		p.Values["role"], p.Values["department"] = c.FormValue("role"), c.FormValue("department")
		err = h.store.SetRole(ctx, u, models.Role(c.FormValue("role")), c.FormValue("department"), actor, origin(c))
	case "disable", "enable":
		if u.ID == actor.ID {
			p.fail("action", p.T("admin.self.disable"))
			return h.renderForm(c, http.StatusUnprocessableEntity, "admin_user", p)
		}
		if action == "disable" && c.FormValue("confirm") != "yes" {
			// Disabling ends the user's work at once: only from the
			// confirmation page, which sends confirm=yes.
			p.fail("confirm", p.T("admin.disable.unconfirmed"))
			return h.renderForm(c, http.StatusUnprocessableEntity, "admin_user_disable", p.confirming())
		}
		err = h.store.SetDisabled(ctx, u, action == "disable", actor, origin(c))
	case "reset":
		pw := c.FormValue("password")
		if pr, ok := h.policy.Check(pw, u.Login); !ok {
			p.fail("password", p.Lang.Problem(pr))
			return h.renderForm(c, http.StatusUnprocessableEntity, "admin_user", p)
		}
		err = h.store.ResetPassword(ctx, u, pw, actor, origin(c))
	default:
		return badRequest("error.action")
	}
	if p.failValidation(err) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_user", p)
	}
	if err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/admin/users/%d?done=%s", u.ID, action), p.Lang))
}

// auditPage is the access log with its filters, one page at a time.
type auditPage struct {
	*formPage
	Events []models.AccessEvent
	Kinds  []models.EventKind
	Paging *models.EventPage
}

// auditPageSize is how many entries a page of the access log shows.
const auditPageSize = 50

// Audit lists the access log, filtered by login, kind, IP and dates, a
// page at a time.
func (h *Handler) Audit(c echo.Context) error {
	p := &auditPage{formPage: newFormPage(h.page(c, "admin.audit.title")), Kinds: models.EventKinds}
	p.Crumbs = []crumb{{Name: p.Title}}
	f, page := auditFilter(c, p)
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusBadRequest, "admin_audit", p)
	}
	paging, err := h.store.EventsPage(c.Request().Context(), f, page, auditPageSize)
	if err != nil {
		return err
	}
	p.Events, p.Paging = paging.Events, paging
	return h.renderForm(c, http.StatusOK, "admin_audit", p)
}

// auditFilter reads the access log's filters and page from the query,
// recording a problem with each one it cannot use.
func auditFilter(c echo.Context, p *auditPage) (models.EventFilter, int) {
	f := models.EventFilter{Login: c.QueryParam("login"), IP: c.QueryParam("ip")}
	for _, k := range []string{"login", "kind", "ip", "from", "to"} {
		p.Values[k] = strings.TrimSpace(c.QueryParam(k))
	}
	if k := models.EventKind(p.Values["kind"]); k != "" {
		if !containsKind(models.EventKinds, k) {
			p.fail("kind", p.T("admin.audit.bad.kind"))
		}
		f.Kind = k
	}
	for _, k := range []string{"from", "to"} {
		if v := p.Values[k]; v != "" {
			// A day in Korea, as the log shows its times; stored times are UTC.
			d, err := time.ParseInLocation(time.DateOnly, v, models.KST)
			if err != nil {
				p.fail(k, p.T("admin.audit.bad.date"))
				continue
			}
			if k == "from" {
				f.From = d.UTC()
			} else {
				f.To = d.AddDate(0, 0, 1).UTC()
			}
		}
	}
	page := 1
	if v := c.QueryParam("page"); v != "" {
		n, ok := parseSmallInt(v, 6)
		if !ok || n < 1 {
			p.fail("page", p.T("admin.audit.bad.page"))
		}
		page = n
	}
	return f, page
}

func containsKind(kinds []models.EventKind, k models.EventKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// SettingsForm shows the settings.
func (h *Handler) SettingsForm(c echo.Context) error {
	p := newFormPage(h.page(c, "admin.settings.title"))
	p.Crumbs = []crumb{{Name: p.Title}}
	days, err := h.store.AuditRetentionDays(c.Request().Context())
	if err != nil {
		return err
	}
	p.Values["retention_days"] = strconv.Itoa(days)
	lockDay, err := h.store.LockDay(c.Request().Context())
	if err != nil {
		return err
	}
	p.Values["lock_day"] = strconv.Itoa(lockDay)
	issuer, err := h.store.Issuer(c.Request().Context())
	if err != nil {
		return err
	}
	p.Values["issuer_department"], p.Values["issuer_contact"] = issuer.Department, issuer.Contact
	if c.QueryParam("done") == "1" {
		p.Notice = p.T("admin.settings.done")
	}
	return h.renderForm(c, http.StatusOK, "admin_settings", p)
}

// SaveSettings changes the access-log retention, purging older entries,
// the day on which a month's figures lock, and the 공시's issuing
// department and contact line. All are checked before any is saved.
func (h *Handler) SaveSettings(c echo.Context) error {
	p := newFormPage(h.page(c, "admin.settings.title"))
	p.Crumbs = []crumb{{Name: p.Title}}
	raw := strings.TrimSpace(c.FormValue("retention_days"))
	rawLock := strings.TrimSpace(c.FormValue("lock_day"))
	p.Values["retention_days"], p.Values["lock_day"] = raw, rawLock
	issuer := models.Issuer{Department: strings.TrimSpace(c.FormValue("issuer_department")), Contact: strings.TrimSpace(c.FormValue("issuer_contact"))}
	p.Values["issuer_department"], p.Values["issuer_contact"] = issuer.Department, issuer.Contact
	p.failValidation(models.CheckIssuer(issuer))
	days, ok := parseSmallInt(raw, 5)
	if !ok || days < models.MinAuditRetentionDays {
		p.fail("retention_days", p.T("admin.settings.bad.days", models.MinAuditRetentionDays))
	}
	lockDay, ok := parseSmallInt(rawLock, 2)
	if !ok || lockDay < 1 || lockDay > 28 {
		p.fail("lock_day", p.T("admin.settings.bad.lock"))
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_settings", p)
	}
	ctx := c.Request().Context()
	// The retention goes first: the store may still refuse it (over 100
	// years), and then nothing is saved. The lock day is checked above.
	if err := h.store.SetAuditRetentionDays(ctx, days); p.failValidation(err) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_settings", p)
	} else if err != nil {
		return err
	}
	if err := h.store.SetLockDay(ctx, lockDay); err != nil {
		return err
	}
	if err := h.store.SetIssuer(ctx, issuer); err != nil {
		return err
	}
	if _, err := h.store.PurgeEvents(ctx); err != nil {
		return err
	}
	return back(c, withLang("/admin/settings?done=1", p.Lang))
}
