#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs them.
# - tests/oidc: the real authorization server the OAuth tests start (oidc-provider, from its committed lock file).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "scripts/test.sh: Node.js and npm are needed for the OAuth tests; installing Debian's" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm; else sudo apt-get install -y nodejs npm; fi
fi
npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

cargo test --locked "$@"
