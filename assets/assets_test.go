package assets

import (
	"bytes"
	"image"
	_ "image/png"
	"testing"
)

func TestIconIsASquarePNGTheFyneToolAccepts(t *testing.T) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(Icon.Content()))
	if err != nil {
		t.Fatalf("icon.png does not decode: %v", err)
	}
	// The fyne tool wants a square icon and scales anything above 512 down.
	if format != "png" || cfg.Width != 512 || cfg.Height != 512 {
		t.Fatalf("icon is %s %dx%d, want png 512x512", format, cfg.Width, cfg.Height)
	}
	if Icon.Name() != "icon.png" {
		t.Fatalf("resource name %q, want icon.png", Icon.Name())
	}
}

func TestWindowIconIsTheSmallCopy(t *testing.T) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(WindowIcon.Content()))
	if err != nil {
		t.Fatalf("icon-128.png does not decode: %v", err)
	}
	if format != "png" || cfg.Width != 128 || cfg.Height != 128 {
		t.Fatalf("window icon is %s %dx%d, want png 128x128", format, cfg.Width, cfg.Height)
	}
}
