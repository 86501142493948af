package store

// Integration tests against a real Secret Service. The test command starts one:
//
//	HOME=$(mktemp -d) dbus-run-session -- sh -c 'printf %s ci-password |
//	  gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//	  CONNECTEDAPPLAB_KEYRING=system go test -race -run Keyring ./store'
//
// CONNECTEDAPPLAB_KEYRING=system means "a real, unlocked Secret Service is up". Without it the
// real-keyring test skips, except under CI=true, where it fails: CI must run it.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const keyringEnv = "CONNECTEDAPPLAB_KEYRING"

func requireSystemKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv(keyringEnv) != "system" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not \"system\": run the store tests under dbus-run-session with gnome-keyring unlocked (see keyring_integration_test.go)", keyringEnv)
		}
		t.Skipf("set %s=system inside dbus-run-session with an unlocked gnome-keyring to test the real Secret Service", keyringEnv)
	}
}

func TestKeyringSystemSecretService(t *testing.T) {
	requireSystemKeyring(t)
	// go-keyring's mock (keyring.MockInit, used by the unit tests) replaces the provider for the
	// whole process and cannot be undone, so the real checks run in a fresh child process.
	if os.Getenv("STORE_KEYRING_REAL_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeyringSystemSecretService$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "STORE_KEYRING_REAL_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestKeyringSystemSecretService") {
			t.Fatalf("real Secret Service checks failed: %v\n%s", err, out)
		}
		return
	}
	service := fmt.Sprintf("connectedapplab-test-%d", time.Now().UnixNano())
	kc := systemKeychain{service: service, timeout: 30 * time.Second}
	if err := ProbeKeychain(kc); err != nil {
		t.Fatalf("%s=system but the Secret Service does not answer: %v", keyringEnv, err)
	}
	if err := ProbeKeychain(SystemKeychain()); err != nil {
		t.Fatalf("SystemKeychain: %v", err)
	}

	// Raw round trip, including non-ASCII and a multi-line PEM.
	pem := "-----BEGIN PRIVATE KEY-----\nMIIEv" + strings.Repeat("QwErTy", 200) + "\n-----END PRIVATE KEY-----\n"
	for _, v := range []string{"s3cr3t-ü", pem} {
		if err := kc.Set("p_raw:x", v); err != nil {
			t.Fatal(err)
		}
		if got, err := kc.Get("p_raw:x"); err != nil || got != v {
			t.Fatalf("Get = %q, %v", got, err)
		}
	}
	if err := kc.Delete("p_raw:x"); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get("p_raw:x"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := kc.Delete("p_raw:x"); err != nil {
		t.Fatalf("Delete of a missing secret: %v", err)
	}

	// Through the Store, across two Stores (two windows) over the same directory.
	dir := t.TempDir()
	s1, err := Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	p := sample("Prod")
	p.RememberRefreshToken = true
	p, err = s1.Add(p)
	if err != nil {
		t.Fatal(err)
	}
	want := Secrets{ClientSecret: "CS-REAL-1", Password: "PW-REAL-2", SecurityToken: "ST-REAL-3",
		KeyPassphrase: "KP-REAL-4", PrivateKeyPEM: pem, RefreshToken: "RT-REAL-5"}
	if err := s1.SetSecrets(p, want); err != nil {
		t.Fatal(err)
	}
	s2, _ := Open(dir, kc)
	p2, err := s2.Get("prod")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Secrets(p2)
	if err != nil || got != want {
		t.Fatalf("Secrets = %v, %v", got, err)
	}
	if path, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(path, "lookup", "service", service, "username", Account(p.ID, SecretClientSecret)).Output()
		if err != nil || string(out) != "CS-REAL-1" {
			t.Fatalf("secret-tool lookup = %q, %v", out, err)
		}
	}
	// Nothing secret on disk.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		assertNoSecret(t, e.Name(), data, want)
	}
	// Deleting the profile deletes every secret of it.
	if err := s2.Delete("Prod"); err != nil {
		t.Fatal(err)
	}
	for _, k := range SecretKinds {
		if _, err := kc.Get(Account(p.ID, k)); !errors.Is(err, ErrSecretNotFound) {
			t.Errorf("%s left in the keychain after Delete: %v", k, err)
		}
	}
}

