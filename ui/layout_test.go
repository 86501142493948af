package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// The window fits a 1024x700 screen: nothing it shows raises its minimum size, neither a
// device flow's step log (one line per poll) nor a result, and at 1024x700 the results
// column, the answer included, is all visible without scrolling sideways.
func TestWindowMinimumSizeStaysPutAndFits1024x700(t *testing.T) {
	polled, release := make(chan struct{}), make(chan struct{})
	fb := &fakeBackend{}
	be := fb.backend()
	okRun := be.RunFlow
	be.RunFlow = func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
		if req.Flow != flows.Device {
			return okRun(ctx, req, progress)
		}
		progress(flows.Progress{Step: "user-code", Message: "enter code ABCD-1234 at https://login.salesforce.com/setup/connect", Time: t0,
			UserCode: "ABCD-1234", VerificationURL: "https://login.salesforce.com/setup/connect"})
		for i := 1; i <= 100; i++ {
			progress(flows.Progress{Step: "polling", Message: fmt.Sprintf("polling (%d)", i), Time: t0})
			if i == 1 || i == 100 {
				polled <- struct{}{}
				<-release
			}
		}
		return &flows.Result{Flow: req.Flow, Err: context.Canceled}
	}
	st := NewMemoryStore([]Profile{
		{Profile: store.Profile{ID: "d", Name: "Device flow", LoginURL: productionURL, ClientID: "3MVG-device", Flow: string(flows.Device)}},
		{Profile: store.Profile{ID: "u", Name: "Username-password: how long does it last?", LoginURL: "http://127.0.0.1:8080", ClientID: "3MVG-up",
			Flow: string(flows.UsernamePassword), Username: "demo@connectedapplab.example"}},
	}, map[string]Secrets{"u": {ClientSecret: "s", Password: "p"}})
	l, w := newTestLab(t, be, st)
	w.Resize(fyne.NewSize(1024, 700))
	start := l.content.MinSize()
	fits := func(when string) {
		t.Helper()
		m := l.content.MinSize()
		if m.Width > 1024 || m.Height > 700 {
			t.Errorf("%s: the window's minimum size is %v, larger than a 1024x700 screen", when, m)
		}
	}
	fits("at start")

	test.Tap(l.runBtn)
	var mins [2]fyne.Size
	for i, n := range []int{1, 100} {
		<-polled
		mins[i] = l.content.MinSize()
		fits(fmt.Sprintf("after %d polls", n))
		// The running view stays within its place above the tabs.
		run := l.run.box
		if bottom := run.Position().Y + run.Size().Height; bottom > l.center.Size().Height+0.5 {
			t.Errorf("after %d polls the running view ends at %v, below its place (%v high): it draws over the tabs", n, bottom, l.center.Size().Height)
		}
		release <- struct{}{}
	}
	waitIdle()
	if mins[0] != mins[1] {
		t.Errorf("minimum size with 1 poll line %v, with 100 poll lines %v: the step log raises it", mins[0], mins[1])
	}
	if got := l.content.MinSize(); got != start {
		t.Errorf("minimum size after a device flow = %v, before %v", got, start)
	}
	fits("during a device flow")

	l.profiles.list.Select(1) // the username-password profile
	waitIdle()
	test.Tap(l.runBtn)
	waitIdle()
	if l.last == nil || l.last.result.Token == nil {
		t.Fatal("the username-password run returned no token")
	}
	if got := l.content.MinSize(); got != start {
		t.Errorf("minimum size after a run = %v, before %v", got, start)
	}
	fits("after a run")

	// At 1024x700 the results column lies inside the window, and its content needs no
	// sideways scrolling.
	w.Resize(fyne.NewSize(1024, 700))
	right := absRight(l.content, l.resultScr)
	if right > 1024.5 {
		t.Errorf("the results end at x=%v, beyond the 1024-pixel window", right)
	}
	if c, s := l.resultScr.Content.Size().Width, l.resultScr.Size().Width; c > s+0.5 {
		t.Errorf("the results are %v wide in a column %v wide: they scroll sideways", c, s)
	}
	if s := l.resultScr.Size().Width; s < 400 {
		t.Errorf("the results column is %v wide at 1024 pixels; want room for the answer (400 or more)", s)
	}
}

