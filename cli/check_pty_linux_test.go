package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal and returns its controller and the terminal end.
func openPTY(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	var unlock int32
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		ptmx.Close()
		t.Skipf("unlockpt: %v", e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		ptmx.Close()
		t.Skipf("ptsname: %v", e)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ptmx.Close()
		t.Skipf("open the terminal end: %v", err)
	}
	return ptmx, tty
}

// ptyCheck runs check with args, its stderr a terminal, and returns what the terminal showed.
func ptyCheck(t *testing.T, c *checkOrg, args ...string) (int, string, string) {
	t.Helper()
	ptmx, tty := openPTY(t)
	defer ptmx.Close()
	var seen bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&seen, ptmx); close(done) }() // drains the terminal until it closes
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code, out := c.check(ctx, tty, args...)
	tty.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		ptmx.Close()
		<-done
	}
	return code, strings.ReplaceAll(seen.String(), "\r\n", "\n"), out
}

// On a terminal, progress is on without --progress.
func TestCheckProgressOnATerminal(t *testing.T) {
	c := startCheckOrg(t)
	c.addProfile("web", c.org.App(t, "Web App"), c.org.CallbackURL, nil, nil)
	code, text, out := ptyCheck(t, c, "--profile", "web")
	if code != ExitOK || !strings.Contains(text, "· username-password ...\n") || !strings.Contains(text, "· username-password: works") ||
		!strings.Contains(text, "check: ") || strings.Contains(out, "· ") {
		t.Errorf("exit %d; terminal:\n%s\nstdout:\n%s", code, text, out)
	}
}

// --progress=false turns progress off on a terminal too.
func TestCheckProgressFalseOnATerminal(t *testing.T) {
	c := startCheckOrg(t)
	c.addProfile("web", c.org.App(t, "Web App"), c.org.CallbackURL, nil, nil)
	code, text, out := ptyCheck(t, c, "--profile", "web", "--progress=false")
	if code != ExitOK || strings.Contains(text, "· ") || strings.Contains(out, "· ") || !strings.Contains(out, "username-password") {
		t.Errorf("exit %d; terminal:\n%s\nstdout:\n%s", code, text, out)
	}
}
