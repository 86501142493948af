package flows

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultRESTPath is the REST call Call makes when no path is given: an authenticated,
// read-only resource every API-enabled user can read.
const DefaultRESTPath = "/services/data/v62.0/limits"

// OpResult is the answer of one operation (introspect, revoke, userinfo, identity, REST).
type OpResult struct {
	Op         string
	Status     int
	Body       any // decoded JSON (object or array); nil when empty or not JSON
	Transcript *Transcript
	Duration   time.Duration
}

// op runs one HTTP operation in its own session (for the transcript and redaction).
func op(ctx context.Context, req Request, name string, secrets []string, f func(s *session) (*OpResult, error)) (*OpResult, error) {
	s := &session{}
	s.init(&req, nil, &Result{})
	if _, err := transportFor(s.o); err != nil {
		return &OpResult{Op: name}, err
	}
	for _, t := range secrets {
		s.red.addToken(t)
	}
	start := time.Now()
	res, err := f(s)
	if err != nil {
		err = s.red.redactError(err)
	}
	if res == nil {
		res = &OpResult{}
	}
	res.Op = name
	res.Duration = time.Since(start)
	res.Transcript = s.rec.transcript()
	return res, err
}

func decodeAny(body []byte) any {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if len(bytes.TrimSpace(body)) == 0 || d.Decode(&v) != nil {
		return nil
	}
	return v
}

// Introspect asks the introspection endpoint about a token (reference §4.2), with the
// request's client credentials. hint is "access_token", "refresh_token" or "".
func Introspect(ctx context.Context, req Request, token, hint string) (*Introspection, *OpResult, error) {
	var in *Introspection
	res, err := op(ctx, req, "introspect", []string{token}, func(s *session) (*OpResult, error) {
		form := newForm("token", token)
		if hint != "" {
			form = form.add("token_type_hint", hint)
		}
		resp, body, err := s.postForm(ctx, "introspect", s.ep.Introspect, form, true)
		if err != nil {
			return nil, err
		}
		r := &OpResult{Status: resp.StatusCode, Body: decodeAny(body)}
		if resp.StatusCode != 200 {
			return r, parseErrorResponse("introspect", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		raw, err := decodeObject("introspect", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		if err != nil {
			return r, err
		}
		in = introspectionFrom(raw)
		return r, nil
	})
	return in, res, err
}

func introspectionFrom(raw map[string]any) *Introspection {
	num := func(k string) int64 {
		n, _ := strconv.ParseInt(str(raw[k]), 10, 64)
		if n == 0 {
			if f, err := strconv.ParseFloat(str(raw[k]), 64); err == nil {
				n = int64(f)
			}
		}
		return n
	}
	active, _ := raw["active"].(bool)
	return &Introspection{Raw: raw, Active: active || str(raw["active"]) == "true", Scope: str(raw["scope"]),
		ClientID: str(raw["client_id"]), Username: str(raw["username"]), Sub: str(raw["sub"]),
		TokenType: str(raw["token_type"]), Exp: num("exp"), Iat: num("iat"), Nbf: num("nbf")}
}

// Revoke revokes an access or refresh token (reference §4.1). Revoking a refresh token also
// revokes the access tokens issued from it. The client ID (and secret, when set) are sent
// too: Salesforce does not need them, other servers do.
func Revoke(ctx context.Context, req Request, token string) (*OpResult, error) {
	return op(ctx, req, "revoke", []string{token}, func(s *session) (*OpResult, error) {
		resp, body, err := s.postForm(ctx, "revoke", s.ep.Revoke, newForm("token", token), true)
		if err != nil {
			return nil, err
		}
		r := &OpResult{Status: resp.StatusCode, Body: decodeAny(body)}
		if resp.StatusCode != 200 {
			return r, parseErrorResponse("revoke", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		return r, nil
	})
}

// UserInfo calls the OIDC UserInfo endpoint with an access token (reference §4.3).
func UserInfo(ctx context.Context, req Request, accessToken string) (*OpResult, error) {
	return op(ctx, req, "userinfo", []string{accessToken}, func(s *session) (*OpResult, error) {
		return s.getJSON(ctx, "userinfo", s.ep.UserInfo, accessToken)
	})
}

// Identity calls the identity URL (the token response's id) with an access token (reference §4.4).
func Identity(ctx context.Context, req Request, identityURL, accessToken string) (*OpResult, error) {
	if identityURL == "" {
		return &OpResult{Op: "identity"}, errors.New("no identity URL: the token response's id field is empty")
	}
	return op(ctx, req, "identity", []string{accessToken}, func(s *session) (*OpResult, error) {
		return s.getJSON(ctx, "identity", identityURL, accessToken)
	})
}

// REST makes one REST API call (GET instanceURL+path; DefaultRESTPath when path is empty). An
// expired or revoked session comes back as an *OAuthError with Code INVALID_SESSION_ID
// (IsInvalidSession), Where "rest".
func REST(ctx context.Context, req Request, instanceURL, accessToken, path string) (*OpResult, error) {
	if instanceURL == "" {
		return &OpResult{Op: "rest"}, errors.New("no instance URL: the token response's instance_url field is empty")
	}
	if path == "" {
		path = DefaultRESTPath
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return op(ctx, req, "rest", []string{accessToken}, func(s *session) (*OpResult, error) {
		return s.getJSON(ctx, "rest", strings.TrimRight(instanceURL, "/")+path, accessToken)
	})
}

func (s *session) getJSON(ctx context.Context, step, endpoint, accessToken string) (*OpResult, error) {
	resp, body, err := s.get(ctx, step, endpoint, accessToken)
	if err != nil {
		return nil, err
	}
	r := &OpResult{Status: resp.StatusCode, Body: decodeAny(body)}
	if resp.StatusCode != 200 {
		return r, parseErrorResponse(step, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if r.Body == nil {
		_, err := decodeObject(step, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		if err == nil {
			err = &HTTPError{Step: step, Status: resp.StatusCode, Err: fmt.Errorf("%w: empty answer", ErrNotJSON)}
		}
		return r, err
	}
	return r, nil
}

// Discover reads {LoginURL}/.well-known/openid-configuration and returns the endpoints it
// names, for OAuth servers other than Salesforce.
func Discover(ctx context.Context, req Request) (Endpoints, *OpResult, error) {
	var ep Endpoints
	res, err := op(ctx, req, "discovery", nil, func(s *session) (*OpResult, error) {
		u := strings.TrimRight(req.LoginURL, "/") + "/.well-known/openid-configuration"
		resp, body, err := s.get(ctx, "discovery", u, "")
		if err != nil {
			return nil, err
		}
		r := &OpResult{Status: resp.StatusCode, Body: decodeAny(body)}
		if resp.StatusCode != 200 {
			return r, parseErrorResponse("discovery", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if err := json.Unmarshal(body, &ep); err != nil {
			return r, &HTTPError{Step: "discovery", Status: resp.StatusCode, Err: fmt.Errorf("%w: %v", ErrNotJSON, err), Snippet: snippet(body)}
		}
		return r, nil
	})
	return ep, res, err
}
