package ui

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Options configure the window.
type Options struct {
	// Store holds the user's profiles. Nil means an empty in-memory store.
	Store ProfileStore
	// Prefs remembers the last profile; nil remembers nothing.
	Prefs fyne.Preferences
	// Demo, when set, runs the window on an emulated org: its store replaces Store and a
	// banner says so.
	Demo *Demo
	// OfferDemo asks, when there is no profile yet, whether to open the demo org.
	OfferDemo bool
	// Flows is the flow catalogue the flow picker and the form read; nil means flows.Catalog().
	// Tests add a flow here.
	Flows []flows.Spec
	// TickEvery is how often countdowns update: 0 means every second, negative never (tests).
	TickEvery time.Duration
}

// PrefLastProfile is the preference key of the last selected profile's ID.
const PrefLastProfile = "lastProfile"

// Lab is the coordinator: it owns the window's state (the profile being edited, the last run,
// what runs now) and wires the views, each in its own file, which see only the narrow
// interface they need: the profiles list (profiles.go), the profile form, flow picker and
// scope checklist (form.go, pickers.go) in the profile column (profilecolumn.go), the App
// settings view (appview.go), the actions bar (actions.go), the running view (run.go) and the
// results (resultspane.go, results.go, tokens.go), and the diagnosis (diagnosis.go).
type Lab struct {
	win   fyne.Window
	be    Backend
	opt   Options
	store ProfileStore
	demo  *Demo
	ctx   context.Context
	stop  context.CancelFunc

	profiles *profilesPanel
	form     *profileForm
	flowPick *flowPicker
	scopes   *scopeChecklist
	app      *appView // built the first time the App settings tab is shown
	run      *runView
	*profileColumn
	*actionsView
	*resultsPane
	status  *widget.Label
	banner  *fyne.Container
	content fyne.CanvasObject

	current Profile // the profile being edited, as last loaded or saved
	dirty   bool
	drafts  map[string]draft
	apps    map[string]*appState // the App settings of each profile, by profile ID
	// rotation is, by profile ID, whether the last refresh rotated the refresh token.
	rotation map[string]bool

	cancel    context.CancelFunc
	running   bool
	runSeq    int
	last      *runState
	cleared   *runState // the last run when another profile's choice cleared it (lastRunToken)
	stopTick  func()
	offset    atomic.Int64 // how far the demo org's clock was moved (a time.Duration); read by requests' clocks
	clipboard string       // last copied text (tests read it)

	// Why did it stop? (diagnosis.go)
	obtained     map[string]time.Time // when each refresh token was received
	diagnosis    *Diagnosis           // shown in place of the results until Back or a new run
	diagText     string               // the shown diagnosis as text (tests)
	urlExplained string               // the last explained error-page URL's text (tests)
	budget       *Budget
	budgetSeq    int

	lastDialog    string     // title of the last dialog shown (tests)
	confirmRevoke func(bool) // confirms the open Revoke dialog (tests); nil when none is open

	timelineTab *timelineView // the Timeline tab of the results (timelineview.go)
	checks      *checkView    // the app checkup, shown in place of the results (checkview.go)
	benches     *benchView    // the rotation bench, likewise (benchview.go)
}

// New builds the window's content. Call Content for the canvas object, Install to add the
// shortcuts, Start to load the profiles, and Close when the window closes.
func New(win fyne.Window, be Backend, opt Options) *Lab {
	l := &Lab{win: win, be: be, opt: opt, drafts: map[string]draft{}, apps: map[string]*appState{},
		obtained: map[string]time.Time{}, rotation: map[string]bool{}}
	l.ctx, l.stop = context.WithCancel(context.Background())
	l.store = opt.Store
	if l.store == nil {
		l.store = NewMemoryStore(nil, nil)
	}
	l.stopTick = func() {}
	l.build()
	if opt.Demo != nil {
		l.useDemo(opt.Demo)
	}
	return l
}

func (l *Lab) tickEvery() time.Duration {
	if l.opt.TickEvery == 0 {
		return time.Second
	}
	return l.opt.TickEvery
}

// now is the clock the countdowns use: the demo org's clock when it was moved.
func (l *Lab) now() time.Time { return l.be.now().Add(time.Duration(l.offset.Load())) }

// orgClock is the clock of the org the window's requests go to, for flows.Options.Now: nil
// (this machine's clock) for a real org; in the demo, the emulated org's clock, which the
// Advance org clock action moves. It is safe to call from any goroutine.
func (l *Lab) orgClock() func() time.Time {
	if l.demo == nil {
		return nil
	}
	if l.demo.Now != nil {
		return l.demo.Now
	}
	be, off := l.be, &l.offset
	return func() time.Time { return be.now().Add(time.Duration(off.Load())) }
}

