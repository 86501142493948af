package timeline

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts measure every label (so that labels never overlap) and draw the PNG; the SVG
// names them first in its font-family.
var (
	fontMu    sync.Mutex
	fontFaces = map[faceKey]font.Face{}
	fontErr   error
	regular   *opentype.Font
	bold      *opentype.Font
	fontOnce  sync.Once
)

type faceKey struct {
	size float64
	bold bool
}

func loadFonts() {
	regular, fontErr = opentype.Parse(goregular.TTF)
	if fontErr == nil {
		bold, fontErr = opentype.Parse(gobold.TTF)
	}
}

// face returns the Go font face at size pixels; callers hold fontMu (faces are not safe for
// concurrent use).
func face(size float64, isBold bool) (font.Face, error) {
	fontOnce.Do(loadFonts)
	if fontErr != nil {
		return nil, fontErr
	}
	k := faceKey{size, isBold}
	if f, ok := fontFaces[k]; ok {
		return f, nil
	}
	src := regular
	if isBold {
		src = bold
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	fontFaces[k] = f
	return f, nil
}

// textWidth is the advance of s in pixels (0 if the font cannot load, which the embedded
// fonts always do).
func textWidth(s string, size float64, isBold bool) float64 {
	fontMu.Lock()
	defer fontMu.Unlock()
	f, err := face(size, isBold)
	if err != nil {
		return 0
	}
	return fixedToFloat(font.MeasureString(f, s))
}

func fixedToFloat(v fixed.Int26_6) float64 { return float64(v) / 64 }
