#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 600) with cargo-fuzz on a nightly toolchain (or, where rustup has
# none, the stable one with RUSTC_BOOTSTRAP=1 for the sanitizer flags cargo-fuzz passes), seeded with the
# documents in ../shared (copied into fuzz/corpus, which is not committed) and the seeds here, and writes each
# run's last libFuzzer status line to fuzz/out/summary.txt.
#   bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(callback pasted_url openapi json_index config token_file workspace postman)
shared=../../shared
mkdir -p out corpus
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  [ -d "seeds/$target" ] && cp -n seeds/"$target"/* "corpus/$target/" 2>/dev/null || true
  case $target in
    openapi) find "$shared/specs" "$shared/zorgapis" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
               -size -1M -exec cp -n {} "corpus/$target/" \; ;;
    postman) find "$shared/zorgapis/postman" -type f -name '*.json' -size -1M -exec cp -n {} "corpus/$target/" \; ;;
    json_index) find "$shared/specs" "$shared/zorgapis" -type f -name '*.json' -size -1M \
               -exec cp -n {} "corpus/$target/" \; ;;
  esac
done
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then toolchain=(+nightly); else toolchain=(); export RUSTC_BOOTSTRAP=1; fi
cargo "${toolchain[@]}" fuzz build -O 2>&1 | tail -3
# Each target on its own core share, all at once (nice: the machine stays usable); -fork would need more cores.
for target in "${targets[@]}"; do
  log="out/$target.log"
  # -rss_limit_mb: a target that needs more than this for a small input has found a memory bug.
  nice -n 10 cargo "${toolchain[@]}" fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=262144 -timeout=20 >"$log" 2>&1 &
done
wait || true
for target in "${targets[@]}"; do
  log="out/$target.log"
  if grep -q "^==.*ERROR\|panicked\|deadly signal" "$log"; then verdict="FINDING (see fuzz/$log, fuzz/artifacts/$target)"; else verdict="no finding"; fi
  echo "$target: $verdict; $(grep -E '^(#[0-9]+|Done)' "$log" | tail -1)" | tee -a out/summary.txt
done
