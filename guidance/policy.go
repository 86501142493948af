package guidance

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRefreshPolicy reads a refresh token policy in its metadata form: infinite | zero |
// specific_lifetime:3:DAYS | specific_inactivity:1:HOURS. Case does not matter; the empty
// string is the unknown policy.
func ParseRefreshPolicy(s string) (RefreshPolicy, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return RefreshPolicy{}, nil
	}
	parts := strings.Split(t, ":")
	kind := strings.ToLower(parts[0])
	switch kind {
	case PolicyInfinite, PolicyZero:
		if len(parts) != 1 {
			return RefreshPolicy{}, fmt.Errorf("refresh token policy %q: %s takes no period; write just %q", s, kind, kind)
		}
		return RefreshPolicy{Kind: kind}, nil
	case PolicySpecificLifetime, PolicySpecificInactivity:
		if len(parts) != 3 {
			return RefreshPolicy{}, fmt.Errorf("refresh token policy %q: write %s:N:UNIT, e.g. %s:3:DAYS", s, kind, kind)
		}
		n, err := strconv.Atoi(parts[1])
		if err != nil || n <= 0 {
			return RefreshPolicy{}, fmt.Errorf("refresh token policy %q: the period %q must be a whole number above 0", s, parts[1])
		}
		unit := strings.ToUpper(parts[2])
		if unit != "HOURS" && unit != "DAYS" && unit != "MONTHS" {
			return RefreshPolicy{}, fmt.Errorf("refresh token policy %q: the unit %q must be HOURS, DAYS or MONTHS", s, parts[2])
		}
		return RefreshPolicy{Kind: kind, N: n, Unit: unit}, nil
	}
	return RefreshPolicy{}, fmt.Errorf("refresh token policy %q: expected infinite, zero, specific_lifetime:N:UNIT or specific_inactivity:N:UNIT", s)
}

// String gives the metadata form ParseRefreshPolicy reads; "" for the unknown policy.
func (p RefreshPolicy) String() string {
	switch p.Kind {
	case PolicySpecificLifetime, PolicySpecificInactivity:
		return fmt.Sprintf("%s:%d:%s", p.Kind, p.N, p.Unit)
	}
	return p.Kind
}

// period renders "3 days", "1 hour".
func (p RefreshPolicy) period() string {
	unit := strings.ToLower(p.Unit)
	if p.N == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	return fmt.Sprintf("%d %s", p.N, unit)
}

// add moves t forward by the policy's period.
func (p RefreshPolicy) add(t time.Time) time.Time {
	switch p.Unit {
	case "HOURS":
		return t.Add(time.Duration(p.N) * time.Hour)
	case "DAYS":
		return t.AddDate(0, 0, p.N)
	case "MONTHS":
		return t.AddDate(0, p.N, 0)
	}
	return t
}

// Describe says in words what the policy does, with its Setup label.
func (p RefreshPolicy) Describe() string {
	switch p.Kind {
	case PolicyInfinite:
		return "valid until revoked (\"Refresh token is valid until revoked\", the default)"
	case PolicyZero:
		return "expires immediately (\"Immediately expire refresh token\"): the current session works, but the refresh token cannot start new ones"
	case PolicySpecificLifetime:
		return fmt.Sprintf("expires %s after it was issued, however often it is used (\"Expire refresh token after %s\")", p.period(), p.period())
	case PolicySpecificInactivity:
		return fmt.Sprintf("expires if not used for %s; each use starts the %s again (\"Expire refresh token if not used for %s\")", p.period(), p.period(), p.period())
	}
	return "unknown; Salesforce's default is \"valid until revoked\""
}

// short says what the policy does in a few words, for the headline.
func (p RefreshPolicy) short() string {
	switch p.Kind {
	case PolicyInfinite:
		return "valid until revoked"
	case PolicyZero:
		return "expires immediately"
	case PolicySpecificLifetime:
		return "expires " + p.period() + " after it was issued"
	case PolicySpecificInactivity:
		return "expires after " + p.period() + " without use"
	}
	return "policy unknown"
}
