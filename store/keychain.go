package store

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zalando/go-keyring"
)

// Keychain holds secrets by account name. Get returns an error wrapping ErrSecretNotFound
// for a missing account; Delete of a missing account is not an error. Errors other than those
// wrap ErrKeychainUnavailable (or ErrSecretTooBig for Set).
type Keychain interface {
	Get(account string) (string, error)
	Set(account, secret string) error
	Delete(account string) error
}

// ServiceName is the one keychain service every secret of Connected App Lab is filed under.
const ServiceName = "connectedapplab"

var (
	// ErrKeychainUnavailable is wrapped by every error that means the OS keychain cannot be
	// used right now (no Secret Service, locked, a denied prompt). The caller may then offer
	// MemoryKeychain, never a plaintext file.
	ErrKeychainUnavailable = errors.New("keychain unavailable")
	// ErrSecretNotFound means the keychain has no secret for the account.
	ErrSecretNotFound = errors.New("secret not found in keychain")
	// ErrSecretTooBig means the keychain refused a secret for its size.
	ErrSecretTooBig = errors.New("secret too big for the keychain")
)

// MemoryNotice is what to tell the user when they choose MemoryKeychain.
const MemoryNotice = "secrets are kept in memory for this run only and will be forgotten when Connected App Lab exits; nothing is written to disk"

// KeychainError is a keychain failure with what to do about it.
type KeychainError struct {
	Op     string // get, set, delete
	Reason string // what is wrong, for a person
	Hint   string // what to do
	Err    error  // the underlying error
}

func (e *KeychainError) Error() string {
	msg := "keychain unavailable: " + e.Reason + ": " + e.Hint
	if e.Err != nil {
		msg += " (" + oneLine(e.Err.Error()) + ")"
	}
	return msg
}

func (e *KeychainError) Is(target error) bool { return target == ErrKeychainUnavailable }
func (e *KeychainError) Unwrap() error        { return e.Err }

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

const memoryHint = "or run with --memory-secrets to keep secrets in memory for this run"

