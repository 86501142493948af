package cli

import (
	"bufio"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
	"github.com/connectedapplab/connectedapplab/store"
)

// Limits of what the commands accept from flags and stdin.
const (
	maxRequestTimeout = 10 * time.Minute // one HTTP request
	maxListenTimeout  = time.Hour        // waiting for the browser or the device's user
	maxSecretLine     = 64 << 10         // one secret (or KEY=VALUE line) on stdin
	maxSecretLines    = 64               // lines of --secrets-stdin
)

// checkDuration refuses a timeout that is zero, negative or beyond max.
func checkDuration(flag string, d, max time.Duration) error {
	if d <= 0 || d > max {
		return fmt.Errorf("%s %s is out of range; use a duration from 1s to %s, such as 30s or 2m", flag, d, shortDuration(max))
	}
	return nil
}

func shortDuration(d time.Duration) string {
	s := d.String() // 10m0s, 1h0m0s
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// checkURLFlag checks the shape of a URL flag (empty is fine: the flag was not given): one of
// the schemes, a host, no user or password in it. Which hosts may use http is flows' rule.
func checkURLFlag(flag, raw string, schemes ...string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	want := strings.Join(schemes, "://, ") + "://"
	raw = hideUserinfo(raw)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may hold a password
		}
		return fmt.Errorf("%s %q is not a URL (%v); give a URL such as %s", flag, raw, err, example(flag))
	case !slices.Contains(schemes, strings.ToLower(u.Scheme)):
		return fmt.Errorf("%s %q must start with %s; give a URL such as %s", flag, raw, want, example(flag))
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%s %q has no host; give a URL such as %s", flag, raw, example(flag))
	case u.User != nil && flag != "--proxy":
		return fmt.Errorf("%s %q holds a user name or password; remove it (the flow sends credentials itself)", flag, raw)
	}
	return nil
}

// hideUserinfo replaces what may be a user name and password in a URL (between :// and @)
// before the URL is printed.
func hideUserinfo(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest = raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	return raw[:len(raw)-len(rest)] + "xxxxx" + rest[at:]
}

func example(flag string) string {
	switch flag {
	case "--callback-url":
		return "http://localhost:1717/OauthRedirect"
	case "--proxy":
		return "http://proxy.example.com:3128"
	case "--instance-url", "--my-domain-url":
		return "https://mycompany.my.salesforce.com"
	}
	return "https://login.salesforce.com"
}

// scanError turns a bufio.Scanner error into one line saying what was too long, the limit and
// what to do; nil stays nil.
func scanError(err error, what, where string, limit int, todo string) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("%s: %s of stdin is longer than %s; %s", what, where, userfile.Size(int64(limit)), todo)
	}
	if err != nil {
		return fmt.Errorf("%s: reading stdin: %v", what, err)
	}
	return nil
}

// exitCode is the exit status for err: ExitFailed when the keychain, a lock or the config
// folder failed (the command's input was fine), ExitUsage when the input was wrong (an unknown profile, a taken name,
// an invalid profile or import, an unusable file), else def.
func exitCode(err error, def int) int {
	var uf *userfile.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, store.ErrKeychainUnavailable), errors.Is(err, store.ErrLocked), errors.Is(err, store.ErrUnsafeConfig):
		return ExitFailed
	case errors.Is(err, store.ErrProfileNotFound), errors.Is(err, store.ErrNameTaken), errors.Is(err, store.ErrInvalidProfile),
		errors.Is(err, store.ErrInvalidImport), errors.As(err, &uf):
		return ExitUsage
	}
	return def
}
