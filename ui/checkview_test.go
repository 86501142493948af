package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/store"
)

// tokenShape finds the emulated org's access tokens (a session ID: 00D…!…), refresh tokens
// (5Aep861…) and JWTs (the ID token).
var tokenShape = regexp.MustCompile(`00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{16,}|5Aep861[A-Za-z0-9._-]{8,}|eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.`)

// demoAppProfile is a profile of the emulated org's app named app as the demo makes it (its
// client ID, secret and JWT key, the demo user), with the app's settings read from the org
// through the Metadata API as the App settings tab's Read from org does.
func demoAppProfile(t *testing.T, org *sfemutest.Org, app, apiName string, fl flows.Flow) (Profile, Secrets) {
	t.Helper()
	a := org.App(t, app)
	user := sfemu.DemoUser
	if a.JWTUsername != "" {
		user = a.JWTUsername
	}
	u := org.User(t, user)
	p := Profile{Profile: store.Profile{ID: "check-1", Name: "Check " + app, LoginURL: org.LoginURL, MyDomainURL: org.MyDomainURL, ClientID: a.ClientID,
		CallbackURL: org.CallbackURL, Flow: string(fl), Username: u.Username}, AppAPIName: apiName}
	s := Secrets{ClientSecret: a.ClientSecret, Password: u.Password, SecurityToken: u.SecurityToken, PrivateKeyPEM: a.JWTPrivateKey}
	if apiName != "" {
		tok := org.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
		rd := &connectedapp.Reader{InstanceURL: org.MyDomainURL, AccessToken: tok.AccessToken}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cs, err := rd.Read(ctx, "", apiName)
		if err != nil {
			t.Fatalf("read %s: %v", apiName, err)
		}
		if p.App.Settings, err = json.Marshal(cs); err != nil {
			t.Fatal(err)
		}
	}
	return p, s
}

// shownCheck is a check view in a window, running checkup.Run through run (nil: as it is).
func shownCheck(t *testing.T, run func(context.Context, checkup.Input) *checkup.Report) (*checkView, *[]string) {
	t.Helper()
	test.NewTempApp(t)
	if run == nil {
		run = checkup.Run
	}
	var saved []string
	v := newCheckView(context.Background(), run, nil, nil, func() {})
	v.save = func(name string, write func(io.Writer) error) {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Errorf("export %s: %v", name, err)
		}
		saved = append(saved, name+"\n"+b.String())
	}
	w := test.NewTempWindow(t, v.box)
	w.Resize(fyne.NewSize(900, 700))
	return v, &saved
}

// shownRows is the matrix as the view shows it: "name=status" per row.
func shownRows(v *checkView) []string {
	var out []string
	for _, o := range v.rows.Objects {
		lines := strings.Split(rowText(o), "\n")
		if len(lines) >= 2 {
			out = append(out, lines[0]+"="+lines[1])
		}
	}
	return out
}

