package cli

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runTimeline logs in with the username-password flow against the demo org, introspecting
// the token, and asks for the timeline in file.
func runTimeline(t *testing.T, file string) (int, string, string) {
	t.Helper()
	e, app, user := runTestDemo(t)
	return runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_SECURITY_TOKEN": user.SecurityToken, "SF_PASSWORD": user.Password}, "",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID,
		"--username", user.Username, "--json", "--introspect", "--timeline", file)
}

func TestRunTimelineSVGAgainstTheDemoOrg(t *testing.T) {
	file := filepath.Join(t.TempDir(), "timeline.svg")
	code, out, errOut := runTimeline(t, file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Introspection struct {
			Exp float64 `json:"exp"`
		} `json:"introspection"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Introspection.Exp == 0 {
		t.Fatalf("no introspection exp (%v): %s", err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(b)
	// The session's end is introspection's exp, a reading of the org's session.
	end := time.Unix(int64(got.Introspection.Exp), 0).In(time.Local).Format("15:04")
	for _, want := range []string{"<svg ", "Access token", "none came back with this token", `class="now"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q:\n%s", want, svg)
		}
	}
	// The label gives the date too when the end falls on another day than the login
	// ("expires if idle until Dec 3 00:51" for a login at 22:51).
	if !regexp.MustCompile(`expires if idle until ([A-Z][a-z]{2} \d{1,2} )?` + regexp.QuoteMeta(end) + `<`).MatchString(svg) {
		t.Errorf("the SVG lacks \"expires if idle until [date] %s\":\n%s", end, svg)
	}
}

func TestRunTimelinePNG(t *testing.T) {
	file := filepath.Join(t.TempDir(), "timeline.PNG")
	if code, _, errOut := runTimeline(t, file); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != timelineWidth {
		t.Errorf("width %d, want %d", w, timelineWidth)
	}
}

func TestRunTimelineBadFileIsOneLine(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ file, want string }{
		{filepath.Join(dir, "timeline.gif"), "must end in .svg or .png"},
		{filepath.Join(dir, "missing", "timeline.svg"), "cannot write it"},
	} {
		code, _, errOut := runTimeline(t, c.file)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		last := lines[len(lines)-1]
		if code != 1 || !strings.HasPrefix(last, "run: --timeline "+c.file+": ") || !strings.Contains(last, c.want) {
			t.Errorf("%s: exit %d, last line %q, want %q", c.file, code, last, c.want)
		}
		if _, err := os.Stat(c.file); err == nil {
			t.Errorf("%s was written", c.file)
		}
	}
}
