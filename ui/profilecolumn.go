package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnHandler is what the profile column's buttons do; the coordinator (Lab) implements it.
type columnHandler interface {
	Run()
	Cancel()
	Save()
	ShowAppSettings()
	RevokeStaleApproval()
	showApp()
}

// profileColumn is the middle column: the Profile and App settings tabs, the lint and
// approval-budget lines, and Run, Cancel and Save profile below them.
type profileColumn struct {
	midTabs  *container.AppTabs // Profile | App settings: the header only
	midStack *fyne.Container    // the profile form, then the App settings view once built
	// profileBox is the profile view's column; profileLower (flow picker and scopes, below
	// the fold of the first frame) joins it right after the window opens (Start).
	profileBox    *fyne.Container
	profileLower  []fyne.CanvasObject
	profileScroll *container.Scroll
	appTab        *container.TabItem
	lintLine      *fyne.Container // "App settings lint: …" above Run; hidden when clean
	lintText      *widget.Label
	budgetLine    *fyne.Container // the approval budget above Run
	budgetText    *widget.Label
	budgetRevoke  *keyButton

	runBtn, cancelBtn, saveBtn *keyButton
	box                        fyne.CanvasObject

	runBar *fyne.Container // Run, Cancel, Save profile (and Check app: checkview.go)
}

// newProfileColumn lays out the profile form (upper) and what joins it after the first frame
// (lower: the flow picker and the scope checklist).
func newProfileColumn(h columnHandler, upper fyne.CanvasObject, lower []fyne.CanvasObject) *profileColumn {
	c := &profileColumn{profileLower: lower}
	c.runBtn = keyed(&keyButton{Button: widget.Button{Text: "Run", Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: h.Run}})
	c.cancelBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Cancel", Icon: theme.MediaStopIcon(), OnTapped: h.Cancel}})
	c.saveBtn = keyed(&keyButton{Button: widget.Button{Text: "Save profile", Icon: theme.DocumentSaveIcon(), OnTapped: h.Save}})

	c.lintText = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance, SizeName: theme.SizeNameCaptionText}
	c.lintLine = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))),
		keyed(&keyButton{Button: widget.Button{Text: "Show", Importance: widget.LowImportance, OnTapped: h.ShowAppSettings}}), c.lintText)
	c.lintLine.Hide()
	c.budgetText = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	c.budgetRevoke = keyed(&keyButton{Button: widget.Button{Text: "Revoke stale", Importance: widget.LowImportance, OnTapped: h.RevokeStaleApproval}})
	c.budgetRevoke.Hide()
	// A long budget message scrolls in a few lines' height: the column never grows for it.
	budgetScroll := container.NewVScroll(c.budgetText)
	budgetScroll.SetMinSize(fyne.NewSize(0, 56))
	c.budgetLine = container.NewBorder(nil, nil, nil, container.NewVBox(c.budgetRevoke), budgetScroll)
	c.budgetLine.Hide()
	// The tabs are only the header: their contents stay empty, and midStack shows the chosen
	// view. AppTabs refreshes every tab's content when it first draws, which for the profile
	// form would create the renderer of every hidden widget (the "More scopes" rows) at start.
	c.profileBox = container.NewVBox(upper, widget.NewSeparator())
	c.profileScroll = container.NewVScroll(c.profileBox)
	profileTab := container.NewTabItem("Profile", layout.NewSpacer())
	c.appTab = container.NewTabItem("App settings", layout.NewSpacer())
	c.midTabs = container.NewAppTabs(profileTab, c.appTab)
	c.midStack = container.NewStack(c.profileScroll) // the App settings view joins on first show (showAppView)
	c.midTabs.OnSelected = func(it *container.TabItem) {
		if it == c.appTab {
			h.showApp()
		}
		for i, o := range c.midStack.Objects {
			if (i == 0) == (it == profileTab) {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	c.runBar = container.NewHBox(c.runBtn, c.cancelBtn, c.saveBtn)
	c.box = container.NewBorder(c.midTabs,
		container.NewVBox(widget.NewSeparator(), c.lintLine, c.budgetLine, c.runBar),
		nil, nil, c.midStack)
	return c
}

// relayoutProfile sizes the profile column to its minimum again and lays it out, after rows
// were shown or hidden or descriptions changed length: the scroll around it does not notice
// by itself, and the column kept its old height (a gap, or two lines of text in one).
func (c *profileColumn) relayoutProfile() {
	c.profileBox.Refresh()
	c.profileScroll.Refresh()
}

// addProfileLower adds the flow picker and the scope checklist below the profile form, once.
// They sit below the fold of the first frame at the usual window sizes and are a third of the
// window's start-up layout work (ten wrapped descriptions, seven checkboxes), so they join the
// column when the first profile list lands (Start), after the window has opened.
func (c *profileColumn) addProfileLower() {
	if c.profileLower == nil {
		return
	}
	c.profileBox.Objects = append(c.profileBox.Objects, c.profileLower...)
	c.profileLower = nil
	c.relayoutProfile()
}

// addAppView adds the App settings view (built on its first show), hidden.
func (c *profileColumn) addAppView(box fyne.CanvasObject) {
	box.Hide()
	c.midStack.Add(box)
}

// selectApp shows the App settings tab.
func (c *profileColumn) selectApp() { c.midTabs.Select(c.appTab) }

// setDirty marks Save profile when the form holds unsaved changes.
func (c *profileColumn) setDirty(dirty bool) {
	if dirty {
		c.saveBtn.Importance = widget.HighImportance
		c.saveBtn.SetText("Save profile •")
	} else {
		c.saveBtn.Importance = widget.MediumImportance
		c.saveBtn.SetText("Save profile")
	}
}

// setRunning enables Run or Cancel.
func (c *profileColumn) setRunning(running bool) {
	if running {
		c.runBtn.Disable()
		c.cancelBtn.Enable()
	} else {
		c.runBtn.Enable()
		c.cancelBtn.Disable()
	}
}
