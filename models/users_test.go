package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func testPolicy(t testing.TB) *PasswordPolicy {
	t.Helper()
	p, err := NewPasswordPolicy(strings.NewReader("# comment\npassword\nqwertyuiop123\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry argon2id and its parameters", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false, strings.Repeat("a", 1<<20): false} {
		if got := VerifyPassword(h, pw); got != want {
			t.Errorf("VerifyPassword(%.20q) = %v, want %v", pw, got, want)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=0,t=2,p=1$AA$AA", "$argon2i$v=19$m=19456,t=2,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=2,p=1$AA$AA"} {
		if VerifyPassword(bad, "x") {
			t.Errorf("VerifyPassword accepts the malformed hash %q", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	p := testPolicy(t)
	tests := []struct {
		pw, login string
		want      string // the problem's key, or "" to accept
	}{
		{"short", "kim", "problem.password.short"},
		{strings.Repeat("x", 257), "kim", "problem.password.long"},
		{"QwertyUiop123", "kim", "problem.password.common"}, // case-insensitively
		{"kim.minsu01", "kim.minsu01", "problem.password.login"},
		{"봄날의 김포 들판을 걷다", "kim", ""},
		{strings.Repeat("가", 85), "kim", ""}, // 255 bytes
	}
	for _, tt := range tests {
		if pr, ok := p.Check(tt.pw, tt.login); ok != (tt.want == "") || pr.Key != tt.want || !ok && pr.Path != "password" {
			t.Errorf("Check(%.20q) = %v, %v; want %q", tt.pw, pr, ok, tt.want)
		}
	}
}

func TestRoleAtLeast(t *testing.T) {
	tests := []struct {
		r, min Role
		want   bool
	}{
		{RoleAdmin, RoleOfficial, true}, {RoleOfficial, RoleStaff, true}, {RoleOfficial, RoleCouncil, true},
		{RoleStaff, RoleCouncil, false}, {RoleCouncil, RoleStaff, false}, {RoleStaff, RoleOfficial, false},
		{RoleCouncil, RoleCouncil, true}, {Role("x"), RoleCouncil, false}, {RoleAdmin, Role("x"), false},
	}
	for _, tt := range tests {
		if got := tt.r.AtLeast(tt.min); got != tt.want {
			t.Errorf("%s.AtLeast(%s) = %v, want %v", tt.r, tt.min, got, tt.want)
		}
	}
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newUser(t testing.TB, s *Store, login string, role Role) *User {
	t.Helper()
	in := UserInput{Login: login, DisplayName: login, Department: "일자리경제과", Role: role, Password: "long enough password 1"}
	if err := in.Validate(testPolicy(t)); err != nil {
		t.Fatal(err)
	}
	if s.CheckDepartment(context.Background(), in.Department) != nil {
		if err := s.AddDepartment(context.Background(), in.Department, nil, Origin{}); err != nil {
			t.Fatal(err)
		}
	}
	u, err := s.CreateUser(context.Background(), in, false, nil, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAuthenticateAndThrottle(t *testing.T) {
	s := openTestStore(t)
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.SetClock(c.now)
	ctx := context.Background()
	newUser(t, s, "kim", RoleStaff)
	from := Origin{IP: "10.0.0.1", UserAgent: "test"}
	if _, _, err := s.Authenticate(ctx, "KIM ", "long enough password 1", from, DefaultThrottle); err != nil {
		t.Fatalf("Authenticate with the right password = %v", err)
	}
	for i := range 5 {
		if _, _, err := s.Authenticate(ctx, "kim", "wrong password!", from, DefaultThrottle); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d = %v, want ErrBadCredentials", i+1, err)
		}
	}
	_, wait, err := s.Authenticate(ctx, "kim", "long enough password 1", from, DefaultThrottle)
	if !errors.Is(err, ErrThrottled) || wait <= 0 || wait > 5*time.Minute {
		t.Fatalf("6th attempt = %v, wait %v; want ErrThrottled with a wait up to 5 minutes", err, wait)
	}
	c.advance(5*time.Minute + time.Second)
	if _, _, err := s.Authenticate(ctx, "kim", "long enough password 1", from, DefaultThrottle); err != nil {
		t.Errorf("after the window = %v, want success", err)
	}
	events, _ := s.Events(ctx, EventFilter{Login: "kim"})
	if len(events) != 8 { // created, 2 successes, 5 failures; the throttled try is recorded by the caller
		t.Errorf("access log has %d entries for kim, want 8", len(events))
	}
}

func TestDisabledUserCannotLogIn(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	u := newUser(t, s, "lee", RoleCouncil)
	if err := s.SetDisabled(ctx, u, true, nil, Origin{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, "lee", "long enough password 1", Origin{}, DefaultThrottle); !errors.Is(err, ErrDisabled) {
		t.Errorf("disabled login = %v, want ErrDisabled", err)
	}
}

func TestSessionLifetime(t *testing.T) {
	s := openTestStore(t)
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.SetClock(c.now)
	ctx := context.Background()
	u := newUser(t, s, "park", RoleOfficial)
	token, err := s.NewSession(ctx, u, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	var stored Session
	s.r.First(&stored)
	if stored.TokenHash == token || len(token) < 43 {
		t.Errorf("the token is stored as is, or is short: %q", token)
	}
	// Used every 29 minutes, the session lives until its absolute end.
	for c.t.Before(stored.ExpiresAt.Add(-29 * time.Minute)) {
		c.advance(29 * time.Minute)
		if _, _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatalf("session ended early at %v: %v", c.t, err)
		}
	}
	c.advance(29 * time.Minute)
	if _, _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("session after 12 hours = %v, want ErrNotFound", err)
	}
	// Idle for 30 minutes ends a session.
	token, _ = s.NewSession(ctx, u, Origin{})
	c.advance(30 * time.Minute)
	if _, _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("idle session = %v, want ErrNotFound", err)
	}
	// Logout deletes it on the server.
	token, _ = s.NewSession(ctx, u, Origin{})
	if err := s.EndSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("session after logout = %v, want ErrNotFound", err)
	}
}

func TestSetupTokenOnce(t *testing.T) {
	s := openTestStore(t)
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.SetClock(c.now)
	ctx := context.Background()
	in := UserInput{Login: "admin", DisplayName: "관리자", Role: RoleAdmin, Password: "long enough password 1"}
	token, err := s.NewSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseSetupToken(ctx, token, in, Origin{}); err != nil {
		t.Fatalf("first use = %v", err)
	}
	in.Login = "admin2"
	if _, err := s.UseSetupToken(ctx, token, in, Origin{}); !errors.Is(err, ErrSetupToken) {
		t.Errorf("second use = %v, want ErrSetupToken", err)
	}
	s2 := openTestStore(t)
	s2.SetClock(c.now)
	token, _ = s2.NewSetupToken(ctx)
	c.advance(SetupTokenLife)
	if err := s2.CheckSetupToken(ctx, token); !errors.Is(err, ErrSetupToken) {
		t.Errorf("expired token check = %v, want ErrSetupToken", err)
	}
	if _, err := s2.UseSetupToken(ctx, token, in, Origin{}); !errors.Is(err, ErrSetupToken) {
		t.Errorf("expired token use = %v, want ErrSetupToken", err)
	}
}
