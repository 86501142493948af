package wire

import (
	"fmt"
	"slices"
	"strings"

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
	out := make([]ui.Profile, 0, len(ps))
	for _, p := range ps {
		out = append(out, uiProfile(p))
	}
	return out, nil
}

// uiProfile is the window's view of a stored profile.
func uiProfile(p store.Profile) ui.Profile {
	q := ui.Profile{ID: p.ID, Name: p.Name, LoginURL: p.LoginURL, MyDomainURL: p.MyDomainURL, AppKind: string(p.AppKind),
		ClientID: p.ClientID, CallbackURL: p.CallbackURL, Flow: flows.Flow(p.Flow), Scopes: p.Scopes, Username: p.Username,
		JWTKeyFile: p.JWTKeyFile, Notes: p.Notes, RefreshTokenPolicy: string(p.App.RefreshTokenPolicy),
		RememberRefreshToken: p.RememberRefreshToken, JWTAudience: p.JWTAudience}
	if p.App.SessionTimeoutMinutes != nil {
		q.SessionTimeoutMinutes = *p.App.SessionTimeoutMinutes
	}
	if len(p.App.Settings) > 0 {
		q.AppSettings = slices.Clone(p.App.Settings)
	}
	if p.App.RefreshTokenValidity > 0 && p.App.RefreshTokenValidityUnit != "" {
		q.RefreshTokenPolicy += fmt.Sprintf(":%d:%s", p.App.RefreshTokenValidity, strings.ToUpper(p.App.RefreshTokenValidityUnit))
	}
	return q
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
	out := make([]ui.Profile, 0, len(ps))
	for _, p := range ps {
		out = append(out, uiProfile(p))
	}
	return out, nil
}

func (a storeAdapter) Save(p ui.Profile, sec ui.Secrets) (ui.Profile, error) {
	var sp store.Profile
	if p.ID != "" {
		var err error
		if sp, err = a.find(p.ID); err != nil {
			return ui.Profile{}, err
		}
	}
	sp.Name, sp.LoginURL, sp.MyDomainURL = p.Name, p.LoginURL, p.MyDomainURL
	sp.AppKind, sp.ClientID, sp.CallbackURL = store.AppKind(p.AppKind), p.ClientID, p.CallbackURL
	sp.Flow, sp.Scopes, sp.Username, sp.JWTKeyFile, sp.Notes = string(p.Flow), p.Scopes, p.Username, p.JWTKeyFile, p.Notes
	sp.JWTAudience = p.JWTAudience
	if sec.JWTKeyPEM != "" {
		sp.JWTKeyInKeychain = true
	}
	if p.SessionTimeoutMinutes > 0 {
		n := p.SessionTimeoutMinutes
		sp.App.SessionTimeoutMinutes = &n
	} else {
		sp.App.SessionTimeoutMinutes = nil
	}
	if p.AppSettings != nil { // nil: the window has none for this profile; keep what is stored
		sp.App.Settings = slices.Clone(p.AppSettings)
	}
	kind, rest, _ := strings.Cut(p.RefreshTokenPolicy, ":")
	sp.App.RefreshTokenPolicy = store.RefreshTokenPolicy(kind)
	sp.App.RefreshTokenValidity, sp.App.RefreshTokenValidityUnit = 0, "" // a policy without a period has none
	if n, unit, ok := strings.Cut(rest, ":"); ok {
		fmt.Sscan(n, &sp.App.RefreshTokenValidity)
		sp.App.RefreshTokenValidityUnit = strings.ToLower(unit)
	}
	saved, err := a.s.Save(sp)
	if err != nil {
		return ui.Profile{}, err
	}
	ks := store.Secrets{ClientSecret: sec.ClientSecret, Password: sec.Password, SecurityToken: sec.SecurityToken,
		PrivateKeyPEM: sec.JWTKeyPEM}
	if saved.RememberRefreshToken {
		ks.RefreshToken = sec.RefreshToken
	}
	if err := a.s.SetSecrets(saved, ks); err != nil {
		return ui.Profile{}, fmt.Errorf("profile saved, but its secrets were not: %w", err)
	}
	p.ID = saved.ID
	return p, nil
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
	s, err := a.s.Secrets(p)
	if err != nil {
		return ui.Secrets{}, err
	}
	return ui.Secrets{ClientSecret: s.ClientSecret, Password: s.Password, SecurityToken: s.SecurityToken,
		JWTKeyPEM: s.PrivateKeyPEM, RefreshToken: s.RefreshToken}, nil
}
