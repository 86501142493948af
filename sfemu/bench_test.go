package sfemu

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// benchClient keeps connections alive so the loop measures request handling, not dials.
func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
}

// baselineServer is a bare net/http handler on loopback returning a small fixed JSON.
func baselineServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Write([]byte(`{"access_token":"00D!x","token_type":"Bearer"}`))
	})}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func post(b *testing.B, c *http.Client, u, body string, want int) {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Fatalf("status %d", res.StatusCode)
	}
}

// benchPair runs the baseline then sfemu over the same loopback setup and reports sfemu's
// time per request as a multiple of the baseline's.
func benchPair(b *testing.B, baseURL, emuURL, body string) {
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		c := benchClient()
		for i := 0; i < b.N; i++ {
			post(b, c, baseURL, body, 200)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("sfemu", func(b *testing.B) {
		c := benchClient()
		for i := 0; i < b.N; i++ {
			post(b, c, emuURL, body, 200)
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if baseNs > 0 {
			b.ReportMetric(ns/baseNs, "x-baseline")
		}
	})
}

func BenchmarkPasswordGrant(b *testing.B) {
	e, err := Start(Demo(), "127.0.0.1:0", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	body := url.Values{"grant_type": {"password"}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"},
		"username": {DemoUser}, "password": {"Demo-Pass-1DEMOTOKEN1"}}.Encode()
	benchPair(b, baselineServer(b), e.LoginURL+"/services/oauth2/token", body)
}

func BenchmarkIntrospect(b *testing.B) {
	e, err := Start(Demo(), "127.0.0.1:0", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	e.mu.Lock()
	o, _ := e.issue(grant{app: e.org.appByKey(DemoWebAppKey), user: e.org.userByName(DemoUser), scopes: []string{"api"}})
	e.mu.Unlock()
	tok, _ := o.get("access_token")
	body := url.Values{"token": {tok.(string)}, "client_id": {DemoWebAppKey}, "client_secret": {"WebAppDemoSecret0001"}}.Encode()
	benchPair(b, baselineServer(b), e.LoginURL+"/services/oauth2/introspect", body)
}
