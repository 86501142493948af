//go:build linux && !wayland

package display

import (
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestXDisplayAddr(t *testing.T) {
	cases := []struct {
		display, network string
		addrs            []string
		bad              bool
	}{
		{display: ":0", network: "unix", addrs: []string{"@/tmp/.X11-unix/X0", "/tmp/.X11-unix/X0"}},
		{display: ":1.0", network: "unix", addrs: []string{"@/tmp/.X11-unix/X1", "/tmp/.X11-unix/X1"}},
		{display: "unix:2", network: "unix", addrs: []string{"@/tmp/.X11-unix/X2", "/tmp/.X11-unix/X2"}},
		{display: "unix/host:3", network: "unix", addrs: []string{"@/tmp/.X11-unix/X3", "/tmp/.X11-unix/X3"}},
		{display: "localhost:10.0", network: "tcp", addrs: []string{"localhost:6010"}},
		{display: "tcp/192.0.2.7:1", network: "tcp", addrs: []string{"192.0.2.7:6001"}},
		{display: "[::1]:2", network: "tcp", addrs: []string{"[::1]:6002"}},
		{display: "host", bad: true},
		{display: ":x", bad: true},
		{display: ":-1", bad: true},
		{display: ":99999", bad: true},
		{display: "decnet::0", bad: true},
	}
	for _, c := range cases {
		network, addrs, err := xDisplayAddr(c.display)
		if c.bad {
			if err == nil {
				t.Errorf("xDisplayAddr(%q) = %s %q, want an error", c.display, network, addrs)
			}
			continue
		}
		if err != nil || network != c.network || !reflect.DeepEqual(addrs, c.addrs) {
			t.Errorf("xDisplayAddr(%q) = %s %q, %v; want %s %q", c.display, network, addrs, err, c.network, c.addrs)
		}
	}
}

// Check against real listeners: an abstract X socket and a TCP display port, then with them
// closed (the one-line error says why).
func TestCheckDialsTheDisplay(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	if err := Check(env()); err == nil || !strings.Contains(err.Error(), "DISPLAY is not set") || !strings.Contains(err.Error(), "xvfb-run") ||
		!strings.Contains(err.Error(), "run the commands with connectedapplab-cli") || !strings.Contains(err.Error(), "`connectedapplab-cli emulate` serves the demo org") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("no DISPLAY: %v; want one line naming connectedapplab-cli, the executable without the window", err)
	}
	if err := Check(env("WAYLAND_DISPLAY", "wayland-0")); err == nil || !strings.Contains(err.Error(), "X11") {
		t.Errorf("Wayland only: %v", err)
	}

	var ln net.Listener
	n := 3000
	for ; n < 3100 && ln == nil; n++ {
		ln, _ = net.Listen("unix", "@/tmp/.X11-unix/X"+strconv.Itoa(n))
	}
	n--
	if ln == nil {
		t.Fatal("no free abstract X socket between :3000 and :3100")
	}
	if err := Check(env("DISPLAY", ":"+strconv.Itoa(n))); err != nil {
		t.Errorf("live abstract X socket: %v", err)
	}
	ln.Close()
	if err := Check(env("DISPLAY", ":"+strconv.Itoa(n))); err == nil || !strings.Contains(err.Error(), "no X server answers on DISPLAY=:"+strconv.Itoa(n)) {
		t.Errorf("closed X socket: %v", err)
	}

	var tl net.Listener
	for p := 6000 + 3000; p < 6000+3100 && tl == nil; p++ {
		tl, _ = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	}
	if tl == nil {
		t.Fatal("no free TCP port between 9000 and 9100")
	}
	display := "127.0.0.1:" + strconv.Itoa(tl.Addr().(*net.TCPAddr).Port-6000)
	if err := Check(env("DISPLAY", display)); err != nil {
		t.Errorf("live TCP display %s: %v", display, err)
	}
	tl.Close()
	if err := Check(env("DISPLAY", display)); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("closed TCP display %s: %v", display, err)
	}
}
