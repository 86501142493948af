package timeline

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/guidance"
)

// goldenPicture is the picture of the golden files: an app timeout of 15 minutes, a refresh
// token that expires after an hour unused, two calls so far, and "refresh with rotation".
func goldenPicture(t *testing.T) Picture {
	s := guidance.Settings{AppKind: guidance.AppConnected, AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "specific_inactivity:1:HOURS")}
	return Layout(model(s, guidance.Activity{Requests: at(5, 10)}, WhatIf{Rotation: true}), 640)
}

func writeGolden(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGoldenSVG(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSVG(&b, goldenPicture(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		writeGolden(t, "timeline.svg", b.Bytes())
	}
	want, err := os.ReadFile(filepath.Join("testdata", "timeline.svg"))
	if err != nil {
		t.Fatalf("%v (go test ./timeline -update writes it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the SVG differs from testdata/timeline.svg; run go test ./timeline -update and look at the diff\n%s", b.String())
	}
	checkXML(t, b.Bytes())
}

func TestGoldenPNG(t *testing.T) {
	p := goldenPicture(t)
	var b bytes.Buffer
	if err := WritePNG(&b, p); err != nil {
		t.Fatal(err)
	}
	if *update {
		writeGolden(t, "timeline.png", b.Bytes())
	}
	f, err := os.Open(filepath.Join("testdata", "timeline.png"))
	if err != nil {
		t.Fatalf("%v (go test ./timeline -update writes it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("size %v, want %v", got.Bounds(), want.Bounds())
	}
	// Pixels are compared with a small tolerance: the rasterizer's float arithmetic may fuse
	// differently on other architectures and shift a glyph's anti-aliasing by a level or two.
	diff := 0
	for y := want.Bounds().Min.Y; y < want.Bounds().Max.Y; y++ {
		for x := want.Bounds().Min.X; x < want.Bounds().Max.X; x++ {
			if !near(got.At(x, y), want.At(x, y)) {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("%d pixels differ from testdata/timeline.png; run go test ./timeline -update and look at it", diff)
	}
	if got.Bounds() != image.Rect(0, 0, 640, int(p.Height)) {
		t.Errorf("bounds %v", got.Bounds())
	}
}

func near(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	d := func(x, y uint32) bool { return x-y < 0x1000 || y-x < 0x1000 }
	return d(ar, br) && d(ag, bg) && d(ab, bb) && d(aa, ba)
}

func TestSVGEscapesText(t *testing.T) {
	p := Picture{Width: 100, Height: 20, Shapes: []Shape{{Kind: Text, Text: `a <b> & "c" 'd'`, Size: 11}}}
	var b bytes.Buffer
	if err := WriteSVG(&b, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<b>") || !strings.Contains(b.String(), "a &lt;b&gt; &amp;") {
		t.Errorf("text not escaped: %s", b.String())
	}
	checkXML(t, b.Bytes())
}

// checkXML fails unless b is well-formed XML whose texts are the picture's.
func checkXML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
	}
}