func (l *Lab) build() {
	l.profiles = newProfilesPanel()
	l.profiles.onSelect = l.selectProfile
	l.profiles.onAdd = l.addProfile
	l.profiles.onDuplicate = l.duplicateProfile
	l.profiles.onDelete = l.deleteProfile
	l.profiles.onImport = l.importProfiles

	cat := l.opt.Flows
	if cat == nil {
		cat = flows.Catalog()
	}
	l.form = newProfileForm()
	l.form.catalog = cat
	l.form.onChanged = l.markDirty
	l.form.checkCallback = l.be.CheckCallback
	l.form.chooseKey = l.chooseKeyFile
	l.form.pasteKey = l.pasteKey
	l.flowPick = newFlowPicker(guidance.FlowsIn(cat, l.be.now()))
	l.flowPick.onChanged = func(f flows.Flow) { l.form.showFor(f); l.relayoutProfile(); l.markDirty() }
	l.scopes = newScopeChecklist(guidance.Scopes())
	l.scopes.onChanged = l.markDirty
	l.form.showFor("")

	l.status = &widget.Label{Text: "Pick a profile, choose a flow and press Run (Ctrl+Enter).", Truncation: fyne.TextTruncateEllipsis}
	upper, lower := l.profileParts()
	l.profileColumn = newProfileColumn(l, upper, lower)
	l.run = newRunView(l, l.Cancel, l.now)
	l.resultsPane = newResultsPane(l.run.stepsList())
	l.actionsView = newActionsView(l, l.be)
	l.timelineTab = newTimelineView(l.now, l.tickEvery())
	l.timelineTab.attach(l.tabs)
	if sp, ok := l.resultsPane.box.(*container.Split); ok { // the results above the tabs
		l.timelineTab.room = splitRoom(sp, 0.3)
	}
	l.checks = newCheckView(l.ctx, l.be.Checkup, saveDialog(l.win, l.setStatus), l.setStatus, l.backToResults)
	l.benches = newBenchView(l.ctx, l.be.RotationBench, l.backToResults)
	l.benchBtn = addViewButtons(l.runBar, l.actionsBar, l.be, l.Check, l.Bench)

	right := newBarAbove(container.NewVBox(l.actionsBar, widget.NewSeparator()), l.resultsPane.box)
	// The columns' shares at any width; each column's minimum is small enough (TestWindowMinimum)
	// that at 1024 pixels the results column, the answer included, is all visible.
	inner := container.NewHSplit(l.profileColumn.box, right)
	inner.Offset = 0.37
	outer := container.NewHSplit(l.profiles.content(), inner)
	outer.Offset = 0.16
	l.banner = container.NewVBox()
	l.content = container.NewBorder(l.banner, container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, themePicker(l.opt.Prefs), l.status)), nil, nil, outer)
}

// Content is the window's content.
func (l *Lab) Content() fyne.CanvasObject { return l.content }

// Install adds the keyboard shortcuts to the window: Ctrl+Enter or Ctrl+R runs, Escape or
// Ctrl+. cancels, Ctrl+S saves, Ctrl+Shift+C copies the access token, Ctrl+Shift+P calls the
// API, Ctrl+Shift+I introspects, Ctrl+Shift+A advances the demo org's clock. They work while
// one of the window's widgets has the focus too: it passes them on (keys.go says which parts
// of Fyne's own widgets cannot).
func (l *Lab) Install() {
	c := l.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: mod}, func(fyne.Shortcut) { l.Run() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: mod}, func(fyne.Shortcut) { l.Run() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: mod}, func(fyne.Shortcut) { l.Run() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyPeriod, Modifier: mod}, func(fyne.Shortcut) { l.Cancel() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod}, func(fyne.Shortcut) { l.Save() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { l.copyAccessToken() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { l.CallAPI() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { l.Introspect() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { l.AdvanceClock() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			l.Cancel()
		}
	})
}

// Start loads the profiles (in the background) and selects the last one used.
func (l *Lab) Start() {
	l.reload(l.lastProfileID(), func(items []Profile) {
		if len(items) == 0 && l.demo == nil && l.opt.OfferDemo && l.be.StartDemo != nil {
			l.offerDemo()
		}
	})
}

// Close cancels what runs and stops the demo org.
func (l *Lab) Close() {
	if l.cancel != nil {
		l.cancel()
	}
	l.stopTick()
	l.timelineTab.stop()
	l.stop()
	if l.demo != nil && l.demo.Stop != nil {
		l.demo.Stop()
		l.demo.Stop = nil
	}
}

func (l *Lab) lastProfileID() string {
	if l.opt.Prefs == nil || l.demo != nil {
		return ""
	}
	return l.opt.Prefs.String(PrefLastProfile)
}

func (l *Lab) setStatus(text string, imp widget.Importance) {
	l.status.Importance = imp
	l.status.SetText(text)
}
