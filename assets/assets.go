// Package assets holds the resources bundled into the binary: the app icon, nothing else.
// icon-128.png is its window-sized copy.
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

//go:embed icon-128.png
var windowIconPNG []byte

// Icon is the app icon, 512×512 PNG (packages and stores).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// WindowIcon is the same picture at 128×128: the window's icon, set at every start, where
// decoding the 512 one cost about 9 ms.
var WindowIcon = fyne.NewStaticResource("icon-128.png", windowIconPNG)
