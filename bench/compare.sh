#!/usr/bin/env bash
# zorgtui view beside jless on generated documents: time to the first screen, time to the end (`G` pressed once the
# first screen is up, until the screen has stopped changing) and peak RSS (VmHWM) after it, each viewer in its own
# tmux session of the same size. Prints the figures and the ratios (zorgtui / jless; issue 6 asks for at most 0.5
# on time and memory).
#
#   bench/compare.sh [SIZES_MB] [SHAPES...]     e.g. bench/compare.sh 100,1024 array deep wide
#
# SIZES_MB is a comma-separated list (default 100,1024). A 1 GB document needs about 1 GB of disk for the file and,
# for jless, about 8 GB of memory.
#
# Needs cargo and tmux. jless 0.9.0 is built from crates.io into bench/out/jless on first use (or set JLESS=path, or
# have jless on the PATH); building it needs Debian's libxcb-render0-dev, libxcb-shape0-dev and libxcb-xfixes0-dev,
# installed here with apt-get when they are missing (sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${1:-100,1024}
shift || true
IFS=, read -r -a sizes <<<"$sizes"
shapes=("${@:-array deep wide}")
read -r -a shapes <<<"${shapes[*]}"
cols=120
rows=40
session=zorg-compare-$$
work=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! need tmux; then
  need apt-get || { echo "bench/compare.sh: install tmux first" >&2; exit 1; }
  as_root apt-get update -qq && as_root apt-get install -y -qq tmux
fi

jless=${JLESS:-$(command -v jless || true)}
if [ -z "$jless" ]; then
  jless=bench/out/jless/bin/jless
  if [ ! -x "$jless" ]; then
    missing=()
    for pkg in libxcb-render0-dev libxcb-shape0-dev libxcb-xfixes0-dev; do
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      need apt-get || { echo "bench/compare.sh: jless needs ${missing[*]} (or their equivalents)" >&2; exit 1; }
      as_root apt-get update -qq
      as_root apt-get install -y -qq "${missing[@]}"
    fi
    echo "building jless 0.9.0 from crates.io into bench/out/jless (once)..." >&2
    cargo install jless --version 0.9.0 --locked --root bench/out/jless --quiet
  fi
fi

cargo build --release --locked --quiet --bin zorgtui --example json_testdata
target=${CARGO_TARGET_DIR:-target}/release
zorgtui=$target/zorgtui
if ! "$zorgtui" view --help >/dev/null 2>&1; then
  echo "bench/compare.sh: this zorgtui has no 'view' subcommand" >&2
  exit 1
fi
# zorgtui runs with no configuration of the person's own and logs into the work directory.
zorgtui_cmd="env ZORGTUI_CONFIG=$work/none.toml ZORGTUI_STATE_DIR=$work/state $zorgtui view"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Waits until the pane shows $1 (a fixed string); prints the milliseconds since $2.
wait_for() {
  local marker=$1 since=$2 deadline=$(($(now_ms) + 60000))
  while ! tmux capture-pane -p -t "$session" | grep -qF -- "$marker"; do
    if [ "$(now_ms)" -gt "$deadline" ]; then
      echo "timeout waiting for '$marker'" >&2
      tmux capture-pane -p -t "$session" >&2
      return 1
    fi
    sleep 0.01
  done
  echo $(($(now_ms) - since))
}

# Waits until the pane has not changed for a second; prints the milliseconds from $1 to its last change (how long
# a key took to be answered in full).
wait_settled() {
  local since=$1 before after last quiet=0
  before=$(tmux capture-pane -p -t "$session")
  last=$(now_ms)
  local deadline=$((last + 600000))
  while [ "$quiet" -lt 1000 ] && [ "$(now_ms)" -lt "$deadline" ]; do
    sleep 0.02
    after=$(tmux capture-pane -p -t "$session")
    if [ "$after" != "$before" ]; then
      last=$(now_ms)
      before=$after
    fi
    quiet=$(($(now_ms) - last))
  done
  echo $((last - since))
}

# measure NAME FILE MARKER COMMAND...: prints "first_screen_ms end_ms peak_rss_kib".
measure() {
  local file=$2 marker=$3
  shift 3
  sync
  local start first pressed end pid hwm
  start=$(now_ms)
  tmux new-session -d -s "$session" -x "$cols" -y "$rows" "exec $* $file"
  first=$(wait_for "$marker" "$start")
  pid=$(tmux display-message -p -t "$session" '#{pane_pid}')
  pressed=$(now_ms)
  tmux send-keys -t "$session" G
  end=$(wait_settled "$pressed")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  tmux kill-session -t "$session"
  echo "$first $end $hwm"
}

printf '%-6s %8s | %10s %10s | %10s %10s | %10s %10s | %6s %6s %6s\n' shape size_MB zorg_ms jless_ms zorg_G_ms \
  jless_G_ms zorg_MiB jless_MiB t_ratio G_ratio m_ratio
for size_mb in "${sizes[@]}"; do
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
  read -r z_ms z_end z_kib < <(measure zorgtui "$file" "$marker" $zorgtui_cmd)
  read -r j_ms j_end j_kib < <(measure jless "$file" "$marker" "$jless")
  bytes=$(stat -c %s "$file")
  awk -v s="$shape" -v b="$bytes" -v zt="$z_ms" -v jt="$j_ms" -v zg="$z_end" -v jg="$j_end" -v zm="$z_kib" \
    -v jm="$j_kib" 'BEGIN {
    printf "%-6s %8.0f | %10d %10d | %10d %10d | %10.0f %10.0f | %6.2f %6.2f %6.2f\n", s, b / 1048576, zt, jt, zg, jg,
      zm / 1024, jm / 1024, zt / jt, (zg + 1) / (jg + 1), zm / jm
  }'
  rm -f "$file"
done
done
