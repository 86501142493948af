//go:build !headless

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

func TestStartLogHoldsUntilTheWindowStarts(t *testing.T) {
	var out bytes.Buffer
	l := &startLog{out: &out}
	fmt.Fprintln(l, "2026/12/02 16:39:36 PlatformError: X11: Failed to open display :1")
	fmt.Fprintln(l, "2026/12/02 16:39:36 PlatformError: GLX: No GLXFBConfigs returned")
	if out.Len() != 0 {
		t.Fatalf("passed before the start: %q", out.String())
	}
	if got := l.platformError(); got != "GLX: No GLXFBConfigs returned" {
		t.Errorf("platformError %q", got)
	}
	l.pass()
	fmt.Fprintln(l, "later")
	if s := out.String(); !strings.Contains(s, "Failed to open display") || !strings.HasSuffix(s, "later\n") {
		t.Errorf("after the start: %q", s)
	}
	big := &startLog{out: &out}
	big.Write(bytes.Repeat([]byte("x"), 3*maxStartLog))
	if len(big.held) > maxStartLog {
		t.Errorf("held %d bytes", len(big.held))
	}
}

// TestWindowThatCannotStartIsOneLine: a display whose socket answers (so the display check
// passes) but that GLFW cannot open made Fyne panic with a GLFW stack trace; now it is one
// line with GLFW's reason and what works without a window, status 2 (issue 19 item 2).
func TestWindowThatCannotStartIsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "connectedapplab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if err := os.MkdirAll("/tmp/.X11-unix", 0o1777); err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	var n int
	for n = 4200; n < 4300; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		var err error
		if ln, err = net.Listen("unix", fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			break
		}
	}
	if ln == nil {
		t.Fatal("no free X socket between 4200 and 4300")
	}
	defer ln.Close()
	go func() { // a display that answers and hangs up at once
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--demo", "--config-dir", t.TempDir())
	cmd.Env = append(os.Environ(), fmt.Sprintf("DISPLAY=:%d", n), "WAYLAND_DISPLAY=", "HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	msg := strings.TrimSpace(stderr.String())
	if err == nil || code != 2 || strings.Count(msg, "\n") != 0 || stdout.Len() != 0 ||
		!strings.HasPrefix(msg, "connectedapplab: the window could not start (X11: Failed to open display") ||
		!strings.Contains(msg, "`connectedapplab-cli emulate` serves the demo org") || strings.Contains(msg, "panic") {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, stdout.String(), stderr.String())
	}
}

// TestStartLogDropsFynesOwnPreferencesReloadRace: Fyne 2.7 rereads its preferences file when
// its watcher sees its own non-atomic write and logs EOF; that report is dropped, any other
// (another cause, another error) is passed on whole.
func TestStartLogDropsFynesOwnPreferencesReloadRace(t *testing.T) {
	var out bytes.Buffer
	l := &startLog{out: &out}
	l.pass()
	logf := func(s string) { fmt.Fprintln(l, "2026/12/02 16:39:05 "+s) }
	logf("Fyne error:  Preferences load error:")
	logf("  Cause: EOF")
	logf("  At: /root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/app/preferences.go:103")
	logf("Fyne error:  Preferences load error:")
	logf("  Cause: unexpected EOF")
	logf("  At: /root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/app/preferences.go:103")
	if out.Len() != 0 {
		t.Fatalf("the reload race was printed: %q", out.String())
	}
	logf("Fyne error:  Preferences load error:")
	logf("  Cause: permission denied")
	logf("  At: /root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/app/preferences.go:103")
	logf("Fyne error:  Failed on saving preferences")
	s := out.String()
	for _, want := range []string{"Preferences load error:", "permission denied", "preferences.go:103", "Failed on saving preferences"} {
		if !strings.Contains(s, want) {
			t.Errorf("a real error lost %q: %q", want, s)
		}
	}
}

func TestWindowOpensWithinTheScreen(t *testing.T) {
	for _, c := range []struct{ want, screen, got fyne.Size }{
		{fyne.NewSize(1280, 800), fyne.NewSize(1920, 1080), fyne.NewSize(1280, 800)},
		{fyne.NewSize(1280, 800), fyne.NewSize(1366, 768), fyne.NewSize(1280, 728)},
		{fyne.NewSize(1280, 800), fyne.NewSize(1024, 700), fyne.NewSize(1024, 660)},
		{fyne.NewSize(1280, 800), fyne.Size{}, fyne.NewSize(1024, 660)}, // unknown: fits 1024x700
		{fyne.NewSize(900, 600), fyne.Size{}, fyne.NewSize(900, 600)},
	} {
		if got := fitScreen(c.want, c.screen); got != c.got {
			t.Errorf("fitScreen(%v, screen %v) = %v, want %v", c.want, c.screen, got, c.got)
		}
	}
}
