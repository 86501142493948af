package cli

import (
	"strings"

	"github.com/connectedapplab/connectedapplab/flows"
)

// secretInputs is every secret of a request that run, run --profile and check take from
// the environment (SF_ and the key in capitals) or from --secrets-stdin (the key), when no
// flag and no keychain gave it: the one list those commands, their help and their errors read.
var secretInputs = []secretInput{
	{"client_secret", func(r *flows.Request) *string { return &r.ClientSecret }},
	{"password", func(r *flows.Request) *string { return &r.Password }},
	{"security_token", func(r *flows.Request) *string { return &r.SecurityToken }},
	{"refresh_token", func(r *flows.Request) *string { return &r.RefreshToken }},
	{"subject_token", func(r *flows.Request) *string { return &r.SubjectToken }},
}

type secretInput struct {
	key   string                       // the --secrets-stdin key
	field func(*flows.Request) *string // where it goes
}

// secretEnvName is the environment variable of the secret key: SF_CLIENT_SECRET for client_secret.
func secretEnvName(key string) string { return "SF_" + strings.ToUpper(key) }

// secretsFromEnv fills each secret of r that is still empty from its environment variable.
func secretsFromEnv(env *Env, r *flows.Request) {
	for _, s := range secretInputs {
		if p := s.field(r); *p == "" {
			*p = envOr(env, secretEnvName(s.key))
		}
	}
}

// secretKeyList is the --secrets-stdin keys: "client_secret, password, …, subject_token".
func secretKeyList() string {
	keys := make([]string, len(secretInputs))
	for i, s := range secretInputs {
		keys[i] = s.key
	}
	return strings.Join(keys, ", ")
}

// secretEnvList is the environment variables: "SF_CLIENT_SECRET, SF_PASSWORD, … or SF_SUBJECT_TOKEN".
func secretEnvList() string {
	names := make([]string, len(secretInputs))
	for i, s := range secretInputs {
		names[i] = secretEnvName(s.key)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
