package timeline

import (
	"os"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/guidance"
)

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	s := guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "specific_inactivity:1:HOURS")}
	for name, w := range map[string]WhatIf{"base": {}, "every": {Every10Minutes: true}, "day": {StopForADay: true}, "rot": {Rotation: true}} {
		tl := model(s, guidance.Activity{Requests: at(5, 10)}, w)
		p := Layout(tl, 720)
		f, _ := os.Create("/tmp/tl-" + name + ".png")
		WritePNG(f, p)
		f.Close()
		f, _ = os.Create("/tmp/tl-" + name + ".svg")
		WriteSVG(f, p)
		f.Close()
	}
	_ = time.Now
}
