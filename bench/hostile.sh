#!/usr/bin/env bash
# Peak memory and time to a message for every read path, at default settings, against a hostile server on
# loopback (examples/hostile_server.rs): a small gzip stream that inflates without end, a plain body without end, an
# issuer whose discovery or device endpoint is such a stream. Each row is one zorgtui run; `peak RSS` is its
# maximum resident set (ru_maxrss for the command-line doors, VmHWM for the explorer, which runs in tmux).
#
#   bash bench/hostile.sh
#
# Needs cargo, python3 and tmux. What must hold (issue 10): every row ends in a message that names the limit, and
# every peak stays under 512 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "bench/hostile.sh: tmux is needed (apt-get install tmux)" >&2; exit 1; }

cargo build --release --locked --quiet --bin zorgtui --example hostile_server
target=${CARGO_TARGET_DIR:-target}/release
zorgtui=$(pwd)/$target/zorgtui
work=$(mktemp -d)
session=zorg-hostile-$$
"$target/examples/hostile_server" >"$work/addr" &
server=$!
trap 'kill $server 2>/dev/null || true; tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.05; done
base=$(head -n1 "$work/addr")

export ZORGTUI_CONFIG=$work/none.toml ZORGTUI_DATA_DIR=$work/data ZORGTUI_STATE_DIR=$work/state
unset DISPLAY WAYLAND_DISPLAY

# Runs a command-line door; prints seconds, peak RSS in MiB, and its last line of stderr.
door() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
started = time.monotonic()
run = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
lines = run.stderr.decode(errors="replace").strip().splitlines()
print(f"{seconds:6.2f} s  {peak:7.1f} MiB  exit {run.returncode}  {lines[-1] if lines else ''}")
PY
}

one_off=(--issuer "$base/ok" --client-id zorgtui)
printf '%-44s %s\n' "read path" "time, peak RSS, exit, message"
printf '%-44s %s\n' "call: gzip stream without end" "$(door "$zorgtui" --api "$base/bomb/v1" call GET /x)"
printf '%-44s %s\n' "call: plain body without end" "$(door "$zorgtui" --api "$base/endless/v1" call GET /x)"
printf '%-44s %s\n' "login: discovery is a gzip stream" \
  "$(door "$zorgtui" --issuer "$base/bomb" --client-id zorgtui login --no-browser)"
printf '%-44s %s\n' "login --device: the device answer is one" "$(door "$zorgtui" "${one_off[@]}" login --device)"

# The explorer, as a person meets it: the spec from a URL, then a request whose answer never ends.
tmux new-session -d -s "$session" -x 160 -y 48 \
  "env ZORGTUI_CONFIG=$ZORGTUI_CONFIG ZORGTUI_DATA_DIR=$ZORGTUI_DATA_DIR ZORGTUI_STATE_DIR=$ZORGTUI_STATE_DIR \
   $zorgtui --api $base/bomb/v1beta2 --spec $base/bomb/spec.yaml; sleep 60"
wait_for() {
  local started=$SECONDS
  until tmux capture-pane -p -t "$session" | grep -q -- "$1"; do
    [ $((SECONDS - started)) -lt "$2" ] || { echo "never saw: $1" >&2; tmux capture-pane -p -t "$session" >&2; return 1; }
    sleep 0.1
  done
}
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
zpid=$(pgrep -P "$pid" zorgtui || echo "$pid")
started=$(date +%s%N)
wait_for "spec_cap_mb" 60
spec_ms=$((($(date +%s%N) - started) / 1000000))
spec_line=$(tmux capture-pane -p -t "$session" | grep -m1 -o "the spec from[^│]*")
spec_peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$zpid/status")
tmux send-keys -t "$session" / g e t Space / o r g a n i z a t i o n s Enter Enter
started=$(date +%s%N)
wait_for "body_disk_cap_mb" 300
send_ms=$((($(date +%s%N) - started) / 1000000))
peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$zpid/status")
send_line=$(tmux capture-pane -p -t "$session" | grep -m1 -o "the body from[^│]*")
printf '%-44s %6.2f s  %7s MiB  %s\n' "explorer: --spec URL is a gzip stream" "$(echo "$spec_ms / 1000" | bc -l)" "$spec_peak" \
  "${spec_line:-?}"
printf '%-44s %6.2f s  %7s MiB  %s\n' "explorer: a response without end" "$(echo "$send_ms / 1000" | bc -l)" "$peak" \
  "${send_line:-?}"
tmux send-keys -t "$session" q