// classifyKeychainError maps a go-keyring error to ErrSecretNotFound, ErrSecretTooBig or a
// *KeychainError with a hint fitting goos. It is a pure function so every branch is tested.
func classifyKeychainError(goos, op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) || errors.Is(err, ErrSecretNotFound) {
		return ErrSecretNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return kindErrorf(ErrSecretTooBig, "the secret is too big for the OS keychain; keep a JWT private key in a file and set the profile's key file path instead")
	}
	var ke *KeychainError
	if errors.As(err, &ke) {
		return err
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	e := &KeychainError{Op: op, Err: err}
	switch {
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		e.Reason = "this platform (" + goos + ") has no supported keychain"
		e.Hint = "run with --memory-secrets to keep secrets in memory for this run"
		e.Err = nil
	case goos == "darwin":
		var xe *exec.ExitError
		code := -1
		if errors.As(err, &xe) {
			code = xe.ExitCode()
		}
		switch {
		case code == 36 || strings.Contains(low, "interaction is not allowed"): // errSecInteractionNotAllowed
			e.Reason = "the login keychain is locked"
			e.Hint = "unlock your login keychain (Keychain Access, or `security unlock-keychain`), " + memoryHint
		case code == 51 || code == 128 || strings.Contains(low, "canceled") || strings.Contains(low, "cancelled"): // errSecAuthFailed, errSecUserCanceled
			e.Reason = "access to the login keychain was denied"
			e.Hint = "allow connectedapplab when macOS asks for keychain access, " + memoryHint
		case errors.Is(err, exec.ErrNotFound) || strings.Contains(low, "no such file"):
			e.Reason = "/usr/bin/security was not found"
			e.Hint = "run on a standard macOS install, " + memoryHint
		default:
			e.Reason = "the macOS keychain did not answer"
			e.Hint = "unlock your login keychain, " + memoryHint
		}
	case goos == "windows":
		var errno syscall.Errno
		if errors.As(err, &errno) && (errno == 1312 || errno == 1326 || errno == 5) { // ERROR_NO_SUCH_LOGON_SESSION, ERROR_LOGON_FAILURE, ERROR_ACCESS_DENIED
			e.Reason = "Windows Credential Manager is not available in this session"
			e.Hint = "run from an interactive logged-in user session, " + memoryHint
		} else {
			e.Reason = "Windows Credential Manager did not answer"
			e.Hint = "run from an interactive logged-in user session, " + memoryHint
		}
	default: // Linux and the BSDs: Secret Service over D-Bus
		switch {
		case strings.Contains(low, "invalid bus address"):
			// internal/early sets DBUS_SESSION_BUS_ADDRESS=disabled: when there is no session bus,
			// so that nothing autolaunches a dbus-daemon that outlives the app.
			e.Reason = "no Secret Service: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)"
			e.Hint = "run in a desktop session, or inside `dbus-run-session` with gnome-keyring unlocked, " + memoryHint
		case strings.Contains(low, "failed to unlock") || strings.Contains(low, "islocked") ||
			strings.Contains(low, "is locked") || strings.Contains(low, "dismissed"):
			e.Reason = "the login keyring is locked or its unlock prompt was dismissed"
			e.Hint = "unlock your login keyring (log in to the desktop session, or run `gnome-keyring-daemon --unlock`), " + memoryHint
		case strings.Contains(low, "dbus-launch") || errors.Is(err, exec.ErrNotFound) ||
			strings.Contains(low, "serviceunknown") || strings.Contains(low, "not provided by any .service") ||
			strings.Contains(low, "dbus_session_bus_address") || strings.Contains(low, "session bus") ||
			strings.Contains(low, "dial unix") || strings.Contains(low, "connection refused") ||
			strings.Contains(low, "no such file or directory") || strings.Contains(low, "x11"):
			e.Reason = "no Secret Service"
			e.Hint = "install gnome-keyring (or KeePassXC) and log in to a desktop session, " + memoryHint
		case strings.Contains(low, "accessdenied") || strings.Contains(low, "not allowed") || strings.Contains(low, "denied"):
			e.Reason = "the Secret Service denied access"
			e.Hint = "allow connectedapplab in your keyring's prompt, " + memoryHint
		default:
			e.Reason = "the Secret Service did not answer"
			e.Hint = "check that gnome-keyring (or KeePassXC) is running and unlocked, " + memoryHint
		}
	}
	return e
}

// SystemKeychain returns the OS keychain (macOS Keychain, Windows Credential Manager, the
// Secret Service on Linux) through go-keyring, under ServiceName.
func SystemKeychain() Keychain { return systemKeychain{service: ServiceName, timeout: 2 * time.Minute} }

type systemKeychain struct {
	service string
	timeout time.Duration // 0: none
}

// call runs f with a timeout: a keychain prompt nobody answers must not hang the app forever.
func (k systemKeychain) call(op string, f func() (string, error)) (string, error) {
	if k.timeout <= 0 {
		s, err := f()
		return s, classifyKeychainError(runtime.GOOS, op, err)
	}
	type res struct {
		s   string
		err error
	}
	ch := make(chan res, 1)
	go func() {
		s, err := f()
		ch <- res{s, err}
	}()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.s, classifyKeychainError(runtime.GOOS, op, r.err)
	case <-t.C:
		return "", &KeychainError{Op: op, Reason: fmt.Sprintf("the keychain did not answer within %s", k.timeout),
			Hint: "answer or unlock the keychain prompt if one is open, " + memoryHint}
	}
}

func (k systemKeychain) Get(account string) (string, error) {
	return k.call("get", func() (string, error) { return keyring.Get(k.service, account) })
}

func (k systemKeychain) Set(account, secret string) error {
	_, err := k.call("set", func() (string, error) { return "", keyring.Set(k.service, account, secret) })
	return err
}

func (k systemKeychain) Delete(account string) error {
	_, err := k.call("delete", func() (string, error) { return "", keyring.Delete(k.service, account) })
	if errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	return err
}

