package appfacts

import (
	"reflect"
	"testing"

	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

func TestSettings(t *testing.T) {
	yes, zero, thirty := true, 0, 30
	cb := "http://localhost:1717/OauthRedirect"
	for _, tc := range []struct {
		name string
		p    store.Profile
		want guidance.Settings
	}{
		{"nothing known", store.Profile{}, guidance.Settings{}},
		{"everything known", store.Profile{AppKind: store.ExternalClientApp, CallbackURL: cb,
			App: store.AppSettings{SessionTimeoutMinutes: &thirty, PKCERequired: &yes, RefreshTokenPolicy: store.RefreshExpireIfUnused,
				RefreshTokenValidity: 12, RefreshTokenValidityUnit: "hours"}},
			guidance.Settings{AppKind: guidance.AppExternalClient, CallbackURL: cb, AppSessionTimeoutMinutes: 30, PKCERequired: &yes,
				RefreshTokenPolicy: guidance.RefreshPolicy{Kind: guidance.PolicySpecificInactivity, N: 12, Unit: "HOURS"}}},
		{"connected app, no session timeout on the app, zero", store.Profile{AppKind: store.ConnectedApp,
			App: store.AppSettings{SessionTimeoutMinutes: &zero, RefreshTokenPolicy: store.RefreshImmediatelyExpire}},
			guidance.Settings{AppKind: guidance.AppConnected, RefreshTokenPolicy: guidance.RefreshPolicy{Kind: guidance.PolicyZero}}},
		{"a period without its unit is not a policy guidance can read", store.Profile{
			App: store.AppSettings{RefreshTokenPolicy: store.RefreshExpireAfter, RefreshTokenValidity: 3}},
			guidance.Settings{}},
	} {
		if got := Settings(tc.p); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Settings = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
