//go:build !headless

package main

// hasWindow: this build has the window (window.go); windowless.go says otherwise.
const hasWindow = true
