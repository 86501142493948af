package guidance

import (
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

func mins(n int) time.Duration { return time.Duration(n) * time.Minute }

func TestSlideSessionHalfTimeoutRule(t *testing.T) {
	start := issued
	cases := []struct {
		name     string
		timeout  time.Duration
		requests []int // minutes after issue
		extended []bool
		failed   []bool
		end      int // minutes after issue
	}{
		{"no request: ends one timeout after issue", mins(30), nil, nil, nil, 30},
		{"a call before half changes nothing (30 min, minute 10: logout at 30)", mins(30), []int{10}, []bool{false}, []bool{false}, 30},
		{"a call after half moves the end (30 min, minute 20: logout at 50)", mins(30), []int{20}, []bool{true}, []bool{false}, 50},
		{"exactly half is not more than half", mins(30), []int{15}, []bool{false}, []bool{false}, 30},
		{"half counts from the last push", mins(30), []int{20, 30, 36}, []bool{true, false, true}, []bool{false, false, false}, 66},
		{"a call at the end fails", mins(15), []int{15, 20}, []bool{false, false}, []bool{true, true}, 15},
		{"every 10 minutes keeps a 15-minute session alive", mins(15), []int{10, 20, 30}, []bool{true, true, true}, []bool{false, false, false}, 45},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var reqs []time.Time
			for _, m := range c.requests {
				reqs = append(reqs, start.Add(mins(m)))
			}
			s := SlideSession(start, start, c.timeout, reqs)
			if got := s.End.Sub(start); got != mins(c.end) {
				t.Errorf("end %v after issue, want %v", got, mins(c.end))
			}
			for i, r := range s.Requests {
				if r.Extended != c.extended[i] || r.Failed != c.failed[i] {
					t.Errorf("request %d at minute %d: extended %v failed %v, want %v %v", i, c.requests[i], r.Extended, r.Failed, c.extended[i], c.failed[i])
				}
			}
		})
	}
}

func TestRefreshHorizonPerPolicy(t *testing.T) {
	used := issued.Add(5 * 24 * time.Hour)
	day := 24 * time.Hour
	cases := []struct {
		policy    string
		idleLimit bool
		end       time.Duration // after issue; -1 = until revoked
		by        string
	}{
		{"infinite", false, -1, ""},
		{"infinite", true, 35 * day, CauseIdle30Days},
		{"zero", true, 0, CausePolicyImmediate},
		{"specific_lifetime:1:DAYS", true, day, CausePolicyLifetime},
		{"specific_lifetime:3:MONTHS", true, 35 * day, CauseIdle30Days},
		{"specific_lifetime:3:MONTHS", false, issued.AddDate(0, 3, 0).Sub(issued), CausePolicyLifetime},
		{"specific_inactivity:1:HOURS", true, 5*day + time.Hour, CausePolicyUnused},
		{"specific_inactivity:2:MONTHS", true, 35 * day, CausePolicyUnused},
	}
	for _, c := range cases {
		p, err := ParseRefreshPolicy(c.policy)
		if err != nil {
			t.Fatal(err)
		}
		end, by, ok := RefreshHorizon(p, c.idleLimit, issued, used)
		if c.end < 0 {
			if ok {
				t.Errorf("%s idle limit %v: ends %v, want until revoked", c.policy, c.idleLimit, end)
			}
			continue
		}
		if !ok || end.Sub(issued) != c.end || by != c.by {
			t.Errorf("%s idle limit %v: %v %q %v, want %v after issue by %q", c.policy, c.idleLimit, end.Sub(issued), by, ok, c.end, c.by)
		}
	}
}

// timelineFor explains a web server login with a refresh token and an ID token, then builds
// its timeline.
func timelineFor(t *testing.T, s Settings, act Activity) Timeline {
	t.Helper()
	tok := tokenFor(flows.WebServer, tokenOpts{scope: "api refresh_token openid", refresh: true, idToken: true})
	in := Input{Flow: flows.WebServer, Settings: s, Result: resultFor(flows.WebServer, tok, nil), Now: issued.Add(20 * time.Minute)}
	return BuildTimeline(in, Explain(in), act)
}

func TestBuildTimelineReadsTheReport(t *testing.T) {
	for _, c := range []struct {
		name    string
		s       Settings
		timeout time.Duration
		src     Source
	}{
		{"app 15 minutes", Settings{AppSessionTimeoutMinutes: 15, ProfileSessionTimeoutMinutes: 30, OrgSessionTimeoutMinutes: 120}, mins(15), SourceApp},
		{"profile 30 minutes", Settings{ProfileSessionTimeoutMinutes: 30, OrgSessionTimeoutMinutes: 120}, mins(30), SourceProfile},
		{"org 2 hours", Settings{OrgSessionTimeoutMinutes: 120}, 2 * time.Hour, SourceOrg},
	} {
		tl := timelineFor(t, c.s, Activity{})
		if tl.Timeout != c.timeout || tl.TimeoutSource != c.src || tl.TimeoutPhrase == "" {
			t.Errorf("%s: timeout %v from %q (%q)", c.name, tl.Timeout, tl.TimeoutSource, tl.TimeoutPhrase)
		}
		if !tl.Issued.Equal(issued) || !tl.End().Equal(issued.Add(c.timeout)) {
			t.Errorf("%s: issued %v, ends %v", c.name, tl.Issued, tl.End())
		}
		if tl.IDTokenExpires == nil || !tl.IDTokenExpires.Equal(issued.Add(2*time.Minute)) {
			t.Errorf("%s: ID token expires %v, want 2 minutes after issue", c.name, tl.IDTokenExpires)
		}
		if tl.Refresh == nil || tl.Refresh.Ends == nil || !tl.Refresh.Ends.Equal(issued.Add(IdleRefreshLimit)) {
			t.Errorf("%s: refresh line %+v, want the 30-day idle limit on the default policy", c.name, tl.Refresh)
		}
	}
}

