package ui_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/store"
	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// Issue 16 item 2 end to end: a web server + PKCE login on the emulated org's External Client
// App that rotates refresh tokens, then the window's Refresh. The profile lives in the real
// profile store (store.Store, in-memory keychain) and opts in to keeping its refresh token,
// as `connectedapplab profiles` sets it: the rotated token replaces the kept one at once.
func TestRealRotatedRefreshTokenReplacesTheKeptOne(t *testing.T) {
	open, pages := chromium(t)
	go func() {
		for range pages {
		}
	}()
	test.NewTempApp(t)
	org := demoOrg(t)
	be := wire.NewBackend(wire.Options{OpenBrowser: open, DemoOrg: func() *sfemu.Org { return org }})
	demo, err := be.StartDemo(context.Background())
	if err != nil {
		t.Fatalf("start the demo org: %v", err)
	}
	t.Cleanup(demo.Stop)
	var prof ui.Profile
	list, _ := demo.Store.List()
	for _, p := range list {
		if p.Name == "External Client App, PKCE + rotation" {
			prof = p
		}
	}
	if prof.ID == "" {
		t.Fatal("no rotation profile in the demo")
	}
	sec, _ := demo.Store.Secrets(prof.ID)

	s, err := store.Open(t.TempDir(), store.MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	us := wire.NewStore(s)
	prof.ID, prof.Name = "", "Rotation"
	if _, err := us.Save(prof, sec); err != nil {
		t.Fatal(err)
	}
	sp, err := s.Get("Rotation")
	if err != nil {
		t.Fatal(err)
	}
	sp.RememberRefreshToken = true
	if sp, err = s.Save(sp); err != nil {
		t.Fatal(err)
	}

	w := test.NewTempWindow(t, nil)
	l := ui.New(w, be, ui.Options{Store: us, TickEvery: -1})
	w.SetContent(l.Content())
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle(t, 10*time.Second)
	t.Cleanup(l.Close)
	p := l.Probe()
	pick(t, p, "Rotation")

	test.Tap(p.Button("run"))
	waitIdle(t, 90*time.Second)
	wantContains(t, "status", p.Status(), "web-server-pkce flow done in")
	first := p.LastRefreshToken()
	if first == "" {
		t.Fatal("the login returned no refresh token")
	}
	test.Tap(p.Button("refresh"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status after Refresh", p.Status(), "refresh flow done in", "The refresh token rotated", "Saved it with Rotation")
	second := p.LastRefreshToken()
	if second == "" || second == first {
		t.Fatalf("the refresh token in use after a rotation is %q (the first was %q)", second, first)
	}
	kept, err := s.Secrets(sp)
	if err != nil {
		t.Fatal(err)
	}
	if kept.RefreshToken != second {
		t.Errorf("the keychain keeps %q, want the rotated token", kept.RefreshToken)
	}
	wantContains(t, "Tokens tab", p.Tab("Tokens"), "refresh_token")
	wantContains(t, "answer", p.Answer(), "rotated") // said there once
}
