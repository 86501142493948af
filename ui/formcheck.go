package ui

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/loopback"
)

// Checking the form before Run: every field the chosen flow uses (its catalogue entry,
// flows.Spec.Fields), all problems at once, each shown under its field in the window's
// words, the focus on the first. Once shown, the problems follow every edit.

// fieldProblem is one thing to change before Run.
type fieldProblem struct {
	row   string         // the form row, or "flow" for the flow picker
	label string         // the row's label, for the status line
	text  string         // what to change, shown under the field
	focus fyne.Focusable // the widget to type into
}

// check lists what the form must change before the flow fl (in the form's catalogue) can run.
func (f *profileForm) check(fl flows.Flow) []fieldProblem {
	sp, ok := flows.LookupIn(f.catalog, fl)
	if !ok {
		return nil
	}
	var out []fieldProblem
	bad := func(row, text string, focus fyne.Focusable) {
		out = append(out, fieldProblem{row: row, label: f.rowLabel(row), text: text, focus: focus})
	}
	flow := sp.Label
	for _, n := range sp.Fields {
		switch n.Field {
		case flows.FieldLoginURL:
			focus := fyne.Focusable(f.host)
			if f.hostURL.Visible() {
				focus = f.hostURL
			}
			if msg := checkHTTPS(f.loginURL(), "the login host", "https://login.salesforce.com"); msg != "" {
				bad("host", msg, focus)
			}
		case flows.FieldMyDomainURL:
			v := strings.TrimSpace(f.myDomain.Text)
			if v == "" && n.Required {
				bad("mydomain", "The "+flow+" needs the org's My Domain URL, e.g. https://yourdomain.my.salesforce.com ("+
					guidance.SetupPath("My Domain")+" shows it).", f.myDomain)
			} else if v != "" {
				if msg := checkHTTPS(v, "the My Domain URL", "https://yourdomain.my.salesforce.com"); msg != "" {
					bad("mydomain", msg, f.myDomain)
				}
			}
		case flows.FieldClientID:
			if n.Required && strings.TrimSpace(f.clientID.Text) == "" {
				bad("client", "Type the app's consumer key (it starts with 3MVG): "+
					guidance.SetupPath("App Manager", "the app", "View", "Manage Consumer Details")+".", f.clientID)
			}
		case flows.FieldClientSecret:
			if n.Required && f.secret.Text == "" {
				bad("secret", "The "+flow+" needs the app's consumer secret: it is shown next to the consumer key.", f.secret)
			}
		case flows.FieldCallbackURL:
			if _, err := checkCallbackShape(f.callback.Text); err != nil && n.Required {
				bad("callback", "Type the callback URL set on the app, e.g. http://localhost:1717/OauthRedirect: "+err.Error()+".", f.callback)
			}
		case flows.FieldUsername:
			if n.Required && strings.TrimSpace(f.username.Text) == "" {
				bad("username", "Type the Salesforce username the "+flow+" logs in as, e.g. user@example.com.", f.username)
			}
		case flows.FieldPassword:
			if n.Required && f.password.Text == "" {
				bad("password", "Type the user's password (the security token goes in its own field).", f.password)
			}
		case flows.FieldJWTKey:
			if f.jwtKeyPEM != "" {
				continue
			}
			path := strings.TrimSpace(f.jwtKeyFile.Text)
			if path == "" && n.Required {
				bad("jwt", "Choose the private key file, or paste the PEM: the key whose certificate is uploaded on the app.", f.jwtKeyFile)
			} else if path != "" {
				if st, err := os.Stat(path); err != nil || st.IsDir() {
					bad("jwt", "No key file at "+path+": choose the file again, or paste the PEM.", f.jwtKeyFile)
				}
			}
		case flows.FieldJWTAudience:
			if v := strings.TrimSpace(f.jwtAud.Text); v != "" {
				if msg := checkHTTPS(v, "the audience", "https://site.my.site.com/path"); msg != "" {
					bad("audience", msg+" Leave it empty to use the login host.", f.jwtAud)
				}
			}
		case flows.FieldRefreshToken:
			if n.Required && f.refresh.Text == "" {
				bad("refresh", "Paste a refresh token, or run a flow that returns one first (its token is then used).", f.refresh)
			}
		case flows.FieldSubjectToken:
			if n.Required && f.subject.Text == "" {
				bad("subject", "Paste the token from the other identity provider.", f.subject)
			}
		case flows.FieldSAMLAssertion:
			if n.Required && strings.TrimSpace(f.saml.Text) == "" {
				bad("saml", "Paste the signed SAML 2.0 assertion, base64url-encoded.", f.saml)
			}
		}
	}
	return out
}

// checkHTTPS says what is wrong with raw as a Salesforce base URL (what names it, e.g. like
// the example), or "" when it is fine: https, or http to this machine's loopback (the emulator).
func checkHTTPS(raw, what, example string) string {
	if raw == "" {
		return "Type " + what + ", e.g. " + example + "."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "This is not a web address: type " + what + " as " + example + "."
	}
	if u.Scheme == "http" && !loopback.IsLoopbackHost(u.Hostname()) {
		return "Salesforce answers only https://: change http:// to https:// (plain http works only for an emulator on this machine)."
	}
	return ""
}

func (f *profileForm) rowLabel(row string) string {
	if l, ok := f.rows[row][0].(*widget.Label); ok {
		return l.Text
	}
	return row
}

