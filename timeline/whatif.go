package timeline

import (
	"time"

	"github.com/connectedapplab/connectedapplab/guidance"
)

// WhatIf is the options that change the model's inputs before it is drawn again.
type WhatIf struct {
	Every10Minutes bool // "call the API every 10 minutes", from the login on
	StopForADay    bool // "stop using it for a day": nothing after now, then one call a day later
	Rotation       bool // "refresh with rotation": rotation on, and the client refreshes as each session ends
}

// Interval is the what-if's request interval.
const Interval = 10 * time.Minute

// Pause is the what-if's idle day.
const Pause = 24 * time.Hour

// Model builds the timeline of one login: rep is guidance.Explain(in), act what the client
// did so far (its requests and refreshes), w the what-if options. Every instant comes from
// guidance.BuildTimeline; the options only change its inputs.
func Model(in guidance.Input, rep guidance.Report, act guidance.Activity, w WhatIf) guidance.Timeline {
	base := guidance.BuildTimeline(in, rep, guidance.Activity{})
	now := in.Now
	if now.IsZero() {
		now = base.Issued
	}
	from := now
	if from.Before(base.Issued) {
		from = base.Issued
	}
	until := from.Add(2 * base.Timeout)
	act.Requests = append([]time.Time(nil), act.Requests...)
	if w.Every10Minutes {
		for t := base.Issued.Add(Interval); t.Before(until); t = t.Add(Interval) {
			act.Requests = append(act.Requests, t)
		}
	}
	if w.StopForADay {
		kept := act.Requests[:0]
		for _, t := range act.Requests {
			if !t.After(now) {
				kept = append(kept, t)
			}
		}
		back := now.Add(Pause)
		act.Requests = append(kept, back)
		act.Mode, until = guidance.RefreshOnExpired, back
	}
	if w.Rotation {
		on := true
		act.Rotation = &on
		if !w.StopForADay {
			act.Mode = guidance.RefreshAtExpiry
		}
	}
	if act.Until.IsZero() || act.Until.Before(until) {
		act.Until = until
	}
	return guidance.BuildTimeline(in, rep, act)
}
