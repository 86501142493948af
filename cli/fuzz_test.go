package cli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// FuzzTerminalWriter: whatever is written, in one write or cut in two anywhere, nothing that
// can drive a terminal comes out, and both give the same output; valid JSON stays valid JSON
// with the same value.
func FuzzTerminalWriter(f *testing.F) {
	for _, h := range hostile {
		f.Add([]byte(h.v), 1)
	}
	f.Add([]byte(`{"a":"\u009b\u202e","b":["\u2028",1,null]}`), 7)
	f.Add([]byte("Müller\xc3"), 7)
	f.Add([]byte("\xe2\x80\xae\n\t"), 2)
	f.Fuzz(func(t *testing.T, data []byte, cut int) {
		var one, two bytes.Buffer
		w1 := NewTerminalWriter(&one)
		w1.Write(data)
		flushWriters(w1)
		if cut < 0 {
			cut = -cut
		}
		if len(data) > 0 {
			cut %= len(data) + 1
		} else {
			cut = 0
		}
		w2 := NewTerminalWriter(&two)
		w2.Write(data[:cut])
		w2.Write(data[cut:])
		flushWriters(w2)
		if one.String() != two.String() {
			t.Fatalf("a write cut at %d differs: %q vs %q", cut, one.String(), two.String())
		}
		checkTerminalSafe(t, "output", one.String())
		var in, out any
		// JSON stays JSON as our commands write it: encoding/json never writes a raw carriage
		// return, which is JSON whitespace between tokens but a terminal control the writer
		// must show as \u000d ("0\r" is valid JSON; its safe form is not, and need not be).
		if !bytes.ContainsRune(data, '\r') && json.Unmarshal(data, &in) == nil {
			if err := json.Unmarshal(one.Bytes(), &out); err != nil || !reflect.DeepEqual(in, out) {
				t.Fatalf("JSON changed: %v\n%q\n%q", err, data, one.String())
			}
		}
	})
}

// FuzzReadSecrets: --secrets-stdin never panics, and what it says about bad input never
// depends on a secret: the same input with every value replaced gives the same error.
func FuzzReadSecrets(f *testing.F) {
	for _, s := range []string{"client_secret=abc\npassword=p=q\n", "# comment\n\nSF_PASSWORD=x", "noequals", "unknown=v",
		"password=" + strings.Repeat("x", maxSecretLine+1), strings.Repeat("\n", maxSecretLines+1), "\r\n=\r\n", " password = spaced "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r1, r2 flows.Request
		err1 := readSecrets(bytes.NewReader(data), &r1)
		masked := maskValues(data)
		err2 := readSecrets(bytes.NewReader(masked), &r2)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("the error depends on the values:\n%v\n%v", err1, err2)
		}
		if err1 != nil && strings.Contains(err1.Error(), "\n") {
			t.Fatalf("multi-line error %q", err1)
		}
	})
}

// maskValues replaces every byte after the first '=' of each line (up to its newline) by 'x'.
func maskValues(data []byte) []byte {
	out := bytes.Clone(data)
	inValue := false
	for i, c := range out {
		switch {
		case c == '\n':
			inValue = false
		case inValue:
			out[i] = 'x'
		case c == '=':
			inValue = true
		}
	}
	return out
}

// FuzzCheckURLFlag: a URL flag's check never panics, is one line, and never prints what
// stands between :// and @ (a user name and password).
func FuzzCheckURLFlag(f *testing.F) {
	for _, s := range []string{"https://login.salesforce.com", "http://u:s3cretpw@[::1", "ftp://x", "https://", "login.salesforce.com",
		"https://a:b@c:d@host/p", "http://%zz", "socks5://u:pw@proxy:1080", "\x00https://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, flag := range []string{"--login-url", "--proxy"} {
			err := checkURLFlag(flag, raw, "https", "http", "socks5")
			if err == nil {
				continue
			}
			if strings.Contains(err.Error(), "\n") && !strings.Contains(raw, "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			_, rest, ok := strings.Cut(raw, "://")
			if at := strings.LastIndex(rest, "@"); ok && at >= 8 {
				if info := rest[:at]; !strings.Contains(strings.Replace(raw, info, "", 1), info) && strings.Contains(err.Error(), info) {
					t.Fatalf("the user info %q is printed: %q", info, err)
				}
			}
		}
	})
}
