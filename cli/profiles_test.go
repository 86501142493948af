package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/connectedapplab/connectedapplab/store"
)

// profilesTestKeychain makes the "OS keychain" of the profiles command a keychain that lives
// for the test, shared by every command run in it (like the real one across runs).
func profilesTestKeychain(t *testing.T) store.Keychain {
	t.Helper()
	kc := store.MemoryKeychain()
	old := profilesKeychain
	profilesKeychain = func() store.Keychain { return kc }
	t.Cleanup(func() { profilesKeychain = old })
	return kc
}

type profilesRun struct {
	code           int
	stdout, stderr string
}

func runProfiles(t *testing.T, dir, stdin string, args ...string) profilesRun {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	full := append([]string{"profiles", "--config-dir", dir}, args...)
	code := Main(context.Background(), full, env)
	return profilesRun{code, out.String(), errb.String()}
}

const (
	profSecretCS = "CLI-CLIENT-SECRET-1"
	profSecretPW = "CLI-PASSWORD-2"
	profSecretST = "CLI-SECURITY-TOKEN-3"
)

func addProd(t *testing.T, dir string) profilesRun {
	t.Helper()
	r := runProfiles(t, dir, profSecretCS+"\n"+profSecretPW+"\n"+profSecretST+"\n",
		"add", "Prod", "--login-url", "https://login.salesforce.com", "--client-id", "3MVG9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAZZZZZZ",
		"--callback-url", "http://localhost:1717/OauthRedirect", "--flow", "username-password", "--scopes", "api,refresh_token",
		"--username", "admin@example.com", "--session-timeout", "120", "--pkce-required", "yes",
		"--client-secret-stdin", "--password-stdin", "--security-token-stdin")
	if r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	return r
}

func assertNoCLISecret(t *testing.T, where string, s string) {
	t.Helper()
	for _, v := range []string{profSecretCS, profSecretPW, profSecretST} {
		if strings.Contains(s, v) {
			t.Errorf("%s shows a secret:\n%s", where, s)
		}
	}
}

func TestProfilesAddListShowRm(t *testing.T) {
	kc := profilesTestKeychain(t)
	dir := t.TempDir()
	r := addProd(t, dir)
	if !strings.Contains(r.stdout, `Added profile "Prod"`) || !strings.Contains(r.stdout, "Stored in the OS keychain: client secret, password, security token") {
		t.Fatalf("add output: %s", r.stdout)
	}
	all := r.stdout + r.stderr

	r = runProfiles(t, dir, "", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "NAME") || !strings.Contains(r.stdout, "login.salesforce.com") ||
		!strings.Contains(r.stdout, "username-password") || !strings.Contains(r.stdout, "3MVG9AAAAAAA…ZZZZZZ") || !strings.Contains(r.stdout, "admin@example.com") {
		t.Fatalf("list: %+v", r)
	}
	all += r.stdout

	r = runProfiles(t, dir, "", "list", "--json")
	var ps []store.Profile
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ps) != nil || len(ps) != 1 || ps[0].ClientID != "3MVG9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAZZZZZZ" ||
		strings.Join(ps[0].Scopes, " ") != "api refresh_token" || *ps[0].App.SessionTimeoutMinutes != 120 || !*ps[0].App.PKCERequired {
		t.Fatalf("list --json: %+v", r)
	}
	all += r.stdout

	r = runProfiles(t, dir, "", "show", "prod") // names ignore case
	for _, want := range []string{`Profile "Prod"`, "client secret: stored in keychain", "password: stored in keychain",
		"security token: stored in keychain", "private key passphrase: not stored", "refresh token: not stored", "120 minutes", "(production)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	all += r.stdout

	// Flags may follow the name, and global flags may follow the command.
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out}
	if code := Main(context.Background(), []string{"profiles", "show", "Prod", "--json", "--config-dir", dir}, env); code != 0 {
		t.Fatalf("show --json: %d %s", code, out.String())
	}
	var shown struct {
		Profile store.Profile
		Secrets map[string]string
	}
	if err := json.Unmarshal(out.Bytes(), &shown); err != nil || shown.Secrets["client_secret"] != "stored in keychain" || shown.Secrets["key_passphrase"] != "not stored" {
		t.Fatalf("show --json: %v %s", err, out.String())
	}
	all += out.String()
	assertNoCLISecret(t, "output", all)

	// Nothing secret on disk.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		assertNoCLISecret(t, e.Name(), string(b))
	}
	id := ps[0].ID
	if v, _ := kc.Get(store.Account(id, store.SecretPassword)); v != profSecretPW {
		t.Fatalf("keychain password = %q", v)
	}

	r = runProfiles(t, dir, "", "rm", "Prod")
	if r.code != 0 || !strings.Contains(r.stdout, `Removed profile "Prod" and its secrets`) {
		t.Fatalf("rm: %+v", r)
	}
	for _, k := range store.SecretKinds {
		if _, err := kc.Get(store.Account(id, k)); !errors.Is(err, store.ErrSecretNotFound) {
			t.Errorf("%s left after rm", k)
		}
	}
	r = runProfiles(t, dir, "", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "No profiles yet") {
		t.Fatalf("empty list: %+v", r)
	}
}

