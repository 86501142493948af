package cli

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// refreshObtained is when the diagnosed refresh token was obtained, and where that came from.
type refreshObtained struct {
	At *time.Time `json:"at,omitempty"`
	// From is "--obtained-at", "profile" (recorded when `run --profile` stored the token) or
	// "unknown".
	From    string `json:"from"`
	profile string
	why     string // why it is unknown
}

// obtainedFor picks the date: --obtained-at when given, else the profile's record of when its
// stored refresh token was obtained, but only when that stored token is the one diagnosed
// (replayed from the profile; not SF_REFRESH_TOKEN, not an --error from another client).
func obtainedFor(flag *time.Time, t *diagnoseTarget, replayedFromProfile bool) refreshObtained {
	switch {
	case flag != nil:
		return refreshObtained{At: flag, From: "--obtained-at"}
	case replayedFromProfile && !t.profile.RefreshTokenObtainedAt.IsZero():
		at := t.profile.RefreshTokenObtainedAt
		return refreshObtained{At: &at, From: "profile", profile: t.profile.Name}
	case !replayedFromProfile:
		return refreshObtained{From: "unknown", profile: t.profile.Name,
			why: "the token diagnosed is not the one stored in profile " + strconv.Quote(t.profile.Name) + " (--error or SF_REFRESH_TOKEN), so its date does not apply"}
	}
	return refreshObtained{From: "unknown", profile: t.profile.Name,
		why: "profile " + strconv.Quote(t.profile.Name) + " has no record of it: it was stored by hand or by an older version"}
}

func (o refreshObtained) print(w io.Writer) {
	switch o.From {
	case "--obtained-at":
		fmt.Fprintf(w, "Refresh token obtained %s (from --obtained-at).\n\n", o.At.UTC().Format(time.RFC3339))
	case "profile":
		fmt.Fprintf(w, "Refresh token obtained %s (recorded in profile %q when `run --profile` stored it).\n\n", o.At.UTC().Format(time.RFC3339), o.profile)
	default:
		fmt.Fprintf(w, "When the refresh token was obtained is unknown (%s); pass --obtained-at if you know.\n\n", o.why)
	}
}
