package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
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
	// TickEvery is how often countdowns update: 0 means every second, negative never (tests).
	TickEvery time.Duration
}

// PrefLastProfile is the preference key of the last selected profile's ID.
const PrefLastProfile = "lastProfile"

// ListenTimeout is how long a browser or device flow waits for the person.
const ListenTimeout = 5 * time.Minute

// Lab is the main window's content and its state.
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
	current  Profile // the profile being edited, as last loaded or saved
	dirty    bool
	drafts   map[string]draft
	apps     map[string]*appState // the App settings of each profile, by profile ID

	midTabs  *container.AppTabs // Profile | App settings: the header only
	midStack *fyne.Container    // the profile form, then the App settings view once built
	// profileBox is the profile view's column; profileLower (flow picker and scopes, below
	// the fold of the first frame) joins it right after the window opens (Start).
	profileBox    *fyne.Container
	profileLower  []fyne.CanvasObject
	profileScroll *container.Scroll
	appTab        *container.TabItem
	app           *appView        // built the first time the tab is shown
	lintLine      *fyne.Container // "App settings lint: …" above Run; hidden when clean
	lintText      *widget.Label

	runBtn, cancelBtn, saveBtn *keyButton
	status                     *widget.Label
	banner                     *fyne.Container

	run        *runView
	lifetimes  *lifetimesView
	guide      *guidanceView
	center     *fyne.Container // empty hint, running view, or results
	emptyHint  fyne.CanvasObject
	resultView fyne.CanvasObject
	tabs       *container.AppTabs
	stepsTab   *container.TabItem
	tokensTab  *container.TabItem
	claimsTab  *container.TabItem
	transTab   *container.TabItem

	introspectBtn, refreshBtn, revokeBtn, callBtn, copyBtn *keyButton
	advanceSel                                             *keySelect
	advanceBtn                                             *keyButton
	actionsBar                                             *fyne.Container

	cancel    context.CancelFunc
	running   bool
	runSeq    int
	last      *runState
	stopTick  func()
	offset    atomic.Int64 // how far the demo org's clock was moved (a time.Duration); read by requests' clocks
	content   fyne.CanvasObject
	root      *fyne.Container
	clipboard string // last copied text (tests read it)

	// Why did it stop? (diagnosis.go)
	diagnoseBtn, explainURLBtn *keyButton
	adminSel                   *keySelect
	obtained                   map[string]time.Time // when each refresh token was received
	diagnosis                  *Diagnosis           // shown in place of the results until Back or a new run
	diagText                   string               // the shown diagnosis as text (tests)
	urlExplained               string               // the last explained error-page URL's text (tests)
	budgetLine                 *fyne.Container      // the approval budget above Run
	budgetText                 *widget.Label
	budgetRevoke               *keyButton
	budget                     *Budget
	budgetSeq                  int

	lastDialog    string     // title of the last dialog shown (tests)
	confirmRevoke func(bool) // confirms the open Revoke dialog (tests); nil when none is open
}

type draft struct {
	p Profile
	s Secrets
}

// runState is one run and what was done with its result since.
type runState struct {
	profile       Profile
	secrets       Secrets
	req           flows.Request
	result        *flows.Result
	introspection *flows.Introspection
	apiErr        *flows.OAuthError
	extra         []flows.Exchange
	steps         []flows.Progress
	report        guidance.Report
}

