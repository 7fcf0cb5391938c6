// Package data holds the seed plans that ship inside the binary. The
// default database file also lives in this folder but is not committed.
package data

import "embed"

// Plans holds the seed plan files, plans/*.json.
//
//go:embed plans/*.json
var Plans embed.FS
