#!/usr/bin/env bash
# DevCluster benchmark: 10,000 custom resources created over HTTP while 10 watchers follow them.
# Builds in release mode into .build-release (kept apart from the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product causeway
swift build -c release --scratch-path .build-release --product devcluster-bench
exec .build-release/release/devcluster-bench --causeway .build-release/release/causeway "$@"
