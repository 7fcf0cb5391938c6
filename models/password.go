package models

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Password length limits, in bytes. The length is checked before hashing,
// so a huge password cannot burn CPU.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// argon2id parameters (OWASP minimum: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// PasswordPolicy checks new passwords against the length limits and a list
// of common passwords.
type PasswordPolicy struct {
	common map[string]struct{}
}

// NewPasswordPolicy reads a list of common passwords, one per line; lines
// starting with # are comments.
func NewPasswordPolicy(list io.Reader) (*PasswordPolicy, error) {
	p := &PasswordPolicy{common: map[string]struct{}{}}
	sc := bufio.NewScanner(list)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p.common[strings.ToLower(line)] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("models: read common passwords: %w", err)
	}
	return p, nil
}

// Check returns false and a problem a user can act on (on the field
// "password") when the password is not acceptable. login is rejected as a
// password too.
func (p *PasswordPolicy) Check(password, login string) (Problem, bool) {
	bad := func(key string, args ...any) (Problem, bool) {
		return Problem{Path: "password", Key: key, Args: args}, false
	}
	switch {
	case len(password) < MinPasswordLen:
		return bad("problem.password.short", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return bad("problem.password.long", MaxPasswordLen)
	case strings.EqualFold(password, login):
		return bad("problem.password.login")
	}
	if _, ok := p.common[strings.ToLower(password)]; ok {
		return bad("problem.password.common")
	}
	return Problem{}, true
}

// HashPassword hashes a password with argon2id and a random salt, in the
// PHC string format that keeps the parameters with the hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("models: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches an encoded argon2id hash.
// Passwords over the length limit never match and are not hashed.
func VerifyPassword(encoded, password string) bool {
	if len(password) == 0 || len(password) > MaxPasswordLen {
		return false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory uint32
	var time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil ||
		memory == 0 || memory > 1<<20 || time == 0 || time > 16 || threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a login is unknown, so that unknown
// and known logins take the same time.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("jobkpi-dummy-password-for-timing")
	return h
})