func TestProfilesAddRefusesSecretsInFlags(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	r := runProfiles(t, dir, "", "add", "x", "--client-id", "abc", "--client-secret", "LEAKED")
	if r.code != 2 || !strings.Contains(r.stderr, "shell history") || !strings.Contains(r.stderr, "--client-secret-stdin") {
		t.Fatalf("--client-secret: %+v", r)
	}
	if strings.Contains(r.stdout+r.stderr, "LEAKED") {
		t.Fatal("secret echoed")
	}
	if r := runProfiles(t, dir, "", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("profile saved despite the refusal: %s", r.stdout)
	}
}

func TestProfilesUsageErrorsAreOneLine(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	addProd(t, dir)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage"},
		{[]string{"frobnicate"}, 2, "use list, show, add"},
		{[]string{"add"}, 2, "give one profile NAME"},
		{[]string{"add", "x", "--flow", "implicit"}, 2, "use one of web-server"},
		{[]string{"add", "x", "--login-url", "http://login.salesforce.com"}, 2, "use https"},
		{[]string{"add", "bad\tname"}, 2, "control character"},
		{[]string{"add", strings.Repeat("n", 65)}, 2, "at most 64"},
		{[]string{"add", "PROD"}, 2, "already exists"},
		{[]string{"add", "x", "--pkce-required", "maybe"}, 2, "yes, no or unknown"},
		{[]string{"add", "x", "--client-secret-stdin"}, 2, "on stdin (--client-secret-stdin)"},
		{[]string{"show"}, 2, "give one profile NAME"},
		{[]string{"show", "nope"}, 2, "use one of: Prod"},
		{[]string{"rm", "nope"}, 2, "no profile \"nope\""},
		{[]string{"rm"}, 2, "give the NAME"},
		{[]string{"export", "nope"}, 2, "no profile"},
		{[]string{"import"}, 2, "give one FILE"},
		{[]string{"import", filepath.Join(dir, "missing.json")}, 2, "check the path"},
		{[]string{"import", writeSettings(t, "not json")}, 2, "neither a Connected App Lab export"},
		{[]string{"add", "x", "--session-timeout", "-5"}, 2, "--session-timeout -5"},
		{[]string{"list", "extra"}, 2, "profiles show NAME"},
	}
	for _, c := range cases {
		r := runProfiles(t, dir, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("profiles %q: code %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
			continue
		}
		if c.want != "usage" && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("profiles %q: error is not one line: %q", c.args, r.stderr)
		}
	}
	if r := runProfiles(t, dir, "", "-h"); r.code != 0 {
		t.Errorf("-h: %+v", r)
	}
}

