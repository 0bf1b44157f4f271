#!/usr/bin/env bash
# Controller benchmark: HTTPRoutes over Gateways in `causeway dev`, until every route is Accepted;
# the controller's RSS, CPU and status writes/s, with direct status writes as the peer.
# Usage: bench/controller/run.sh [--routes 1000] [--gateways 100]   (run it with --routes 10000 too)
# Builds in release mode into .build-release (kept apart from the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product causeway
swift build -c release --scratch-path .build-release --product controller-bench
exec .build-release/release/controller-bench --causeway .build-release/release/causeway --manifests Manifests "$@"