// New builds the window's content. Call Content for the canvas object, Install to add the
// shortcuts, Start to load the profiles, and Close when the window closes.
func New(win fyne.Window, be Backend, opt Options) *Lab {
	l := &Lab{win: win, be: be, opt: opt, drafts: map[string]draft{}, apps: map[string]*appState{},
		obtained: map[string]time.Time{}}
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

	l.form = newProfileForm()
	l.form.onChanged = l.markDirty
	l.form.checkCallback = l.be.CheckCallback
	l.form.chooseKey = l.chooseKeyFile
	l.form.pasteKey = l.pasteKey
	l.flowPick = newFlowPicker(guidance.FlowsAt(l.be.now()))
	l.flowPick.onChanged = func(f flows.Flow) { l.form.showFor(f); l.relayoutProfile(); l.markDirty() }
	l.scopes = newScopeChecklist(guidance.Scopes())
	l.scopes.onChanged = l.markDirty
	l.form.showFor("")

	l.runBtn = keyed(&keyButton{Button: widget.Button{Text: "Run", Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: l.Run}})
	l.cancelBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Cancel", Icon: theme.MediaStopIcon(), OnTapped: l.Cancel}})
	l.saveBtn = keyed(&keyButton{Button: widget.Button{Text: "Save profile", Icon: theme.DocumentSaveIcon(), OnTapped: l.Save}})
	l.status = &widget.Label{Text: "Pick a profile, choose a flow and press Run (Ctrl+Enter).", Truncation: fyne.TextTruncateEllipsis}

	l.lintText = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance, SizeName: theme.SizeNameCaptionText}
	l.lintLine = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))),
		keyed(&keyButton{Button: widget.Button{Text: "Show", Importance: widget.LowImportance, OnTapped: l.ShowAppSettings}}), l.lintText)
	l.lintLine.Hide()
	l.budgetText = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	l.budgetRevoke = keyed(&keyButton{Button: widget.Button{Text: "Revoke stale", Importance: widget.LowImportance, OnTapped: l.RevokeStaleApproval}})
	l.budgetRevoke.Hide()
	// A long budget message scrolls in a few lines' height: the column never grows for it.
	budgetScroll := container.NewVScroll(l.budgetText)
	budgetScroll.SetMinSize(fyne.NewSize(0, 56))
	l.budgetLine = container.NewBorder(nil, nil, nil, container.NewVBox(l.budgetRevoke), budgetScroll)
	l.budgetLine.Hide()
	// The tabs are only the header: their contents stay empty, and midStack shows the chosen
	// view. AppTabs refreshes every tab's content when it first draws, which for the profile
	// form would create the renderer of every hidden widget (the "More scopes" rows) at start.
	l.profileBox = container.NewVBox(l.form.content(), widget.NewSeparator())
	l.profileLower = []fyne.CanvasObject{l.flowPick.content(), widget.NewSeparator(), l.scopes.content()}
	profileView := container.NewVScroll(l.profileBox)
	l.profileScroll = profileView
	profileTab := container.NewTabItem("Profile", layout.NewSpacer())
	l.appTab = container.NewTabItem("App settings", layout.NewSpacer())
	l.midTabs = container.NewAppTabs(profileTab, l.appTab)
	l.midStack = container.NewStack(profileView) // the App settings view joins on first show (appsettings.go)
	l.midTabs.OnSelected = func(it *container.TabItem) {
		if it == l.appTab {
			l.showApp()
		}
		for i, o := range l.midStack.Objects {
			if (i == 0) == (it == profileTab) {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	middle := container.NewBorder(l.midTabs,
		container.NewVBox(widget.NewSeparator(), l.lintLine, l.budgetLine, container.NewHBox(l.runBtn, l.cancelBtn, l.saveBtn)),
		nil, nil, l.midStack)

	l.run = newRunView(l)
	l.lifetimes = newLifetimesView()
	l.guide = newGuidanceView()
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(l.lifetimes.box)),
		container.NewVScroll(container.NewPadded(l.guide.box)))
	split.Offset = 0.45
	l.resultView = split
	l.emptyHint = container.NewCenter(&widget.Label{Text: "Results appear here: lifetimes beside guidance.",
		Importance: widget.LowImportance})
	l.center = container.NewStack(l.emptyHint)

	l.stepsTab = container.NewTabItem("Steps", l.run.stepsList())
	l.tokensTab = container.NewTabItem("Tokens", wrapped("No token yet."))
	l.claimsTab = container.NewTabItem("ID token", wrapped("No ID token yet."))
	l.transTab = container.NewTabItem("Transcript", wrapped("No HTTP exchange yet."))
	l.tabs = container.NewAppTabs(l.tokensTab, l.claimsTab, l.transTab, l.stepsTab)

	// The actions start disabled (no token yet; useDemo enables the clock), as updateActions
	// would set them.
	l.introspectBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Introspect", OnTapped: l.Introspect}})
	l.refreshBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Refresh", OnTapped: l.RefreshToken}})
	l.revokeBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Revoke", OnTapped: l.Revoke}})
	l.callBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Call API", OnTapped: l.CallAPI}})
	l.copyBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Copy token", OnTapped: l.copyAccessToken}})
	l.advanceSel = keyed(&keySelect{Select: widget.Select{Options: []string{"30m", "1h", "2h", "1d"}, Selected: "2h", PlaceHolder: "by"}}) // short: sizes the select
	l.advanceBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Advance org clock", Icon: theme.HistoryIcon(), OnTapped: l.AdvanceClock}})
	l.diagnoseBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Why did it stop?", Icon: theme.QuestionIcon(), OnTapped: l.Diagnose}})
	l.explainURLBtn = keyed(&keyButton{Button: widget.Button{Text: "Explain error page…", Importance: widget.LowImportance, OnTapped: l.askErrorURL}})
	l.adminSel = keyed(&keySelect{Select: widget.Select{Options: []string{noAdmin}, PlaceHolder: "Admin profile"}})
	l.adminSel.OnChanged = func(string) { l.checkBudget() }
	l.actionsBar = container.NewHBox(l.introspectBtn, l.refreshBtn, l.diagnoseBtn, l.revokeBtn, l.callBtn, l.copyBtn)
	if l.be.ExplainURL != nil {
		l.actionsBar.Add(l.explainURLBtn)
	}
	if l.be.DiagnoseRefresh != nil || l.be.ApprovalBudget != nil {
		l.actionsBar.Add(widget.NewLabel("Admin:"))
		l.actionsBar.Add(l.adminSel)
	}
	if l.be.DiagnoseRefresh == nil {
		l.diagnoseBtn.Hide()
	}

	right := container.NewBorder(container.NewVBox(container.NewHScroll(l.actionsBar), widget.NewSeparator()), nil, nil, nil,
		func() fyne.CanvasObject {
			v := container.NewVSplit(l.center, l.tabs)
			v.Offset = 0.6
			return v
		}())

	left := l.profiles.content()
	inner := container.NewHSplit(middle, right)
	inner.Offset = 0.36
	outer := container.NewHSplit(left, inner)
	outer.Offset = 0.15
	l.banner = container.NewVBox()
	l.root = container.NewBorder(l.banner, container.NewVBox(widget.NewSeparator(), l.status), nil, nil, outer)
	l.content = l.root
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

// relayoutProfile sizes the profile column to its minimum again and lays it out, after rows
// were shown or hidden or descriptions changed length: the scroll around it does not notice
// by itself, and the column kept its old height (a gap, or two lines of text in one).
func (l *Lab) relayoutProfile() {
	l.profileBox.Refresh()
	l.profileScroll.Refresh()
}

// addProfileLower adds the flow picker and the scope checklist below the profile form, once.
// They sit below the fold of the first frame at the usual window sizes and are a third of the
// window's start-up layout work (ten wrapped descriptions, seven checkboxes), so they join the
// column when the first profile list lands (Start), after the window has opened.
func (l *Lab) addProfileLower() {
	if l.profileLower == nil {
		return
	}
	l.profileBox.Objects = append(l.profileBox.Objects, l.profileLower...)
	l.profileLower = nil
	l.relayoutProfile()
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

// reload lists the profiles off the UI goroutine, then selects selectID (or the first).
func (l *Lab) reload(selectID string, then func([]Profile)) {
	store := l.store
	type listed struct {
		items []Profile
		err   error
	}
	background(func() listed { items, err := store.List(); return listed{items, err} }, func(r listed) {
		l.addProfileLower()
		if store != l.store {
			return // the demo replaced the store meanwhile
		}
		if r.err != nil {
			l.showError("Could not read the profiles", "The profiles could not be read; nothing was changed. "+
				"Fix the file or move it away, then restart.", r.err.Error())
			return
		}
		if selectID == "" || !slices.ContainsFunc(r.items, func(p Profile) bool { return p.ID == selectID }) {
			selectID = ""
			if len(r.items) > 0 {
				selectID = r.items[0].ID
			}
		}
		l.profiles.set(r.items, selectID)
		l.adminSel.SetOptions(l.adminNames())
		if p, ok := l.profiles.current(); ok && p.ID != l.current.ID {
			l.selectProfile(p)
		}
		if then != nil {
			then(r.items)
		}
	})
}

func (l *Lab) markDirty() {
	if !l.dirty {
		l.dirty = true
		l.saveBtn.Importance = widget.HighImportance
		l.saveBtn.SetText("Save profile •")
	}
}

func (l *Lab) clearDirty() {
	l.dirty = false
	l.saveBtn.Importance = widget.MediumImportance
	l.saveBtn.SetText("Save profile")
}

// readForm is the profile as typed, with its secrets.
func (l *Lab) readForm() (Profile, Secrets) {
	p, s := l.form.read(l.current)
	p.Flow = l.flowPick.flow()
	p.Scopes = l.scopes.selected()
	if app := l.appSettingsJSON(); app != nil {
		p.AppSettings = app // the App settings tab's, saved with the profile
	}
	return p, s
}

// selectProfile loads a profile into the form. What was typed into the previous one is kept
// as a draft, so switching back shows it again.
func (l *Lab) selectProfile(p Profile) {
	if l.current.ID != "" && l.dirty {
		dp, ds := l.readForm()
		l.drafts[l.current.ID] = draft{dp, ds}
	}
	if l.opt.Prefs != nil && l.demo == nil {
		l.opt.Prefs.SetString(PrefLastProfile, p.ID)
	}
	if d, ok := l.drafts[p.ID]; ok {
		l.loadProfile(d.p, d.s)
		l.markDirty()
		l.setStatus("Unsaved changes of "+p.Name+" are back in the form.", widget.MediumImportance)
		return
	}
	store := l.store
	background(func() draft {
		s, err := store.Secrets(p.ID)
		if err != nil {
			s = Secrets{}
		}
		return draft{p, s}
	}, func(d draft) {
		if cur, ok := l.profiles.current(); !ok || cur.ID != d.p.ID {
			return // another profile was picked meanwhile
		}
		l.loadProfile(d.p, d.s)
	})
}

func (l *Lab) loadProfile(p Profile, s Secrets) {
	l.current = p
	l.form.load(p, s)
	l.flowPick.set(p.Flow)
	l.form.showFor(p.Flow)
	l.scopes.set(p.Scopes)
	l.relayoutProfile()
	l.clearDirty()
	l.lintLine.Hide()
	if l.app != nil {
		l.app.load(l.appFor(p))
	}
	l.checkBudget()
}

// Save stores the profile and its secrets.
func (l *Lab) Save() {
	p, s := l.readForm()
	if p.Name == "" {
		l.showError("The profile has no name", "Give the profile a name (for example prod-integration), then save again.", "")
		return
	}
	store := l.store
	type saved struct {
		p   Profile
		err error
	}
	background(func() saved { q, err := store.Save(p, s); return saved{q, err} }, func(r saved) {
		if r.err != nil {
			l.setStatus("Not saved: "+oneLine(r.err.Error()), widget.DangerImportance)
			l.showError("Could not save the profile", "Nothing typed was lost: the form and the App settings tab still hold it.", r.err.Error())
			return
		}
		delete(l.drafts, r.p.ID)
		l.current = r.p
		l.appSaved(r.p.ID)
		l.clearDirty()
		l.setStatus("Saved "+r.p.Name+".", widget.SuccessImportance)
		l.reload(r.p.ID, nil)
	})
}

func (l *Lab) saveNew(p Profile, s Secrets, what string) {
	store := l.store
	type saved struct {
		p   Profile
		err error
	}
	background(func() saved {
		base := p.Name
		for i := 2; ; i++ {
			q, err := store.Save(p, s)
			if err == nil || i > 50 || !strings.Contains(err.Error(), "exists") {
				return saved{q, err}
			}
			p.Name = fmt.Sprintf("%s %d", base, i)
		}
	}, func(r saved) {
		if r.err != nil {
			l.showError("Could not "+what, "The profile was not saved.", r.err.Error())
			return
		}
		l.setStatus(fmt.Sprintf("%s: %s.", strings.ToUpper(what[:1])+what[1:], r.p.Name), widget.SuccessImportance)
		l.reload(r.p.ID, nil)
	})
}

func (l *Lab) addProfile() {
	l.saveNew(Profile{
		Name:        "New profile",
		LoginURL:    productionURL,
		AppKind:     AppKindConnected,
		Flow:        flows.WebServerPKCE,
		CallbackURL: "http://localhost:1717/OauthRedirect",
		Scopes:      []string{"api", "refresh_token"},
	}, Secrets{}, "add a profile")
}

func (l *Lab) duplicateProfile() {
	if _, ok := l.profiles.current(); !ok {
		return
	}
	p, s := l.readForm()
	p.ID = ""
	p.Name += " copy"
	l.saveNew(p, s, "duplicate the profile")
}

func (l *Lab) deleteProfile() {
	p, ok := l.profiles.current()
	if !ok {
		return
	}
	l.lastDialog = "Delete profile"
	dialog.ShowConfirm("Delete profile", fmt.Sprintf("Delete %q and its secrets in the keychain? This cannot be undone.", p.Name),
		func(yes bool) {
			if !yes {
				return
			}
			store := l.store
			background(func() error { return store.Delete(p.ID) }, func(err error) {
				if err != nil {
					l.showError("Could not delete the profile", "The profile is still there.", err.Error())
					return
				}
				delete(l.drafts, p.ID)
				delete(l.apps, p.ID)
				l.current = Profile{}
				l.setStatus("Deleted "+p.Name+".", widget.MediumImportance)
				l.reload("", nil)
			})
		}, l.win)
}

func (l *Lab) importProfiles() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			l.showError("Could not open the file", "Nothing was imported.", err.Error())
			return
		}
		if r == nil {
			return
		}
		l.importFrom(r)
	}, l.win)
	l.lastDialog = "Import profiles"
	d.Show()
}

