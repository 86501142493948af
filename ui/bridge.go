package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// This file is the bridge between background work and the widgets: it is the only file of
// the package that calls fyne.Do. Everything else runs on the UI goroutine (callbacks) or
// hands its result to one of these helpers. fyne.DoAndWait is never used: callbacks run on
// the UI goroutine, and waiting there for the UI goroutine would deadlock.

// inflight counts background work whose done has not run yet; tests wait for it (waitIdle).
// Work started from a done callback is counted before the outer one finishes, so waitIdle
// returns only when a whole chain has landed.
var inflight sync.WaitGroup

// doneMu makes the done callbacks of background work run one at a time. In the app they all
// run on the UI goroutine anyway (the lock is never contended); Fyne's test driver runs each
// fyne.Do on the goroutine that calls it, where two callbacks touching the same widgets
// raced (seen under -race in CI).
var doneMu sync.Mutex

// background runs work on its own goroutine, then done(result) on the UI goroutine.
func background[T any](work func() T, done func(T)) {
	inflight.Add(1)
	go func() {
		v := work()
		fyne.Do(func() {
			defer inflight.Done()
			doneMu.Lock()
			defer doneMu.Unlock()
			done(v)
		})
	}()
}

// waitIdle blocks until all background work has landed (tests only: never on the UI goroutine).
func waitIdle() { inflight.Wait() }

// onUI wraps f so that any goroutine may call the result; f itself runs on the UI goroutine.
// Calls keep their order.
func onUI[T any](f func(T)) func(T) {
	return func(v T) { fyne.Do(func() { f(v) }) }
}

// ticker calls f on the UI goroutine every d until the returned stop is called. After stop
// returns, f is not called again. d <= 0 gives a ticker that never ticks (tests).
func ticker(d time.Duration, f func()) (stop func()) {
	if d <= 0 {
		return func() {}
	}
	var (
		mu      sync.Mutex
		stopped bool
	)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fyne.Do(func() {
					mu.Lock()
					s := stopped
					mu.Unlock()
					if !s {
						f()
					}
				})
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			mu.Lock()
			stopped = true
			mu.Unlock()
			close(done)
		})
	}
}
