package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func sample(name string) Profile {
	timeout := 120
	pkce := true
	return Profile{
		Name:        name,
		LoginURL:    "https://login.salesforce.com",
		ClientID:    "3MVG9exampleClientID",
		CallbackURL: "http://localhost:1717/OauthRedirect",
		Flow:        "web-server-pkce",
		Scopes:      []string{"api", "refresh_token"},
		Username:    "admin@example.com",
		App: AppSettings{SessionTimeoutMinutes: &timeout, RefreshTokenPolicy: RefreshExpireIfUnused,
			RefreshTokenValidity: 90, RefreshTokenValidityUnit: "days", PKCERequired: &pkce},
		Notes: "team sandbox",
	}
}

func openTemp(t *testing.T) (*Store, Keychain) {
	t.Helper()
	kc := MemoryKeychain()
	s, err := Open(t.TempDir(), kc)
	if err != nil {
		t.Fatal(err)
	}
	return s, kc
}

func TestStoreAddGetListUpdateDelete(t *testing.T) {
	s, _ := openTemp(t)
	if ps, err := s.List(); err != nil || len(ps) != 0 {
		t.Fatalf("empty store: %v %v", ps, err)
	}
	a, err := s.Add(sample("Prod"))
	if err != nil {
		t.Fatal(err)
	}
	if !validID(a.ID) || !strings.HasPrefix(a.ID, "p_") || a.AppKind != ConnectedApp || a.Created.IsZero() {
		t.Fatalf("added profile: %+v", a)
	}
	b, err := s.Add(sample("another"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID {
		t.Fatal("two profiles share an ID")
	}
	got, err := s.Get("prod") // names ignore case
	if err != nil || got.ID != a.ID || *got.App.SessionTimeoutMinutes != 120 || !*got.App.PKCERequired {
		t.Fatalf("Get: %+v %v", got, err)
	}
	if byID, err := s.Get(a.ID); err != nil || byID.Name != "Prod" {
		t.Fatalf("Get by ID: %+v %v", byID, err)
	}
	ps, _ := s.List()
	if len(ps) != 2 || ps[0].Name != "another" || ps[1].Name != "Prod" {
		t.Fatalf("List order: %v", names(ps))
	}
	// A rename keeps the ID and so the secrets.
	if err := s.SetSecret(got, SecretClientSecret, "cs-1"); err != nil {
		t.Fatal(err)
	}
	got.Name = "Production"
	up, err := s.Update(got)
	if err != nil || up.ID != a.ID || !up.Created.Equal(a.Created) {
		t.Fatalf("Update: %+v %v", up, err)
	}
	sec, err := s.Secrets(up)
	if err != nil || sec.ClientSecret != "cs-1" {
		t.Fatalf("secrets after rename: %v %v", sec, err)
	}
	if _, err := s.Get("Prod"); !errors.Is(err, ErrProfileNotFound) || !strings.Contains(err.Error(), "Production") {
		t.Fatalf("old name: %v", err)
	}
	// Delete removes the profile and its secrets.
	if err := s.Delete("production"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.kc.Get(Account(a.ID, SecretClientSecret)); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("secret survived Delete: %v", err)
	}
	if err := s.Delete("Production"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Update(up); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("update of removed profile: %v", err)
	}
}

func names(ps []Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestProfileNameValidation(t *testing.T) {
	cases := []struct {
		name, want string // want: "" for valid, else a word of the error
	}{
		{"prod", ""},
		{"Sandbox UAT — Ünïcode", ""},
		{strings.Repeat("é", 64), ""},
		{"", "empty"},
		{strings.Repeat("x", 65), "at most 64"},
		{" lead", "space"},
		{"trail ", "space"},
		{"tab\there", "control"},
		{"nl\nx", "control"},
		{"bell\a", "control"},
		{"del\u007f", "control"},
		{"bad\xffutf8", "UTF-8"},
	}
	for _, c := range cases {
		err := ValidateName(c.name)
		if c.want == "" {
			if err != nil {
				t.Errorf("ValidateName(%q) = %v, want ok", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalidProfile) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ValidateName(%q) = %v, want a one-line error about %q", c.name, err, c.want)
		}
	}
}

func TestProfileValidateFields(t *testing.T) {
	bad := func(f func(*Profile)) Profile { p := sample("x"); f(&p); return p }
	neg := -5
	cases := []struct {
		what string
		p    Profile
		want string
	}{
		{"no login URL", bad(func(p *Profile) { p.LoginURL = "" }), "login URL is empty"},
		{"http login host", bad(func(p *Profile) { p.LoginURL = "http://login.salesforce.com" }), "use https"},
		{"not a URL", bad(func(p *Profile) { p.LoginURL = "login.salesforce.com" }), "not a URL"},
		{"ftp", bad(func(p *Profile) { p.LoginURL = "ftp://x.example" }), "https://"},
		{"not a flow name", bad(func(p *Profile) { p.Flow = "Web Server" }), "web-server-pkce"},
		{"flow name with a double hyphen", bad(func(p *Profile) { p.Flow = "web--server" }), "not a flow name"},
		{"unknown kind", bad(func(p *Profile) { p.AppKind = "app" }), "external-client-app"},
		{"space in client id", bad(func(p *Profile) { p.ClientID = "3MVG9 x" }), "Consumer Key"},
		{"two scopes in one", bad(func(p *Profile) { p.Scopes = []string{"api refresh_token"} }), "separately"},
		{"bad callback", bad(func(p *Profile) { p.CallbackURL = "localhost:1717" }), "callback URL"},
		{"negative timeout", bad(func(p *Profile) { p.App.SessionTimeoutMinutes = &neg }), "1440"},
		{"unknown policy", bad(func(p *Profile) { p.App.RefreshTokenPolicy = "forever" }), "infinite"},
		{"unknown unit", bad(func(p *Profile) { p.App.RefreshTokenValidityUnit = "weeks" }), "hours, days or months"},
		{"app settings not an object", bad(func(p *Profile) { p.App.Settings = json.RawMessage(`["a"]`) }), "not a JSON object"},
		{"app settings too large", bad(func(p *Profile) {
			p.App.Settings = json.RawMessage(`{"description":"` + strings.Repeat("x", MaxAppSettingsBytes) + `"}`)
		}), "at most"},
	}
	for _, c := range cases {
		err := c.p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate() = %v, want error with %q", c.what, err, c.want)
		}
	}
	ok := sample("emu")
	ok.LoginURL = "http://127.0.0.1:8080" // the emulator
	if err := ok.Validate(); err != nil {
		t.Errorf("loopback http login URL: %v", err)
	}
}

// A store given the flow names refuses any other flow on Add, Update and Import, naming them;
// without names it takes any well-formed flow name.
func TestStoreWithFlowsRefusesUnknownFlows(t *testing.T) {
	plain, _ := openTemp(t)
	s := plain.WithFlows([]string{"web-server", "device"})
	p := sample("x")
	p.Flow = "implicit"
	if _, err := s.Add(p); !errors.Is(err, ErrInvalidProfile) || !strings.Contains(err.Error(), `flow "implicit" is unknown; use one of web-server, device`) {
		t.Fatalf("Add with an unknown flow: %v", err)
	}
	p.Flow = "device"
	saved, err := s.Add(p)
	if err != nil {
		t.Fatal(err)
	}
	saved.Flow = "implicit"
	if _, err := s.Update(saved); !errors.Is(err, ErrInvalidProfile) {
		t.Fatalf("Update to an unknown flow: %v", err)
	}
	data := []byte(`{"version":2,"profiles":[{"name":"imp","login_url":"https://login.salesforce.com","flow":"implicit"}]}`)
	if _, err := s.Import(data, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "is unknown") {
		t.Fatalf("Import with an unknown flow: %v", err)
	}
	if _, err := plain.Update(saved); err != nil {
		t.Fatalf("a store without flow names refused a well-formed flow name: %v", err)
	}
}

// OpenWithFlows takes the names from a catalogue: an import naming a flow outside it is a
// one-line error that names every allowed flow, and nothing is written; a flow of the
// catalogue imports.
func TestOpenWithFlowsRefusesAnImportedUnknownFlow(t *testing.T) {
	type entry struct{ id string }
	catalog := []entry{{"web-server"}, {"device"}, {"username-password"}}
	dir := t.TempDir()
	s, err := OpenWithFlows(dir, MemoryKeychain(), catalog, func(e entry) string { return e.id })
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"version":2,"profiles":[{"name":"imp","login_url":"https://login.salesforce.com","flow":"implicit"}]}`)
	_, err = s.Import(data, ImportOptions{})
	if err == nil || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), `flow "implicit" is unknown; use one of web-server, device, username-password`) {
		t.Fatalf("import of an unknown flow: %v; want one line naming the allowed flows", err)
	}
	if ps, err := s.List(); err != nil || len(ps) != 0 {
		t.Fatalf("the refused import wrote %d profiles (%v)", len(ps), err)
	}
	if _, err := s.Import([]byte(strings.Replace(string(data), "implicit", "device", 1)), ImportOptions{}); err != nil {
		t.Fatalf("import of a catalogue flow: %v", err)
	}
	if _, err := OpenWithFlows("", MemoryKeychain(), catalog, func(e entry) string { return e.id }); err == nil {
		t.Fatal("OpenWithFlows without a directory opened a store")
	}
}

func TestStoreNamesUniqueIgnoringCase(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.Add(sample("Prod")); err != nil {
		t.Fatal(err)
	}
	_, err := s.Add(sample("PROD"))
	if !errors.Is(err, ErrNameTaken) || !strings.Contains(err.Error(), "choose another name") {
		t.Fatalf("duplicate name: %v", err)
	}
	b, _ := s.Add(sample("other"))
	b.Name = "prod"
	if _, err := s.Update(b); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	if _, err := s.Add(Profile{Name: "bad\x00", LoginURL: "https://login.salesforce.com"}); !errors.Is(err, ErrInvalidProfile) {
		t.Fatalf("invalid name: %v", err)
	}
}

func TestStoreFileHasNoSecretsAndMode0600(t *testing.T) {
	s, _ := openTemp(t)
	p := sample("Prod")
	p.RememberRefreshToken = true
	p, err := s.Add(p)
	if err != nil {
		t.Fatal(err)
	}
	secrets := Secrets{ClientSecret: "CS-VALUE-1", Password: "PW-VALUE-2", SecurityToken: "ST-VALUE-3",
		KeyPassphrase: "KP-VALUE-4", PrivateKeyPEM: "-----BEGIN PRIVATE KEY-----PK-VALUE-5", RefreshToken: "RT-VALUE-6"}
	if err := s.SetSecrets(p, secrets); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(p); err != nil { // rewrite the file after the secrets are set
		t.Fatal(err)
	}
	exp, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Secrets(p)
	if err != nil || got != secrets {
		t.Fatalf("Secrets round trip: %v %v", got, err)
	}
	// Nothing secret in the directory (file, backups, lock) nor in the export.
	entries, _ := os.ReadDir(s.Dir())
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(s.Dir(), e.Name()))
		assertNoSecret(t, e.Name(), data, secrets)
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	assertNoSecret(t, "export", exp, secrets)
	assertNoSecret(t, "Secrets %v", []byte(fmt.Sprintf("%v %+v %#v %s", got, got, got, got)), secrets)
	js, _ := json.Marshal(got)
	assertNoSecret(t, "Secrets JSON", js, secrets)
	if !strings.Contains(string(js), `"client_secret":"[redacted]"`) {
		t.Errorf("Secrets JSON should name what is set: %s", js)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(s.Path())
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("profiles file mode: %v %v", st.Mode(), err)
		}
	}
}

func assertNoSecret(t *testing.T, where string, data []byte, s Secrets) {
	t.Helper()
	for _, k := range SecretKinds {
		v := s.Get(k)
		if v != "" && bytes.Contains(data, []byte(v)) {
			t.Errorf("%s contains the %s", where, k.Label())
		}
	}
}

func TestStoreRefreshTokenOnlyWhenOptedIn(t *testing.T) {
	s, kc := openTemp(t)
	p, _ := s.Add(sample("Prod"))
	if err := s.SetSecrets(p, Secrets{RefreshToken: "rt"}); !errors.Is(err, ErrRefreshTokenNotOptedIn) {
		t.Fatalf("refresh token without opt-in: %v", err)
	}
	if ok, err := s.RememberRefreshToken(p, "rt"); ok || err != nil {
		t.Fatalf("RememberRefreshToken without opt-in: %v %v", ok, err)
	}
	if _, err := kc.Get(Account(p.ID, SecretRefreshToken)); !errors.Is(err, ErrSecretNotFound) {
		t.Fatal("refresh token stored without opt-in")
	}
	p.RememberRefreshToken = true
	p, _ = s.Update(p)
	if ok, err := s.RememberRefreshToken(p, "rt-2"); !ok || err != nil {
		t.Fatalf("RememberRefreshToken with opt-in: %v %v", ok, err)
	}
	if v, _ := kc.Get(Account(p.ID, SecretRefreshToken)); v != "rt-2" {
		t.Fatalf("stored refresh token = %q", v)
	}
	// Opting out forgets the stored token.
	p.RememberRefreshToken = false
	if _, err := s.Update(p); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(Account(p.ID, SecretRefreshToken)); !errors.Is(err, ErrSecretNotFound) {
		t.Fatal("refresh token kept after opting out")
	}
}

func TestStoreSecretsThroughGoKeyringMock(t *testing.T) {
	keyring.MockInit()
	s, err := Open(t.TempDir(), SystemKeychain())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Add(sample("Prod"))
	if err := s.SetSecrets(p, Secrets{ClientSecret: "cs", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get(ServiceName, p.ID+":client_secret"); err != nil || v != "cs" {
		t.Fatalf("go-keyring account: %q %v", v, err)
	}
	kinds, err := s.StoredSecrets(p)
	if err != nil || fmt.Sprint(kinds) != "[client_secret password]" {
		t.Fatalf("StoredSecrets: %v %v", kinds, err)
	}
	if err := s.DeleteSecret(p, SecretPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("Prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(ServiceName, p.ID+":client_secret"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("secret left after Delete: %v", err)
	}
}

func TestStoreKeychainUnavailableKeepsProfile(t *testing.T) {
	keyring.MockInitWithError(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	defer keyring.MockInit()
	s, err := Open(t.TempDir(), SystemKeychain())
	if err != nil {
		t.Fatalf("Open must not need the keychain: %v", err)
	}
	p, err := s.Add(sample("Prod"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.SetSecrets(p, Secrets{ClientSecret: "cs"})
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "--memory-secrets") {
		t.Fatalf("SetSecrets: %v", err)
	}
	if _, err := s.Secrets(p); !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("Secrets: %v", err)
	}
	if err := s.Delete("Prod"); !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "kept") {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get("Prod"); err != nil {
		t.Fatalf("profile must be kept when its secrets cannot be deleted: %v", err)
	}
	// The explicit in-memory choice works on the same directory.
	m := s.WithKeychain(MemoryKeychain())
	if !IsMemoryKeychain(m.Keychain()) || IsMemoryKeychain(s.Keychain()) {
		t.Fatal("WithKeychain")
	}
	if err := m.SetSecrets(p, Secrets{ClientSecret: "cs"}); err != nil {
		t.Fatal(err)
	}
	if sec, _ := m.Secrets(p); sec.ClientSecret != "cs" {
		t.Fatal("memory secrets")
	}
	if err := ProbeKeychain(s.Keychain()); !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("ProbeKeychain(system) = %v", err)
	}
	if err := ProbeKeychain(m.Keychain()); err != nil {
		t.Fatalf("ProbeKeychain(memory) = %v", err)
	}
}

func TestStoreDefaultDir(t *testing.T) {
	d, err := DefaultDir()
	if err != nil {
		t.Skipf("no user config dir here: %v", err)
	}
	if filepath.Base(d) != "connectedapplab" {
		t.Fatalf("DefaultDir = %s", d)
	}
}

func TestStoreOpenCreatesPrivateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "connectedapplab")
	s, err := Open(dir, MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(sample("x")); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
			t.Fatalf("dir mode %v", st.Mode())
		}
	}
}

func TestStoreOpenErrors(t *testing.T) {
	if _, err := Open("", nil); err == nil || !strings.Contains(err.Error(), "--config-dir") {
		t.Fatalf("Open(\"\"): %v", err)
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	if _, err := Open(filepath.Join(f, "sub"), nil); err == nil || !strings.Contains(err.Error(), "--config-dir") {
		t.Fatalf("Open under a file: %v", err)
	}
}

func TestProfileLoginHostKind(t *testing.T) {
	for url, want := range map[string]string{
		"https://login.salesforce.com":                "production",
		"https://test.salesforce.com":                 "sandbox",
		"https://acme.my.salesforce.com":              "my-domain",
		"https://acme--uat.sandbox.my.salesforce.com": "my-domain",
		"http://127.0.0.1:8080":                       "custom",
		"https://acme.lightning.force.com":            "custom",
	} {
		p := Profile{LoginURL: url}
		if got := p.LoginHostKind(); got != want {
			t.Errorf("%s: %s, want %s", url, got, want)
		}
	}
}

// The App settings the window edits live in the profile (app_settings.settings): they survive
// an update of the profile's other fields and a fresh Store over the same directory.
func TestAppSettingsRoundTripThroughTheFile(t *testing.T) {
	dir := t.TempDir()
	kc := MemoryKeychain()
	s, err := Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	p := sample("Prod")
	settings := `{"kind":"external","name":"My_App","contactEmail":"admin@example.com",` +
		`"callbackUrls":["http://localhost:1717/OauthRedirect","http://localhost:1718/cb"],"scopes":["api","refresh_token"],` +
		`"pkceRequired":true,"deviceFlowEnabled":false,"refreshTokenPolicy":{"type":"specific_lifetime","period":3,"unit":"DAYS"}}`
	p.App.Settings = json.RawMessage(settings)
	a, err := s.Add(p)
	if err != nil {
		t.Fatal(err)
	}
	a.Notes = "edited"
	if _, err := s.Update(a); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(dir, kc) // what the next start of the app reads
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Get("Prod")
	if err != nil {
		t.Fatal(err)
	}
	var want, have bytes.Buffer
	if err := json.Compact(&want, []byte(settings)); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&have, got.App.Settings); err != nil {
		t.Fatalf("settings read back are not JSON: %v\n%s", err, got.App.Settings)
	}
	if have.String() != want.String() || got.Notes != "edited" || *got.App.SessionTimeoutMinutes != 120 {
		t.Errorf("read back:\n%s\nwant\n%s (notes %q)", have.String(), want.String(), got.Notes)
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil || !bytes.Contains(raw, []byte(`"settings": {`)) || !bytes.Contains(raw, []byte(`"contactEmail": "admin@example.com"`)) {
		t.Errorf("the profiles file does not hold the settings as JSON under app_settings.settings:\n%s", raw)
	}

	// A profile without app settings writes no settings key.
	b, err := s2.Add(sample("Other"))
	if err != nil {
		t.Fatal(err)
	}
	if b.App.Settings != nil {
		t.Errorf("settings %s on a profile that has none", b.App.Settings)
	}
}
