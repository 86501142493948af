package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// Refresh token rotation in the window (issue 16 item 2) on the fake backend; backend_test.go
// runs it against sfemu with the real store.

// rotatingBackend issues a refresh token on a login, and a new one on each refresh (rotate) or
// none (no rotation), as Salesforce does.
func rotatingBackend(fb *fakeBackend, rotate bool) Backend {
	be := fb.backend()
	run := be.RunFlow
	n := 0
	be.RunFlow = func(ctx context.Context, req flows.Request, p func(flows.Progress)) *flows.Result {
		res := run(ctx, req, p)
		if res.Token == nil {
			return res
		}
		switch {
		case req.Flow != flows.Refresh:
			res.Token.RefreshToken = "5Aep861-first"
		case rotate:
			n++
			res.Token.RefreshToken = "5Aep861-rotated-" + string(rune('0'+n))
			res.RefreshTokenRotated = true
		}
		return res
	}
	return be
}

// keychainStore is a MemoryStore whose RememberRefreshToken fails while fail is set, as a
// locked keychain does.
type keychainStore struct {
	*MemoryStore
	fail bool
}

func (k *keychainStore) RememberRefreshToken(id, token string) (bool, error) {
	if k.fail {
		return false, errors.New("the keychain is locked")
	}
	return k.MemoryStore.RememberRefreshToken(id, token)
}

func rotationProfile(remember bool) *MemoryStore {
	return NewMemoryStore([]Profile{{Profile: store.Profile{ID: "w", Name: "Web", LoginURL: productionURL, ClientID: "3MVG-web", Flow: string(flows.WebServer),
		CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: []string{"api", "refresh_token"}, RememberRefreshToken: remember}}},
		map[string]Secrets{"w": {ClientSecret: "s3cret", RefreshToken: "5Aep861-kept-before"}})
}

func TestRotatedRefreshTokenReplacesTheSavedOneAtOnce(t *testing.T) {
	fb := &fakeBackend{}
	st := rotationProfile(true)
	l, _ := newTestLab(t, rotatingBackend(fb, true), st)
	test.Tap(l.runBtn)
	waitIdle()
	test.Tap(l.refreshBtn)
	waitIdle()
	sec, _ := st.Secrets("w")
	if sec.RefreshToken != "5Aep861-rotated-1" {
		t.Errorf("saved refresh token %q, want the rotated one", sec.RefreshToken)
	}
	for _, want := range []string{"rotated", "no longer works", "Saved it with Web"} {
		if !strings.Contains(l.status.Text, want) {
			t.Errorf("status %q does not say %q", l.status.Text, want)
		}
	}
	// The next refresh sends the rotated token.
	test.Tap(l.refreshBtn)
	waitIdle()
	reqs := fb.got()
	if got := reqs[len(reqs)-1].RefreshToken; got != "5Aep861-rotated-1" {
		t.Errorf("the second refresh sent %q, want the rotated token", got)
	}
	if sec, _ := st.Secrets("w"); sec.RefreshToken != "5Aep861-rotated-2" {
		t.Errorf("saved refresh token %q after the second rotation", sec.RefreshToken)
	}
}

func TestRotatedRefreshTokenNotSavedIsAnError(t *testing.T) {
	fb := &fakeBackend{}
	st := &keychainStore{MemoryStore: rotationProfile(true), fail: true}
	l, _ := newTestLab(t, rotatingBackend(fb, true), st)
	test.Tap(l.runBtn)
	waitIdle()
	test.Tap(l.refreshBtn)
	waitIdle()
	if !strings.Contains(l.status.Text, "NOT saved") || !strings.Contains(l.status.Text, "keychain is locked") {
		t.Errorf("status %q, want the failed save", l.status.Text)
	}
	if l.lastDialog != "The new refresh token was not saved" {
		t.Errorf("dialog %q, want the error", l.lastDialog)
	}
}

func TestRefreshWithoutRotationKeepsShowingTheTokenInUse(t *testing.T) {
	fb := &fakeBackend{}
	st := rotationProfile(true)
	l, _ := newTestLab(t, rotatingBackend(fb, false), st)
	test.Tap(l.runBtn)
	waitIdle()
	test.Tap(l.refreshBtn)
	waitIdle()
	tokens := texts(l.tokensTab.Content)
	if !strings.Contains(tokens, refreshInUseField) {
		t.Errorf("Tokens tab after a refresh without rotation:\n%s\nwant the refresh token in use", tokens)
	}
	if strings.Contains(l.status.Text, "rotated") {
		t.Errorf("status %q speaks of a rotation that did not happen", l.status.Text)
	}
	if sec, _ := st.Secrets("w"); sec.RefreshToken != "5Aep861-kept-before" {
		t.Errorf("saved refresh token changed to %q without a rotation", sec.RefreshToken)
	}
}

// After a refresh that rotated, the window knows rotation is on (the lifetimes say so, and
// still do after the next login with the profile), the answer says to store the new token,
// and the Tokens tab shows the new refresh token.
func TestRotationIsKnownAndTheNewTokenShown(t *testing.T) {
	fb := &fakeBackend{}
	be := rotatingBackend(fb, true)
	be.Explain = guidance.Explain // the real guidance: the rotation row is its text
	l, _ := newTestLab(t, be, rotationProfile(false))
	test.Tap(l.runBtn)
	waitIdle()
	if lt := texts(l.lifetimes.box); !strings.Contains(lt, "unknown (off unless") {
		t.Fatalf("before any refresh the rotation should be unknown:\n%s", lt)
	}
	test.Tap(l.refreshBtn)
	waitIdle()
	if lt := texts(l.lifetimes.box); !strings.Contains(lt, "Refresh token rotation\non: each refresh returns a new refresh token") {
		t.Errorf("after a rotating refresh the lifetimes say:\n%s", lt)
	}
	if !strings.Contains(l.answer.shown, "Refresh token: A new one: this refresh rotated") {
		t.Errorf("answer after the rotation:\n%s", l.answer.shown)
	}
	tokens := texts(l.tokensTab.Content)
	if !strings.Contains(tokens, "refresh_token\n"+mask("5Aep861-rotated-1")) || strings.Contains(tokens, refreshInUseField) {
		t.Errorf("Tokens tab after the rotation:\n%s\nwant the new refresh token", tokens)
	}
	test.Tap(l.runBtn) // a new login of the same profile: rotation stays known
	waitIdle()
	if lt := texts(l.lifetimes.box); !strings.Contains(lt, "Refresh token rotation\non:") {
		t.Errorf("after the next login the lifetimes forgot the rotation:\n%s", lt)
	}
}
