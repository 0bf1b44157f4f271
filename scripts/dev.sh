#!/usr/bin/env bash
# Sets up the machine, builds Causeway and runs `causeway dev` with the quick start applied: a
# Gateway, a route with a canary header match and a 90/10 split, two echo backends.
# When it says the Gateway is Programmed, in another terminal:
#   export KUBECONFIG=$PWD/.causeway/kubeconfig; kubectl get gateway
#   curl -H 'Host: api.example.com' http://ADDRESS/v1/users
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product causeway
exec .build/release/causeway dev --kubeconfig .causeway/kubeconfig --apply examples/quickstart.yaml "$@"