// TestKeyringHelperProcess is the child of the no-Secret-Service tests: a fresh process, since
// godbus keeps its session bus connection for the life of a process.
func TestKeyringHelperProcess(t *testing.T) {
	if os.Getenv("STORE_KEYRING_HELPER") != "1" {
		t.Skip("helper process only")
	}
	err := ProbeKeychain(systemKeychain{service: "connectedapplab-test", timeout: 20 * time.Second})
	fmt.Printf("UNAVAILABLE=%v\nMESSAGE=%v\n", errors.Is(err, ErrKeychainUnavailable), err)
}

func runKeyringHelper(t *testing.T, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeyringHelperProcess$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "PATH=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append(env, "STORE_KEYRING_HELPER=1")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	return string(out)
}

func TestKeyringNoSessionBusSaysWhatToInstall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's keychain")
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("a per-user session bus socket exists; godbus would find it")
	}
	// No DBUS_SESSION_BUS_ADDRESS and no dbus-launch on PATH: go-keyring fails with
	// exec: "dbus-launch": executable file not found.
	out := runKeyringHelper(t, "PATH="+t.TempDir())
	if !strings.Contains(out, "UNAVAILABLE=true") || !strings.Contains(out, "no Secret Service: install gnome-keyring (or KeePassXC)") ||
		!strings.Contains(out, "--memory-secrets") || !strings.Contains(out, "dbus-launch") {
		t.Fatalf("helper output:\n%s", out)
	}
}

func TestKeyringBusWithoutSecretServiceSaysWhatToInstall(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is Linux's keychain")
	}
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv(keyringEnv) == "system" {
			t.Fatalf("dbus-daemon not found though %s=system", keyringEnv)
		}
		t.Skip("dbus-daemon is not installed")
	}
	// A private session bus with no service files: nobody provides org.freedesktop.secrets.
	dir := t.TempDir()
	sock := filepath.Join(dir, "bus")
	conf := filepath.Join(dir, "bus.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+sock+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if i > 200 {
			t.Fatal("private dbus-daemon did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := runKeyringHelper(t, "DBUS_SESSION_BUS_ADDRESS=unix:path="+sock, "PATH="+os.Getenv("PATH"))
	if !strings.Contains(out, "UNAVAILABLE=true") || !strings.Contains(out, "no Secret Service: install gnome-keyring") {
		t.Fatalf("helper output:\n%s", out)
	}
}

func TestKeyringLockedLoginKeyringSaysUnlock(t *testing.T) {
	requireSystemKeyring(t)
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s=system but %s is not on PATH: %v", keyringEnv, tool, err)
		}
	}
	// Session one creates a login keyring with one password; session two unlocks it with
	// another, so the keyring stays locked (the GTK prompter cannot open a display).
	home := t.TempDir()
	session := func(password string, probe bool) string {
		script := "printf %s '" + password + "' | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
		if probe {
			script += "; '" + os.Args[0] + "' -test.run '^TestKeyringHelperProcess$' -test.count=1 -test.v"
		}
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script)
		// No display: with one (the test command runs under Xvfb) gnome-keyring would show
		// its unlock prompter and wait for a person instead of failing.
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "HOME="+home, "STORE_KEYRING_HELPER=1", "XDG_DATA_HOME=", "XDG_RUNTIME_DIR=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("dbus-run-session: %v\n%s", err, out)
		}
		return string(out)
	}
	session("right-password", false)
	out := session("wrong-password", true)
	if !strings.Contains(out, "UNAVAILABLE=true") || !strings.Contains(out, "unlock your login keyring") {
		t.Fatalf("helper output:\n%s", out)
	}
}
