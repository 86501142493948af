package cli

import (
	"errors"
	"fmt"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/appfacts"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
	"github.com/connectedapplab/connectedapplab/store"
)

// loadProfile fills req from the stored profile name and its keychain secrets, and returns
// what the profile knows of the app's settings for guidance. When the keychain cannot be
// reached, the run goes on without stored secrets only if the user chose --memory-secrets;
// otherwise the error says what to install or unlock.
func loadProfile(env *Env, g *profilesGlobal, name string, req *flows.Request) (guidance.Settings, error) {
	p, err := loadStoredProfile(env, g, name, req)
	if err != nil {
		return guidance.Settings{}, err
	}
	return appfacts.Settings(p), nil
}

// loadStoredProfile is loadProfile returning the stored profile itself (check reads its app
// settings), from the one opening of the store.
func loadStoredProfile(env *Env, g *profilesGlobal, name string, req *flows.Request) (store.Profile, error) {
	st, err := profilesOpen(env, g)
	if err != nil {
		return store.Profile{}, err
	}
	p, err := st.Get(name)
	if err != nil {
		return p, err
	}
	sec, err := st.Secrets(p)
	if err != nil {
		if errors.Is(err, store.ErrKeychainUnavailable) {
			return p, fmt.Errorf("%w; or run with --memory-secrets and pass the secrets through %s or --secrets-stdin", err, secretEnvList())
		}
		return p, err
	}
	req.Flow = flows.Flow(p.Flow)
	req.LoginURL = p.LoginURL
	req.MyDomainURL = p.MyDomainURL
	req.ClientID = p.ClientID
	req.CallbackURL = p.CallbackURL
	req.Scopes = p.Scopes
	req.Username = p.Username
	req.ClientSecret = sec.ClientSecret
	req.Password = sec.Password
	req.SecurityToken = sec.SecurityToken
	req.RefreshToken = sec.RefreshToken
	switch {
	case sec.PrivateKeyPEM != "":
		req.JWTPrivateKeyPEM = []byte(sec.PrivateKeyPEM)
	case p.JWTKeyFile != "":
		b, err := userfile.Read(p.JWTKeyFile, "the JWT key file", userfile.KeyLimit)
		if err != nil {
			return p, fmt.Errorf("profile %q: %v; fix jwt_key_file with `profiles add` or pass --jwt-key", p.Name, err)
		}
		req.JWTPrivateKeyPEM = b
	}
	return p, nil
}

// rememberRefreshToken keeps token as profile name's refresh token in the keychain when the
// profile opts in (remember_refresh_token), and reports whether it did. After a rotation the
// token that was sent is already dead, so a failed save is an error the caller must show.
func rememberRefreshToken(env *Env, g *profilesGlobal, name, token string) (bool, error) {
	st, err := profilesOpen(env, g)
	if err != nil {
		return false, err
	}
	p, err := st.Get(name)
	if err != nil {
		return false, err
	}
	return st.RememberRefreshToken(p, token)
}