func (l *Lab) importFrom(r io.ReadCloser) {
	store, decode := l.store, l.be.ImportProfiles
	if decode == nil {
		decode = decodeProfiles
	}
	type imported struct {
		names []string
		err   error
	}
	background(func() imported {
		defer r.Close()
		data, err := userfile.ReadCapped(r, "the chosen file", "import file", userfile.BundleLimit)
		if err != nil {
			return imported{err: err}
		}
		list, err := decode(data)
		if err != nil {
			return imported{err: err}
		}
		var names []string
		for _, p := range list {
			p.ID = ""
			base := p.Name
			for i := 2; i < 50; i++ {
				q, err := store.Save(p, Secrets{})
				if err == nil {
					names = append(names, q.Name)
					break
				}
				if !strings.Contains(err.Error(), "exists") {
					return imported{names, fmt.Errorf("%s: %w", base, err)}
				}
				p.Name = fmt.Sprintf("%s (imported %d)", base, i-1)
			}
		}
		return imported{names: names}
	}, func(r imported) {
		if r.err != nil {
			l.showError("Import failed", fmt.Sprintf("Imported %d profiles before the error.", len(r.names)), r.err.Error())
		} else {
			l.setStatus(fmt.Sprintf("Imported %d profiles: %s. Type their secrets, then save.", len(r.names), strings.Join(r.names, ", ")), widget.SuccessImportance)
		}
		l.reload("", nil)
	})
}

