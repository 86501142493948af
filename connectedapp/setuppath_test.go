package connectedapp

import (
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/guidance"
)

// Every Setup path lint gives separates its steps as guidance does (guidance.SetupArrow),
// never with ">".
func TestSetupPathsUseTheOneArrow(t *testing.T) {
	all := []setting{setCallback, setScopes, setSecretWebServer, setSecretRefresh, setSecretTokenExchange, setPKCE,
		setClientCredentials, setClientCredentialsUser, setDeviceFlow, setTokenExchange, setPermittedUsers,
		setRefreshPolicy, setSessionTimeout, setIDToken, setNamedUserJWT, setCertificate, setInstalled,
		setOrgUsernamePassword, setOrgUserAgent, setOrgPKCE, setOrgSessionTimeout}
	for _, k := range []Kind{Connected, External} {
		for _, s := range all {
			p, _ := where(k, s)
			if p == "" || strings.Contains(p, " > ") || !strings.HasPrefix(p, guidance.SetupPath()+guidance.SetupArrow) {
				t.Errorf("%s %s: Setup path %q", k, s, p)
			}
		}
	}
}
