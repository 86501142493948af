package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/store"
)

// scanKeychain puts the secrets of a secret scan in the real Secret Service with
// CONNECTEDAPPLAB_KEYRING=system (the test command sets it, and CI must), otherwise in the
// in-memory test keychain.
func scanKeychain(t *testing.T) {
	t.Helper()
	if os.Getenv("CONNECTEDAPPLAB_KEYRING") != "system" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CONNECTEDAPPLAB_KEYRING is not system: run through scripts/test, which starts gnome-keyring")
		}
		profilesTestKeychain(t)
	}
}

// scannedMain runs the command line with args and stdin, an empty environment, and adds
// everything it printed to outputs, which the scan reads.
func scannedMain(outputs *bytes.Buffer, stdin string, args ...string) profilesRun {
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), args, env)
	outputs.Write(out.Bytes())
	outputs.Write(errb.Bytes())
	return profilesRun{code, out.String(), errb.String()}
}

// TestSavedProfilesLeakNoSecret runs flows from saved profiles against the emulator, then
// scans everything the program wrote (the config dir, an export, list/show output, the
// human and JSON results with their transcripts) for every secret value it was given and
// for any unredacted token. With CONNECTEDAPPLAB_KEYRING=system (the test command sets it)
// the secrets go through the real Secret Service; otherwise through the in-memory keychain.
func TestSavedProfilesLeakNoSecret(t *testing.T) {
	scanKeychain(t)
	org := sfemutest.Start(t)
	d := org.Desc
	user := d.Users[0]
	web, integ := org.App(t, "Web App"), org.App(t, "Integration App")
	dir := t.TempDir()

	var outputs bytes.Buffer
	run := func(stdin string, args ...string) profilesRun { return scannedMain(&outputs, stdin, args...) }
	mustRun := func(stdin string, args ...string) profilesRun {
		t.Helper()
		r := run(stdin, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
		return r
	}

	mustRun(web.ClientSecret+"\n"+user.Password+"\n"+user.SecurityToken+"\n",
		"profiles", "--config-dir", dir, "add", "Password demo", "--login-url", d.BaseURL, "--client-id", web.ClientID,
		"--flow", "username-password", "--username", user.Username,
		"--client-secret-stdin", "--password-stdin", "--security-token-stdin")
	mustRun(integ.ClientSecret+"\n",
		"profiles", "--config-dir", dir, "add", "Client credentials demo", "--login-url", d.MyDomainURL, "--my-domain-url", d.MyDomainURL,
		"--client-id", integ.ClientID, "--flow", "client-credentials", "--client-secret-stdin")
	mustRun(integ.JWTPrivateKey,
		"profiles", "--config-dir", dir, "add", "JWT demo", "--login-url", d.BaseURL, "--client-id", integ.ClientID,
		"--flow", "jwt-bearer", "--username", integ.JWTUsername, "--private-key-stdin")

	for _, name := range []string{"Password demo", "Client credentials demo", "JWT demo"} {
		r := mustRun("", "run", "--profile", name, "--config-dir", dir, "--json")
		var got struct {
			OK    bool           `json:"ok"`
			Token map[string]any `json:"token"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || !got.OK || got.Token["access_token"] == nil {
			t.Fatalf("run --profile %q: ok=%v err=%v\n%s", name, got.OK, err, r.stdout)
		}
		mustRun("", "run", "--profile", name, "--config-dir", dir) // human output, transcript included
	}
	mustRun("", "profiles", "--config-dir", dir, "list", "--json")
	for _, name := range []string{"Password demo", "Client credentials demo", "JWT demo"} {
		mustRun("", "profiles", "--config-dir", dir, "show", name, "--json")
	}
	export := filepath.Join(t.TempDir(), "export.json")
	mustRun("", "profiles", "--config-dir", dir, "export", "--out", export)

	// Everything on disk: the config dir and the export.
	var disk bytes.Buffer
	for _, root := range []string{dir, export} {
		filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				b, _ := os.ReadFile(path)
				disk.Write(b)
				if info.Mode().Perm()&0o077 != 0 && strings.HasSuffix(path, ".json") && root == dir {
					t.Errorf("%s has mode %v; want no group/other access", path, info.Mode().Perm())
				}
			}
			return nil
		})
	}
	if disk.Len() == 0 {
		t.Fatal("nothing written to the config dir")
	}
	secrets := map[string]string{
		"web client secret": web.ClientSecret, "integration client secret": integ.ClientSecret,
		"password": user.Password, "security token": user.SecurityToken,
		"password+token": user.Password + user.SecurityToken,
	}
	// Every line of the private key's base64 body counts as the key.
	for i, line := range strings.Split(integ.JWTPrivateKey, "\n") {
		if len(line) > 40 && !strings.HasPrefix(line, "-----") {
			secrets["private key line "+string(rune('a'+i%26))] = line
		}
	}
	for what, v := range secrets {
		if strings.Contains(disk.String(), v) {
			t.Errorf("the %s reached a file on disk", what)
		}
		if strings.Contains(outputs.String(), v) {
			t.Errorf("the %s reached the program's output (a transcript or a listing)", what)
		}
	}
	// Access and refresh tokens appear only as prefix…suffix unless --show-tokens.
	full := regexp.MustCompile(`00D[0-9A-Za-z]{12}![0-9A-Za-z._-]{30,}|5Aep[0-9A-Za-z._-]{30,}`)
	if m := full.FindString(outputs.String() + disk.String()); m != "" {
		t.Errorf("an unredacted token reached the output or disk: %.12s…", m)
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.json")); err != nil {
		t.Errorf("profiles.json: %v", err)
	}
	_ = store.ServiceName
}

// TestFailurePathsLeakNoSecret drives the failure paths of bad input (files, stdin, flags, an
// unsafe config folder) with real secrets in play, and scans every output for each secret.
func TestFailurePathsLeakNoSecret(t *testing.T) {
	scanKeychain(t)
	org := sfemutest.Start(t)
	d := org.Desc
	user := d.Users[0]
	web, integ := org.App(t, "Web App"), org.App(t, "Integration App")
	dir := filepath.Join(t.TempDir(), "cfg")
	var outputs bytes.Buffer
	run := func(stdin string, args ...string) int { return scannedMain(&outputs, stdin, args...).code }
	if c := run(web.ClientSecret+"\n"+user.Password+"\n"+user.SecurityToken+"\n",
		"profiles", "--config-dir", dir, "add", "pw", "--login-url", d.BaseURL, "--client-id", web.ClientID,
		"--flow", "username-password", "--username", user.Username,
		"--client-secret-stdin", "--password-stdin", "--security-token-stdin"); c != 0 {
		t.Fatalf("add: exit %d\n%s", c, outputs.String())
	}
	t.Cleanup(func() { run("", "profiles", "--config-dir", dir, "rm", "pw") }) // its secrets may be in the real keychain
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(keyFile, []byte(integ.JWTPrivateKey), 0o600)
	long := strings.Repeat("A", 70<<10)
	pwFlags := []string{"run", "--flow", "username-password", "--login-url", d.BaseURL, "--client-id", web.ClientID, "--username", user.Username}
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"run", "--profile", "pw", "--config-dir", dir, "--request-timeout", "-1s"}},
		{"", []string{"run", "--profile", "pw", "--config-dir", dir, "--flow", "implicit"}},
		{"", []string{"run", "--profile", "pw", "--config-dir", dir, "--login-url", "https://admin:" + user.Password + "@login.salesforce.com"}},
		{"", []string{"run", "--profile", "pw", "--config-dir", dir, "--proxy", "http://u:" + user.Password + "@[::1"}},
		{"", []string{"run", "--flow", "jwt-bearer", "--login-url", d.BaseURL, "--client-id", integ.ClientID, "--username", integ.JWTUsername, "--jwt-key", "/dev/zero"}},
		{"", []string{"run", "--flow", "jwt-bearer", "--login-url", d.BaseURL, "--client-id", integ.ClientID, "--username", integ.JWTUsername, "--jwt-key", filepath.Dir(keyFile)}},
		{"client_secret=" + web.ClientSecret + long + "\n", append(pwFlags, "--secrets-stdin")},
		{web.ClientSecret + "\n", append(pwFlags, "--secrets-stdin")},
		{"password\x1b=" + user.Password + "\n", append(pwFlags, "--secrets-stdin")},
		{web.ClientSecret + long + "\n", []string{"profiles", "--config-dir", dir, "add", "pw2", "--client-secret-stdin"}},
		{integ.JWTPrivateKey + long, []string{"profiles", "--config-dir", dir, "add", "pw3", "--private-key-stdin"}},
		{user.Password + long + "\n", []string{"app", "read", "--instance-url", d.MyDomainURL, "--access-token-stdin", "--name", "X"}},
		{`{"connectedapplab_export":1,"profiles":[{"name":"pw","login_url":"` + d.BaseURL + `","client_secret":"` + web.ClientSecret + `"}]}`,
			[]string{"profiles", "--config-dir", dir, "import", "-"}},
	} {
		if code := run(c.stdin, c.args...); code == 0 {
			t.Errorf("%q: exit 0, want a failure", c.args)
		}
	}
	if runtime.GOOS != "windows" {
		os.Chmod(dir, 0o777)
		for _, args := range [][]string{{"run", "--profile", "pw", "--config-dir", dir}, {"profiles", "--config-dir", dir, "show", "pw"}} {
			if code := run("", args...); code != ExitFailed {
				t.Errorf("%q in an unsafe folder: exit %d", args, code)
			}
		}
		os.Chmod(dir, 0o700)
	}
	secrets := map[string]string{"web client secret": web.ClientSecret, "password": user.Password, "security token": user.SecurityToken}
	for i, line := range strings.Split(integ.JWTPrivateKey, "\n") {
		if len(line) > 40 && !strings.HasPrefix(line, "-----") {
			secrets[fmt.Sprintf("private key line %d", i)] = line
		}
	}
	for what, v := range secrets {
		if strings.Contains(outputs.String(), v) {
			t.Errorf("the %s reached the output of a failing command", what)
		}
	}
	if strings.Contains(outputs.String(), long[:64]) {
		t.Error("an oversized stdin line was echoed")
	}
}
