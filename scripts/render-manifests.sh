#!/usr/bin/env bash
# Keeps the Helm chart and Manifests/install.yaml in step with Manifests/, the single source of
# every CRD. Helm only creates CRDs that sit in a chart's own crds/ directories, so the chart
# carries copies; install.yaml is the chart rendered for `kubectl apply --server-side` users.
#
#   scripts/render-manifests.sh            refresh the copies and install.yaml in place
#   scripts/render-manifests.sh --check    change nothing; fail, showing what differs, when the
#                                          chart's copies or install.yaml are stale
#
# Running it twice changes nothing the second time. helm 3 renders (HELM overrides the binary);
# helm 3 and helm 4 produce the same bytes for this chart, which the end-to-end tests check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

helm=${HELM:-}
if [ -z "$helm" ]; then
  if [ -x "$root/.tools/bin/helm" ]; then helm="$root/.tools/bin/helm"
  elif command -v helm >/dev/null 2>&1; then helm=$(command -v helm)
  else echo "render-manifests: helm not found; run scripts/setup.sh" >&2; exit 1
  fi
fi

# Mirrors every *.yaml of $1 into $2, deleting copies whose source is gone.
sync_yaml() {
  local from=$1 to=$2 file
  mkdir -p "$to"
  for file in "$to"/*.yaml; do
    [ -e "$file" ] || continue
    [ -e "$from/$(basename "$file")" ] || rm -f "$file"
  done
  for file in "$from"/*.yaml; do
    cmp -s "$file" "$to/$(basename "$file")" || cp "$file" "$to/$(basename "$file")"
  done
}

# Refreshes the CRD copies inside the chart at $1 and writes the rendered manifest to $2.
render() {
  local chart=$1 output=$2
  sync_yaml "$root/Manifests/crds" "$chart/crds"
  sync_yaml "$root/Manifests/gateway-api/standard" "$chart/charts/gateway-api-crds/crds"
  {
    cat <<'HEADER'
# Causeway, rendered from Charts/causeway with its default values by scripts/render-manifests.sh.
# Do not edit: change the chart or Manifests/ and run the script again.
#
#   kubectl apply --server-side -f Manifests/install.yaml
#
# On a cluster without the Gateway API CRDs, that first run creates them but reports the
# GatewayClass as an unknown kind (kubectl resolves every kind before the CRDs exist). Wait for
# the CRD and apply again:
#   kubectl wait --for condition=Established crd/gatewayclasses.gateway.networking.k8s.io
#   kubectl apply --server-side -f Manifests/install.yaml
#
# This file includes the Gateway API standard-channel CRDs (v1.6.1). Unlike `helm install`,
# kubectl applies them over any Gateway API CRDs the cluster already has. On such a cluster
# install with Helm, or render a manifest without them:
#   helm template causeway Charts/causeway -n causeway-system --include-crds \
#     --set gatewayAPI.installCRDs=false --api-versions gateway.networking.k8s.io/v1/GatewayClass
---
apiVersion: v1
kind: Namespace
metadata:
  name: causeway-system
HEADER
    # --api-versions makes the GatewayClass render, as it does on a cluster serving its CRD;
    # the CRD itself comes earlier in the same file.
    "$helm" template causeway "$chart" --namespace causeway-system --include-crds \
      --api-versions gateway.networking.k8s.io/v1/GatewayClass
  } > "$output.tmp"
  mv "$output.tmp" "$output"
}

if [ "$check" = 0 ]; then
  render "$root/Charts/causeway" "$root/Manifests/install.yaml"
  echo "render-manifests: Charts/causeway CRDs and Manifests/install.yaml are up to date"
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -R "$root/Charts/causeway" "$scratch/causeway"
render "$scratch/causeway" "$scratch/install.yaml"
stale=0
diff -r "$root/Charts/causeway" "$scratch/causeway" >"$scratch/chart.diff" || stale=1
diff "$root/Manifests/install.yaml" "$scratch/install.yaml" >"$scratch/install.diff" 2>&1 || stale=1
if [ "$stale" = 1 ]; then
  echo "render-manifests: stale; run scripts/render-manifests.sh and commit the result" >&2
  head -n 40 "$scratch/chart.diff" "$scratch/install.diff" >&2
  exit 1
fi
echo "render-manifests: up to date"
