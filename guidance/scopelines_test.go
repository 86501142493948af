package guidance

import (
	"reflect"
	"testing"
)

// The scope lines say what was requested, allowed and granted, and what stands for each
// when there is nothing: no scope sent, none selected, an unknown app, no scope field.
func TestScopeLines(t *testing.T) {
	cases := []struct {
		d    ScopeDiagnosis
		want []string
	}{
		{ScopeDiagnosis{Requested: []string{"api", "refresh_token"}, AllowedKnown: true, Allowed: []string{"api"}, Granted: []string{"api"}},
			[]string{"api refresh_token", "api", "api"}},
		{ScopeDiagnosis{AllowedKnown: true, GrantedReported: true}, []string{"none sent", "none selected", "(empty scope field)"}},
		{ScopeDiagnosis{}, []string{"none sent", "APP UNKNOWN", "not reported"}},
	}
	for _, c := range cases {
		var got []string
		for i, l := range c.d.Lines("APP UNKNOWN") {
			if want := []string{"Requested:", "Allowed by the app:", "Granted:"}[i]; l.Label != want {
				t.Errorf("line %d labelled %q, want %q", i, l.Label, want)
			}
			got = append(got, l.Value)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.d, got, c.want)
		}
	}
}
