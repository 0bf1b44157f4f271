#!/usr/bin/env bash
# Gateway path benchmark: route programming latency (first 200 and Accepted), endpoint
# propagation under slice churn, bytes per change, controller CPU; a direct request as the peer.
# Usage: bench/gateway/run.sh [--routes 1000] [--changes 100] [--churn 100]
# Builds in release mode into .build-release (kept apart from the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product causeway
swift build -c release --scratch-path .build-release --product gateway-bench
exec .build-release/release/gateway-bench --causeway .build-release/release/causeway --manifests Manifests --quickstart examples/quickstart.yaml "$@"
