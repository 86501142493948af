package flows_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// BenchmarkTokenRequest compares a username-password token request through flows.Run with a
// bare net/http POST of the same form to the same emulator, in the same run, and reports the
// ratio (goal ≤ 1.25). Both clients keep connections alive (each warmed first); the two are
// interleaved pair by pair, in alternating order, so that both see the same machine load,
// GC and connection state. ratio is the median flows time over the median bare time (robust
// to the load spikes of a shared machine); ratio-mean is the ratio of the totals.
func BenchmarkTokenRequest(b *testing.B) {
	e := startEmu(b, false, nil)
	req := e.request(b, flows.UsernamePassword, "Web App")
	form := url.Values{"grant_type": {"password"}, "client_id": {req.ClientID}, "client_secret": {req.ClientSecret},
		"username": {req.Username}, "password": {req.Password + req.SecurityToken}}
	tokenURL := e.LoginURL + "/services/oauth2/token"
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	bare := func() {
		r, err := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
		if err != nil {
			b.Fatal(err)
		}
		r.Header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"},
			"User-Agent": {"ConnectedAppLab"}}
		resp, err := client.Do(r)
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
	for range 50 { // warm both connection pools
		bare()
		viaFlows()
	}
	tBare := make([]time.Duration, b.N)
	tFlows := make([]time.Duration, b.N)
	timed := func(f func()) time.Duration {
		s := time.Now()
		f()
		return time.Since(s)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			tBare[i] = timed(bare)
			tFlows[i] = timed(viaFlows)
		} else {
			tFlows[i] = timed(viaFlows)
			tBare[i] = timed(bare)
		}
	}
	b.StopTimer()
	var sumBare, sumFlows time.Duration
	for i := range tBare {
		sumBare += tBare[i]
		sumFlows += tFlows[i]
	}
	mBare, mFlows := median(tBare), median(tFlows)
	b.ReportMetric(float64(mFlows)/float64(mBare), "ratio")
	b.ReportMetric(float64(sumFlows)/float64(sumBare), "ratio-mean")
	b.ReportMetric(float64(mBare)/1e3, "bare-µs/op")
	b.ReportMetric(float64(mFlows)/1e3, "flows-µs/op")
	client.CloseIdleConnections()
	flows.CloseIdleConnections()
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
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
		for _, ex := range res.Transcript.Exchanges() {
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
