// Package handlers holds the web layer: Echo handlers, their input
// parsing, the page data the templates read, and the error handler.
package handlers

import (
	"log/slog"
	"net"
	"time"

	"jobkpi/models"
)

// Handler serves every page and API route. It holds the dependencies that
// main wires in.
type Handler struct {
	store    *models.Store
	views    *Views
	log      *slog.Logger
	now      func() time.Time
	demo     bool
	public   bool
	secure   bool
	policy   *models.PasswordPolicy
	throttle models.Throttle
	cache    *pageCache
	metrics  *Metrics
	// errorPages and health keep what the hottest answers are made of.
	errorPages errorPages
	health     healthCache
}

// Options configure a Handler.
type Options struct {
	// Demo shows the sample-data banner on every page and marks API answers.
	Demo bool
	// Public lets anonymous visitors read the plan pages and the read API.
	Public bool
	// Secure means the site is served over TLS: cookies get the Secure flag
	// and the __Host- prefix.
	Secure bool
	// Policy checks new passwords.
	Policy *models.PasswordPolicy
	// Throttle limits failed logins; zero means models.DefaultThrottle.
	Throttle models.Throttle
	// MetricsFrom are the TCP peers that may read /metrics; none when empty.
	MetricsFrom []*net.IPNet
}

// New builds a Handler. Its clock is the store's, so that the pages and
// the store's rules agree on what time it is.
func New(store *models.Store, views *Views, log *slog.Logger, opt Options) *Handler {
	throttle := opt.Throttle
	if throttle.Window == 0 {
		throttle = models.DefaultThrottle
	}
	return &Handler{
		store: store, views: views, log: log, now: store.Now, demo: opt.Demo, public: opt.Public, secure: opt.Secure,
		policy: opt.Policy, throttle: throttle, cache: newPageCache(256), metrics: newMetrics(store, opt.MetricsFrom, log),
	}
}
