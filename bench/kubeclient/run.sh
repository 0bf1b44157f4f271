#!/usr/bin/env bash
# KubeClient benchmark: informer sync of 10,000 ConfigMaps (time, RSS) and watch-event throughput
# through informer handlers, against `causeway dev` in a separate process; kubectl as the peer.
# Builds in release mode into .build-release (kept apart from the debug build).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product causeway
swift build -c release --scratch-path .build-release --product kubeclient-bench
exec .build-release/release/kubeclient-bench --causeway .build-release/release/causeway "$@"
