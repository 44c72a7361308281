#!/usr/bin/env bash
# A response of SIZE_MB over loopback, uncompressed, through zorgtui's response path (api::client::send, as the
# explorer reads it) beside curl from the same server: into memory (body_memory_cap_mb above the size) and into the
# temporary file (body_memory_cap_mb 0). Prints the median of RUNS runs of each and the ratios to curl (issue 17
# asks for at most 1.2).
#
#   bash bench/download.sh [SIZE_MB] [RUNS]        e.g. bash bench/download.sh 100 7
#
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
curl_ms() { for _ in $(seq "$runs"); do curl -s -o "$1" -w '%{time_total}\n' "$url"; done | awk '{ print $1 * 1000 }' | median; }

curl_null=$(curl_ms /dev/null)
curl_file=$(curl_ms "$work/body")
rm -f "$work/body"
memory=$("$probe" fetch "$url" $((size_mb * 2)) "$runs")
spilled=$("$probe" fetch "$url" 0 "$runs")
echo "$memory" | grep -q " memory " || { echo "bench/download.sh: the memory runs did not stay in memory" >&2; exit 1; }
echo "$spilled" | grep -q " file " || { echo "bench/download.sh: the file runs did not go to the file" >&2; exit 1; }
memory_ms=$(echo "$memory" | awk '{ print $1 }' | median)
spilled_ms=$(echo "$spilled" | awk '{ print $1 }' | median)

printf '%-28s %8s %8s\n' "$size_mb MB over loopback" ms ratio
awk -v c="$curl_null" -v f="$curl_file" -v m="$memory_ms" -v s="$spilled_ms" 'BEGIN {
  printf "%-28s %8.0f %8s\n", "curl -o /dev/null", c, "1.00"
  printf "%-28s %8.0f %8.2f\n", "curl -o file", f, f / c
  printf "%-28s %8.0f %8.2f\n", "zorgtui into memory", m, m / c
  printf "%-28s %8.0f %8.2f\n", "zorgtui into the temp file", s, s / c
}'
