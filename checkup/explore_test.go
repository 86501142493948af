package checkup

import (
	"context"
	"os"
	"testing"

	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

func TestExplore(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	for _, a := range org.Desc.Apps {
		req := request(t, org, a.Name)
		u := org.User(t, req.Username)
		req.Options.OpenBrowser = sfemutest.Browser(u.Username, u.Password)
		rep := Run(context.Background(), Input{Request: req, Settings: appSettings(t, org, a.APIName), Browser: true})
		rep.WriteText(os.Stdout)
	}
}