func (l *Lab) chooseKeyFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		l.form.jwtKeyFile.SetText(path)
	}, l.win)
	d.Show()
}

func (l *Lab) pasteKey() {
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder("-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----")
	e.SetMinRowsVisible(8)
	e.TextStyle = fyne.TextStyle{Monospace: true}
	d := dialog.NewCustomConfirm("Paste the JWT private key", "Use this key", "Cancel", e, func(ok bool) {
		if !ok {
			return
		}
		l.form.jwtKeyPEM = strings.TrimSpace(e.Text)
		l.form.updateJWTHint()
		l.markDirty()
	}, l.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// useDemo switches the window to the emulated org.
func (l *Lab) useDemo(d *Demo) {
	l.demo = d
	l.store = d.Store
	l.current = Profile{}
	l.drafts = map[string]draft{}
	l.apps = map[string]*appState{}
	text := d.Banner
	if text == "" {
		text = "Demo: this is an emulated Salesforce org running on this machine, not a real org. Every secret is a demo value."
	}
	msg := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.WarningImportance}
	// The org's own controls sit in the banner: the actions bar is full with the token's.
	var right []fyne.CanvasObject
	if d.AdvanceClock != nil {
		right = append(right, l.advanceSel, l.advanceBtn)
	}
	if len(d.Notes) > 0 {
		notesText := strings.Join(d.Notes, "\n")
		right = append(right, keyed(&keyButton{Button: widget.Button{Text: "Notes", Icon: theme.InfoIcon(), Importance: widget.LowImportance,
			OnTapped: func() { l.showError("About the emulated org", text, notesText) }}}))
	}
	l.banner.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())),
		container.NewHBox(right...), msg), widget.NewSeparator()}
	l.banner.Refresh()
	l.updateActions()
}

