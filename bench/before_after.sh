#!/usr/bin/env bash
# This checkout beside an earlier commit (the "before" of a redesign), measured the same way on the same machine in
# one run: start-up to the first frame in tmux (bench/startup.py), `zorgtui view` to the first screen and to the end
# (bench/compare.sh, with the earlier binary standing where jless stands), and the criterion benches, the earlier
# commit's figures saved as a baseline that this checkout's are compared with.
#
#   bash bench/before_after.sh REV [--sizes 100] [--runs 5] [--no-criterion]
#
# Needs: cargo, tmux, python3. The earlier commit is checked out in bench/out/before (a git worktree) and built into
# the same target directory first (its binary is copied aside), so the dependencies are built once.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bash bench/before_after.sh REV [--sizes 100] [--runs 5] [--no-criterion]}
shift
sizes=100 runs=5 criterion=1
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-criterion) criterion=0; shift ;;
    *) echo "bench/before_after.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$(pwd)/bench/out
target=${CARGO_TARGET_DIR:-$(pwd)/target}
export CARGO_TARGET_DIR=$target
before=$out/before
mkdir -p "$out"

git worktree remove --force "$before" 2>/dev/null || true
git worktree add --detach "$before" "$rev" >/dev/null
trap 'git worktree remove --force "$before" 2>/dev/null || true' EXIT
echo "before: $(git log -1 --format='%h %s' "$rev" | cut -c1-100)" >&2
echo "after:  $(git log -1 --format='%h %s' HEAD | cut -c1-100)$(git diff --quiet || echo ' (with uncommitted changes)')" >&2

(cd "$before" && cargo build --release --locked --quiet --bin zorgtui)
cp "$target/release/zorgtui" "$out/zorgtui-before"
if [ "$criterion" = 1 ]; then
  (cd "$before" && cargo bench --locked --quiet --bench json --bench inspector -- --save-baseline before >"$out/criterion-before.txt" 2>&1)
fi
cargo build --release --locked --quiet --bin zorgtui --example json_testdata

home=$(mktemp -d)
trap 'git worktree remove --force "$before" 2>/dev/null || true; rm -rf "$home"' EXIT
mkdir -p "$home/before" "$home/after"
zenv() { echo "env ZORGTUI_CONFIG=$home/$1/config.toml ZORGTUI_DATA_DIR=$home/$1/data ZORGTUI_STATE_DIR=$home/$1/state"; }
echo "== start-up to the first frame (bench/startup.py, $runs runs)"
python3 bench/startup.py --runs "$runs" \
  "before=GET    /users/me=$(zenv before) $out/zorgtui-before" \
  "after=GET    /users/me=$(zenv after) $target/release/zorgtui"

# compare.sh runs "$JLESS FILE": the earlier binary's view, with a home of its own.
wrapper=$home/before-view
printf '#!/bin/sh\nexec env ZORGTUI_CONFIG=%s ZORGTUI_STATE_DIR=%s %s view "$@"\n' \
  "$home/before/none.toml" "$home/before/state" "$out/zorgtui-before" >"$wrapper"
chmod +x "$wrapper"
echo "== zorgtui view: first screen, G, peak memory (bench/compare.sh; the 'jless' columns are the earlier commit)"
JLESS=$wrapper bash bench/compare.sh "$sizes" | sed 's/jless/befor/g; s/zorg_/after/g'

if [ "$criterion" = 1 ]; then
  echo "== cargo bench (json, inspector) against the earlier commit's baseline"
  cargo bench --locked --quiet --bench json --bench inspector -- --baseline before 2>&1 | tee "$out/criterion-after.txt" |
    grep -E '^[a-z_0-9/]+ |time:|change:|Performance|No change|within noise' || true
fi
