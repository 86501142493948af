package guidance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// humanDuration renders a duration as people say it: "2 hours", "1 hour 30 minutes",
// "45 minutes", "20 seconds".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d == 0:
		return "0 minutes"
	case d < time.Minute:
		return plural(int64(d/time.Second), "second")
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return plural(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour:
		h := int64(d / time.Hour)
		m := int64((d % time.Hour) / time.Minute)
		if m == 0 {
			return plural(h, "hour")
		}
		return plural(h, "hour") + " " + plural(m, "minute")
	}
	m := int64(d / time.Minute)
	if sec := int64((d % time.Minute) / time.Second); sec != 0 {
		return plural(m, "minute") + " " + plural(sec, "second")
	}
	return plural(m, "minute")
}

// approxDuration rounds to the minute for "in 1 hour 59 minutes" style text.
func approxDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Minute {
		return "less than a minute"
	}
	return humanDuration(d.Round(time.Minute))
}

// relative says "in 2 hours" or "2 hours ago" from now; "" when now is unknown.
func relative(t, now time.Time) string {
	if now.IsZero() {
		return ""
	}
	d := t.Sub(now)
	if d >= 0 {
		return "in " + approxDuration(d)
	}
	return approxDuration(d) + " ago"
}

const timeLayout = "2006-01-02 15:04:05 MST"

func fmtTime(t time.Time, loc *time.Location) string { return t.In(loc).Format(timeLayout) }

// fmtAt renders a time with its distance from now: "2026-09-14 12:00:00 UTC (in 2 hours)".
func fmtAt(t time.Time, now time.Time, loc *time.Location) string {
	s := fmtTime(t, loc)
	if r := relative(t, now); r != "" {
		s += " (" + r + ")"
	}
	return s
}

// parseIssuedAt reads issued_at: milliseconds since the epoch, as a string. A 10-digit value
// (seconds, as some servers send) is accepted too.
func parseIssuedAt(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	if n < 1e11 { // seconds
		return time.Unix(n, 0), true
	}
	return time.UnixMilli(n), true
}

// jwtClaims decodes the claims of a JWT without checking its signature (flows checks
// signatures; here only exp/iat are read for display). ok is false for opaque tokens.
func jwtClaims(tok string) (claims map[string]any, ok bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, false
	}
	return claims, true
}

// claimTime reads a NumericDate claim (seconds since the epoch).
func claimTime(claims map[string]any, name string) (time.Time, bool) {
	switch v := claims[name].(type) {
	case float64:
		if v > 0 {
			return time.Unix(int64(v), 0), true
		}
	case json.Number:
		if n, err := v.Int64(); err == nil && n > 0 {
			return time.Unix(n, 0), true
		}
	}
	return time.Time{}, false
}

func ptrTime(t time.Time) *time.Time { return &t }
