package wire

import (
	"fmt"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/store"
	"github.com/connectedapplab/connectedapplab/ui"
)

// OpenStore opens the user's profiles in dir ("": store.DefaultDir) with their secrets in the
// OS keychain.
func OpenStore(dir string) (ui.ProfileStore, error) {
	if dir == "" {
		var err error
		if dir, err = store.DefaultDir(); err != nil {
			return nil, err
		}
	}
	s, err := store.OpenWithFlows(dir, nil, flows.Catalog(), func(sp flows.Spec) string { return string(sp.Flow) })
	if err != nil {
		return nil, err
	}
	return NewStore(s), nil
}

// NewStore serves the window's ProfileStore from an open store (tests give one over a
// temporary directory with store.MemoryKeychain).
func NewStore(s *store.Store) ui.ProfileStore { return storeAdapter{s} }

// storeAdapter serves the window's ProfileStore from store.Store.
type storeAdapter struct{ s *store.Store }

func (a storeAdapter) find(id string) (store.Profile, error) {
	ps, err := a.s.List()
	if err != nil {
		return store.Profile{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return store.Profile{}, fmt.Errorf("no profile with ID %s (deleted by another window?)", id)
}

func (a storeAdapter) List() ([]ui.Profile, error) {
	ps, err := a.s.List()
	if err != nil {
		return nil, err
	}
	return uiProfiles(ps), nil
}

// uiProfiles wraps stored profiles for the window.
func uiProfiles(ps []store.Profile) []ui.Profile {
	out := make([]ui.Profile, 0, len(ps))
	for _, p := range ps {
		out = append(out, ui.Profile{Profile: p})
	}
	return out
}

// ImportProfiles reads what `connectedapplab profiles import` reads (an export, a profiles
// file, or `sf org display --verbose --json` output) into the window's profiles, with
// everything the store keeps of them: the App settings, the session timeout and the refresh
// token policy too. Secrets in the data are ignored, as the CLI ignores them.
func ImportProfiles(data []byte) ([]ui.Profile, error) {
	_, ps, err := store.ParseImport(data, "")
	if err != nil {
		return nil, err
	}
	return uiProfiles(ps), nil
}

// Save saves what the window edits of p. What it does not edit (the refresh token opt-in,
// whether the key is in the keychain, whether the app requires PKCE) stays as stored; a new profile starts without them.
func (a storeAdapter) Save(p ui.Profile, sec ui.Secrets) (ui.Profile, error) {
	sp := p.Profile
	sp.RememberRefreshToken, sp.JWTKeyInKeychain = false, false
	if p.ID != "" {
		old, err := a.find(p.ID)
		if err != nil {
			return ui.Profile{}, err
		}
		sp.RememberRefreshToken, sp.JWTKeyInKeychain = old.RememberRefreshToken, old.JWTKeyInKeychain
		sp.App.PKCERequired = old.App.PKCERequired // the form does not edit it: the file's value, not the window's copy
		if sp.App.Settings == nil {                // the window has none for this profile; keep what is stored
			sp.App.Settings = old.App.Settings
		}
	}
	if sec.PrivateKeyPEM != "" {
		sp.JWTKeyInKeychain = true
	}
	saved, err := a.s.Save(sp)
	if err != nil {
		return ui.Profile{}, err
	}
	if !saved.RememberRefreshToken {
		sec.RefreshToken = ""
	}
	if err := a.s.SetSecrets(saved, sec); err != nil {
		return ui.Profile{}, fmt.Errorf("profile saved, but its secrets were not: %w", err)
	}
	return ui.Profile{Profile: saved, AppAPIName: p.AppAPIName}, nil
}

// RememberRefreshToken is store.RememberRefreshToken, the call `run --profile` makes (cli).
func (a storeAdapter) RememberRefreshToken(id, token string) (bool, error) {
	p, err := a.find(id)
	if err != nil {
		return false, err
	}
	return a.s.RememberRefreshToken(p, token)
}

func (a storeAdapter) Delete(id string) error {
	p, err := a.find(id)
	if err != nil {
		return err
	}
	return a.s.Delete(p.Name)
}

func (a storeAdapter) Secrets(id string) (ui.Secrets, error) {
	p, err := a.find(id)
	if err != nil {
		return ui.Secrets{}, err
	}
	return a.s.Secrets(p)
}
