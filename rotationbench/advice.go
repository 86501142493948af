package rotationbench

import (
	"fmt"
	"strings"
)

// findings says what happened, one sentence each, from the report's steps and verdicts.
func findings(r *Report, b *bench) []string {
	var out []string
	race := r.RaceSteps()
	worked := 0
	for _, s := range race {
		if s.Outcome == OutcomeRotated || s.Outcome == OutcomeRefreshed {
			worked++
		}
	}
	switch {
	case len(r.Winners) == 1:
		out = append(out, fmt.Sprintf("Rotation is on: request #%d won, it got a new refresh token and the starting one died.", r.Winners[0]))
	case len(r.Winners) > 1:
		out = append(out, fmt.Sprintf("Requests %s each got a new refresh token: the org accepted the same token more than once (a reuse grace period).", numbers(r.Winners)))
	case worked > 0:
		out = append(out, fmt.Sprintf("Rotation is off: %d of %d refreshes worked and none returned a refresh token; the starting token stays the one to use.", worked, r.N))
	default:
		out = append(out, "No refresh worked: the starting refresh token was already dead, or the app refuses it.")
	}
	if r.MaxInFlight < r.N {
		out = append(out, fmt.Sprintf("At most %d of the %d requests were in flight at one moment: the client could not send them all at once (a busy machine); the org's answers do not depend on it.", r.MaxInFlight, r.N))
	}
	if len(r.Refused) > 0 {
		s := first(race, OutcomeRefused)
		line := fmt.Sprintf("%d %s got %s", len(r.Refused), plural(len(r.Refused), "request", "requests"), errText(s))
		if len(r.Winners) > 0 {
			line += fmt.Sprintf(": they sent the token that request #%d had just rotated out, so the org saw them as a replay", r.Winners[0])
		}
		out = append(out, line+".")
	}
	if f := first(race, OutcomeFailed); f != nil {
		out = append(out, fmt.Sprintf("Some requests got no answer: %s.", f.Failure))
	}
	if rp := r.Step(PhaseReplay); rp != nil {
		switch rp.Outcome {
		case OutcomeRefused:
			out = append(out, "Replaying the starting token after the race got "+errText(rp)+".")
		case OutcomeRotated:
			out = append(out, "Replaying the starting token after the race worked and returned yet another refresh token (a reuse grace period).")
		case OutcomeRefreshed:
			out = append(out, "Replaying the starting token after the race worked: without rotation it stays valid.")
		case OutcomeFailed:
			out = append(out, "The replay got no answer: "+rp.Failure+".")
		}
	}
	switch {
	case r.RevokedBy == PhaseRace:
		out = append(out, "The race itself revoked the token family: right after it the winner's access token was refused, so even the winning request lost its session and its new refresh token. Two refreshes in flight with one token are enough for an \"intermittent invalid_grant\".")
	case r.RevokedBy == PhaseReplay:
		out = append(out, "The replay revoked the token family: afterwards the winner's access token and its newest refresh token were refused.")
	case r.FamilyRevoked == No && r.Rotation:
		out = append(out, "The token family survived the replay: this org tolerates reuse of a rotated-out token for a while. Salesforce documents no grace period.")
	case r.FamilyRevoked == No:
		out = append(out, "Nothing was revoked: without rotation one refresh token can be used any number of times, even at once.")
	case b.access != "":
		out = append(out, "Whether the token family was revoked could not be told: the checks got no clear answer.")
	}
	return out
}

// storeAdvice says what a client must store and do, given what the bench saw.
func storeAdvice(r *Report) []string {
	if r.Rotation {
		out := []string{
			"Store the refresh_token of every refresh response in place of the old one before using the new access token, and write it atomically: a crash must never leave the old one behind.",
			"Allow one refresh in flight per token: put refreshing behind one lock (single-flight across threads, a file or database lock across processes); the others wait and use its result.",
			"Never send a refresh token twice, not even to retry after a timeout: the org takes the second one as reuse and revokes the whole family.",
			"On invalid_grant from a refresh the family is gone: drop the stored tokens and start a new login; retrying cannot help.",
		}
		if len(r.Winners) > 1 || (r.FamilyRevoked == No) {
			out = append(out, "This org tolerated reuse for a while; do not count on it: Salesforce documents no grace period (reference §15.2).")
		}
		return out
	}
	if len(r.RaceSteps()) > 0 && first(r.RaceSteps(), OutcomeRefreshed) != nil {
		return []string{
			"Keep the refresh token you have: refreshes return none, and it stays valid until revoked or expired by the app's refresh token policy.",
			fmt.Sprintf("%d refreshes at once all opened a session of their own: share one access token between threads and refresh only when it is refused.", r.N),
			"Store a refresh_token whenever a response carries one: if the app turns rotation on later, each refresh returns a new token and the old one dies.",
		}
	}
	return []string{"The starting refresh token does not work: log in again to get a new one, then run the bench again."}
}

func first(steps []Step, o Outcome) *Step {
	for i := range steps {
		if steps[i].Outcome == o {
			return &steps[i]
		}
	}
	return nil
}

// errText is the server's error as sent: code "description".
func errText(s *Step) string {
	if s == nil || s.Error == nil {
		return "an error"
	}
	if s.Error.Description == "" {
		return s.Error.Code
	}
	return fmt.Sprintf("%s %q", s.Error.Code, s.Error.Description)
}

func numbers(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprintf("#%d", n)
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
