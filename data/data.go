// Package data holds the seed plans and the common-password list that ship
// inside the binary. The
// default database file also lives in this folder but is not committed.
package data

import "embed"

// Plans holds the seed plan files, plans/*.json.
//
//go:embed plans/*.json
var Plans embed.FS

// CommonPasswords lists the passwords that nobody may choose, one per line
// (see the file's header for its source).
//
//go:embed common-passwords.txt
var CommonPasswords []byte
