// Command jobkpi serves the dashboard of a city's yearly employment-policy
// plan (일자리대책 연차별 세부계획): targets, monthly figures and progress.
//
//	jobkpi [-addr host:port] [-db path] [-demo] [-public=false] [-tls-cert F -tls-key F] [-trusted-proxies CIDRs]
//	jobkpi plan import [-db path] [-published DATE|unknown] FILE
//	jobkpi user add -login L -role R [-dept D] [-name N] [-db path] < password
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/data"
	"jobkpi/handlers"
	"jobkpi/models"
)

const (
	defaultAddr   = "localhost:8080"
	defaultDB     = "data/jobkpi.db"
	defaultDemoDB = "data/jobkpi-demo.db"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags and environment say.
type config struct {
	addr   string
	db     string
	demo   bool
	noSeed bool // -seed=false: a new database starts without the shipped plans
	// noSampleYear leaves out the current year's sample plan of -demo, for
	// tests that bring a plan of the current year of their own.
	noSampleYear   bool
	public         bool
	tlsCert        string
	tlsKey         string
	trustedProxies string
	locales        string
	metricsFrom    string // -metrics-from: the TCP peers that may read /metrics
	logFormat      string // -log-format: text or json
}

// run is the whole program; it returns the exit code: 0, 1 for a failure
// the user must fix, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "plan" {
		return runPlan(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "user" {
		return runUser(ctx, args[1:], os.Stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "backup" {
		return runBackup(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "migrate" {
		return runMigrate(ctx, args[1:], stdout, stderr)
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	log := newLogger(cfg.logFormat, stderr)
	if err := serve(ctx, cfg, stdout, log); err != nil {
		fmt.Fprintln(stderr, "jobkpi:", inLang(handlers.LangFromEnv(os.Getenv("LANG")), err))
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fset := flag.NewFlagSet("jobkpi", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg := config{}
	fset.StringVar(&cfg.addr, "addr", envOr("JOBKPI_ADDR", defaultAddr), "address to listen on (env JOBKPI_ADDR)")
	fset.StringVar(&cfg.db, "db", os.Getenv("JOBKPI_DB"), "SQLite database file, or a postgres:// URL (env JOBKPI_DB; default "+defaultDB+", or "+defaultDemoDB+" with -demo)")
	fset.BoolVar(&cfg.demo, "demo", false, "add sample monthly figures and demo accounts, shown with a sample-data banner")
	seedPlans := fset.Bool("seed", true, "load the shipped plans (Gimpo's) into a new, empty database; -seed=false starts one without them, for another city")
	fset.BoolVar(&cfg.public, "public", true, "let anyone read the plan pages and the read API without signing in")
	fset.StringVar(&cfg.tlsCert, "tls-cert", "", "TLS certificate file (PEM); serve HTTPS with -tls-key")
	fset.StringVar(&cfg.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fset.StringVar(&cfg.trustedProxies, "trusted-proxies", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-For is trusted")
	fset.StringVar(&cfg.locales, "locales", os.Getenv("JOBKPI_LOCALES"), "folder of extra message catalogues, one <language>.json each, that add languages (env JOBKPI_LOCALES)")
	fset.StringVar(&cfg.metricsFrom, "metrics-from", os.Getenv("JOBKPI_METRICS_FROM"), "comma-separated IPs or CIDRs of the TCP peers that may read /metrics, never taken from X-Forwarded-For (env JOBKPI_METRICS_FROM; default: nobody)")
	fset.StringVar(&cfg.logFormat, "log-format", envOr("JOBKPI_LOG_FORMAT", "text"), "log format: text or json (env JOBKPI_LOG_FORMAT)")
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  jobkpi [flags]\n  jobkpi plan import [-db path] [-published DATE|unknown] FILE\n  jobkpi user add -login L -role R [-dept D] [-name N] [-db path] < password\n  jobkpi backup [-db path] FILE\n  jobkpi migrate status [-db path|URL]\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	cfg.noSeed = !*seedPlans
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "jobkpi: unexpected argument %q\n", fset.Arg(0))
		fset.Usage()
		return cfg, errors.New("bad usage")
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		fmt.Fprintln(stderr, "jobkpi: give both -tls-cert and -tls-key, or neither")
		fset.Usage()
		return cfg, errors.New("bad usage")
	}
	if _, err := trustedRanges(cfg.trustedProxies); err != nil {
		fmt.Fprintf(stderr, "jobkpi: -trusted-proxies: %v\n", err)
		fset.Usage()
		return cfg, err
	}
	if _, err := trustedRanges(cfg.metricsFrom); err != nil {
		fmt.Fprintf(stderr, "jobkpi: -metrics-from: %v\n", err)
		fset.Usage()
		return cfg, err
	}
	if cfg.logFormat != "text" && cfg.logFormat != "json" {
		fmt.Fprintf(stderr, "jobkpi: -log-format: %q is not a log format; use text or json\n", cfg.logFormat)
		fset.Usage()
		return cfg, errors.New("bad usage")
	}
	if cfg.db == "" {
		cfg.db = defaultDB
		if cfg.demo {
			cfg.db = defaultDemoDB // sample figures never go into the real database by default
		}
	}
	return cfg, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// openStore opens the database, applying the migrations it lacks (each
// logged to log), with a message that says what to do when that fails.
func openStore(dsn string, log *slog.Logger) (*models.Store, error) {
	store, err := models.OpenWith(dsn, models.Options{Log: log})
	var newer *models.SchemaNewerError
	switch {
	case errors.As(err, &newer):
		return nil, fmt.Errorf("cannot use the database %s: %v", models.Redact(dsn), newer)
	case err != nil && models.IsPostgresURL(dsn):
		return nil, fmt.Errorf("cannot open the database %s (%s). Check that the PostgreSQL server is running and reachable from here, "+
			"and the user, password and database name in the -db URL", models.Redact(dsn), withoutPassword(err, dsn))
	case err != nil:
		return nil, fmt.Errorf("cannot open the database %s (%v). Check that its folder exists and is writable, or choose another file with -db", dsn, err)
	}
	return store, nil
}

// withoutPassword is err's text with the password of the URL dsn, should
// it appear, masked.
func withoutPassword(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// seed brings the database up to date and loads what it should hold.
// The shipped plans (data/plans) are Gimpo's, so they load only into a
// database that holds no plan yet, and not at all with -seed=false; a
// database that already holds any plan never gets one added. With -demo
// the shipped plans get sample figures, the current year gets a sample
// plan copied from the first of them, and the demo accounts are made.
func seed(ctx context.Context, store *models.Store, cfg config, log *slog.Logger) error {
	shipped, err := shippedPlans()
	if err != nil {
		return err
	}
	if err := store.UpgradeVersions(ctx, shipped); err != nil {
		return err
	}
	years, err := store.Years(ctx, true)
	if err != nil {
		return err
	}
	if len(years) == 0 && !cfg.noSeed {
		for _, pf := range shipped {
			if _, err := store.ImportPlan(ctx, pf); err != nil {
				return err
			}
			log.Info("loaded seed plan", "year", pf.Year)
		}
	}
	if !cfg.demo {
		return nil
	}
	for _, pf := range shipped {
		if err := store.SeedDemo(ctx, pf.Year); err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	if len(shipped) > 0 && !cfg.noSampleYear {
		if err := store.SeedDemoYear(ctx, shipped[0].Year); err != nil {
			return err
		}
	}
	return store.SeedDemoAccounts(ctx)
}

// shippedPlans reads the plans shipped in data/plans, oldest first.
func shippedPlans() ([]*models.PlanFile, error) {
	names, err := fs.Glob(data.Plans, "plans/*.json")
	if err != nil {
		return nil, err
	}
	var out []*models.PlanFile
	for _, name := range names {
		pf, err := loadPlanFile(data.Plans, name)
		if err != nil {
			return nil, err
		}
		out = append(out, pf)
	}
	slices.SortFunc(out, func(a, b *models.PlanFile) int { return a.Year - b.Year })
	return out, nil
}

// loadPlanFile reads and validates a plan file from fsys; errors name the file.
func loadPlanFile(fsys fs.FS, name string) (*models.PlanFile, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	defer f.Close()
	return parsePlanFile(f, name)
}

func parsePlanFile(r io.Reader, name string) (*models.PlanFile, error) {
	pf, err := models.ParsePlanFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s:\n%w", name, err)
	}
	return pf, nil
}

func serve(ctx context.Context, cfg config, stdout io.Writer, log *slog.Logger) error {
	store, err := openStore(cfg.db, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seed(ctx, store, cfg, log); err != nil {
		return fmt.Errorf("load seed plans: %w", err)
	}
	if err := purge(ctx, store, log); err != nil {
		return err
	}
	e, err := newServer(store, log, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%v). Choose another address with -addr, for example -addr localhost:8081", cfg.addr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
	}
	base := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	fmt.Fprintf(stdout, "jobkpi: serving %s/ (database %s%s)\n", base, models.Redact(cfg.db), map[bool]string{true: ", sample data"}[cfg.demo])
	if err := announceSetup(ctx, store, base, stdout); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			errc <- srv.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// newServer builds the Echo instance: the handler and its dependencies,
// with every route from handlers.Register.
func newServer(store *models.Store, log *slog.Logger, cfg config) (*echo.Echo, error) {
	if cfg.locales != "" {
		if err := handlers.AddCatalogues(os.DirFS(cfg.locales)); err != nil {
			return nil, fmt.Errorf("-locales %s: %w", cfg.locales, err)
		}
	}
	views, err := handlers.NewViews()
	if err != nil {
		return nil, err
	}
	assets, err := handlers.NewAssets()
	if err != nil {
		return nil, err
	}
	policy, err := models.NewPasswordPolicy(bytes.NewReader(data.CommonPasswords))
	if err != nil {
		return nil, err
	}
	secure := cfg.tlsCert != ""
	metricsFrom, err := trustedRanges(cfg.metricsFrom)
	if err != nil {
		return nil, err
	}
	h := handlers.New(store, views, log, handlers.Options{Demo: cfg.demo, Public: cfg.public, Secure: secure, Policy: policy,
		MetricsFrom: metricsFrom})
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	ranges, err := trustedRanges(cfg.trustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = ipExtractor(ranges)
	handlers.Register(e, h, assets, secure)
	return e, nil
}

// newLogger is the server's log on stderr: format is text or json.
func newLogger(format string, stderr io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

// trustedRanges parses -trusted-proxies and -metrics-from: IPs or CIDRs,
// comma-separated.
func trustedRanges(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, given := range strings.Split(s, ",") {
		given = strings.TrimSpace(given)
		if given == "" {
			continue
		}
		part := given
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
				part += "/32"
			} else {
				part += "/128"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range", given)
		}
		out = append(out, n)
	}
	return out, nil
}

// ipExtractor trusts X-Forwarded-For only from the named proxies. With none,
// the client address is the TCP peer, so a forged header changes nothing.
func ipExtractor(ranges []*net.IPNet) echo.IPExtractor {
	if len(ranges) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, r := range ranges {
		opts = append(opts, echo.TrustIPRange(r))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// purge deletes ended sessions and access-log entries older than the
// retention setting; it runs at every start.
func purge(ctx context.Context, store *models.Store, log *slog.Logger) error {
	if err := store.PurgeSessions(ctx); err != nil {
		return err
	}
	if n, err := store.PurgeUploads(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("purged expired upload previews", "count", n)
	}
	n, err := store.PurgeEvents(ctx)
	if n > 0 {
		log.Info("purged old access-log entries", "count", n)
	}
	return err
}

// announceSetup prints a one-time link that creates the first admin, when
// there is no admin yet.
func announceSetup(ctx context.Context, store *models.Store, base string, stdout io.Writer) error {
	ok, err := store.AdminExists(ctx)
	if err != nil || ok {
		return err
	}
	token, err := store.NewSetupToken(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "jobkpi: there is no administrator yet. Within 1 hour, open %s/setup?token=%s to create one (the link works once).\n", base, token)
	return nil
}

// runPlan handles `jobkpi plan import [-db path] [-published DATE|unknown] FILE`.
// FILE is a JSON plan file or a plan spreadsheet (xlsx). The plan is a
// draft unless -published says when it was published.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "Usage: jobkpi plan import [-db path] [-published YYYY-MM-DD|unknown] FILE.json|FILE.xlsx")
	}
	if len(args) == 0 || args[0] != "import" {
		usage()
		return 2
	}
	fset := flag.NewFlagSet("jobkpi plan import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := fset.String("db", envOr("JOBKPI_DB", defaultDB), "SQLite database file (env JOBKPI_DB)")
	published := fset.String("published", "", "the date the plan was published (공시), YYYY-MM-DD, or \"unknown\"; without it the plan is a draft")
	fset.Usage = usage
	if err := fset.Parse(args[1:]); err != nil {
		return 2
	}
	if fset.NArg() != 1 {
		usage()
		return 2
	}
	lang := handlers.LangFromEnv(os.Getenv("LANG"))
	pf, err := readPlan(fset.Arg(0), lang)
	if err == nil {
		pf.Published, pf.PublishedRef = *published, ""
		err = pf.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "jobkpi: plan not imported, nothing was written.\n%s\n", inLang(lang, err))
		return 1
	}
	store, err := openStore(*db, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(stderr, "jobkpi:", err)
		return 1
	}
	defer store.Close()
	plan, err := store.ImportPlan(ctx, pf)
	if errors.Is(err, models.ErrExists) {
		fmt.Fprintf(stderr, "jobkpi: a plan for %d is already in %s; nothing was written. Plans are never overwritten.\n", pf.Year, *db)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "jobkpi: plan not imported, nothing was written: %v\n", err)
		return 1
	}
	state := "as a draft: check it and publish it at /plans/%[1]d/draft"
	if plan.Published() {
		state = "as published (%[2]s)"
	}
	fmt.Fprintf(stdout, "jobkpi: imported the %d plan %q (%d tasks) into %s, "+state+"\n", plan.Year, plan.Title, len(plan.Tasks), *db, *published)
	return 0
}

// readPlan reads a plan file: a plan spreadsheet (xlsx) or JSON.
func readPlan(path string, lang handlers.Lang) (*models.PlanFile, error) {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return readPlanFile(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	sheet, problems := handlers.ReadPlanSheet(data)
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = handlers.SheetProblemText(lang, p)
		}
		return nil, fmt.Errorf("%s:\n%s", path, strings.Join(lines, "\n"))
	}
	return sheet.File, nil
}

// runBackup handles `jobkpi backup [-db path] FILE`: a checked copy of the
// database, taken while the server may keep running.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("jobkpi backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprintln(stderr, "Usage: jobkpi backup [-db path] FILE") }
	db := fset.String("db", envOr("JOBKPI_DB", defaultDB), "SQLite database file (env JOBKPI_DB)")
	if err := fset.Parse(args); err != nil || fset.NArg() != 1 {
		fset.Usage()
		return 2
	}
	out := fset.Arg(0)
	if models.IsPostgresURL(*db) {
		bare := *db
		if u, err := url.Parse(*db); err == nil && u.User != nil {
			u.User = url.User(u.User.Username())
			bare = u.String()
		}
		fmt.Fprintf(stderr, "jobkpi: no backup was written: %s is a PostgreSQL database, and jobkpi backup copies SQLite files.\n"+
			"Back it up with PostgreSQL's pg_dump, which takes one consistent snapshot while jobkpi keeps running\n"+
			"(the password from PGPASSWORD or ~/.pgpass):\n"+
			"  pg_dump --format=custom --file=%s '%s'\n"+
			"and restore it into a new, empty database with:\n"+
			"  pg_restore --dbname='%s' %s\n", models.Redact(*db), out, bare, bare, out)
		return 1
	}
	err := models.Backup(ctx, *db, out)
	switch {
	case errors.Is(err, models.ErrExists):
		fmt.Fprintf(stderr, "jobkpi: %s already exists; choose a new file name. Backups never overwrite.\n", out)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "jobkpi: no backup was written: %v\nCheck the database path (-db) and that the folder for %s exists.\n", err, out)
		return 1
	}
	fmt.Fprintf(stdout, "jobkpi: backed up %s to %s (integrity check ok)\n", *db, out)
	return 0
}

// runMigrate handles `jobkpi migrate status [-db path|URL]`: the schema
// migrations this program knows and which the database has. It changes
// nothing; the server applies what is missing when it starts.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("jobkpi migrate status", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprintln(stderr, "Usage: jobkpi migrate status [-db path|postgres://URL]") }
	if len(args) == 0 || args[0] != "status" {
		fset.Usage()
		return 2
	}
	db := fset.String("db", envOr("JOBKPI_DB", defaultDB), "SQLite database file or postgres:// URL (env JOBKPI_DB)")
	if err := fset.Parse(args[1:]); err != nil || fset.NArg() != 0 {
		fset.Usage()
		return 2
	}
	if !models.IsPostgresURL(*db) {
		if _, err := os.Stat(*db); err != nil {
			fmt.Fprintf(stderr, "jobkpi: there is no database %s; check -db (the server creates it when it first starts)\n", *db)
			return 1
		}
	}
	list, legacy, err := models.ReadMigrations(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "jobkpi: cannot read the schema version of %s: %s\n", models.Redact(*db), withoutPassword(err, *db))
		return 1
	}
	fmt.Fprintf(stdout, "Database %s\n", models.Redact(*db))
	if legacy {
		fmt.Fprintln(stdout, "It was made before schema versions: the next start checks it and marks it as version 1, then applies the rest.")
	}
	pending := 0
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied " + m.At
		} else {
			pending++
		}
		fmt.Fprintf(stdout, "  %05d  %-34s %s\n", m.Version, m.File, state)
	}
	if pending > 0 {
		fmt.Fprintf(stdout, "%d pending; the server applies them when it starts.\n", pending)
	} else {
		fmt.Fprintln(stdout, "Up to date.")
	}
	return 0
}

// readPlanFile reads a plan file from disk.
func readPlanFile(path string) (*models.PlanFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	return parsePlanFile(f, path)
}

// inLang is err as the command line shows it in lang: what the error says
// before its problems (such as the file name), then each problem of a
// *models.ValidationError on a line, "path: message".
func inLang(lang handlers.Lang, err error) string {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err.Error()
	}
	lines := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		lines[i] = lang.Problem(p)
		if p.Path != "" {
			lines[i] = p.Path + ": " + lines[i]
		}
	}
	return strings.TrimSuffix(err.Error(), v.Error()) + strings.Join(lines, "\n")
}

// unknownDepartment says, in Korean and English, that -dept names no
// listed department, and lists the ones there are.
func unknownDepartment(ctx context.Context, store *models.Store, err error) string {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err.Error()
	}
	var b strings.Builder
	for _, p := range v.Problems {
		fmt.Fprintf(&b, "-dept: %s\n-dept: %s\n", handlers.Korean.Problem(p), handlers.English.Problem(p))
	}
	names, lerr := store.DepartmentNames(ctx)
	switch {
	case lerr != nil:
		fmt.Fprintf(&b, "The list of departments cannot be read: %v", lerr)
	case len(names) == 0:
		b.WriteString("The list of departments is empty: an administrator adds them at /admin/departments.")
	default:
		fmt.Fprintf(&b, "Departments on the list: %s", strings.Join(names, ", "))
	}
	return b.String()
}

// runUser handles `jobkpi user add -login L -role R [-dept D] [-name N]`,
// reading the password from the first line of stdin, for scripts.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "Usage: jobkpi user add -login L -role council|staff|official|admin [-dept D] [-name N] [-db path] < password")
	}
	if len(args) == 0 || args[0] != "add" {
		usage()
		return 2
	}
	fset := flag.NewFlagSet("jobkpi user add", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = usage
	db := fset.String("db", envOr("JOBKPI_DB", defaultDB), "SQLite database file (env JOBKPI_DB)")
	in := models.UserInput{}
	fset.StringVar(&in.Login, "login", "", "login")
	role := fset.String("role", "", "council, staff, official or admin")
	fset.StringVar(&in.Department, "dept", "", "department (required for staff)")
	fset.StringVar(&in.DisplayName, "name", "", "display name (default: the login)")
	if err := fset.Parse(args[1:]); err != nil || fset.NArg() > 0 {
		usage()
		return 2
	}
	in.Role = models.Role(*role)
	if in.DisplayName == "" {
		in.DisplayName = in.Login
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, models.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(stderr, "jobkpi: cannot read the password from stdin:", err)
		return 1
	}
	in.Password = strings.TrimRight(line, "\r\n")
	policy, err := models.NewPasswordPolicy(bytes.NewReader(data.CommonPasswords))
	if err != nil {
		fmt.Fprintln(stderr, "jobkpi:", err)
		return 1
	}
	if err := in.Validate(policy); err != nil {
		fmt.Fprintf(stderr, "jobkpi: user not added, nothing was written.\n%s\n", inLang(handlers.LangFromEnv(os.Getenv("LANG")), err))
		return 1
	}
	store, err := openStore(*db, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(stderr, "jobkpi:", err)
		return 1
	}
	defer store.Close()
	if err := store.CheckDepartment(ctx, in.Department); err != nil {
		fmt.Fprintf(stderr, "jobkpi: user not added, nothing was written.\n%s\n", unknownDepartment(ctx, store, err))
		return 1
	}
	u, err := store.CreateUser(ctx, in, false, nil, models.Origin{IP: "command line"})
	if err != nil {
		fmt.Fprintf(stderr, "jobkpi: user not added, nothing was written: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "jobkpi: added %s (%s) to %s\n", u.Login, u.Role, *db)
	return 0
}
