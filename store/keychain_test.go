package store

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestKeyringErrorClassification(t *testing.T) {
	exitErr := func(code int) error {
		err := exec.Command("sh", "-c", fmt.Sprintf("exit %d", code)).Run()
		if err == nil {
			t.Fatal("sh exit")
		}
		return err
	}
	cases := []struct {
		what, goos string
		err        error
		want       []string // substrings; "" entries ignored
		available  bool     // not an ErrKeychainUnavailable
	}{
		{"no session bus", "linux", errors.New(`exec: "dbus-launch": executable file not found in $PATH`),
			[]string{"no Secret Service", "install gnome-keyring (or KeePassXC)", "--memory-secrets"}, false},
		{"no session bus (autolaunch disabled)", "linux", errors.New("dbus: invalid bus address (invalid or unsupported transport)"),
			[]string{"no Secret Service", "no D-Bus session bus", "dbus-run-session", "--memory-secrets"}, false},
		{"no secret service on the bus", "linux", errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
			[]string{"no Secret Service", "install gnome-keyring"}, false},
		{"locked collection", "linux", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
			[]string{"locked", "unlock your login keyring", "--memory-secrets"}, false},
		{"unknown linux error", "linux", errors.New("something odd"), []string{"did not answer", "--memory-secrets"}, false},
		{"mac locked", "darwin", exitErr(36), []string{"locked", "unlock your login keychain"}, false},
		{"mac denied", "darwin", exitErr(51), []string{"denied", "allow connectedapplab"}, false},
		{"mac canceled", "darwin", exitErr(128), []string{"denied"}, false},
		{"windows no logon session", "windows", syscall.Errno(1312), []string{"Credential Manager", "logged-in"}, false},
		{"unsupported platform", "plan9", keyring.ErrUnsupportedPlatform, []string{"no supported keychain", "--memory-secrets"}, false},
		{"not found", "linux", keyring.ErrNotFound, []string{"not found"}, true},
		{"too big", "darwin", keyring.ErrSetDataTooBig, []string{"key file path"}, true},
	}
	for _, c := range cases {
		err := classifyKeychainError(c.goos, "set", c.err)
		if errors.Is(err, ErrKeychainUnavailable) == c.available {
			t.Errorf("%s: errors.Is(ErrKeychainUnavailable) = %v", c.what, !c.available)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.what, err, w)
			}
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error %q", c.what, err)
		}
	}
	if classifyKeychainError("linux", "get", nil) != nil {
		t.Error("nil error classified")
	}
	if err := classifyKeychainError("linux", "get", keyring.ErrNotFound); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("not found: %v", err)
	}
	if err := classifyKeychainError("darwin", "set", keyring.ErrSetDataTooBig); !errors.Is(err, ErrSecretTooBig) {
		t.Errorf("too big: %v", err)
	}
	// The underlying error stays reachable.
	under := errors.New(`exec: "dbus-launch": executable file not found in $PATH`)
	if err := classifyKeychainError("linux", "get", under); !errors.Is(err, under) {
		t.Error("underlying error not wrapped")
	}
}

func TestKeyringMockThroughSystemKeychain(t *testing.T) {
	keyring.MockInit()
	kc := SystemKeychain()
	if _, err := kc.Get("p_x:client_secret"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if err := kc.Set("p_x:client_secret", "s3cr3t-ü"); err != nil {
		t.Fatal(err)
	}
	if v, err := kc.Get("p_x:client_secret"); err != nil || v != "s3cr3t-ü" {
		t.Fatalf("Get = %q %v", v, err)
	}
	if err := kc.Delete("p_x:client_secret"); err != nil {
		t.Fatal(err)
	}
	if err := kc.Delete("p_x:client_secret"); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	keyring.MockInitWithError(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"))
	defer keyring.MockInit()
	if err := kc.Set("a", "b"); !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("locked: %v", err)
	}
}

func TestKeyringSecretsRedacted(t *testing.T) {
	s := Secrets{ClientSecret: "AAA", RefreshToken: "BBB"}
	for _, out := range []string{s.String(), fmt.Sprintf("%v|%+v|%#v|%s", s, s, s, s), fmt.Sprint(&s)} {
		if strings.Contains(out, "AAA") || strings.Contains(out, "BBB") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if got := fmt.Sprint(s); got != "store.Secrets{client_secret=[redacted] refresh_token=[redacted]}" {
		t.Errorf("String = %s", got)
	}
	var empty Secrets
	if empty.String() != "store.Secrets{}" || len(empty.Kinds()) != 0 {
		t.Errorf("empty: %s", empty)
	}
	for _, k := range SecretKinds {
		var x Secrets
		x.Set(k, "v")
		if x.Get(k) != "v" || len(x.Kinds()) != 1 || x.Kinds()[0] != k || k.Label() == "" {
			t.Errorf("kind %s does not round trip", k)
		}
	}
	if Account("p_1", SecretPassword) != "p_1:password" {
		t.Error("account format")
	}
}
