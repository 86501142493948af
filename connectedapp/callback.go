package connectedapp

import (
	"net/url"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/loopback"
)

// CallbackDiff names how a redirect URI differs from the nearest configured callback URL.
type CallbackDiff string

const (
	DiffNone          CallbackDiff = ""               // exact match
	DiffScheme        CallbackDiff = "scheme"         // http vs https, or custom scheme
	DiffLoopbackHost  CallbackDiff = "loopback-host"  // localhost vs 127.0.0.1 vs [::1]
	DiffHost          CallbackDiff = "host"           // another host
	DiffPort          CallbackDiff = "port"           // same host, other port
	DiffTrailingSlash CallbackDiff = "trailing-slash" // path differs only by a final "/"
	DiffPath          CallbackDiff = "path"           // another path
	DiffQuery         CallbackDiff = "query"          // query string differs
	DiffSpelling      CallbackDiff = "spelling"       // same URL written differently (case, default port, escapes)
	DiffNoCallbacks   CallbackDiff = "no-callbacks"   // the app has no callback URL
	DiffUnparsable    CallbackDiff = "unparsable"     // the redirect URI is not a URL
)

// CallbackMatch is the result of comparing a redirect URI with an app's callback URLs.
type CallbackMatch struct {
	Exact   bool
	Nearest string         // the configured URL closest to the redirect URI
	Diffs   []CallbackDiff // how the redirect URI differs from Nearest, most telling first
}

// MatchCallback compares redirectURI with the configured callback URLs the way Salesforce
// does (exact string match: scheme, host, port and path, trailing slash included, §8.3) and,
// when nothing matches, says how the nearest URL differs.
func MatchCallback(configured []string, redirectURI string) CallbackMatch {
	var list []string
	for _, c := range configured {
		for _, line := range strings.Split(c, "\n") {
			if l := strings.TrimSpace(line); l != "" {
				list = append(list, l)
			}
		}
	}
	for _, c := range list {
		if c == redirectURI {
			return CallbackMatch{Exact: true, Nearest: c}
		}
	}
	if len(list) == 0 {
		return CallbackMatch{Diffs: []CallbackDiff{DiffNoCallbacks}}
	}
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" {
		return CallbackMatch{Nearest: list[0], Diffs: []CallbackDiff{DiffUnparsable}}
	}
	best, bestScore := CallbackMatch{}, 1<<30
	for _, c := range list {
		cu, err := url.Parse(c)
		if err != nil {
			continue
		}
		diffs, score := diffURL(cu, u)
		if score < bestScore {
			best, bestScore = CallbackMatch{Nearest: c, Diffs: diffs}, score
		}
	}
	if best.Nearest == "" {
		best = CallbackMatch{Nearest: list[0], Diffs: []CallbackDiff{DiffHost}}
	}
	return best
}

// diffURL lists how got differs from want; the score ranks candidates (smaller is nearer).
func diffURL(want, got *url.URL) ([]CallbackDiff, int) {
	var diffs []CallbackDiff
	score := 0
	wHost, wPort := hostPort(want)
	gHost, gPort := hostPort(got)
	if !strings.EqualFold(want.Scheme, got.Scheme) {
		diffs = append(diffs, DiffScheme)
		score += 3
	}
	switch {
	case strings.EqualFold(wHost, gHost):
	case isLoopbackHost(wHost) && isLoopbackHost(gHost):
		diffs = append(diffs, DiffLoopbackHost)
		score += 2
	default:
		diffs = append(diffs, DiffHost)
		score += 20
	}
	samePort := wPort == gPort
	if !strings.EqualFold(want.Scheme, got.Scheme) {
		samePort = want.Port() == got.Port() // a scheme change already changes the default port
	}
	if !samePort {
		diffs = append(diffs, DiffPort)
		score += 2
	}
	wp, gp := want.EscapedPath(), got.EscapedPath()
	switch {
	case wp == gp:
	case strings.TrimSuffix(wp, "/") == strings.TrimSuffix(gp, "/"):
		diffs = append(diffs, DiffTrailingSlash)
		score++
	case strings.EqualFold(wp, gp):
		diffs = append(diffs, DiffPath)
		score += 2
	default:
		diffs = append(diffs, DiffPath)
		score += 5
	}
	if want.RawQuery != got.RawQuery {
		diffs = append(diffs, DiffQuery)
		score++
	}
	if len(diffs) == 0 {
		diffs = append(diffs, DiffSpelling)
		score++
	}
	return diffs, score
}

func hostPort(u *url.URL) (string, string) {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return host, port
}

// isLoopbackHost is the repository's one loopback rule (internal/loopback).
var isLoopbackHost = loopback.IsLoopbackHost