func TestProfilesKeychainUnavailableOffersMemorySecrets(t *testing.T) {
	keyring.MockInitWithError(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	defer keyring.MockInit()
	old := profilesKeychain
	profilesKeychain = store.SystemKeychain
	defer func() { profilesKeychain = old }()
	dir := t.TempDir()

	r := runProfiles(t, dir, "s3cret\n", "add", "x", "--client-id", "abc", "--client-secret-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "no Secret Service: install gnome-keyring (or KeePassXC)") || !strings.Contains(r.stderr, "--memory-secrets") {
		t.Fatalf("add: %+v", r)
	}
	if r := runProfiles(t, dir, "", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("profile saved although its secret could not be: %s", r.stdout)
	}
	// A profile without secrets needs no keychain.
	if r := runProfiles(t, dir, "", "add", "x", "--client-id", "abc"); r.code != 0 {
		t.Fatalf("add without secrets: %+v", r)
	}
	r = runProfiles(t, dir, "", "show", "x")
	if r.code != 1 || !strings.Contains(r.stdout, `Profile "x"`) || !strings.Contains(r.stderr, "keychain unavailable") {
		t.Fatalf("show: %+v", r)
	}
	r = runProfiles(t, dir, "s3cret\n", "--memory-secrets", "add", "y", "--client-id", "abc", "--client-secret-stdin")
	if r.code != 0 || !strings.Contains(r.stderr, "in memory for this run only") || !strings.Contains(r.stdout, "forgotten") {
		t.Fatalf("add --memory-secrets: %+v", r)
	}
	r = runProfiles(t, dir, "", "rm", "x")
	if r.code != 1 || !strings.Contains(r.stderr, "kept") {
		t.Fatalf("rm: %+v", r)
	}
	r = runProfiles(t, dir, "", "rm", "x", "--memory-secrets")
	if r.code != 0 || !strings.Contains(r.stdout, "were not deleted") {
		t.Fatalf("rm --memory-secrets: %+v", r)
	}
}

func TestProfilesExportImport(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	addProd(t, dir)
	if r := runProfiles(t, dir, "", "add", "uat", "--login-url", "https://test.salesforce.com", "--client-id", "xyz", "--kind", "external-client-app"); r.code != 0 {
		t.Fatalf("add uat: %+v", r)
	}
	file := filepath.Join(t.TempDir(), "team.json")
	r := runProfiles(t, dir, "", "export", "--out", file)
	if r.code != 0 || !strings.Contains(r.stderr, "Exported 2 profile(s)") {
		t.Fatalf("export: %+v", r)
	}
	data, _ := os.ReadFile(file)
	assertNoCLISecret(t, "export", string(data))
	if r := runProfiles(t, dir, "", "export", "uat"); r.code != 0 || strings.Contains(r.stdout, "Prod") || !strings.Contains(r.stdout, "external-client-app") {
		t.Fatalf("export uat: %+v", r)
	}

	other := t.TempDir()
	r = runProfiles(t, other, "", "import", file)
	if r.code != 0 || !strings.Contains(r.stdout, `Added profile "Prod"`) || !strings.Contains(r.stdout, `Added profile "uat"`) {
		t.Fatalf("import: %+v", r)
	}
	r = runProfiles(t, other, "", "show", "Prod")
	if !strings.Contains(r.stdout, "client secret: not stored") {
		t.Fatalf("imported profile has secrets: %s", r.stdout)
	}
	r = runProfiles(t, other, "", "import", file)
	if r.code != 2 || !strings.Contains(r.stderr, "--replace") {
		t.Fatalf("second import: %+v", r)
	}
	r = runProfiles(t, other, string(data), "import", "-", "--replace")
	if r.code != 0 || !strings.Contains(r.stdout, `Replaced profile "Prod"`) {
		t.Fatalf("import --replace from stdin: %+v", r)
	}
}

func TestProfilesImportSFOrgDisplay(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	r := runProfiles(t, dir, "", "import", filepath.Join("..", "store", "testdata", "sf-org-display.json"))
	if r.code != 0 || !strings.Contains(r.stdout, `Added profile "acme-uat"`) || !strings.Contains(r.stdout, "not saved") ||
		!strings.Contains(r.stdout, "sfdxAuthUrl") {
		t.Fatalf("import: %+v", r)
	}
	for _, leak := range []string{"FAKEACCESSTOKEN", "FAKEREFRESHTOKEN"} {
		if strings.Contains(r.stdout+r.stderr, leak) {
			t.Fatalf("output shows %s", leak)
		}
		b, _ := os.ReadFile(filepath.Join(dir, store.FileName))
		if strings.Contains(string(b), leak) {
			t.Fatalf("profiles file holds %s", leak)
		}
	}
	r = runProfiles(t, dir, "", "show", "acme-uat")
	if !strings.Contains(r.stdout, "https://acme--uat.sandbox.my.salesforce.com (my-domain)") || !strings.Contains(r.stdout, "PlatformCLI") {
		t.Fatalf("show: %s", r.stdout)
	}
}

func TestProfilesCorruptFileIsReported(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.FileName), []byte("{not json"), 0o600)
	r := runProfiles(t, dir, "", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "corrupt") || !strings.Contains(r.stderr, ".bak") || !strings.Contains(r.stderr, "move it away") {
		t.Fatalf("list: %+v", r)
	}
	r = runProfiles(t, dir, "", "add", "x", "--client-id", "abc")
	if r.code != 1 {
		t.Fatalf("add over a corrupt file: %+v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, store.FileName)); string(b) != "{not json" {
		t.Fatal("corrupt file overwritten")
	}
}

func TestProfilesAddPrivateKeyFromStdin(t *testing.T) {
	kc := profilesTestKeychain(t)
	dir := t.TempDir()
	pem := "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n"
	r := runProfiles(t, dir, "passphrase-1\n"+pem, "add", "jwt", "--flow", "jwt-bearer", "--client-id", "abc",
		"--username", "ci@example.com", "--key-passphrase-stdin", "--private-key-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "private key passphrase, JWT private key") {
		t.Fatalf("add: %+v", r)
	}
	var ps []store.Profile
	json.Unmarshal([]byte(runProfiles(t, dir, "", "list", "--json").stdout), &ps)
	if len(ps) != 1 || !ps[0].JWTKeyInKeychain {
		t.Fatalf("profile: %+v", ps)
	}
	if v, _ := kc.Get(store.Account(ps[0].ID, store.SecretPrivateKey)); v != pem {
		t.Fatalf("key in keychain = %q", v)
	}
	r = runProfiles(t, dir, "not a key", "add", "jwt2", "--private-key-stdin")
	if r.code != 2 || !strings.Contains(r.stderr, "PEM private key") {
		t.Fatalf("bad key: %+v", r)
	}
	r = runProfiles(t, dir, "", "add", "jwt3", "--refresh-token", "x")
	if r.code != 2 || !strings.Contains(r.stderr, "--remember-refresh-token") {
		t.Fatalf("--refresh-token: %+v", r)
	}
}

// storedProfile opens the profiles folder dir with keychain kc, as a test reads what the
// commands stored, and returns the store and the profile name in it.
func storedProfile(t testing.TB, dir string, kc store.Keychain, name string) (*store.Store, store.Profile) {
	t.Helper()
	st, err := store.Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return st, p
}
