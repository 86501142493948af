package timeline_test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/timeline"
)

// A login at 10:00 with an app timeout of 15 minutes, drawn at 10:12 after calls at 10:05
// and 10:10 (only the second is late enough to push the end back), 720 pixels wide.
func Example() {
	issued := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	tok := flows.NewTokenResponse(map[string]any{"access_token": "00D!example", "issued_at": strconv.FormatInt(issued.UnixMilli(), 10)})
	in := guidance.Input{Flow: flows.UsernamePassword, Settings: guidance.Settings{AppSessionTimeoutMinutes: 15},
		Result: &flows.Result{Flow: flows.UsernamePassword, Token: tok}, Now: issued.Add(12 * time.Minute)}
	act := guidance.Activity{Requests: []time.Time{issued.Add(5 * time.Minute), issued.Add(10 * time.Minute)}}
	pic := timeline.Layout(timeline.Model(in, guidance.Explain(in), act, timeline.WhatIf{}), 720)
	for _, id := range []string{"issued", "request-0", "request-1", "now", "session-0-half", "session-0-end"} {
		m, _ := pic.Mark(id)
		fmt.Printf("%-15s %s x=%v\n", id, m.At.Format("15:04:05"), m.X)
	}
	// Output:
	// issued          10:00:00 x=170.37
	// request-0       10:05:00 x=272.22
	// request-1       10:10:00 x=374.07
	// now             10:12:00 x=414.81
	// session-0-half  10:17:30 x=526.85
	// session-0-end   10:25:00 x=679.63
}
