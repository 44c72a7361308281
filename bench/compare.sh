#!/usr/bin/env bash
# zorgtui view beside jless on generated 100 MB documents: time to the first screen and peak RSS (VmHWM) after
# jumping to the end (G), each viewer in its own tmux session of the same size. Prints the figures and the ratios
# (zorgtui / jless; issue 6 asks for at most 0.5 on both).
#
#   bench/compare.sh [SIZE_MB] [SHAPES...]     e.g. bench/compare.sh 100 array deep wide
#
# Needs tmux and jless (installed here from crates.io if missing; it needs Debian's libxcb dev packages).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${1:-100}
shift || true
shapes=("${@:-array deep wide}")
read -r -a shapes <<<"${shapes[*]}"
cols=120
rows=40
work=$(mktemp -d)
trap 'tmux kill-session -t zorg-compare 2>/dev/null || true; rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! need tmux; then as_root apt-get update -qq && as_root apt-get install -y -qq tmux; fi
if ! need jless; then
  as_root apt-get update -qq
  as_root apt-get install -y -qq libxcb-render0-dev libxcb-shape0-dev libxcb-xfixes0-dev
  cargo install --locked jless
fi

cargo build --release --locked --bin zorgtui --example json_testdata
target=${CARGO_TARGET_DIR:-target}/release
zorgtui=$target/zorgtui
if ! "$zorgtui" view --help >/dev/null 2>&1; then
  echo "bench/compare.sh: this zorgtui has no 'view' subcommand yet" >&2
  exit 1
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Waits until the pane shows $1 (a fixed string); prints the milliseconds since $2.
wait_for() {
  local marker=$1 since=$2 deadline=$(($(now_ms) + 60000))
  while ! tmux capture-pane -p -t zorg-compare | grep -qF -- "$marker"; do
    if [ "$(now_ms)" -gt "$deadline" ]; then
      echo "timeout waiting for '$marker'" >&2
      tmux capture-pane -p -t zorg-compare >&2
      return 1
    fi
    sleep 0.01
  done
  echo $(($(now_ms) - since))
}

# Waits until the pane has not changed for half a second (a jump to the end has been drawn).
wait_settled() {
  local before after=""
  before=$(tmux capture-pane -p -t zorg-compare)
  for _ in $(seq 1 600); do
    sleep 0.5
    after=$(tmux capture-pane -p -t zorg-compare)
    [ "$after" = "$before" ] && return 0
    before=$after
  done
}

# measure NAME FILE MARKER COMMAND...: prints "first_screen_ms peak_rss_kib".
measure() {
  local file=$2 marker=$3
  shift 3
  sync
  local start first pid hwm
  start=$(now_ms)
  tmux new-session -d -s zorg-compare -x "$cols" -y "$rows" "exec $* $file"
  first=$(wait_for "$marker" "$start")
  pid=$(tmux display-message -p -t zorg-compare '#{pane_pid}')
  tmux send-keys -t zorg-compare G
  sleep 0.2
  wait_settled
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  tmux kill-session -t zorg-compare
  echo "$first $hwm"
}

printf '%-6s %8s | %10s %10s | %10s %10s | %6s %6s\n' shape size_MB zorg_ms jless_ms zorg_MiB jless_MiB t_ratio m_ratio
for shape in "${shapes[@]}"; do
  file=$work/$shape.json
  "$target/examples/json_testdata" "$shape" "$size_mb" >"$file"
  case $shape in
    array) marker=REQ-000000 ;;
    deep) marker=level ;;
    wide) marker=key0000000 ;;
    *) echo "unknown shape $shape" >&2; exit 1 ;;
  esac
  cat "$file" >/dev/null # both viewers start from a warm page cache
  read -r z_ms z_kib < <(measure zorgtui "$file" "$marker" "$zorgtui" view)
  read -r j_ms j_kib < <(measure jless "$file" "$marker" jless)
  bytes=$(stat -c %s "$file")
  awk -v s="$shape" -v b="$bytes" -v zt="$z_ms" -v jt="$j_ms" -v zm="$z_kib" -v jm="$j_kib" 'BEGIN {
    printf "%-6s %8.0f | %10d %10d | %10.0f %10.0f | %6.2f %6.2f\n", s, b / 1048576, zt, jt, zm / 1024, jm / 1024, zt / jt, zm / jm
  }'
  rm -f "$file"
done
