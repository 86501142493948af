package flows_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// BenchmarkTokenRequest compares a username-password token request through flows.Run with a
// bare net/http POST of the same form to the same emulator, in the same run, and reports the
// ratio (goal ≤ 1.10).
func BenchmarkTokenRequest(b *testing.B) {
	e := startEmu(b, false, nil)
	req := e.request(b, flows.UsernamePassword, "Web App")
	form := url.Values{"grant_type": {"password"}, "client_id": {req.ClientID}, "client_secret": {req.ClientSecret},
		"username": {req.Username}, "password": {req.Password + req.SecurityToken}}
	tokenURL := e.LoginURL + "/services/oauth2/token"
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	bare := func() {
		resp, err := client.Post(tokenURL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err, resp)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	viaFlows := func() {
		if _, err := flows.Run(context.Background(), req, nil); err != nil {
			b.Fatal(err)
		}
	}
	for range 20 { // warm both connection pools
		bare()
		viaFlows()
	}
	var tBare, tFlows time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// interleave so that both see the same machine load
		s := time.Now()
		bare()
		tBare += time.Since(s)
		s = time.Now()
		viaFlows()
		tFlows += time.Since(s)
	}
	b.StopTimer()
	b.ReportMetric(float64(tFlows)/float64(tBare), "ratio")
	b.ReportMetric(float64(tBare.Microseconds())/float64(b.N), "bare-µs/op")
	b.ReportMetric(float64(tFlows.Microseconds())/float64(b.N), "flows-µs/op")
	client.CloseIdleConnections()
	flows.CloseIdleConnections()
}

// BenchmarkWebServerPKCE runs the whole web-server + PKCE flow with the scripted HTTP
// browser and reports the overhead beyond the HTTP round trips (everything in the run that is
// not an exchange in the transcript nor the browser's own page loads), goal ≤ 5 ms.
func BenchmarkWebServerPKCE(b *testing.B) {
	e := startEmu(b, false, nil)
	req := e.request(b, flows.WebServerPKCE, "ECA PKCE", "api", "refresh_token")
	req.ClientSecret = ""
	req.Options.ListenTimeout = 10 * time.Second
	browse := req.Options.OpenBrowser
	var browserTime time.Duration
	req.Options.OpenBrowser = func(ctx context.Context, u string) error {
		s := time.Now()
		err := browse(ctx, u)
		browserTime += time.Since(s)
		return err
	}
	var overhead, total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		browserTime = 0
		s := time.Now()
		res, err := flows.Run(context.Background(), req, nil)
		d := time.Since(s)
		if err != nil {
			b.Fatal(err)
		}
		var http time.Duration
		for _, ex := range res.Transcript {
			http += ex.Duration
		}
		total += d
		overhead += d - http - browserTime
	}
	b.StopTimer()
	b.ReportMetric(float64(overhead.Microseconds())/1000/float64(b.N), "overhead-ms/op")
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "total-ms/op")
	flows.CloseIdleConnections()
}
