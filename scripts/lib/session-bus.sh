# Sourced by the scripts that start the window under Xvfb (smoke-window, screenshots,
# bench-window): it re-runs the script inside a private D-Bus session unless one is there.
# A desktop always has a session bus; without one, every Fyne start (its theme and settings
# portal) and every keychain call autolaunches a dbus-daemon through dbus-launch, which
# costs each start time the desktop does not pay and outlives the process: hundreds of
# leftover daemons then use up the inotify instances, and Fyne fails to watch its settings.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  command -v dbus-run-session >/dev/null || { echo "$(basename "$0"): needs dbus-run-session (apt install dbus)" >&2; exit 1; }
  exec dbus-run-session -- "$0" "$@"
fi
