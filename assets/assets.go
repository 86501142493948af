// Package assets holds the resources bundled into the binary: the app icon, nothing else.
//
// icon.png and icon.svg are generated together by scripts/gen-icon/main.go; FyneApp.toml
// points the fyne tool at icon.png, and the window sets Icon at run time so that plain
// `go build` binaries show it too.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon, 512×512 PNG.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
