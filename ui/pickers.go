package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// flowPicker chooses the flow and says what it needs and whether it can issue a refresh token.
type flowPicker struct {
	infos   []guidance.FlowInfo
	sel     *keySelect
	needs   *widget.Label
	summary *widget.Label
	refresh *widget.Label
	legacy  *widget.Label
	legIcon *widget.Icon
	problem *widget.Label // "Choose the flow…" before Run (formcheck.go)

	onChanged func(flows.Flow)
}

func newFlowPicker(infos []guidance.FlowInfo) *flowPicker {
	p := &flowPicker{infos: infos}
	opts := make([]string, len(infos))
	for i, fi := range infos {
		opts[i] = fi.Title
	}
	p.needs = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.refresh = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	p.legacy = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	p.legIcon = widget.NewIcon(theme.WarningIcon())
	p.problem = errLine()
	p.sel = keyed(&keySelect{Select: widget.Select{Options: opts, PlaceHolder: "Choose a flow", OnChanged: func(string) {
		p.update()
		p.showProblem(nil)
		if p.onChanged != nil {
			p.onChanged(p.flow())
		}
	}}})
	p.update()
	return p
}

func (p *flowPicker) flow() flows.Flow {
	if i := p.sel.SelectedIndex(); i >= 0 {
		return p.infos[i].Flow
	}
	return ""
}

// set selects a flow without calling onChanged.
func (p *flowPicker) set(f flows.Flow) {
	cb := p.onChanged
	p.onChanged = nil
	defer func() { p.onChanged = cb }()
	i := slices.IndexFunc(p.infos, func(fi guidance.FlowInfo) bool { return fi.Flow == f })
	if i < 0 {
		p.sel.ClearSelected()
	} else {
		p.sel.SetSelectedIndex(i)
	}
	p.update()
}

// showProblem shows the flow's problem among ps, or hides the line.
func (p *flowPicker) showProblem(ps []fieldProblem) {
	for _, fp := range ps {
		if fp.row == "flow" {
			p.problem.SetText("✗ " + fp.text)
			p.problem.Show()
			return
		}
	}
	if p.problem.Visible() {
		p.problem.Hide()
	}
}

func (p *flowPicker) update() {
	i := p.sel.SelectedIndex()
	if i < 0 {
		p.needs.SetText("Pick the flow your app uses; the form then shows only what it needs.")
		p.summary.SetText("")
		p.refresh.SetText("")
		p.legacy.Hide()
		p.legIcon.Hide()
		return
	}
	fi := p.infos[i]
	p.needs.SetText("Needs: " + fi.Needs)
	p.summary.SetText(fi.Summary)
	p.refresh.SetText("Refresh token: " + fi.CanIssueRefreshToken)
	if fi.Legacy != "" {
		p.legacy.SetText(fi.Legacy)
		p.legacy.Show()
		p.legIcon.Show()
	} else {
		p.legacy.Hide()
		p.legIcon.Hide()
	}
}

func (p *flowPicker) content() fyne.CanvasObject {
	return container.NewVBox(
		container.NewBorder(nil, nil, &widget.Label{Text: "Flow", TextStyle: fyne.TextStyle{Bold: true}}, nil, p.sel),
		p.problem, p.refresh, p.needs, p.summary,
		container.NewBorder(nil, nil, container.NewVBox(p.legIcon), nil, p.legacy),
	)
}

// scopeChecklist is one check per Salesforce scope with its Setup name and meaning, in two
// aligned columns; refresh_token and the other prominent scopes sit on top, the rest in a
// collapsed section. Scopes the catalogue does not know go in the "Other scopes" entry.
// refresh_token is disabled, with the reason beside it, for a flow the catalogue says never
// returns one (flows.RefreshNever).
type scopeChecklist struct {
	infos  []guidance.ScopeInfo
	checks map[string]*keyCheck
	other  *keyEntry
	more   *widget.Accordion
	box    *fyne.Container
	quiet  bool

	refreshWhy  *widget.Label // why refresh_token cannot be ticked for this flow; hidden when it can
	wantRefresh bool          // refresh_token as the profile had it, kept while the check is disabled

	onChanged func()
}

// scopeText is what a scope's row says beside its check: the Setup label, then the meaning.
func scopeText(si guidance.ScopeInfo) string {
	if si.Label == "" {
		return si.Meaning
	}
	return si.Label + ". " + si.Meaning
}

