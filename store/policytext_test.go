package store

import "testing"

func TestPolicyTextRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		a    AppSettings
		text string
	}{
		{AppSettings{}, ""},
		{AppSettings{RefreshTokenPolicy: RefreshUntilRevoked}, "infinite"},
		{AppSettings{RefreshTokenPolicy: RefreshExpireAfter, RefreshTokenValidity: 3, RefreshTokenValidityUnit: "days"}, "specific_lifetime:3:DAYS"},
	} {
		if got := tc.a.PolicyText(); got != tc.text {
			t.Errorf("%+v: PolicyText = %q, want %q", tc.a, got, tc.text)
		}
		var b AppSettings
		b.RefreshTokenValidity, b.RefreshTokenValidityUnit = 9, "months" // replaced, never kept
		b.SetPolicyText(tc.text)
		if b.RefreshTokenPolicy != tc.a.RefreshTokenPolicy || b.RefreshTokenValidity != tc.a.RefreshTokenValidity ||
			b.RefreshTokenValidityUnit != tc.a.RefreshTokenValidityUnit {
			t.Errorf("SetPolicyText(%q) = %+v, want %+v", tc.text, b, tc.a)
		}
	}
	// A period without a unit is left out: no reader takes "specific_lifetime:3:".
	if got := (AppSettings{RefreshTokenPolicy: RefreshExpireAfter, RefreshTokenValidity: 3}).PolicyText(); got != "specific_lifetime" {
		t.Errorf("PolicyText without a unit = %q, want specific_lifetime", got)
	}
}
