#!/usr/bin/env bash
# Launch to first frame, resident memory and idle CPU of `zorgtui` (no network, no token), beside slumber 5.4.0
# (the Rust TUI HTTP client) showing the same ZorgAPIs catalogue, and beside a program that prints at once (the
# measuring floor: what tmux itself costs). Measured in tmux, as a person sees it.
#
#   bash bench/startup.sh [--runs N] [--size 160x48]
#
# Needs: tmux, python3; slumber 5.4.0 is built from crates.io into bench/out/ on first use (or set SLUMBER=path).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"

command -v tmux >/dev/null || { echo "bench/startup.sh: tmux is needed (apt-get install tmux)" >&2; exit 1; }
cargo build --release --locked --quiet

slumber=${SLUMBER:-}
if [ -z "$slumber" ]; then
  slumber="$out/slumber/bin/slumber"
  if [ ! -x "$slumber" ]; then
    echo "building slumber 5.4.0 from crates.io into $out/slumber (once)..." >&2
    cargo install slumber --version 5.4.0 --locked --root "$out/slumber" --quiet
  fi
fi

# Each program gets a home of its own: no stored session, no history, nothing shared.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/zorgtui" "$home/slumber"
# slumber shows the ZorgAPIs catalogue too, imported from the real spec (not kept: it is made here each run).
spec=../shared/zorgapis/openapi-v1beta2.yaml
if [ -f "$spec" ]; then
  (cd "$home/slumber" && HOME="$home/slumber" "$OLDPWD/$slumber" import openapi "$OLDPWD/$spec" slumber.yml >/dev/null)
  slumber_marker="List all API requirements versions"
else
  (cd "$home/slumber" && HOME="$home/slumber" "$OLDPWD/$slumber" new slumber.yml >/dev/null)
  slumber_marker="Recipe"
fi

zorgtui=$(pwd)/target/release/zorgtui
zenv="env ZORGTUI_CONFIG=$home/zorgtui/config.toml ZORGTUI_DATA_DIR=$home/zorgtui/data ZORGTUI_STATE_DIR=$home/zorgtui/state"
senv="env HOME=$home/slumber XDG_DATA_HOME=$home/slumber/data XDG_CONFIG_HOME=$home/slumber/config"

python3 bench/startup.py "$@" \
  "floor=FLOOR-READY=sh -c 'echo FLOOR-READY; exec sleep 120'" \
  "zorgtui=GET    /users/me=$zenv $zorgtui" \
  "slumber=$slumber_marker=$senv $(pwd)/$slumber -f $home/slumber/slumber.yml"
