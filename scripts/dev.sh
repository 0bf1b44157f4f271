#!/usr/bin/env bash
# Sets up the machine, builds Causeway and runs `causeway dev` with the example applied.
# Then, in another terminal:  kubectl --kubeconfig .causeway/kubeconfig get widgets
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product causeway
exec .build/release/causeway dev --kubeconfig .causeway/kubeconfig --apply examples/widget-crd.yaml examples/widgets.yaml "$@"
