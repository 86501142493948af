package flows_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The browser flows end to end in real headless Chromium: it opens the authorize URL, fills
// the emulator's login form, approves, and lands on our listener.

func chromePath(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROME_PATH"), "/usr/lib/chromium/chromium", "/usr/bin/chromium"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (CI=true): apt-get install chromium, or set CHROME_PATH")
	}
	t.Skip("no Chromium found; install chromium to run the browser tests")
	return ""
}

// chromeOpener returns an opener that drives one headless Chromium per call.
func chromeOpener(t *testing.T, user, pass string) func(context.Context, string) error {
	path := chromePath(t)
	return func(ctx context.Context, u string) error {
		profile := t.TempDir()
		os.MkdirAll(filepath.Join(profile, "Default"), 0o700)
		os.WriteFile(filepath.Join(profile, "Default", "Preferences"), []byte(`{"credentials_enable_service":false,`+
			`"profile":{"password_manager_enabled":false,"password_manager_leak_detection":false},"signin":{"allowed":false}}`), 0o600)
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile), chromedp.NoFirstRun,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-domain-reliability", true), chromedp.Flag("no-pings", true),
			chromedp.Flag("disable-features", "Translate,PasswordLeakDetection,AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter"),
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"),
		)
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		defer cancelA()
		bctx, cancel := chromedp.NewContext(actx)
		defer cancel()
		bctx, cancelT := context.WithTimeout(bctx, 60*time.Second)
		defer cancelT()
		stop := context.AfterFunc(ctx, cancelT) // the flow is done with the browser
		defer stop()
		if err := chromedp.Do(bctx,
			chromedp.Navigate(u),
			chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), user),
			chromedp.SendKeys(chromedp.ID("password"), pass),
		); err != nil {
			return err
		}
		// the click navigates away; chromedp may report the target as navigated, which is fine
		if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`button[type=submit]`))); err != nil && !strings.Contains(err.Error(), "navigated") {
			return err
		}
		// an approval page may come first; end on the listener's result page
		for approved := false; ; {
			what := pageState(bctx)
			switch {
			case what == "approve" && !approved:
				approved = true
				_ = chromedp.Do(bctx, chromedp.Click(chromedp.ID("approve"))) // navigates away
			case what == "done" || what == "failed":
				return nil
			case what == "" && bctx.Err() != nil:
				return bctx.Err()
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// pageState tells which page the browser shows; "" while it navigates.
func pageState(ctx context.Context) string {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("approve") ? "approve" : (document.getElementById("done") ? "done" : (document.getElementById("failed") ? "failed" : ""))`))
	if err != nil {
		return ""
	}
	return v
}

func TestBrowserFlowsInChromium(t *testing.T) {
	e := startEmu(t, false, nil)
	u := e.User(t, "demo@connectedapplab.example")
	open := chromeOpener(t, u.Username, u.Password)
	for _, c := range []struct {
		flow flows.Flow
		app  string
	}{{flows.WebServerPKCE, "ECA PKCE"}, {flows.UserAgent, "Web App"}} {
		t.Run(string(c.flow), func(t *testing.T) {
			req := e.request(t, c.flow, c.app, "api", "openid")
			if c.flow == flows.WebServerPKCE {
				req.ClientSecret = ""
			}
			req.Options.OpenBrowser = open
			req.Options.ListenTimeout = 30 * time.Second
			res, err := flows.Run(context.Background(), req, func(p flows.Progress) { t.Log(p.Step + ": " + p.Message) })
			if err != nil {
				t.Fatal(err)
			}
			assertNoSecrets(t, res, req.ClientSecret, req.Password)
			wantChecks(t, res, "state", "id_token_signature", "id_token_claims")
			if res.Token.AccessToken == "" {
				t.Fatal("no token")
			}
		})
	}
}
