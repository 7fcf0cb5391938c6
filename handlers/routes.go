package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"jobkpi/models"
)

// Register puts the error handler, the middleware and every route of the
// app on e: the one route table. secure says the site is served over TLS.
func Register(e *echo.Echo, h *Handler, assets *Assets, secure bool) {
	e.HTTPErrorHandler = h.HandleError
	e.Pre(h.Observe, h.metrics.Endpoint)
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		h.logFor(c).Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(SecureHeaders(secure), LimitQuery, middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "256K", Skipper: func(c echo.Context) bool { return noBody(c) || SkipBodyLimit(c) }}))
	e.GET("/static/:version/*", assets.Serve)
	e.GET("/healthz", h.Healthz)
	e.GET("/readyz", h.Readyz)
	e.GET("/api/openapi.json", assets.File("api/openapi.json"))

	// Middleware is listed per route, not per group: an Echo group with
	// middleware also catches unknown paths, which must stay plain 404s.
	app := []echo.MiddlewareFunc{h.LoadSession, h.EnforcePasswordChange, h.CSRF()}
	with := func(extra ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append(append([]echo.MiddlewareFunc{}, app...), extra...)
	}
	read := with(h.Readable)
	e.GET("/", h.Dashboard, read...)
	e.GET("/plans/:year", h.PlanYear, read...)
	e.GET("/plans/:year/results.csv", h.ResultsCSV, read...)
	e.GET("/plans/:year/tasks/:code", h.Task, read...)
	e.GET("/plans/:year/groups", h.Groups, read...)
	e.GET("/plans/:year/indicators/:id", h.Indicator, read...)
	// The 공시 is public, signed in or not.
	e.GET("/disclosure", h.Disclosures, app...)
	e.GET("/disclosure/:year", h.DisclosureYear, app...)
	e.GET("/disclosure/:year/download", h.DisclosureYearDownload, app...)
	e.GET("/disclosure/:year/:period", h.DisclosureResults, app...)
	e.GET("/disclosure/:year/:period/download", h.DisclosureResultsDownload, app...)
	e.GET("/api/v1/plans", h.APIPlans, read...)
	e.GET("/api/v1/plans/:year", h.APIPlan, read...)

	e.GET("/login", h.LoginForm, app...)
	e.POST("/login", h.Login, app...)
	e.POST("/logout", h.Logout, app...)
	e.GET("/setup", h.SetupForm, app...)
	e.POST("/setup", h.Setup, app...)

	signedIn := with(h.RequireLogin)
	e.POST("/session/extend", h.ExtendSession, signedIn...)
	e.GET("/account", h.Account, signedIn...)
	e.POST("/account/tokens", h.CreateToken, signedIn...)
	e.POST("/account/tokens/:id/delete", h.DeleteToken, signedIn...)
	e.GET("/account/password", h.PasswordForm, signedIn...)
	e.POST("/account/password", h.ChangePassword, signedIn...)

	council := with(h.RequireRole(models.RoleCouncil))
	e.GET("/reports", h.Reports, council...)
	e.GET("/reports/:year", h.Report, council...)
	e.GET("/reports/:year/download", h.ReportDownload, council...)

	apiWriter := with(h.LoadAPIToken, h.RequireRole(models.RoleStaff))
	e.GET("/api/v1/figures/:id/:year/:month", h.GetFigure, apiWriter...)
	e.PUT("/api/v1/figures/:id/:year/:month", h.PutFigure, with(h.LoadAPIToken, h.RequireRole(models.RoleStaff), RequireJSON)...)

	staff := with(h.RequireRole(models.RoleStaff))
	e.POST("/plans/:year/indicators/:id/milestone", h.UpdateMilestone, staff...)
	e.GET("/entry", h.EntryLatest, staff...)
	e.GET("/entry/:year", h.EntryGrid, staff...)
	e.POST("/entry/:year", h.SaveEntry, staff...)
	imports := NewImports(h)
	e.GET("/entry/:year/template.xlsx", h.EntryTemplate, staff...)
	e.GET("/entry/:year/export.xlsx", h.ExportXLSX, staff...)
	e.GET("/entry/:year/export.csv", h.ExportCSV, staff...)
	e.GET("/entry/:year/upload", imports.UploadForm, staff...)
	e.POST("/entry/:year/upload", imports.Upload, append([]echo.MiddlewareFunc{imports.Limit}, staff...)...)
	e.GET("/entry/:year/upload/:token", imports.UploadStatus, staff...)
	e.POST("/entry/:year/upload/:token", imports.SaveUpload, staff...)
	e.GET("/my", h.My, staff...)
	e.POST("/plans/:year/indicators/:id/commentary", h.SaveCommentary, staff...)
	e.GET("/plans/:year/indicators/:id/history", h.History, signedIn...)
	e.GET("/plans/:year/indicators/:id/history.csv", h.HistoryCSV, signedIn...)

	official := with(h.RequireRole(models.RoleOfficial))
	e.GET("/plans/:year/programs/:id", h.ProgramForm, official...)
	e.POST("/plans/:year/programs/:id", h.SaveProgram, official...)
	e.POST("/plans/:year/programs/:id/plan", h.SaveProgramPlan, official...)
	e.GET("/review", h.Review, official...)
	e.POST("/review", h.Decide, official...)
	e.POST("/review/approve", h.ApproveMany, official...)
	e.POST("/plans/:year/indicators/:id/target", h.SetTarget, official...)
	e.POST("/plans/:year/indicators/:id/basis", h.SetBasis, official...)
	e.GET("/plans/:year/revision", h.Revision, official...)
	e.POST("/plans/:year/revision", h.PublishRevision, official...)
	e.POST("/plans/:year/revision/changes/:id/delete", h.RemoveChange, official...)
	e.POST("/plans/:year/revision/edits/:id/delete", h.RemoveEdit, official...)
	e.GET("/plans/:year/results/:period", h.ResultsForm, official...)
	e.POST("/plans/:year/results/:period", h.PublishResults, official...)
	e.GET("/plans/:year/outcomes", h.Outcomes, official...)
	e.POST("/plans/:year/outcomes/:id/values", h.AddOutcomeResult, official...)
	e.POST("/plans/:year/outcomes/:id/target", h.SetOutcomeTarget, official...)
	planSheets := NewPlanUploads(h)
	e.GET("/plans/:year/plan.xlsx", planSheets.PlanSheet, official...)
	e.GET("/plans/:year/plan-upload", planSheets.PlanUploadForm, official...)
	e.POST("/plans/:year/plan-upload", planSheets.PlanUpload, append([]echo.MiddlewareFunc{imports.Limit}, official...)...)
	e.POST("/plans/:year/plan-upload/:token", planSheets.SavePlanUpload, official...)
	e.GET("/plans/:year/draft", h.DraftPlan, official...)
	e.POST("/plans/:year/targets", h.DecideTargets, official...)
	e.POST("/plans/:year/publish", h.PublishPlan, official...)
	e.POST("/plans/:year/copy", h.CopyPlan, official...)
	e.GET("/plans/:year/edit", h.PlanEditor, official...)
	e.POST("/plans/:year/edit/new", h.CreatePlan, official...)
	e.POST("/plans/:year/edit/move", h.MovePlanRecord, official...)
	e.GET("/plans/:year/edit/remove", h.RemoveForm, official...)
	e.POST("/plans/:year/edit/remove", h.RemovePlanRecord, official...)
	e.GET("/plans/:year/edit/tasks/new", h.RecordForm(addTask), official...)
	e.POST("/plans/:year/edit/tasks/new", h.SaveRecord(addTask), official...)
	e.GET("/plans/:year/edit/tasks/:id", h.RecordForm(editTaskForm), official...)
	e.POST("/plans/:year/edit/tasks/:id", h.SaveRecord(editTaskForm), official...)
	e.GET("/plans/:year/edit/tasks/:id/programs/new", h.RecordForm(addProgram), official...)
	e.POST("/plans/:year/edit/tasks/:id/programs/new", h.SaveRecord(addProgram), official...)
	e.GET("/plans/:year/edit/programs/:id", h.RecordForm(editProgramForm), official...)
	e.POST("/plans/:year/edit/programs/:id", h.SaveRecord(editProgramForm), official...)
	e.GET("/plans/:year/edit/programs/:id/indicators/new", h.RecordForm(addIndicator), official...)
	e.POST("/plans/:year/edit/programs/:id/indicators/new", h.SaveRecord(addIndicator), official...)
	e.GET("/plans/:year/edit/indicators/:id", h.RecordForm(editIndicatorForm), official...)
	e.POST("/plans/:year/edit/indicators/:id", h.SaveRecord(editIndicatorForm), official...)
	e.GET("/plans/:year/edit/outcomes/new", h.RecordForm(addOutcome), official...)
	e.POST("/plans/:year/edit/outcomes/new", h.SaveRecord(addOutcome), official...)
	e.GET("/plans/:year/edit/outcomes/:id", h.RecordForm(editOutcomeForm), official...)
	e.POST("/plans/:year/edit/outcomes/:id", h.SaveRecord(editOutcomeForm), official...)
	e.POST("/plans/:year/indicators/:id/unlock", h.Unlock, official...)
	e.POST("/entry/:year/unlock", h.UnlockDepartment, official...)

	admin := with(h.RequireRole(models.RoleAdmin))
	e.GET("/admin/users", h.Users, admin...)
	e.POST("/admin/users", h.CreateUser, admin...)
	e.GET("/admin/users/:id", h.User, admin...)
	e.POST("/admin/users/:id", h.UpdateUser, admin...)
	e.GET("/admin/users/:id/disable", h.DisableForm, admin...)
	e.GET("/admin/departments", h.Departments, admin...)
	e.GET("/admin/fields", h.AdminFields, admin...)
	e.POST("/admin/fields", h.AddField, admin...)
	e.POST("/admin/departments", h.AddDepartment, admin...)
	e.POST("/admin/departments/:id/delete", h.RemoveDepartment, admin...)
	e.GET("/admin/audit", h.Audit, admin...)
	e.GET("/admin/settings", h.SettingsForm, admin...)
	e.POST("/admin/settings", h.SaveSettings, admin...)
}
