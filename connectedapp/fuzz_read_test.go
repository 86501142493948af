package connectedapp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// FuzzReadOverHTTP: whatever an instance answers to readMetadata (any status, any body)
// gives settings or a one-line-at-most error that holds no session ID; never a panic.
func FuzzReadOverHTTP(f *testing.F) {
	const token = "00D5g000004bcDE!AQ4AQH0dMHZfz972Szy9xY1xCgkYRrlyGOA2Bp0y7zpB"
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b)
		f.Add(500, b)
	}
	f.Add(200, []byte(`<soapenv:Envelope><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>bad session `+token+`</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`))
	f.Add(404, []byte(`<html>sid=`+token+`</html>`))
	f.Add(307, []byte(``))
	f.Add(200, []byte(`<soapenv:Envelope><soapenv:Body><readMetadataResponse><result><records xsi:type="ConnectedApp"><fullName>`))
	var mu sync.Mutex
	var status int
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if status >= 300 && status < 400 {
			w.Header().Set("Location", "http://127.0.0.1:1/steal?sid="+token)
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 200 || st > 599 {
			st = 200 + (st%400+400)%400
		}
		mu.Lock()
		status, body = st, b // one input at a time per process
		mu.Unlock()
		rd := &Reader{InstanceURL: srv.URL, AccessToken: token, Timeout: 5 * time.Second}
		_, err := rd.Read(context.Background(), Connected, "My_App")
		if err != nil && strings.Contains(err.Error(), token) {
			t.Fatalf("the error holds the session: %v", err)
		}
	})
}
