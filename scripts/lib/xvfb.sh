# Sourced by the scripts that start the window under Xvfb (smoke-window, shake-window).
# start_xvfb DIR starts a private Xvfb on the first free display (Xvfb -displayfd), so it works
# with or without a DISPLAY, also inside an outer xvfb-run; it exports DISPLAY, sets XVFB_PID
# (the caller stops it) and keeps Xvfb's output in DIR/xvfb.log. On failure it prints one line
# and returns 1.
start_xvfb() {
  local dir=$1
  exec 3>"$dir/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset >"$dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  exec 3>&-
  for _ in $(seq 100); do
    [ -s "$dir/display" ] && break
    kill -0 "$XVFB_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$dir/display" ]; then
    echo "Xvfb did not start: $(tail -1 "$dir/xvfb.log")"
    return 1
  fi
  export DISPLAY=":$(tr -d '[:space:]' <"$dir/display")"
  unset WAYLAND_DISPLAY XAUTHORITY
}
