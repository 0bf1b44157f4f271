#!/usr/bin/env bash
# Sets up the machine and runs the whole test suite: unit, integration over loopback, and
# end-to-end tests that drive the built `causeway` binary with the real kubectl.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