func (l *Lab) offerDemo() {
	l.lastDialog = "No profiles yet"
	dialog.ShowCustomConfirm("No profiles yet", "Open the demo org", "Start empty",
		&widget.Label{Text: "Connected App Lab keeps one profile per org and app. You have none yet.\n\n" +
			"The demo starts an emulated Salesforce org on this machine with one profile per scenario " +
			"(including the username-password question), so you can run every flow without a real org.",
			Wrapping: fyne.TextWrapWord},
		func(ok bool) {
			if ok {
				l.StartDemo()
			} else {
				l.addProfile()
			}
		}, l.win)
}

// StartDemo starts the emulated org in the background and switches to its profiles.
func (l *Lab) StartDemo() {
	if l.be.StartDemo == nil {
		return
	}
	l.setStatus("Starting the emulated org…", widget.MediumImportance)
	start, ctx := l.be.StartDemo, l.ctx
	type started struct {
		d   *Demo
		err error
	}
	background(func() started { d, err := start(ctx); return started{d, err} }, func(r started) {
		if r.err != nil {
			l.showError("The demo org did not start", "The emulated org could not start on this machine.", r.err.Error())
			return
		}
		l.useDemo(r.d)
		l.setStatus("Demo org started. Pick a scenario on the left and press Run.", widget.SuccessImportance)
		l.reload("", nil)
	})
}

// request builds the flows.Request for a profile.
func buildRequest(p Profile, s Secrets) flows.Request {
	req := flows.Request{
		Flow:          p.Flow,
		LoginURL:      p.LoginURL,
		MyDomainURL:   p.MyDomainURL,
		ClientID:      p.ClientID,
		ClientSecret:  s.ClientSecret,
		CallbackURL:   p.CallbackURL,
		Scopes:        slices.Clone(p.Scopes),
		Username:      p.Username,
		Password:      s.Password,
		SecurityToken: s.SecurityToken,
		RefreshToken:  s.RefreshToken,
	}
	if s.JWTKeyPEM != "" {
		req.JWTPrivateKeyPEM = []byte(s.JWTKeyPEM)
	}
	req.Options.ListenTimeout = ListenTimeout
	return req
}

// Run runs the chosen flow with what the form holds. The form is not touched, so nothing
// typed is lost when the flow fails.
func (l *Lab) Run() {
	if l.running {
		return
	}
	p, s := l.readForm()
	if p.Flow == "" {
		l.setStatus("Choose a flow first (the Flow list under the form).", widget.WarningImportance)
		return
	}
	if l.be.RunFlow == nil {
		l.showError("Running flows is not part of this build", "This build has no OAuth client wired in.", "")
		return
	}
	l.lintBeforeRun(p, s)
	req := buildRequest(p, s)
	if p.Flow == flows.TokenExchange {
		req.SubjectToken = l.form.subject.Text
		req.SubjectTokenType = strings.TrimSpace(l.form.subjType.Text)
	}
	if p.Flow == flows.SAMLBearer {
		req.SAMLAssertion = strings.TrimSpace(l.form.saml.Text)
	}
	l.start(p, s, req, l.be.RunFlow)
}

// RefreshToken runs the refresh token flow with the last refresh token.
func (l *Lab) RefreshToken() {
	if l.running || l.last == nil {
		return
	}
	rt := l.refreshTokenOf(l.last)
	if rt == "" {
		l.setStatus("No refresh token to use: request the refresh_token scope (and check the flow can issue one).", widget.WarningImportance)
		return
	}
	p, s := l.last.profile, l.last.secrets
	req := l.last.req
	req.Flow, req.RefreshToken = flows.Refresh, rt
	run := l.be.Refresh
	if run == nil {
		run = l.be.RunFlow
	}
	if run == nil {
		return
	}
	p.Flow = flows.Refresh
	l.start(p, s, req, run)
}

