// Command jobkpi serves the dashboard of a city's yearly employment-policy
// plan (일자리대책 연차별 세부계획): targets, monthly figures and progress.
//
//	jobkpi [-addr host:port] [-db path] [-demo]
//	jobkpi plan import [-db path] FILE
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

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
	addr string
	db   string
	demo bool
}

// run is the whole program; it returns the exit code: 0, 1 for a failure
// the user must fix, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "plan" {
		return runPlan(ctx, args[1:], stdout, stderr)
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(ctx, cfg, stdout, log); err != nil {
		fmt.Fprintln(stderr, "jobkpi:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fset := flag.NewFlagSet("jobkpi", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg := config{}
	fset.StringVar(&cfg.addr, "addr", envOr("JOBKPI_ADDR", defaultAddr), "address to listen on (env JOBKPI_ADDR)")
	fset.StringVar(&cfg.db, "db", os.Getenv("JOBKPI_DB"), "SQLite database file (env JOBKPI_DB; default "+defaultDB+", or "+defaultDemoDB+" with -demo)")
	fset.BoolVar(&cfg.demo, "demo", false, "add sample monthly figures, shown with a sample-data banner")
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  jobkpi [flags]\n  jobkpi plan import [-db path] FILE\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "jobkpi: unexpected argument %q\n", fset.Arg(0))
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

// openStore opens the database, with a message that says what to do when
// that fails.
func openStore(path string) (*models.Store, error) {
	store, err := models.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database %s (%v). Check that its folder exists and is writable, or choose another file with -db", path, err)
	}
	return store, nil
}

// seed loads every plan shipped in data/plans that the database lacks.
func seed(ctx context.Context, store *models.Store, demo bool, log *slog.Logger) error {
	names, err := fs.Glob(data.Plans, "plans/*.json")
	if err != nil {
		return err
	}
	for _, name := range names {
		pf, err := loadPlanFile(data.Plans, name)
		if err != nil {
			return err
		}
		created, err := store.EnsurePlan(ctx, pf)
		if err != nil {
			return err
		}
		if created {
			log.Info("loaded seed plan", "year", pf.Year, "file", name)
		}
		if demo {
			if err := store.SeedDemo(ctx, pf.Year); err != nil {
				return err
			}
		}
	}
	return nil
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
	store, err := openStore(cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seed(ctx, store, cfg.demo, log); err != nil {
		return fmt.Errorf("load seed plans: %w", err)
	}
	e, err := newServer(store, log, cfg.demo)
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
	fmt.Fprintf(stdout, "jobkpi: serving http://%s/ (database %s%s)\n", ln.Addr(), cfg.db, map[bool]string{true: ", sample data"}[cfg.demo])
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// newServer builds the Echo instance with every route.
func newServer(store *models.Store, log *slog.Logger, demo bool) (*echo.Echo, error) {
	views, err := handlers.NewViews()
	if err != nil {
		return nil, err
	}
	assets, err := handlers.NewAssets()
	if err != nil {
		return nil, err
	}
	h := handlers.New(store, views, log, handlers.Options{Demo: demo})
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = h.HandleError
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		log.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(handlers.SecureHeaders, handlers.LimitQuery)

	e.GET("/", h.Dashboard)
	e.GET("/plans/:year", h.PlanYear)
	e.GET("/plans/:year/tasks/:code", h.Task)
	e.GET("/plans/:year/indicators/:id", h.Indicator)
	e.GET("/api/v1/plans", h.APIPlans)
	e.GET("/api/v1/plans/:year", h.APIPlan)
	e.GET("/healthz", h.Healthz)
	e.GET("/static/:version/*", assets.Serve)
	return e, nil
}

// runPlan handles `jobkpi plan import [-db path] FILE`.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() { fmt.Fprintln(stderr, "Usage: jobkpi plan import [-db path] FILE") }
	if len(args) == 0 || args[0] != "import" {
		usage()
		return 2
	}
	fset := flag.NewFlagSet("jobkpi plan import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := fset.String("db", envOr("JOBKPI_DB", defaultDB), "SQLite database file (env JOBKPI_DB)")
	fset.Usage = usage
	if err := fset.Parse(args[1:]); err != nil {
		return 2
	}
	if fset.NArg() != 1 {
		usage()
		return 2
	}
	pf, err := readPlanFile(fset.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "jobkpi: plan not imported, nothing was written.\n%v\n", err)
		return 1
	}
	store, err := openStore(*db)
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
	fmt.Fprintf(stdout, "jobkpi: imported the %d plan %q (%d tasks) into %s\n", plan.Year, plan.Title, len(plan.Tasks), *db)
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