// showProblems shows each problem under its field and hides the others' lines.
func (f *profileForm) showProblems(ps []fieldProblem) {
	texts := map[string][]string{}
	for _, p := range ps {
		texts[p.row] = append(texts[p.row], p.text)
	}
	for row, l := range f.errs {
		if t := texts[row]; len(t) > 0 {
			l.SetText("✗ " + strings.Join(t, " "))
			l.Show()
		} else if l.Visible() {
			l.Hide()
		}
	}
}

// errLine is the hidden line under a field that says what to change.
func errLine() *widget.Label {
	l := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	l.Hide()
	return l
}

// checkForm checks the form before Run: it shows every problem under its field, says on the
// status line what to change, moves the focus to the first bad field and scrolls it into
// view. It reports whether the flow can run.
func (l *Lab) checkForm(fl flows.Flow) bool {
	var ps []fieldProblem
	if fl == "" {
		ps = append(ps, fieldProblem{row: "flow", label: "Flow", text: "Choose the flow your app uses: the form then shows what it needs.",
			focus: l.flowPick.sel})
	}
	ps = append(ps, l.form.check(fl)...)
	l.flowPick.showProblem(ps)
	l.form.showProblems(ps)
	l.form.checked = len(ps) > 0
	l.relayoutProfile()
	if len(ps) == 0 {
		return true
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.label)
	}
	what := "1 field needs"
	if len(ps) > 1 {
		what = fmt.Sprintf("%d fields need", len(ps))
	}
	l.setStatus(fmt.Sprintf("Not run: %s a change (%s); each says what under it.", what, strings.Join(names, ", ")), widget.WarningImportance)
	l.midTabs.SelectIndex(0) // the Profile tab, where the fields are
	l.win.Canvas().Focus(ps[0].focus)
	// Lay the column out now: the lines just shown have no place yet, and reveal needs it.
	// Twice: a wrapped line knows its height only once it has its width.
	for range 2 {
		if c := l.profileScroll.Content; c != nil {
			c.Resize(fyne.NewSize(c.Size().Width, max(c.MinSize().Height, l.profileScroll.Size().Height)))
		}
	}
	if line, ok := l.form.errs[ps[0].row]; ok {
		revealIn(l.win.Canvas(), line) // the line under the field, then the field: both in view
	}
	if o, ok := ps[0].focus.(fyne.CanvasObject); ok {
		revealIn(l.win.Canvas(), o)
	}
	return false
}

// recheck follows edits once problems were shown: a fixed field loses its line at once.
func (l *Lab) recheck() {
	if !l.form.checked {
		return
	}
	ps := l.form.check(l.flowPick.flow())
	l.form.showProblems(ps)
	l.flowPick.showProblem(nil)
	l.form.checked = len(ps) > 0
	l.relayoutProfile()
}

// reveal scrolls every scroll that holds o so that o is in view (the focused widget, for
// instance: Fyne does not scroll to it by itself).
func reveal(o fyne.CanvasObject) {
	if c := canvasOf(o); c != nil {
		revealIn(c, o)
	}
}

// revealIn is reveal in canvas c, for an object the driver does not know yet (a line just
// shown, never drawn). Positions are summed along the way from each scroll's content down
// to o, as laid out.
func revealIn(c fyne.Canvas, o fyne.CanvasObject) {
	if c == nil || c.Content() == nil {
		return
	}
	for _, at := range scrollsAround(c.Content(), o) {
		s, top := at.scroll, at.y
		view := s.Size().Height
		off := s.Offset
		const pad = 8
		switch {
		case top < off.Y:
			off.Y = max(0, top-pad)
		case top+o.Size().Height > off.Y+view:
			off.Y = top + o.Size().Height - view + pad
		default:
			continue
		}
		s.ScrollToOffset(off)
	}
}

// scrollAt is a scroll that holds an object, and the object's y in the scroll's content.
type scrollAt struct {
	scroll *container.Scroll
	y      float32
}

// scrollsAround lists the scrolls on the way from root to o, outermost first.
func scrollsAround(root, o fyne.CanvasObject) []scrollAt {
	type step struct {
		obj    fyne.CanvasObject
		scroll *container.Scroll
	}
	var path []step
	var walk func(n fyne.CanvasObject) bool
	walk = func(n fyne.CanvasObject) bool {
		if n == nil {
			return false
		}
		path = append(path, step{obj: n})
		if n == o {
			return true
		}
		var kids []fyne.CanvasObject
		switch x := n.(type) {
		case *fyne.Container:
			kids = x.Objects
		case *container.Scroll:
			path[len(path)-1].scroll = x
			kids = []fyne.CanvasObject{x.Content}
		case *container.Split:
			kids = []fyne.CanvasObject{x.Leading, x.Trailing}
		case *container.AppTabs:
			for _, it := range x.Items {
				kids = append(kids, it.Content)
			}
		case *widget.Accordion:
			for _, it := range x.Items {
				kids = append(kids, it.Detail)
			}
		case *lazyDetail:
			kids = []fyne.CanvasObject{x.obj}
		}
		for _, k := range kids {
			if walk(k) {
				return true
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if !walk(root) {
		return nil
	}
	var out []scrollAt
	for i, st := range path {
		if st.scroll == nil {
			continue
		}
		y := float32(0)
		for _, below := range path[i+1:] { // the content's own position is the scroll offset: skip it
			if below.obj != st.scroll.Content {
				y += below.obj.Position().Y
			}
		}
		out = append(out, scrollAt{st.scroll, y})
	}
	return out
}