func (l *Lab) refreshTokenOf(st *runState) string {
	if st.result != nil && st.result.Token != nil && st.result.Token.RefreshToken != "" {
		return st.result.Token.RefreshToken
	}
	return st.req.RefreshToken
}

func (l *Lab) start(p Profile, s Secrets, req flows.Request, run func(context.Context, flows.Request, func(flows.Progress)) *flows.Result) {
	// In the demo, the client dates what it signs and checks (JWT iat/exp, ID token times) by
	// the emulated org's clock, which may have been moved forward. The follow-up calls
	// (introspect, revoke, call API, refresh) reuse this request, clock included.
	if clock := l.orgClock(); clock != nil {
		req.Options.Now = clock
	}
	l.running = true
	l.runSeq++
	seq := l.runSeq
	ctx, cancel := context.WithCancel(l.ctx)
	l.cancel = cancel
	l.stopTick()
	st := &runState{profile: p, secrets: s, req: req}
	prev := l.last
	l.diagnosis = nil
	l.runBtn.Disable()
	l.cancelBtn.Enable()
	l.updateActionsRunning()
	l.run.reset(req.Flow, l.now().Add(ListenTimeout))
	l.center.Objects = []fyne.CanvasObject{l.run.box}
	l.center.Refresh()
	l.tabs.Select(l.stepsTab)
	l.tabs.Refresh()
	l.stopTick = ticker(l.tickEvery(), func() { l.run.tick(l.now()) })
	l.setStatus(fmt.Sprintf("Running the %s flow… (Esc or Ctrl+. cancels)", req.Flow), widget.MediumImportance)

	progress := onUI(func(pr flows.Progress) {
		if seq != l.runSeq {
			return
		}
		st.steps = append(st.steps, pr)
		l.run.add(pr)
	})
	keyFile := p.JWTKeyFile
	background(func() *flows.Result {
		if req.Flow == flows.JWTBearer && len(req.JWTPrivateKeyPEM) == 0 && keyFile != "" {
			pem, err := userfile.Read(keyFile, "JWT private key", userfile.KeyLimit)
			if err != nil {
				return &flows.Result{Flow: req.Flow, Err: fmt.Errorf("%w; choose the PEM file of the key whose certificate is on the app", err)}
			}
			req.JWTPrivateKeyPEM = pem
			st.req.JWTPrivateKeyPEM = pem
		}
		res := run(ctx, req, progress)
		if res == nil {
			res = &flows.Result{Flow: req.Flow, Err: errors.New("the flow returned nothing")}
		}
		return res
	}, func(res *flows.Result) {
		if seq != l.runSeq {
			return
		}
		cancel()
		l.running = false
		l.cancel = nil
		l.runBtn.Enable()
		l.cancelBtn.Disable()
		l.stopTick()
		st.result = res
		// A refresh that did not rotate keeps the refresh token it used.
		if req.Flow == flows.Refresh && res.Token != nil && res.Token.RefreshToken == "" {
			st.req.RefreshToken = req.RefreshToken
		}
		if res.Err != nil && res.Token == nil && prev != nil && req.Flow == flows.Refresh {
			st.req.RefreshToken = req.RefreshToken
		}
		l.last = st
		l.refreshObtained(res)
		if rt := l.refreshTokenOf(st); rt != "" {
			l.form.loading = true
			l.form.refresh.SetText(rt)
			l.form.loading = false
		}
		l.explainAndShow()
		switch {
		case res.Err == nil:
			l.setStatus(fmt.Sprintf("%s flow done in %s.", res.Flow, elapsed(res.Duration)), widget.SuccessImportance)
			l.tabs.Select(l.tokensTab)
		case errors.Is(res.Err, context.Canceled):
			l.setStatus("Cancelled. The form still holds everything you typed.", widget.WarningImportance)
			l.tabs.Select(l.stepsTab)
		default:
			l.setStatus("Failed: "+res.Err.Error(), widget.DangerImportance)
			l.tabs.Select(l.transTab)
			if res.OAuthError == nil && len(res.Transcript.Exchanges()) == 0 {
				l.showError("The flow failed", "The flow stopped before the server answered. The form still holds everything you typed.", res.Err.Error())
			}
		}
	})
}

// Cancel stops the running flow or action.
func (l *Lab) Cancel() {
	if l.cancel != nil {
		l.setStatus("Cancelling…", widget.WarningImportance)
		l.cancel() // last: the run's end may land at once (synchronously in tests)
	}
}

