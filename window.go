//go:build !headless

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"

	"github.com/connectedapplab/connectedapplab/assets"
	"github.com/connectedapplab/connectedapplab/cli"
	"github.com/connectedapplab/connectedapplab/internal/display"
	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// AppID is the Fyne app ID; FyneApp.toml has the same.
const AppID = "io.github.connectedapplab"

// Preference keys of the window's own state (ui keeps the last profile).
const (
	prefWidth  = "windowWidth"
	prefHeight = "windowHeight"
	prefSeen   = "firstRunDone"
)

// The close path. Fyne 2.7 ends its run loop when its driver quits: the loop terminates GLFW,
// then hands every fyne.Do that comes later to the goroutine that called it, so GLFW code
// that runs after the quit panics ("NotInitialized: The GLFW library is not initialized").
// Fyne's own SIGINT/SIGTERM handler (glfw driver, catchTerm) quits the driver as well, so a
// signal starts two close paths at once; an app that reacts to it with window calls (Hide,
// then Close a moment later, as this file once did) sometimes runs them after the quit.
// Closing the window (w.Close or App.Quit, which closes every window) is no better: mouse
// moves already queued for the window are then handled for a window without a view, and
// Fyne's cursor update dereferences it (nil pointer in processMouseMoved).
//
// So the window is never closed, nor hidden: quitApp quits the driver, which is what closing
// the master window does in the end, without the window calls. The loop then terminates GLFW
// with the window in it. quitApp touches nothing of GLFW, so it is safe wherever it runs,
// also on a goroutine after the loop has gone. Not App.Quit either: it closes the windows
// (above), and it stops a settings watcher it may never have made (none when inotify is out
// of instances), which panics.
//
// One more race is Fyne's own: when its loop stops it hands its stop hook (which saves the
// preferences) to the lifecycle queue, which runs it through the main-thread queue that the
// loop is draining at that moment; a hook that comes just after the drain is never run nor
// answered, and Run waits for it for ever (scripts/shake-window saw 2 such hangs in 48 runs).
// takeStopHook takes the hook out of Fyne's hands; the app runs it itself after Run.
func quitApp(a fyne.App) { a.Driver().Quit() }

// takeStopHook removes Fyne's stop hook (and any OnStopped: this app sets none), so that the
// stopping loop queues nothing, and returns it to be run once Run has returned. The methods
// are exported ones of Fyne's lifecycle type (fyne.io/fyne/v2/internal/app.Lifecycle); if a
// later Fyne lacks them, nothing changes and nil is returned.
func takeStopHook(a fyne.App) func() {
	l, ok := a.Lifecycle().(interface {
		OnStopped() func()
		SetOnStopped(func())
		SetOnStoppedHookExecuted(func())
	})
	if !ok {
		return nil
	}
	hook := l.OnStopped()
	l.SetOnStopped(nil)
	l.SetOnStoppedHookExecuted(nil)
	return hook
}

// windowCommand is the window command of the command line (cli.Window): it declares the
// window's flags and returns what opens the window once they are parsed.
func windowCommand(fs *flag.FlagSet) func(context.Context, *cli.Env) int {
	demo := fs.Bool("demo", false, "open the window on the built-in emulated Salesforce org (sfemu) with one profile per demo scenario")
	configDir := fs.String("config-dir", "", "`directory` of the profiles file (default: the user config directory)")
	return func(ctx context.Context, env *cli.Env) int { return openWindow(ctx, env, *demo, *configDir) }
}

