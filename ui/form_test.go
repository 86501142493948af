package ui

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// The profiles list, the profile form and the pickers, on the fake backend (lab_test.go).

func TestProfilesAddDuplicateImport(t *testing.T) {
	st := demoStore()
	l, _ := newTestLab(t, Backend{}, st)
	test.Tap(l.profiles.add)
	waitIdle()
	test.Tap(l.profiles.add)
	waitIdle()
	ps, _ := st.List()
	if len(ps) != 4 || ps[2].Name != "New profile" || ps[3].Name != "New profile 2" {
		t.Fatalf("after two New: %v", names(ps))
	}
	if cur, _ := l.profiles.current(); cur.Name != "New profile 2" || l.form.name.Text != "New profile 2" {
		t.Errorf("selected %q, form %q: want the new profile", cur.Name, l.form.name.Text)
	}
	l.profiles.list.Select(0)
	waitIdle()
	test.Tap(l.profiles.duplicate)
	waitIdle()
	ps, _ = st.List()
	if len(ps) != 5 || ps[4].Name != "Username-password: how long does it last? copy" {
		t.Fatalf("after Duplicate: %v", names(ps))
	}
	if s, _ := st.Secrets(ps[4].ID); s.Password != "Demo-Pass-1" {
		t.Error("a duplicate should keep the secrets")
	}
	l.importFrom(io.NopCloser(strings.NewReader(`{"schema_version":1,"profiles":[{"id":"p_x","name":"Web server + PKCE","login_url":"https://test.salesforce.com","client_id":"3MVG-imp","flow":"web-server"}]}`)))
	waitIdle()
	ps, _ = st.List()
	if len(ps) != 6 || ps[5].Name != "Web server + PKCE (imported 1)" || ps[5].LoginURL != sandboxURL {
		t.Fatalf("after import: %v", names(ps))
	}
}

