package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/timeline"
)

// timelineWidth is the width of the pictures run --timeline writes.
const timelineWidth = 760

// timelineFlag is run's --timeline FILE: the token timeline of the login, drawn as SVG or PNG
// by the file's extension.
type timelineFlag struct{ path string }

// addTimelineFlag registers --timeline on run's flag set.
func addTimelineFlag(fs *flag.FlagSet) *timelineFlag {
	t := &timelineFlag{}
	fs.StringVar(&t.path, "timeline", "", "draw the token timeline of this login into `FILE` (.svg or .png)")
	return t
}

// after writes the timeline once the run is reported, and returns the run's exit code, or 1
// with one line on stderr when the file could not be written.
func (t *timelineFlag) after(env *Env, in guidance.Input, rep *guidance.Report, code int) int {
	if t == nil || t.path == "" {
		return code
	}
	if err := t.write(in, rep); err != nil {
		fmt.Fprintln(env.Stderr, oneLine("run: --timeline "+t.path+": "+err.Error()))
		return max(code, 1)
	}
	return code
}

func (t *timelineFlag) write(in guidance.Input, rep *guidance.Report) error {
	ext := strings.ToLower(filepath.Ext(t.path))
	if ext != ".svg" && ext != ".png" {
		return fmt.Errorf("the file must end in .svg or .png, not %q", ext)
	}
	if in.Result == nil || in.Result.Token == nil || in.Result.Token.AccessToken == "" {
		return errors.New("not written: the flow returned no token, so there is no timeline to draw")
	}
	pic := timeline.Layout(timeline.Model(in, *rep, guidance.Activity{}, timeline.WhatIf{}), timelineWidth)
	var b bytes.Buffer
	var err error
	if ext == ".svg" {
		err = timeline.WriteSVG(&b, pic)
	} else {
		err = timeline.WritePNG(&b, pic)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(t.path, b.Bytes(), 0o644); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write it (%v); choose a file in a directory you can write", err)
	}
	return nil
}
