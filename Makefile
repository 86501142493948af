# Packaging shortcuts; the scripts hold the logic (docs/PACKAGING.md).
.PHONY: build test check run fuzz clients package package-linux package-windows package-darwin check-packages icon clean

build:              ## both executables: ./connectedapplab (the window and every command) and ./connectedapplab-cli (the commands alone, no Fyne)
	go build -o connectedapplab .
	CGO_ENABLED=0 go build -tags headless -o connectedapplab-cli .

test:               ## the whole suite, as CI runs it
	scripts/test

PKG ?= ./...
check:              ## quick loop: gofmt, go vet and go test -race on PKG (e.g. make check PKG=./flows/...)
	@bad=$$(gofmt -l $$(go list -f '{{.Dir}}' $(PKG))); \
	  if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	go vet $(PKG)
	go test -race $(PKG)

run:                ## the window on the built-in emulated org
	scripts/run --demo

fuzz:               ## every fuzz target for FUZZTIME each (default 4s)
	scripts/fuzz

clients:            ## the real Salesforce clients against a fresh emulate
	scripts/test-clients

package:            ## Linux .tar.xz and Windows .exe (window and -cli) into dist/, then check them
	scripts/package all
	scripts/check-packages all

package-linux:
	scripts/package linux
	scripts/check-packages linux

package-windows:
	scripts/package windows
	scripts/check-packages windows

package-darwin:     ## what of the macOS package can be built and checked on Linux
	scripts/package darwin
	scripts/check-packages darwin

check-packages:     ## check what is already in dist/
	scripts/check-packages all

icon:               ## redraw assets/icon.png and assets/icon.svg
	go run scripts/gen-icon/main.go

clean:
	rm -rf dist