// explainAndShow asks guidance about the last run and shows everything.
func (l *Lab) explainAndShow() {
	st := l.last
	if st == nil {
		return
	}
	res := st.result
	if st.apiErr != nil {
		cp := *res
		cp.Err, cp.OAuthError = st.apiErr, st.apiErr
		res = &cp
	}
	in := guidance.Input{Flow: st.result.Flow, Settings: GuidanceSettings(st.profile), Result: res,
		Introspection: st.introspection, Now: l.now(), RequestedScopes: st.req.Scopes}
	if l.be.Explain != nil {
		st.report = l.be.Explain(in)
	} else {
		st.report = fallbackReport(in)
	}
	l.lifetimes.render(&st.report, l.now())
	l.guide.render(&st.report)
	l.center.Objects = []fyne.CanvasObject{l.resultView}
	l.center.Refresh()

	l.tokensTab.Content = container.NewVScroll(tokenRows(st.result.Token, l.copyText))
	l.claimsTab.Content = container.NewVScroll(claimRows(st.result))
	all := append(slices.Clone(st.result.Transcript.Exchanges()), st.extra...)
	l.transTab.Content = container.NewVScroll(transcriptView(all, l.copyText))
	l.tabs.Refresh()
	l.updateActions()
	l.stopTick()
	l.stopTick = ticker(l.tickEvery(), func() { l.lifetimes.tick(l.now()) })
	l.showDiagnosis()
}

// fallbackReport is what the window shows when guidance is not wired in: the facts only.
func fallbackReport(in guidance.Input) guidance.Report {
	r := guidance.Report{Flow: in.Flow, Headline: "Guidance is not part of this build: the lifetimes below are the raw facts only."}
	if res := in.Result; res != nil {
		if res.Token != nil && res.Token.IssuedAt != "" {
			r.Lifetimes = append(r.Lifetimes, guidance.LifetimeRow{Label: "Issued", Value: issuedAtText(res.Token.IssuedAt), Source: "issued_at in the token response"})
		}
		r.Scopes = guidance.ScopeDiagnosis{Requested: in.RequestedScopes, Granted: res.GrantedScopes,
			RefreshTokenIssued: res.Token != nil && res.Token.RefreshToken != ""}
		if res.OAuthError != nil {
			r.Error = &guidance.ErrorExplanation{Code: res.OAuthError.Code, Description: res.OAuthError.Description}
		} else if res.Err != nil {
			r.Error = &guidance.ErrorExplanation{Code: "error", Description: res.Err.Error()}
		}
	}
	return r
}

func (l *Lab) hasToken() bool {
	return l.last != nil && l.last.result != nil && l.last.result.Token != nil && l.last.result.Token.AccessToken != ""
}

