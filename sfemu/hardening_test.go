package sfemu

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestControlHostAndOrigin: the clock control answers only its own loopback Host and
// Origin (DNS rebinding, CSRF; issue 14 item 8).
func TestControlHostAndOrigin(t *testing.T) {
	v := newEnv(t, nil)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(v.e.LoginURL, "http://"))
	_, mdPort, _ := net.SplitHostPort(strings.TrimPrefix(v.e.MyDomainURL, "http://"))
	advance := func(host, origin string) int {
		req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/_sfemu/clock/advance?by=1m", nil)
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		r := do(t, plain, req)
		if r.status == 403 && (str(r.m, "error") != "forbidden" || strings.Contains(str(r.m, "error_description"), "\n")) {
			t.Errorf("403 body: %s", r.body)
		}
		return r.status
	}
	before := v.clk.Now()
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1:1", "127.0.0.1", "192.0.2.1:" + port, "127.0.0.1.nip.io:" + port} {
		if got := advance(host, ""); got != 403 {
			t.Errorf("Host %q: %d, want 403", host, got)
		}
	}
	for _, origin := range []string{"http://evil.example", "null", "https://127.0.0.1:" + port, "http://127.0.0.1:1", "http://evil.example:" + port, "http://127.0.0.1:" + port + "/x"} {
		if got := advance("", origin); got != 403 {
			t.Errorf("Origin %q: %d, want 403", origin, got)
		}
	}
	if !v.clk.Now().Equal(before) {
		t.Fatalf("a refused request moved the clock: %v", v.clk.Now())
	}
	for _, host := range []string{"", "localhost:" + port, "127.0.0.1:" + mdPort, "[::1]:" + port} {
		if got := advance(host, ""); got != 200 {
			t.Errorf("Host %q: %d, want 200", host, got)
		}
	}
	for _, origin := range []string{v.e.LoginURL, v.e.MyDomainURL, "http://localhost:" + port} {
		if got := advance("", origin); got != 200 {
			t.Errorf("Origin %q: %d, want 200", origin, got)
		}
	}
	if want := before.Add(7 * time.Minute); !v.clk.Now().Equal(want) {
		t.Errorf("clock %v, want %v", v.clk.Now(), want)
	}
}

// TestControlOffsetBounded: one advance is at most 100 years and all of them 200 years, so
// the real clock's offset never overflows; each refusal is one line.
func TestControlOffsetBounded(t *testing.T) {
	e, err := Start(Demo(), "127.0.0.1:0", Options{EnableControl: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	advance := func(by string) resp {
		req, _ := http.NewRequest(http.MethodPost, e.LoginURL+"/_sfemu/clock/advance?by="+url.QueryEscape(by), nil)
		return do(t, plain, req)
	}
	for _, by := range []string{"876001h", "9223372036854775807ns1h", "99999999999999h", "-1s"} {
		if r := advance(by); r.status != 400 || strings.Contains(r.body, "\\n") {
			t.Errorf("by=%s: %d %s", by, r.status, r.body)
		}
	}
	for i := 0; i < 2; i++ {
		if r := advance("876000h"); r.status != 200 {
			t.Fatalf("advance %d: %d %s", i, r.status, r.body)
		}
	}
	r := advance("1h")
	if r.status != 400 || !strings.Contains(str(r.m, "error_description"), "200 years") {
		t.Errorf("past 200 years: %d %s", r.status, r.body)
	}
	if d := e.Clock().Now().Sub(time.Now()); d < 199*365*24*time.Hour || d > maxTotalAdvance+time.Hour {
		t.Errorf("offset %v", d)
	}
}

// TestTableCaps: past Options.MaxRecordsPerTable the oldest records are evicted and the
// emulator answers for them as for unknown ones.
func TestTableCaps(t *testing.T) {
	clk := NewFakeClock(t0)
	e, err := Start(testOrg(), "127.0.0.1:0", Options{Clock: clk, MaxRecordsPerTable: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	v := &env{t: t, e: e, clk: clk}
	var toks []string
	for i := 0; i < 5; i++ {
		toks = append(toks, str(v.password(v.user(DemoUser)).m, "access_token"))
		clk.Advance(time.Second)
	}
	for i, tok := range toks {
		want := 200
		if i < 2 {
			want = 401
		}
		if r := v.rest(e.MyDomainURL, "/services/data/v68.0/limits", tok); r.status != want {
			t.Errorf("token %d: %d, want %d", i, r.status, want)
		}
	}
	var fds []string
	for i := 0; i < 5; i++ {
		fds = append(fds, str(v.singleAccess(http.MethodGet, toks[4], "").m, "frontdoor_uri"))
		clk.Advance(time.Second)
	}
	if res, err := plain.Get(fds[0]); err != nil || res.StatusCode != 401 {
		t.Errorf("evicted otp: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if res, err := plain.Get(fds[4]); err != nil || res.StatusCode != 302 {
		t.Errorf("newest otp: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	for i := 0; i < 5; i++ { // device codes
		wantOK(t, v.token(url.Values{"response_type": {"device_code"}, "client_id": {DemoDeviceAppKey}}))
	}
	e.mu.Lock()
	n := []int{len(e.sessions), len(e.refreshes), len(e.codes), len(e.devices), len(e.userCodes), len(e.pending), len(e.browser), len(e.otps)}
	e.mu.Unlock()
	for i, x := range n {
		if x > 3 {
			t.Errorf("table %d holds %d records, cap 3", i, x)
		}
	}
}