// absRight is the right edge of o in root's coordinates.
func absRight(root, o fyne.CanvasObject) float32 {
	var x float32
	found := false
	var walk func(c fyne.CanvasObject, off float32)
	walk = func(c fyne.CanvasObject, off float32) {
		if found || c == nil {
			return
		}
		off += c.Position().X
		if c == o {
			x, found = off+c.Size().Width, true
			return
		}
		for _, ch := range children(c) {
			walk(ch, off)
		}
	}
	walk(root, -root.Position().X)
	if !found {
		panic(fmt.Sprintf("%T not under the root", o))
	}
	return x
}

func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{x.Content}
	case *container.Split:
		return []fyne.CanvasObject{x.Leading, x.Trailing}
	case *container.AppTabs:
		if it := x.Selected(); it != nil {
			return []fyne.CanvasObject{it.Content}
		}
	}
	return nil
}

// The answer first: the results begin with guidance's three answer lines (not the older
// headline), and every run starts the results at their top, wherever they were scrolled to.
func TestAnswerFirstAndEachRunScrollsBackToTheTop(t *testing.T) {
	fb := &fakeBackend{}
	l, w := newTestLab(t, fb.backend(), demoStore())
	w.Resize(fyne.NewSize(1024, 700))
	for run := 1; run <= 3; run++ {
		test.Tap(l.runBtn)
		waitIdle()
		if y := l.resultScr.Offset.Y; y != 0 {
			t.Errorf("run %d: the results start scrolled %v down, want at the top", run, y)
		}
		want := l.last.report.Answer.Text()
		if l.answer.shown != want || !strings.HasPrefix(want, "Lifetime: Not long lived") {
			t.Fatalf("run %d: the answer shown = %q, want guidance's answer lines %q", run, l.answer.shown, want)
		}
		if top := l.resultScr.Content.(*fyne.Container).Objects[0].(*fyne.Container).Objects; top[1] != l.answer.box {
			t.Errorf("run %d: the answer is not at the top of the results (under the label)", run)
		}
		l.resultScr.ScrollToBottom()
		if l.resultScr.Offset.Y == 0 {
			t.Fatalf("run %d: the results do not scroll at 1024x700: the test shows nothing", run)
		}
	}
}

// A result says whose it is; choosing another profile clears it and disables the actions on
// its token, so that nothing is done with another profile's token by mistake. A cancelled run
// leaves no action enabled either (Refresh stayed enabled alone).
func TestResultLabelledAndClearedWithItsActionsOnAProfileSwitch(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	run := be.RunFlow
	devices := 0
	be.RunFlow = func(ctx context.Context, req flows.Request, p func(flows.Progress)) *flows.Result {
		if req.Flow == flows.Device {
			if devices++; devices == 1 {
				res := run(ctx, req, p)
				res.Token.RefreshToken = "5Aep861-from-the-device"
				return res
			}
			<-ctx.Done()
			return &flows.Result{Flow: req.Flow, Err: fmt.Errorf("device flow stopped while waiting for the user: %w", ctx.Err())}
		}
		res := run(ctx, req, p)
		res.Token.RefreshToken = "5Aep861-from-the-login"
		return res
	}
	be.Introspect = func(context.Context, flows.Request, string) (*flows.Introspection, []flows.Exchange, error) {
		return &flows.Introspection{Active: true}, nil, nil
	}
	be.Revoke = func(context.Context, flows.Request, string) ([]flows.Exchange, error) { return nil, nil }
	be.CallAPI = func(context.Context, flows.Request, *flows.TokenResponse) ([]flows.Exchange, error) { return nil, nil }
	st := demoStore()
	if _, err := st.Save(Profile{Profile: store.Profile{ID: "d", Name: "Device flow", LoginURL: productionURL, ClientID: "3MVG-device", Flow: string(flows.Device)}}, Secrets{}); err != nil {
		t.Fatal(err)
	}
	l, _ := newTestLab(t, be, st)
	test.Tap(l.runBtn)
	waitIdle()
	if want := "Result of Username-password: how long does it last? · username-password flow · 10:00:00"; l.label.Text != want {
		t.Errorf("result label %q, want %q", l.label.Text, want)
	}
	actions := map[string]*keyButton{"Introspect": l.introspectBtn, "Refresh": l.refreshBtn, "Revoke": l.revokeBtn,
		"Call API": l.callBtn, "Copy token": l.copyBtn}
	for name, b := range actions {
		if b.Disabled() {
			t.Errorf("%s disabled after a run that returned a token", name)
		}
	}

	l.profiles.list.Select(1) // Web server + PKCE
	waitIdle()
	if l.center.Objects[0] != l.emptyView || !strings.Contains(l.emptyHint.Text,
		"The result of Username-password: how long does it last? · username-password flow · 10:00:00 was cleared when you chose Web server + PKCE") {
		t.Errorf("after the switch the results say %q", l.emptyHint.Text)
	}
	for name, b := range actions {
		if !b.Disabled() {
			t.Errorf("%s still enabled after choosing another profile", name)
		}
	}
	if tokens := texts(l.tokensTab.Content); strings.Contains(tokens, "access_token") {
		t.Errorf("the Tokens tab still shows the other profile's token:\n%s", tokens)
	}
	if l.copyAccessToken(); l.clipboard != "" {
		t.Errorf("Copy token copied the other profile's token %q", l.clipboard)
	}

	// After a device run that returned a refresh token (which the form now holds), a cancelled
	// one leaves no action on, Refresh included.
	l.profiles.list.Select(2)
	waitIdle()
	test.Tap(l.runBtn)
	waitIdle()
	if l.refreshBtn.Disabled() || l.form.refresh.Text != "5Aep861-from-the-device" {
		t.Fatalf("the first device run left Refresh disabled or the form without its refresh token (%q)", l.form.refresh.Text)
	}
	test.Tap(l.runBtn)
	l.Cancel()
	waitIdle()
	for name, b := range actions {
		if !b.Disabled() {
			t.Errorf("%s enabled after a cancelled device run", name)
		}
	}
}

