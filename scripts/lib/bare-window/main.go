//go:build ignore

// The baseline of scripts/bench-window: a bare Fyne window with one label, built from this
// module so that it uses the same Fyne and the same build flags as the app.
//
//	go build -o bare scripts/lib/bare-window/main.go
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.connectedapplab.benchbare")
	w := a.NewWindow("Bare Fyne window")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}