func newScopeChecklist(infos []guidance.ScopeInfo) *scopeChecklist {
	c := &scopeChecklist{infos: infos, checks: map[string]*keyCheck{}}
	changed := func() {
		if !c.quiet && c.onChanged != nil {
			c.onChanged()
		}
	}
	c.refreshWhy = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Importance: widget.WarningImportance}
	c.refreshWhy.Hide()
	rows := func(si guidance.ScopeInfo) []fyne.CanvasObject {
		ch := keyed(&keyCheck{Check: widget.Check{Text: si.Name, OnChanged: func(bool) { changed() }}})
		c.checks[si.Name] = ch
		meaning := &widget.Label{Text: scopeText(si), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
		if si.Name == "refresh_token" {
			meaning.TextStyle = fyne.TextStyle{Bold: true}
			return []fyne.CanvasObject{container.NewVBox(ch), container.NewVBox(meaning, c.refreshWhy)}
		}
		return []fyne.CanvasObject{container.NewVBox(ch), meaning}
	}
	// The rows go in at once: each container.Add lays out the whole grid again. A form
	// layout is two columns: the checks, then the descriptions, all starting at one edge.
	var topRows, restRows []fyne.CanvasObject
	for _, si := range infos {
		if si.Prominent {
			topRows = append(topRows, rows(si)...)
		} else {
			restRows = append(restRows, rows(si)...)
		}
	}
	top := container.New(layout.NewFormLayout(), topRows...)
	rest := container.New(layout.NewFormLayout(), restRows...)
	c.other = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "other scopes, space-separated (custom scopes of an External Client App)",
		OnChanged: func(string) { changed() }}})
	c.more = widget.NewAccordion(widget.NewAccordionItem("More scopes ("+strconv.Itoa(len(restRows)/2)+")", newLazyDetail(rest)))
	title := &widget.Label{Text: "Scopes", TextStyle: fyne.TextStyle{Bold: true}}
	hint := &widget.Label{Text: "None checked sends no scope parameter: Salesforce then grants all of the app's scopes.",
		Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	c.box = container.NewVBox(title, hint, top, c.more, c.other)
	return c
}

// forFlow enables refresh_token, or disables it with the reason when the catalogue entry of
// fl (in cat) says the flow never returns a refresh token. It reports no change.
func (c *scopeChecklist) forFlow(cat []flows.Spec, fl flows.Flow) {
	ch := c.checks["refresh_token"]
	if ch == nil {
		return
	}
	c.quiet = true
	defer func() { c.quiet = false }()
	sp, ok := flows.LookupIn(cat, fl)
	if ok && sp.Refresh == flows.RefreshNever {
		if !ch.Disabled() {
			c.wantRefresh = ch.Checked
		}
		ch.SetChecked(false)
		ch.Disable()
		why := "Not for the " + lowerFirst(sp.Label) + ": it never returns a refresh token, so there is nothing to ask for."
		if sp.Renew != "" {
			why += " To get a new access token, " + sp.Renew + "."
		}
		c.refreshWhy.SetText(why)
		c.refreshWhy.Show()
		return
	}
	if ch.Disabled() {
		ch.Enable()
		ch.SetChecked(c.wantRefresh)
	}
	c.refreshWhy.Hide()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// selected returns the checked scopes in catalogue order, then the other scopes.
func (c *scopeChecklist) selected() []string {
	var out []string
	for _, si := range c.infos {
		if c.checks[si.Name].Checked {
			out = append(out, si.Name)
		}
	}
	for _, s := range strings.Fields(c.other.Text) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// set checks exactly the given scopes without reporting changes; unknown ones go to "other".
// A disabled refresh_token stays unchecked and remembers the profile's choice.
func (c *scopeChecklist) set(scopes []string) {
	c.quiet = true
	defer func() { c.quiet = false }()
	var other []string
	for _, s := range scopes {
		if _, ok := c.checks[s]; !ok {
			other = append(other, s)
		}
	}
	openMore := false
	for _, si := range c.infos {
		on := slices.Contains(scopes, si.Name)
		ch := c.checks[si.Name]
		if ch.Disabled() {
			c.wantRefresh = on
			continue
		}
		ch.SetChecked(on)
		if on && !si.Prominent {
			openMore = true
		}
	}
	if openMore {
		c.more.Open(0)
	}
	c.other.SetText(strings.Join(other, " "))
}

func (c *scopeChecklist) content() fyne.CanvasObject { return c.box }

// profileParts lays out the profile view: the flow picker first, the scopes right under it
// (what the flow asks for), then the form with the fields that flow uses; the form tells
// the scopes which flow is chosen. The flow comes first because it decides which fields the
// form shows. All of it is in the upper part; nothing waits below the fold.
func (l *Lab) profileParts() (upper fyne.CanvasObject, lower []fyne.CanvasObject) {
	l.form.scopes = l.scopes
	l.form.recheck = l.recheck
	return container.NewVBox(l.flowPick.content(), l.scopes.content(), widget.NewSeparator(), l.form.content()), nil
}

// lazyDetail is an accordion item's detail that creates its content's renderers only once it
// is shown. A closed accordion still asks its details for their MinSize, which would create
// the renderer of every hidden row (a check's icons, a wrapped label) when the window opens.
type lazyDetail struct {
	widget.BaseWidget
	obj   fyne.CanvasObject
	shown bool
}

func newLazyDetail(obj fyne.CanvasObject) *lazyDetail {
	d := &lazyDetail{obj: obj}
	d.ExtendBaseWidget(d)
	d.Hidden = true // the accordion item starts closed
	return d
}

// MinSize is zero until the detail was first shown.
func (d *lazyDetail) MinSize() fyne.Size {
	if !d.shown && !d.Visible() {
		return fyne.Size{}
	}
	d.shown = true
	return d.BaseWidget.MinSize()
}

func (d *lazyDetail) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(d.obj) }
