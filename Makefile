# Packaging shortcuts; the scripts hold the logic (docs/PACKAGING.md).
.PHONY: package package-linux package-windows check-packages icon clean

package:            ## Linux .tar.xz and Windows .exe into dist/, then check them
	scripts/package all
	scripts/check-packages all

package-linux:
	scripts/package linux
	scripts/check-packages linux

package-windows:
	scripts/package windows
	scripts/check-packages windows

check-packages:     ## check what is already in dist/
	scripts/check-packages all

icon:               ## redraw assets/icon.png and assets/icon.svg
	go run scripts/gen-icon/main.go

clean:
	rm -rf dist
