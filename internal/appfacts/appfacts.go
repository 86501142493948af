// Package appfacts turns what a saved profile knows of its app (store.Profile) into
// guidance's terms. The CLI (run --profile) and the window both read it, so the two cannot
// tell guidance different things about the same profile.
package appfacts

import (
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// Settings is what profile p tells guidance of its app: its kind, session timeout, refresh
// token policy, whether PKCE is required, and the callback URL. What p does not know stays
// unknown (zero); a policy guidance cannot read is left unknown too.
func Settings(p store.Profile) guidance.Settings {
	s := guidance.Settings{CallbackURL: p.CallbackURL, PKCERequired: p.App.PKCERequired}
	switch p.AppKind {
	case store.ExternalClientApp:
		s.AppKind = guidance.AppExternalClient
	case store.ConnectedApp:
		s.AppKind = guidance.AppConnected
	}
	if m := p.App.SessionTimeoutMinutes; m != nil {
		s.AppSessionTimeoutMinutes = *m
	}
	if pol := p.App.PolicyText(); pol != "" {
		if rp, err := guidance.ParseRefreshPolicy(pol); err == nil {
			s.RefreshTokenPolicy = rp
		}
	}
	return s
}