// MemoryKeychain returns a keychain that keeps secrets in this process's memory only: the
// user's explicit choice when the OS keychain is unavailable. Show them MemoryNotice.
func MemoryKeychain() Keychain { return &memoryKeychain{m: map[string]string{}} }

type memoryKeychain struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memoryKeychain) Get(account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.m[account]
	if !ok {
		return "", ErrSecretNotFound
	}
	return s, nil
}

func (k *memoryKeychain) Set(account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[account] = secret
	return nil
}

func (k *memoryKeychain) Delete(account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, account)
	return nil
}

// IsMemoryKeychain reports whether kc is a MemoryKeychain.
func IsMemoryKeychain(kc Keychain) bool { _, ok := kc.(*memoryKeychain); return ok }

// ProbeKeychain checks that kc answers (a lookup of an account that does not exist), so a UI
// can offer the in-memory choice before the user types a secret.
func ProbeKeychain(kc Keychain) error {
	_, err := kc.Get("probe:availability")
	if err == nil || errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	return err
}

// SecretKind names one kind of secret a profile may have.
type SecretKind string

const (
	SecretClientSecret  SecretKind = "client_secret"
	SecretPassword      SecretKind = "password"
	SecretSecurityToken SecretKind = "security_token"
	SecretKeyPassphrase SecretKind = "key_passphrase"
	SecretRefreshToken  SecretKind = "refresh_token" // stored only when the profile opts in
	SecretPrivateKey    SecretKind = "private_key"   // a JWT private key held in the keychain (PEM)
)

// SecretKinds lists every kind, in display order.
var SecretKinds = []SecretKind{SecretClientSecret, SecretPassword, SecretSecurityToken, SecretKeyPassphrase, SecretPrivateKey, SecretRefreshToken}

// Label is the kind's human name ("client secret").
func (k SecretKind) Label() string {
	switch k {
	case SecretKeyPassphrase:
		return "private key passphrase"
	case SecretPrivateKey:
		return "JWT private key"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// Account is the keychain account of one secret of a profile: "<profile ID>:<kind>".
func Account(profileID string, kind SecretKind) string { return profileID + ":" + string(kind) }

// Secrets are a profile's secrets. Their String, GoString and JSON forms are redacted, so
// printing or logging a Secrets by mistake shows which are set, never their values.
type Secrets struct {
	ClientSecret  string
	Password      string
	SecurityToken string
	KeyPassphrase string
	PrivateKeyPEM string
	RefreshToken  string
}

// Get returns the secret of one kind.
func (s *Secrets) Get(k SecretKind) string {
	if p := s.field(k); p != nil {
		return *p
	}
	return ""
}

// Set sets the secret of one kind.
func (s *Secrets) Set(k SecretKind, v string) {
	if p := s.field(k); p != nil {
		*p = v
	}
}

func (s *Secrets) field(k SecretKind) *string {
	switch k {
	case SecretClientSecret:
		return &s.ClientSecret
	case SecretPassword:
		return &s.Password
	case SecretSecurityToken:
		return &s.SecurityToken
	case SecretKeyPassphrase:
		return &s.KeyPassphrase
	case SecretPrivateKey:
		return &s.PrivateKeyPEM
	case SecretRefreshToken:
		return &s.RefreshToken
	}
	return nil
}

// Kinds lists the kinds that are set.
func (s Secrets) Kinds() []SecretKind {
	var out []SecretKind
	for _, k := range SecretKinds {
		if s.Get(k) != "" {
			out = append(out, k)
		}
	}
	return out
}

// String shows which secrets are set, never their values.
func (s Secrets) String() string {
	names := []string{}
	for _, k := range s.Kinds() {
		names = append(names, string(k)+"=[redacted]")
	}
	sort.Strings(names)
	return "store.Secrets{" + strings.Join(names, " ") + "}"
}

// GoString is String, so %#v redacts too.
func (s Secrets) GoString() string { return s.String() }

// MarshalJSON shows which secrets are set, never their values.
func (s Secrets) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range s.Kinds() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:\"[redacted]\"", string(k))
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
