package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"

	"github.com/connectedapplab/connectedapplab/assets"
	"github.com/connectedapplab/connectedapplab/cli"
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

// closeSoon hides the window at once and closes it a moment later; closing the master window
// ends the app. Not at once: Fyne 2.7 crashes (nil pointer in processMouseMoved) when a mouse
// move that was already queued for the window arrives after Close and changes the cursor, as
// when Ctrl-C comes just as the window opened under the pointer. A hidden window gets no new
// mouse events, and those already queued arrive while it still exists. Not a.Quit() either:
// Fyne 2.7's Quit closes its settings watcher without checking it was made (none when inotify
// is out of instances) and panics.
func closeSoon(w fyne.Window) {
	w.Hide()
	time.AfterFunc(100*time.Millisecond, func() { fyne.Do(w.Close) })
}

// openWindow opens the window: `connectedapplab` on the user's profiles (offering the demo
// on a first run), `connectedapplab --demo` on the built-in emulated org.
func openWindow(ctx context.Context, args []string, env *cli.Env) int {
	fs := flag.NewFlagSet("connectedapplab", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	demo := fs.Bool("demo", false, "open the window on the built-in emulated Salesforce org (sfemu) with one profile per demo scenario")
	configDir := fs.String("config-dir", "", "`directory` of the profiles file (default: the user config directory)")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	a := app.NewWithID(AppID)
	a.SetIcon(assets.WindowIcon)
	w := a.NewWindow("Connected App Lab")
	prefs := a.Preferences()

	be := wire.NewBackend(wire.Options{})
	opt := ui.Options{Prefs: prefs}
	if *demo {
		d, err := wire.StartDemo(ctx, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: the demo org did not start: %v\n", err)
			return 1
		}
		opt.Demo = d
		w.SetTitle("Connected App Lab — demo (emulated org)")
	} else {
		st, err := wire.OpenStore(*configDir)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: %v\n", err)
			return 1
		}
		opt.Store = st
		opt.OfferDemo = !prefs.Bool(prefSeen)
		prefs.SetBool(prefSeen, true)
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
	w.SetCloseIntercept(func() {
		s := w.Canvas().Size()
		prefs.SetFloat(prefWidth, float64(s.Width))
		prefs.SetFloat(prefHeight, float64(s.Height))
		lab.Close()
		closeSoon(w)
	})
	go func() { // Ctrl-C in the terminal closes the window like the close button
		<-ctx.Done()
		fyne.Do(func() {
			lab.Close()
			closeSoon(w)
		})
	}()
	lab.Start()
	w.ShowAndRun()
	lab.Close()
	return 0
}
