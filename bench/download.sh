#!/usr/bin/env bash
# A response of SIZE_MB over loopback, uncompressed, through zorgtui's response path (api::client::send, as the
# explorer reads it) beside curl from the same server: into memory (body_memory_cap_mb above the size) and into the
# temporary file (body_memory_cap_mb 0). Prints the median of RUNS runs of each and the ratios to curl (issue 17
# asks for at most 1.2).
#
#   bash bench/download.sh [SIZE_MB] [RUNS]        e.g. bash bench/download.sh 100 7
#
# Ratios are medians of each round's ratio (the ways run in turn in every round).
# Needs cargo and curl. The server is examples/download_probe.rs, serving the body from memory.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "bench/download.sh: curl is needed (apt-get install curl)" >&2; exit 1; }

size_mb=${1:-100}
runs=${2:-7}
cargo build --release --locked --quiet --example download_probe
probe=${CARGO_TARGET_DIR:-target}/release/examples/download_probe
work=$(mktemp -d)
"$probe" serve "$size_mb" >"$work/url" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -n1 "$work/url")
curl -s -o /dev/null "$url" # the server's first answer warms it

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
curl_once() { curl -s -o "$1" -w '%{time_total}\n' "$url" | awk '{ print $1 * 1000 }'; }
probe_once() {
  local line
  line=$("$probe" fetch "$url" "$1" 1)
  echo "$line" | grep -q " $2 " || { echo "bench/download.sh: the run did not go to $2: $line" >&2; exit 1; }
  echo "$line" | awk '{ print $1 }'
}

# The four ways run in turn, round after round: this machine's speed drifts over seconds, and runs side by side
# see the same drift. Each way's median is printed, and the median of the per-round ratios.
: >"$work/rounds"
for _ in $(seq "$runs"); do
  c=$(curl_once /dev/null)
  f=$(curl_once "$work/body")
  rm -f "$work/body"
  m=$(probe_once $((size_mb * 2)) memory)
  s=$(probe_once 0 file)
  echo "$c $f $m $s" >>"$work/rounds"
done
col() { awk -v k="$1" '{ print $k }' "$work/rounds" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ print $a / $b }' "$work/rounds" | median; }

printf '%-28s %8s %10s %12s\n' "$size_mb MB over loopback" ms "to curl" "to curl -o"
printf '%-28s %8.0f %10s %12s\n' "curl -o /dev/null" "$(col 1)" 1.00 ""
printf '%-28s %8.0f %10.2f %12s\n' "curl -o file" "$(col 2)" "$(ratio 2 1)" 1.00
printf '%-28s %8.0f %10.2f %12.2f\n' "zorgtui into memory" "$(col 3)" "$(ratio 3 1)" "$(ratio 3 2)"
printf '%-28s %8.0f %10.2f %12.2f\n' "zorgtui into the temp file" "$(col 4)" "$(ratio 4 1)" "$(ratio 4 2)"