func (l *Lab) updateActions() {
	set := func(b *keyButton, ok bool) {
		if ok && !l.running {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	tok := l.hasToken()
	set(l.introspectBtn, tok && l.be.Introspect != nil)
	set(l.refreshBtn, l.last != nil && l.refreshTokenOf(l.last) != "" && (l.be.Refresh != nil || l.be.RunFlow != nil))
	set(l.revokeBtn, tok && l.be.Revoke != nil)
	set(l.callBtn, tok && l.be.CallAPI != nil)
	set(l.copyBtn, tok)
	set(l.diagnoseBtn, l.failedRefresh() && l.be.DiagnoseRefresh != nil)
	set(l.advanceBtn, l.demo != nil && l.demo.AdvanceClock != nil)
}

func (l *Lab) updateActionsRunning() {
	for _, b := range []*keyButton{l.introspectBtn, l.refreshBtn, l.diagnoseBtn, l.revokeBtn, l.callBtn, l.copyBtn, l.advanceBtn} {
		b.Disable()
	}
}

// action runs one follow-up call (introspect, revoke, call API, clock) in the background,
// cancellable like a flow.
func (l *Lab) action(name string, work func(ctx context.Context) ([]flows.Exchange, error), done func(err error)) {
	if l.running {
		return
	}
	l.running = true
	ctx, cancel := context.WithCancel(l.ctx)
	l.cancel = cancel
	l.runBtn.Disable()
	l.cancelBtn.Enable()
	l.updateActionsRunning()
	l.setStatus(name+"…", widget.MediumImportance)
	type out struct {
		ex  []flows.Exchange
		err error
	}
	st := l.last
	background(func() out { ex, err := work(ctx); return out{ex, err} }, func(o out) {
		cancel()
		l.running = false
		l.cancel = nil
		l.runBtn.Enable()
		l.cancelBtn.Disable()
		if st != nil {
			st.extra = append(st.extra, o.ex...)
		}
		done(o.err)
		if st != nil && st == l.last {
			l.explainAndShow()
		}
		l.updateActions()
	})
}

// Introspect asks the introspection endpoint about the access token.
func (l *Lab) Introspect() {
	if !l.hasToken() || l.be.Introspect == nil {
		return
	}
	st, intro := l.last, l.be.Introspect
	var got *flows.Introspection
	l.action("Introspecting the access token", func(ctx context.Context) ([]flows.Exchange, error) {
		in, ex, err := intro(ctx, st.req, st.result.Token.AccessToken)
		got = in
		return ex, err
	}, func(err error) {
		if err != nil {
			l.setStatus("Introspection failed: "+err.Error(), widget.DangerImportance)
			return
		}
		st.introspection = got
		if got != nil && got.Active && got.Exp > 0 {
			l.setStatus("Introspection: active until "+time.Unix(got.Exp, 0).Local().Format("15:04:05")+" if idle (read from the org).", widget.SuccessImportance)
		} else {
			l.setStatus("Introspection: the token is not active.", widget.WarningImportance)
		}
	})
}

// Revoke asks which token to revoke, then revokes it: the refresh token (which ends the
// sessions it issued too) or only the access token. Nothing is revoked without the confirm.
func (l *Lab) Revoke() {
	if l.running || !l.hasToken() || l.be.Revoke == nil {
		return
	}
	st := l.last
	const (
		optAccess  = "The access token: only this session ends"
		optRefresh = "The refresh token: it and every session it issued end; the app must log in again"
	)
	choice := &widget.RadioGroup{Options: []string{optAccess}, Selected: optAccess, Required: true}
	if l.refreshTokenOf(st) != "" {
		choice.Options = append(choice.Options, optRefresh)
	}
	body := container.NewVBox(
		&widget.Label{Text: "Revoking cannot be undone. Which token?", Wrapping: fyne.TextWrapWord},
		choice)
	l.lastDialog = "Revoke a token"
	d := dialog.NewCustomConfirm("Revoke a token", "Revoke", "Cancel", body, func(ok bool) {
		l.confirmRevoke = nil
		if ok {
			l.revoke(st, choice.Selected == optRefresh)
		}
	}, l.win)
	l.confirmRevoke = func(refresh bool) {
		if refresh && len(choice.Options) > 1 {
			choice.SetSelected(optRefresh)
		}
		d.Confirm()
	}
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// revoke revokes the access token, or the refresh token when refresh is set.
func (l *Lab) revoke(st *runState, refresh bool) {
	if st == nil || st.result == nil || st.result.Token == nil || l.be.Revoke == nil {
		return
	}
	revoke := l.be.Revoke
	tok, what := st.result.Token.AccessToken, "access token"
	if rt := l.refreshTokenOf(st); refresh && rt != "" {
		tok, what = rt, "refresh token (and the sessions it issued)"
	}
	l.action("Revoking the "+what, func(ctx context.Context) ([]flows.Exchange, error) {
		return revoke(ctx, st.req, tok)
	}, func(err error) {
		if err != nil {
			l.setStatus("Revoke failed: "+err.Error(), widget.DangerImportance)
			return
		}
		l.setStatus("Revoked the "+what+". Call API now to see what a revoked session answers.", widget.SuccessImportance)
	})
}

// CallAPI makes one REST call with the access token; an error such as INVALID_SESSION_ID is
// explained by guidance beside the lifetimes.
func (l *Lab) CallAPI() {
	if !l.hasToken() || l.be.CallAPI == nil {
		return
	}
	st, callAPI := l.last, l.be.CallAPI
	l.action("Calling the REST API", func(ctx context.Context) ([]flows.Exchange, error) {
		return callAPI(ctx, st.req, st.result.Token)
	}, func(err error) {
		var oe *flows.OAuthError
		switch {
		case err == nil:
			st.apiErr = nil
			l.setStatus("API call succeeded: the session is alive. See the transcript.", widget.SuccessImportance)
		case errors.As(err, &oe):
			st.apiErr = oe
			l.setStatus(fmt.Sprintf("API call failed: %s. The guidance says what it means and what to do next.", oe.Error()), widget.DangerImportance)
		default:
			l.setStatus("API call failed: "+err.Error(), widget.DangerImportance)
		}
		if err != nil {
			l.tabs.Select(l.transTab)
		}
	})
}

// AdvanceClock moves the demo org's clock forward, so the session can expire now.
func (l *Lab) AdvanceClock() {
	if l.demo == nil || l.demo.AdvanceClock == nil {
		return
	}
	by, err := time.ParseDuration(strings.Replace(l.advanceSel.Selected, "1d", "24h", 1))
	if err != nil {
		by = 2 * time.Hour
	}
	adv := l.demo.AdvanceClock
	l.action("Moving the emulated org's clock forward "+l.advanceSel.Selected, func(ctx context.Context) ([]flows.Exchange, error) {
		return nil, adv(ctx, by)
	}, func(err error) {
		if err != nil {
			l.showError("The org's clock did not move", "The emulator refused to move its clock.", err.Error())
			return
		}
		ahead := time.Duration(l.offset.Add(int64(by)))
		l.setStatus(fmt.Sprintf("The emulated org is now %s ahead of this machine. Press Call API to see what the app gets.", shortDuration(ahead)), widget.WarningImportance)
	})
}

func (l *Lab) copyAccessToken() {
	if l.hasToken() && !l.running { // while a run goes on, the shown token is the previous one
		l.copyText("access token", l.last.result.Token.AccessToken)
	}
}

func (l *Lab) copyText(what, text string) {
	l.clipboard = text
	if a := fyne.CurrentApp(); a != nil {
		a.Clipboard().SetContent(text)
	}
	l.setStatus("Copied the "+what+" to the clipboard.", widget.MediumImportance)
}

func (l *Lab) openURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		l.showError("Could not open the page", "The address is not a URL.", raw)
		return
	}
	if err := fyne.CurrentApp().OpenURL(u); err != nil {
		l.showError("Could not open the browser", "Copy the address and open it in a browser yourself.", raw+"\n\n"+err.Error())
	}
}
