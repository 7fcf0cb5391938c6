// Package handlers holds the web layer: Echo handlers, their input
// parsing, the page data the templates read, and the error handler.
package handlers

import (
	"log/slog"
	"time"

	"jobkpi/models"
)

// Handler serves every page and API route. It holds the dependencies that
// main wires in.
type Handler struct {
	store *models.Store
	views *Views
	log   *slog.Logger
	now   func() time.Time
	demo  bool
	cache *pageCache
}

// Options configure a Handler.
type Options struct {
	// Demo shows the sample-data banner on every page and marks API answers.
	Demo bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New builds a Handler.
func New(store *models.Store, views *Views, log *slog.Logger, opt Options) *Handler {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Handler{store: store, views: views, log: log, now: now, demo: opt.Demo, cache: newPageCache(256)}
}
