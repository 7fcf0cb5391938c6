package models

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestUploadsAcrossStores keeps an upload through one store and reads,
// claims and saves it through another on the same file, as two instances
// of the program would.
func TestUploadsAcrossStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "uploads.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)
	a.SetClock(func() time.Time { return now })
	b.SetClock(func() time.Time { return now })

	file := []byte("지표번호,월\n1,6\n")
	up := &Upload{Kind: UploadPlan, SessionID: 7, UserID: 3, Year: 2026, FileName: "plan.xlsx", Content: file,
		State: UploadReady, Result: []byte(`{"seen":"x"}`), Expires: now.Add(30 * time.Minute)}
	if err := a.CreateUpload(ctx, up, UploadLimits{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if len(up.Token) < 24 {
		t.Errorf("token %q is shorter than 144 bits", up.Token)
	}
	for _, miss := range []struct {
		name    string
		kind    UploadKind
		token   string
		session uint
	}{{"another session", UploadPlan, up.Token, 8}, {"another kind", UploadFigures, up.Token, 7}, {"another token", UploadPlan, up.Token + "x", 7}} {
		if _, err := b.FindUpload(ctx, miss.kind, miss.token, miss.session); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindUpload of %s = %v, want ErrNotFound", miss.name, err)
		}
	}
	got, err := b.FindUpload(ctx, UploadPlan, up.Token, 7)
	if err != nil || !bytes.Equal(got.Content, file) || got.State != UploadReady {
		t.Fatalf("FindUpload on the other store = %+v, %v", got, err)
	}

	claimed, err := b.ClaimUpload(ctx, UploadPlan, up.Token, 7)
	if err != nil || !claimed.Saving || string(claimed.Result) != `{"seen":"x"}` {
		t.Fatalf("ClaimUpload on b = %+v, %v", claimed, err)
	}
	if _, err := a.ClaimUpload(ctx, UploadPlan, up.Token, 7); !errors.Is(err, ErrUploadSaving) {
		t.Errorf("a second claim on a = %v, want ErrUploadSaving", err)
	}
	if _, err := a.ClaimUpload(ctx, UploadPlan, up.Token, 8); !errors.Is(err, ErrNotFound) {
		t.Errorf("a claim by another session = %v, want ErrNotFound", err)
	}
	if err := b.ReleaseUpload(ctx, up.Token, []byte(`{"seen":"y"}`)); err != nil {
		t.Fatal(err)
	}
	if claimed, err = a.ClaimUpload(ctx, UploadPlan, up.Token, 7); err != nil || string(claimed.Result) != `{"seen":"y"}` {
		t.Fatalf("a claim after a release = %+v, %v; want the released result", claimed, err)
	}
	if err := a.SavedUpload(ctx, up.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ClaimUpload(ctx, UploadPlan, up.Token, 7); !errors.Is(err, ErrUploadSaved) {
		t.Errorf("a claim after saving = %v, want ErrUploadSaved", err)
	}
	if got, err := b.FindUpload(ctx, UploadPlan, up.Token, 7); err != nil || got.State != UploadSaved || got.Content != nil || got.Result != nil {
		t.Errorf("a saved upload = %+v, %v; want its row without the file", got, err)
	}

	// It expires with its lifetime, and the next upload purges it.
	now = now.Add(31 * time.Minute)
	if _, err := b.FindUpload(ctx, UploadPlan, up.Token, 7); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired upload = %v, want ErrNotFound", err)
	}
	next := &Upload{Kind: UploadFigures, SessionID: 9, Year: 2026, FileName: "f.csv", State: UploadReading, Expires: now.Add(15 * time.Minute)}
	if err := a.CreateUpload(ctx, next, UploadLimits{}); err != nil {
		t.Fatal(err)
	}
	var rows int64
	if err := a.r.Model(&Upload{}).Count(&rows).Error; err != nil || rows != 1 {
		t.Errorf("%d uploads kept after the purge (%v), want 1", rows, err)
	}
}

// TestUploadLimits refuses a second file of a session while its first is
// read by a live reader, and more files than the bound.
func TestUploadLimits(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	reading := func(session uint) *Upload {
		return &Upload{Kind: UploadFigures, SessionID: session, Year: 2026, FileName: "f.csv", State: UploadReading, Expires: now.Add(15 * time.Minute)}
	}
	lim := UploadLimits{Max: 2, OnePerSession: true, Alive: now.Add(-10 * time.Second)}
	first := reading(1)
	if err := s.CreateUpload(ctx, first, lim); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUpload(ctx, reading(1), lim); !errors.Is(err, ErrUploadBusy) {
		t.Errorf("a second file of a session being read = %v, want ErrUploadBusy", err)
	}
	if err := s.CreateUpload(ctx, reading(2), lim); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUpload(ctx, reading(3), lim); !errors.Is(err, ErrUploadsFull) {
		t.Errorf("a third file with room for two = %v, want ErrUploadsFull", err)
	}
	// The first reader stops beating: its session may upload again.
	now = now.Add(11 * time.Second)
	lim.Alive, lim.Max = now.Add(-10*time.Second), 0
	if err := s.CreateUpload(ctx, reading(1), lim); err != nil {
		t.Errorf("a new file after the reader stopped = %v, want it kept", err)
	}
	if ok, err := s.FailStaleUpload(ctx, first.Token, lim.Alive, []byte(`{"key":"upload.lost"}`)); err != nil || !ok {
		t.Errorf("FailStaleUpload = %v, %v; want it failed", ok, err)
	}
	if err := s.FinishUpload(ctx, first.Token, []byte(`{}`), nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("the stopped reader finishing late = %v, want ErrNotFound (it changes nothing)", err)
	}
	if got, err := s.FindUpload(ctx, UploadFigures, first.Token, 1); err != nil || got.State != UploadFailed || string(got.Fatal) != `{"key":"upload.lost"}` {
		t.Errorf("the stopped upload = %+v, %v; want failed", got, err)
	}
}