// A browser flow whose browser cannot be opened says so at once in the status and above the
// authorize URL, with Copy URL beside it; it waits flows.DefaultListenTimeout, the one
// listener timeout of the program, and a Cancel is explained as the error page that never
// reaches the app, not as a network problem.
func TestBrowserNotOpenedIsSaidAtOnceAndCancelExplained(t *testing.T) {
	waiting := make(chan flows.Request, 1)
	be := Backend{
		RunFlow: func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
			au := "https://login.salesforce.com/services/oauth2/authorize?client_id=3MVG-web&response_type=code"
			progress(flows.Progress{Step: "browser", AuthorizeURL: au, Message: "waiting for browser", Time: t0})
			progress(flows.Progress{Step: flows.StepBrowserNotOpened, AuthorizeURL: au, Time: t0,
				Message: "could not open a browser (exec: \"xdg-open\": executable file not found in $PATH); open this URL yourself: " + au})
			waiting <- req
			<-ctx.Done()
			return &flows.Result{Flow: req.Flow, Err: fmt.Errorf("web server flow: %w",
				&flows.ListenError{Err: ctx.Err(), Msg: "stopped waiting for the browser: " + ctx.Err().Error()})}
		},
		Explain: guidance.Explain,
		Now:     func() time.Time { return t0 },
	}
	l, _ := newTestLab(t, be, demoStore())
	l.profiles.list.Select(1) // Web server + PKCE
	waitIdle()
	test.Tap(l.runBtn)
	req := <-waiting
	if req.Options.ListenTimeout != flows.DefaultListenTimeout {
		t.Errorf("the window's listener waits %v, the command line's %v", req.Options.ListenTimeout, flows.DefaultListenTimeout)
	}
	if !strings.Contains(l.run.countdown.Text, "stops waiting in 2m 00s") {
		t.Errorf("countdown %q, want the listener's 2 minutes", l.run.countdown.Text)
	}
	if !strings.HasPrefix(l.status.Text, "The browser could not be opened") || l.status.Importance != widget.WarningImportance {
		t.Errorf("status %q, want at once that the browser could not be opened", l.status.Text)
	}
	if !l.run.notOpened.Visible() || !strings.Contains(l.run.notOpened.Text, "xdg-open") || !l.run.auth.Visible() {
		t.Errorf("the running view does not say the browser could not be opened: %q", l.run.notOpened.Text)
	}
	if !strings.Contains(texts(l.run.auth), "Copy URL") {
		t.Error("no Copy URL beside the authorize URL")
	}
	l.Cancel()
	waitIdle()
	g := texts(l.guide.box)
	for _, want := range []string{"error page never reaches the app", "invalid_scope", "redirect_uri_mismatch"} {
		if !strings.Contains(g, want) {
			t.Errorf("after Cancel the guidance lacks %q:\n%s", want, g)
		}
	}
	if strings.Contains(g, "network, TLS, proxy") {
		t.Errorf("after Cancel the guidance blames the network:\n%s", g)
	}
}