func TestBuildTimelineRefreshes(t *testing.T) {
	p := func(s string) RefreshPolicy {
		r, err := ParseRefreshPolicy(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	day := issued.Add(24 * time.Hour)
	t.Run("a day unused kills a 1-hour inactivity token; the request fails", func(t *testing.T) {
		tl := timelineFor(t, Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: p("specific_inactivity:1:HOURS")},
			Activity{Requests: []time.Time{day}, Mode: RefreshOnExpired})
		u := tl.Refresh.Uses
		if len(u) != 1 || u[0].OK || len(tl.Sessions) != 1 || !tl.Sessions[0].Requests[0].Failed {
			t.Fatalf("uses %+v sessions %d", u, len(tl.Sessions))
		}
	})
	t.Run("valid until revoked survives the day: a new session starts", func(t *testing.T) {
		tl := timelineFor(t, Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: p("infinite")},
			Activity{Requests: []time.Time{day}, Mode: RefreshOnExpired})
		if len(tl.Sessions) != 2 || !tl.Sessions[1].Start.Equal(day) || tl.Sessions[1].Requests[0].Failed {
			t.Fatalf("sessions %+v", tl.Sessions)
		}
		if !tl.Refresh.Ends.Equal(day.Add(IdleRefreshLimit)) {
			t.Errorf("refresh ends %v, want 30 days after the refresh", tl.Refresh.Ends)
		}
	})
	t.Run("expire after 1 day is not moved by use or rotation", func(t *testing.T) {
		tl := timelineFor(t, Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: p("specific_lifetime:1:DAYS")},
			Activity{Mode: RefreshAtExpiry, Until: issued.Add(2 * time.Hour), Rotation: boolp(true)})
		if len(tl.Sessions) != 8 { // refreshes at 15, 30, ... 105; the session ending at 120 is the last
			t.Fatalf("%d sessions, want 8", len(tl.Sessions))
		}
		for _, u := range tl.Refresh.Uses {
			if !u.OK || !u.Rotated {
				t.Errorf("use %+v", u)
			}
		}
		if !tl.Refresh.Ends.Equal(day) || tl.Refresh.EndsBy != CausePolicyLifetime {
			t.Errorf("refresh ends %v by %s", tl.Refresh.Ends, tl.Refresh.EndsBy)
		}
	})
	t.Run("immediately expire: the refresh fails", func(t *testing.T) {
		tl := timelineFor(t, Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: p("zero")},
			Activity{Refreshes: []time.Time{issued.Add(time.Minute)}})
		if u := tl.Refresh.Uses; len(u) != 1 || u[0].OK {
			t.Fatalf("uses %+v", u)
		}
	})
}

func TestBuildTimelineFromIntrospectionAndJWT(t *testing.T) {
	t.Run("introspection's exp is the end; the last push is exp minus the timeout", func(t *testing.T) {
		tok := tokenFor(flows.WebServer, tokenOpts{scope: "api"})
		in := Input{Flow: flows.WebServer, Settings: Settings{AppSessionTimeoutMinutes: 30}, Result: resultFor(flows.WebServer, tok, nil),
			Introspection: &flows.Introspection{Active: true, Exp: issued.Add(50 * time.Minute).Unix(), Iat: issued.Unix()}, Now: issued.Add(25 * time.Minute)}
		tl := BuildTimeline(in, Explain(in), Activity{Requests: []time.Time{issued.Add(mins(30)), issued.Add(mins(40))}})
		s := tl.Sessions[0]
		if s.Requests[0].Extended || !s.Requests[1].Extended || !tl.End().Equal(issued.Add(mins(70))) {
			t.Errorf("requests %+v, end %v", s.Requests, tl.End().Sub(issued))
		}
		if tl.Refresh != nil {
			t.Errorf("no refresh token came back, but the timeline has a line: %+v", tl.Refresh)
		}
	})
	t.Run("a JWT-based access token ends at its exp whatever the calls", func(t *testing.T) {
		tok := tokenFor(flows.WebServer, tokenOpts{scope: "api", jwtAccess: true})
		in := Input{Flow: flows.WebServer, Result: resultFor(flows.WebServer, tok, nil), Now: now}
		tl := BuildTimeline(in, Explain(in), Activity{Requests: []time.Time{issued.Add(mins(20))}})
		s := tl.Sessions[0]
		if !s.Fixed || s.Requests[0].Extended || !tl.End().Equal(issued.Add(mins(30))) {
			t.Errorf("fixed %v, requests %+v, end %v", s.Fixed, s.Requests, tl.End().Sub(issued))
		}
	})
}

// A lifetime row says "assumed" or "estimated" once (issue 20: "(assumed) (estimated)").
func TestLifetimeRowShownQualifiesOnce(t *testing.T) {
	for _, tc := range []struct {
		row  LifetimeRow
		want string
	}{
		{LifetimeRow{Value: "2 hours (assumed)", Estimated: true}, "2 hours (assumed)"},
		{LifetimeRow{Value: "12:00 (in 2 hours), estimated", Estimated: true}, "12:00 (in 2 hours), estimated"},
		{LifetimeRow{Value: "Valid until revoked", Estimated: true}, "Valid until revoked (estimated)"},
		{LifetimeRow{Value: "30 minutes"}, "30 minutes"},
	} {
		if got := tc.row.Shown(); got != tc.want {
			t.Errorf("%+v shown as %q, want %q", tc.row, got, tc.want)
		}
	}
}
