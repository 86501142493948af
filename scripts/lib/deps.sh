# Shared by scripts/run and scripts/test: install the Debian/Ubuntu packages the build and the
# tests need (../shared/reference/fyne-toolchain.md §1), with sudo when not root.

# Building the window needs cgo with the X11 and OpenGL headers.
build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev)
# The tests also need a virtual display, a real Secret Service, Chromium, the Windows
# cross-compiler and the tools that inspect packages.
test_pkgs=(xvfb xauth imagemagick xdotool gnome-keyring dbus-x11 libsecret-tools chromium
  gcc-mingw-w64-x86-64-win32 xz-utils file binutils x11-utils)
# scripts/test-clients drives the Salesforce CLI's and jsforce's browser logins in Chromium
# (through playwright-core, from npm).
clients_pkgs=(chromium)

install_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "== installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}
