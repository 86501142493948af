package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var deviceSpec = Spec{
	Flow:  Device,
	Label: "Device flow",
	Summary: "For devices with no browser: the device shows a code, the person approves it on another screen, " +
		"the device polls the token endpoint.",
	Needs:       "Consumer key, \"Enable for Device Flow\" on the app, an installed app, and a person who types a code at /setup/connect.",
	Fields:      []Need{req(FieldLoginURL), req(FieldClientID), opt(FieldClientSecret), opt(FieldScopes)}, // the polls send the secret when set
	IDToken:     true,
	Refresh:     RefreshWithScope,
	AppSettings: []string{"device-flow", "installed", "secret-refresh", "scopes", "id-token", "refresh-token-policy", "session-timeout"},
	step:        (*session).device,
}

// DeviceAuthorization is Salesforce's answer to response_type=device_code (reference §3.7):
// no expires_in, no verification_uri_complete.
type DeviceAuthorization struct {
	UserCode        string
	DeviceCode      string
	VerificationURL string
	Interval        time.Duration
	Raw             map[string]any
}

// device runs Salesforce's device flow, which predates RFC 8628 and differs on the wire: the
// authorization request is response_type=device_code on the token endpoint, and polling is
// grant_type=device with code=<device_code>. Written by hand for that reason.
func (s *session) device(ctx context.Context) (*TokenResponse, error) {
	form := newForm("response_type", "device_code", "client_id", s.req.ClientID)
	if len(s.req.Scopes) > 0 {
		form = form.add("scope", strings.Join(s.req.Scopes, " "))
	}
	resp, body, err := s.postForm(ctx, "device-authorize", s.ep.Token, form, false)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, parseErrorResponse("token", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	raw, err := decodeObject("token", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	da := DeviceAuthorization{UserCode: str(raw["user_code"]), DeviceCode: str(raw["device_code"]),
		VerificationURL: str(raw["verification_uri"]), Raw: raw}
	if da.VerificationURL == "" {
		da.VerificationURL = str(raw["verification_url"])
	}
	if da.UserCode == "" || da.DeviceCode == "" {
		if oe := oauthErrorFrom("token", resp.StatusCode, raw); oe != nil {
			return nil, oe
		}
		return nil, &HTTPError{Step: "device-authorize", Status: resp.StatusCode, Err: errors.New("the answer has no user_code or device_code"), Snippet: snippet(body)}
	}
	s.red.addToken(da.DeviceCode)
	da.Interval = 5 * time.Second
	if n, err := strconv.Atoi(str(raw["interval"])); err == nil && n > 0 {
		da.Interval = time.Duration(n) * time.Second
	}
	interval := da.Interval
	if s.o.PollInterval > 0 {
		interval = s.o.PollInterval
	}
	s.reportP(Progress{Step: "user-code", UserCode: da.UserCode, VerificationURL: da.VerificationURL,
		Message: fmt.Sprintf("enter code %s at %s", da.UserCode, da.VerificationURL)})

	limit := s.o.DeviceTimeout
	if limit <= 0 {
		limit = DefaultDeviceTimeout
	}
	start := time.Now()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for polls := 1; ; polls++ {
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			s.timing("user", start)
			return nil, fmt.Errorf("device flow stopped while waiting for the user: %w", ctx.Err())
		case <-deadline.C:
			t.Stop()
			s.timing("user", start)
			return nil, fmt.Errorf("%w: nobody approved code %s at %s within %s; run the flow again and enter the code sooner",
				ErrTimeout, da.UserCode, da.VerificationURL, limit)
		case <-t.C:
		}
		s.report("polling", fmt.Sprintf("polling (%d)", polls))
		poll := newForm("grant_type", "device", "client_id", s.req.ClientID, "code", da.DeviceCode)
		if s.req.ClientSecret != "" {
			poll = poll.add("client_secret", s.req.ClientSecret)
		}
		tr, err := s.postToken(ctx, "device-poll", poll, false)
		if err == nil {
			s.timing("user", start)
			return tr, nil
		}
		var oe *OAuthError
		if !errors.As(err, &oe) {
			return nil, err
		}
		switch oe.Code {
		case "authorization_pending":
			continue
		case "slow_down":
			interval += 5 * time.Second
			s.report("polling", fmt.Sprintf("the server asked to slow down: polling every %s", interval))
			continue
		}
		return nil, err
	}
}