func names(ps []Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestSwitchingProfilesKeepsUnsavedEdits(t *testing.T) {
	l, _ := newTestLab(t, Backend{}, demoStore())
	test.Type(l.form.clientID, "-edited")
	l.profiles.list.Select(1)
	waitIdle()
	if l.form.name.Text != "Web server + PKCE" {
		t.Fatalf("form shows %q", l.form.name.Text)
	}
	if !l.form.rows["callback"][1].Visible() {
		t.Error("callback URL hidden for the web server flow")
	}
	l.profiles.list.Select(0)
	waitIdle()
	if l.form.clientID.Text != "-edited3MVG9CALdemo.WebApp.0001" || !l.dirty {
		t.Errorf("client ID %q dirty=%v: the edit was lost", l.form.clientID.Text, l.dirty)
	}
}

func TestCallbackURLCheck(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"localhost with port and path", "http://localhost:1717/OauthRedirect", ""},
		{"IPv4 loopback", "http://127.0.0.1:8080/callback", ""},
		{"IPv6 loopback", "http://[::1]:8080/cb", ""},
		{"https is not served by the listener", "https://localhost:1717/cb", "must use http://"},
		{"remote host", "http://example.com:1717/cb", "not on this machine's loopback"},
		{"no port", "http://localhost/cb", "no port"},
		{"empty", "", "empty"},
		{"custom scheme", "myapp://callback", "must use http://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkCallbackShape(tc.url)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestCallbackCheckShownInForm(t *testing.T) {
	test.NewTempApp(t)
	f := newProfileForm()
	f.callback.SetText("http://localhost:1717/OauthRedirect")
	if !strings.HasPrefix(f.cbCheck.Text, "✓") || !strings.Contains(f.cbCheck.Text, "localhost:1717") {
		t.Errorf("check = %q", f.cbCheck.Text)
	}
	f.checkCallback = func(string) error { return errors.New("address already in use") }
	f.callback.SetText("http://localhost:1718/OauthRedirect")
	waitIdle()
	if !strings.Contains(f.cbCheck.Text, "address already in use") {
		t.Errorf("check = %q, want the bind error", f.cbCheck.Text)
	}
}

func TestLoginHostChoices(t *testing.T) {
	test.NewTempApp(t)
	f := newProfileForm()
	for _, tc := range []struct{ in, host, out string }{
		{"", hostProduction, productionURL},
		{sandboxURL, hostSandbox, sandboxURL},
		{"https://acme.my.salesforce.com/", hostMyDomain, "https://acme.my.salesforce.com"},
		{"http://127.0.0.1:4444", hostCustom, "http://127.0.0.1:4444"},
	} {
		f.setLoginURL(tc.in)
		if f.host.Selected != tc.host || f.loginURL() != tc.out {
			t.Errorf("%q: host %q url %q, want %q %q", tc.in, f.host.Selected, f.loginURL(), tc.host, tc.out)
		}
	}
	f.host.SetSelected(hostMyDomain)
	f.hostURL.SetText("acme")
	if got := f.loginURL(); got != "https://acme.my.salesforce.com" {
		t.Errorf("My Domain name only gives %q", got)
	}
}

func TestScopeChecklistPutsRefreshTokenOnTopAndKeepsCustomScopes(t *testing.T) {
	test.NewTempApp(t)
	scopes := guidance.Scopes()
	c := newScopeChecklist(scopes)
	if i := slices.IndexFunc(scopes, func(s guidance.ScopeInfo) bool { return s.Name == "refresh_token" }); i < 0 || i > 1 || !scopes[i].Prominent {
		t.Error("refresh_token should be one of the first two scopes, and prominent")
	}
	c.set([]string{"api", "refresh_token", "mcp_api", "my_custom"})
	if got := strings.Join(c.selected(), " "); got != "api refresh_token mcp_api my_custom" {
		t.Errorf("selected = %q", got)
	}
	for _, s := range scopes {
		if s.Meaning == "" {
			t.Errorf("scope %s has no meaning line", s.Name)
		}
	}
}

// The flow picker and the form read the flow catalogue (flows.Catalog): a flow added to it is
// offered in the picker with its label, and choosing it shows exactly the fields its spec
// lists, with no change to the window.
func TestAFlowAddedToTheCatalogueIsInThePickerAndTheForm(t *testing.T) {
	test.NewTempApp(t)
	fake := flows.Spec{Flow: "fake-grant", Label: "Fake grant flow", Summary: "A flow only this test knows.",
		Needs: "A username and an audience.",
		Fields: []flows.Need{{Field: flows.FieldLoginURL, Required: true}, {Field: flows.FieldClientID, Required: true},
			{Field: flows.FieldUsername, Required: true}, {Field: flows.FieldJWTAudience}}}
	w := test.NewTempWindow(t, nil)
	fb := &fakeBackend{}
	l := New(w, fb.backend(), Options{Store: demoStore(), TickEvery: -1, Flows: append(flows.Catalog(), fake)})
	t.Cleanup(l.Close)
	w.SetContent(l.Content())
	l.Start()
	waitIdle()
	if !slices.Contains(l.flowPick.sel.Options, "Fake grant flow") {
		t.Fatalf("the picker offers %q, not the added flow", l.flowPick.sel.Options)
	}
	l.flowPick.sel.SetSelected("Fake grant flow")
	if got := l.flowPick.flow(); got != "fake-grant" {
		t.Fatalf("picked flow %q", got)
	}
	var shown []string
	for _, k := range []string{"secret", "callback", "username", "password", "token", "jwt", "audience", "refresh", "subject", "subjtype", "saml", "mydomain"} {
		if l.form.rows[k][1].Visible() {
			shown = append(shown, k)
		}
	}
	if got := strings.Join(shown, " "); got != "username audience" {
		t.Errorf("the form shows %q for the added flow, want its spec's fields: username audience", got)
	}
}