func TestCheckViewShowsProgressThenTheMatrixOfADemoApp(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	p, s := demoAppProfile(t, org, "Integration App", "Integration_App", flows.JWTBearer)
	var during []string // what the rows said each time one started or ended
	cancelOff := false  // Cancel was disabled while the checkup ran
	var v *checkView
	v, _ = shownCheck(t, func(ctx context.Context, in checkup.Input) *checkup.Report {
		show := in.Progress
		in.Progress = func(r checkup.Row) {
			show(r) // on this goroutine under the test driver, as the UI goroutine would
			during = append(during, strings.Join(shownRows(v), " "))
			cancelOff = cancelOff || v.cancelB.Disabled()
		}
		return checkup.Run(ctx, in)
	})
	v.start(p.Name, func() (checkup.Input, error) { return checkInput(p, s, nil) })
	waitIdle()
	if cancelOff {
		t.Error("while the checkup ran, Cancel was disabled")
	}
	// checkup's matrix for the app (checkup_test.go), what works before what was skipped
	want := []string{"username-password=works",
		"jwt-bearer (aud login host)=works", "jwt-bearer (aud My Domain)=works",
		"jwt-bearer (aud login.salesforce.com)=works", "jwt-bearer (aud test.salesforce.com)=works",
		"client-credentials=works", "introspect (the jwt-bearer token)=works", "userinfo (the username-password token)=works",
		"rest (the jwt-bearer token)=works", "revoke=works",
		"web-server=skipped", "web-server-pkce=skipped", "user-agent=skipped", "device=skipped", "token-exchange=skipped",
		"saml-bearer=skipped", "refresh=skipped"}
	if got := shownRows(v); !slices.Equal(got, want) {
		t.Errorf("matrix:\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(v.summary.Text, "Every flow that ran works: 10 work, 0 fail, 7 skipped") {
		t.Errorf("summary %q", v.summary.Text)
	}
	if !strings.Contains(texts(v.lint), "Lint of the app's settings") {
		t.Errorf("lint section %q", texts(v.lint))
	}
	// Progress came row by row: a row showed running, then its result, before the next began.
	sawRunning := slices.ContainsFunc(during, func(s string) bool { return strings.Contains(s, "username-password=running…") })
	if !sawRunning || len(during) < len(want) {
		t.Errorf("progress: %d updates, username-password shown running: %v", len(during), sawRunning)
	}
	for i := 1; i < len(during); i++ {
		if len(strings.Fields(during[i])) < len(strings.Fields(during[i-1])) {
			t.Errorf("a row disappeared while running: %q then %q", during[i-1], during[i])
		}
	}
	if v.running || !v.cancelB.Disabled() || v.exports[0].Disabled() {
		t.Error("after the checkup: Cancel should be disabled and the exports enabled")
	}
}

// Cancel mid-way: the step under way stops, the rest is marked cancelled, and the view says
// so; the partial report can still be exported.
func TestCheckViewCancelMidway(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	p, s := demoAppProfile(t, org, "Integration App", "Integration_App", flows.JWTBearer)
	reached, resume := make(chan struct{}), make(chan struct{})
	v, saved := shownCheck(t, func(ctx context.Context, in checkup.Input) *checkup.Report {
		show := in.Progress
		first := true
		in.Progress = func(r checkup.Row) {
			show(r)
			if first && r.Status == checkup.Running && r.Step == "jwt-bearer" {
				first = false
				close(reached)
				<-resume // the person presses Cancel now
			}
		}
		return checkup.Run(ctx, in)
	})
	v.start(p.Name, func() (checkup.Input, error) { return checkInput(p, s, nil) })
	select {
	case <-reached:
	case <-time.After(20 * time.Second):
		t.Fatal("the checkup never reached the JWT bearer flow")
	}
	test.Tap(v.cancelB)
	close(resume)
	waitIdle()
	if v.report == nil || !v.report.Cancelled {
		t.Fatalf("report %+v, want a cancelled one", v.report)
	}
	rows := shownRows(v)
	if !slices.Contains(rows, "username-password=works") {
		t.Errorf("the flow before the cancel is not shown working: %q", rows)
	}
	var plan []string // the report's rows in the order the checkup ran them
	for _, r := range v.report.Rows {
		plan = append(plan, r.Name()+"="+string(r.Status))
	}
	i := slices.IndexFunc(plan, func(s string) bool { return strings.HasPrefix(s, "jwt-bearer") })
	if i < 0 {
		t.Fatalf("no jwt-bearer row: %q", plan)
	}
	for _, r := range plan[i+1:] {
		// A cancel still revokes the tokens made before it (the username-password one).
		if strings.HasPrefix(r, "revoke=") {
			if r != "revoke=works" {
				t.Errorf("the token made before the cancel was not revoked: %s", r)
			}
			continue
		}
		if !strings.HasSuffix(r, "=cancelled") && !strings.HasSuffix(r, "=skipped") {
			t.Errorf("row after the cancel: %s", r)
		}
	}
	if !strings.HasPrefix(rows[0], "jwt-bearer") || !strings.HasSuffix(rows[0], "=cancelled") {
		t.Errorf("the matrix does not begin with the cancelled rows: %q", rows)
	}
	if sorted, want := slices.Sorted(slices.Values(rows)), slices.Sorted(slices.Values(plan)); !slices.Equal(sorted, want) {
		t.Errorf("the view shows %q, the report has %q", rows, plan)
	}
	if !strings.HasPrefix(v.summary.Text, "Cancelled:") || v.running || v.againB.Disabled() {
		t.Errorf("summary %q, running %v, Check again disabled %v", v.summary.Text, v.running, v.againB.Disabled())
	}
	test.Tap(v.exports[0])
	if len(*saved) != 1 || !strings.Contains((*saved)[0], "cancelled") {
		t.Errorf("export of the partial report: %q", *saved)
	}
}

// The exports are checkup's redacted writers: no secret of the profile, nor a token the
// checkup made, in Markdown, HTML or JSON, also when flows fail.
func TestCheckViewExportsHaveNoSecret(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	p, s := demoAppProfile(t, org, "Misconfigured App", "Misconfigured_App", flows.UsernamePassword)
	v, saved := shownCheck(t, nil)
	v.start(p.Name, func() (checkup.Input, error) { return checkInput(p, s, nil) })
	waitIdle()
	rows := shownRows(v)
	if !slices.Contains(rows, "client-credentials=fails") || !slices.Contains(rows, "username-password=works") {
		t.Fatalf("matrix %q, want client-credentials failing", rows)
	}
	var all string
	for _, o := range v.rows.Objects {
		all += rowText(o) + "\n"
	}
	if !strings.Contains(all, "Fix: ") || !strings.Contains(all, "Run As") {
		t.Errorf("the failure has no fix about the Run As user:\n%s", all)
	}
	for _, b := range v.exports {
		test.Tap(b)
	}
	if len(*saved) != 3 {
		t.Fatalf("%d exports, want 3", len(*saved))
	}
	secrets := []string{s.ClientSecret, s.Password, s.SecurityToken, s.Password + s.SecurityToken, "PRIVATE KEY"}
	for i, out := range *saved {
		name, body, _ := strings.Cut(out, "\n")
		ext := []string{".md", ".html", ".json"}[i]
		if !strings.HasPrefix(name, "checkup-Check-Misconfigured-App-") || !strings.HasSuffix(name, ext) {
			t.Errorf("export %d named %q", i, name)
		}
		if !strings.Contains(body, "client-credentials") || !strings.Contains(body, "fails") {
			t.Errorf("%s does not hold the matrix:\n%s", name, body)
		}
		for _, sec := range secrets {
			if strings.Contains(body, sec) {
				t.Errorf("%s holds the secret %q", name, sec)
			}
		}
		if tok := tokenShape.FindString(body); tok != "" {
			t.Errorf("%s holds a token: %s", name, tok)
		}
	}
	if !json.Valid([]byte(strings.SplitN((*saved)[2], "\n", 2)[1])) {
		t.Error("the JSON export is not JSON")
	}
}

// With a checkup and a bench in the backend, New still measures no text (warm_test.go's
// TestNewMeasuresNoText without them): their buttons join the bars without a layout.
func TestNewMeasuresNoTextWithTheViewButtons(t *testing.T) {
	a := test.NewTempApp(t)
	th := &countingTheme{Theme: theme.DefaultTheme()}
	a.Settings().SetTheme(th)
	w := test.NewTempWindow(t, nil)
	be := (&fakeBackend{}).backend()
	be.Checkup = checkup.Run
	be.RotationBench = emulatedBench
	l := New(w, be, Options{Store: NewMemoryStore(nil, nil), TickEvery: -1})
	t.Cleanup(l.Close)
	if n := th.fonts.Load(); n != 0 {
		t.Errorf("New looked up fonts %d times: it measured text", n)
	}
	if got := texts(l.runBar); !strings.Contains(got, "Check app") {
		t.Errorf("the Run bar has no Check app: %q", got)
	}
}