// openWindow opens the window: `connectedapplab` on the user's profiles (offering the demo
// on a first run), `connectedapplab --demo` on the built-in emulated org.
func openWindow(ctx context.Context, env *cli.Env, demo bool, configDir string) (code int) {
	if err := display.Check(env.Getenv); err != nil {
		fmt.Fprintf(env.Stderr, "connectedapplab: %v\n", err)
		return 2
	}

	// A window that cannot start (GLFW cannot open the display, no OpenGL, a remote desktop
	// without it) makes Fyne 2.7 panic in GLFW calls on this goroutine before the window is up:
	// that is one line and status 2, with what works without a window. A panic after the
	// window has started is a bug and stays a panic.
	var started atomic.Bool
	held := &startLog{out: env.Stderr}
	log.SetOutput(held)
	defer func() {
		if r := recover(); r != nil {
			if started.Load() {
				panic(r)
			}
			code = startFailed(env, held, fmt.Sprint(r))
		}
	}()
	a := app.NewWithID(AppID)
	var w fyne.Window
	a.Lifecycle().SetOnStarted(func() {
		started.Store(true)
		held.pass()
		if s := w.Canvas().Size(); s.Width > 0 { // within the screen (screen.go)
			if fit := fitScreen(s, screenSize(w.Canvas().Scale())); fit != s {
				w.Resize(fit)
			}
		}
	})
	a.SetIcon(assets.WindowIcon)
	w = a.NewWindow("Connected App Lab")
	prefs := a.Preferences()
	ui.ApplyTheme(a, prefs) // the saved light/dark/system choice, with colours that meet WCAG AA

	be := wire.NewBackend(wire.Options{Version: cli.Version})
	opt := ui.Options{Prefs: prefs}
	if demo {
		d, err := wire.StartDemo(ctx, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: the demo org did not start: %v\n", err)
			return 1
		}
		opt.Demo = d
		w.SetTitle("Connected App Lab — demo (emulated org)")
	} else {
		st, err := wire.OpenStore(configDir)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: %v\n", err)
			return 1
		}
		opt.Store = st
		opt.OfferDemo = !prefs.Bool(prefSeen) // set when the window closes: no preference is written at start
	}

	lab := ui.New(w, be, opt) // builds widgets only: nothing is measured before WarmTexts
	// The content joins an empty root after the window has its size, rather than going to
	// SetContent and then Resize: SetContent lays its content out at the content's minimum
	// size, and Resize measures that minimum again, two passes over columns of wrapped text
	// and icons thrown away a moment later when the window opens at its real size. The root
	// is laid out once, at that size, when the window is created (which also makes the window
	// at least as large as the content's minimum).
	textsMeasured := lab.WarmTexts() // fonts and texts, while the window is being created; the root waits for it
	root := container.New(ui.WaitingStack(textsMeasured))
	w.SetContent(root)
	wd, ht := prefs.FloatWithFallback(prefWidth, 1280), prefs.FloatWithFallback(prefHeight, 800)
	w.Resize(fyne.NewSize(float32(max(wd, 900)), float32(max(ht, 600))))
	root.Objects = []fyne.CanvasObject{lab.Content()}
	lab.Install()
	w.SetMaster()
	var closeOnce sync.Once
	closeLab := func() { // on the UI goroutine, or once the loop has gone on any (hence the Once)
		closeOnce.Do(func() {
			s := w.Canvas().Size()
			prefs.SetFloat(prefWidth, float64(s.Width))
			prefs.SetFloat(prefHeight, float64(s.Height))
			if !demo {
				prefs.SetBool(prefSeen, true)
			}
			lab.Close()
		})
	}
	w.SetCloseIntercept(func() { // the close button, or the window manager's close
		closeLab()
		quitApp(a)
	})
	loopDone := make(chan struct{})
	go func() { // Ctrl-C or SIGTERM; Fyne quits on them too, and whichever comes first wins
		select {
		case <-ctx.Done():
			fyne.Do(func() {
				closeLab()
				quitApp(a)
			})
		case <-loopDone:
		}
	}()
	stopHook := takeStopHook(a)
	lab.Start()
	w.ShowAndRun()
	close(loopDone)
	if !started.Load() && ctx.Err() == nil { // Fyne gave up on the window without a panic
		return startFailed(env, held, "the window was not created")
	}
	closeLab()
	if stopHook != nil {
		stopHook() // Fyne's: writes the preferences now, window size included
	}
	return 0
}

// oneLine joins a message's lines and runs of spaces into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// startFailed prints the one line of a window that could not start: what GLFW said, else
// what Fyne panicked with, and what works without a window. Status 2.
func startFailed(env *cli.Env, held *startLog, fallback string) int {
	why := held.platformError()
	if why == "" {
		why = fallback
	}
	fmt.Fprintf(env.Stderr, "connectedapplab: the window could not start (%s): %s\n", oneLine(why), display.Hint)
	return 2
}

// startLog holds what Fyne and GLFW log (through the standard logger) until the window has
// started; then it passes the held lines, and everything after them, on to out. When the window
// cannot start, its GLFW error becomes part of the one line instead of a log and a stack trace.
type startLog struct {
	mu     sync.Mutex
	out    io.Writer
	passed bool
	held   []byte
	// a preferences reload report being read (see dropReload)
	reload   []byte
	reloadAt bool
}

const maxStartLog = 64 << 10

func (l *startLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dropReload(p) {
		return len(p), nil
	}
	if l.passed {
		return l.out.Write(p)
	}
	l.held = append(l.held, p...)
	if len(l.held) > maxStartLog {
		l.held = l.held[len(l.held)-maxStartLog:]
	}
	return len(p), nil
}

// dropReload drops Fyne 2.7's report of a preferences reload that read its own file while
// Fyne was rewriting it (an upstream race: its file watcher reloads after a write that is not
// atomic, and an empty or half-written file decodes to EOF; the values in memory are kept, so
// nothing is lost). That report is three log lines: the error, "Cause: EOF" (or unexpected
// EOF) and "At: …/preferences.go". Any other report is passed on whole.
func (l *startLog) dropReload(p []byte) bool {
	line := string(p)
	switch {
	case strings.Contains(line, "Fyne error:  Preferences load error:"):
		l.reload = append(l.reload[:0], p...)
		return true
	case len(l.reload) > 0 && (strings.HasSuffix(line, "Cause: EOF\n") || strings.HasSuffix(line, "Cause: unexpected EOF\n")):
		l.reload, l.reloadAt = l.reload[:0], true
		return true
	case l.reloadAt && strings.Contains(line, "At: ") && strings.Contains(line, "preferences.go"):
		l.reloadAt = false
		return true
	}
	l.reloadAt = false
	if len(l.reload) > 0 { // another cause: the report is real, pass its first line on too
		held := l.reload
		l.reload = nil
		if l.passed {
			l.out.Write(held)
		} else {
			l.held = append(l.held, held...)
		}
	}
	return false
}

// pass writes what was held and passes every later write straight on.
func (l *startLog) pass() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.passed {
		l.passed = true
		l.out.Write(l.held)
		l.held = nil
	}
}

// platformError is the last GLFW error logged ("PlatformError: X11: Failed to open display
// :77" gives "X11: Failed to open display :77"), or "".
func (l *startLog) platformError() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.Split(string(l.held), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if _, after, ok := strings.Cut(lines[i], "PlatformError: "); ok {
			return after
		}
	}
	return ""
}
