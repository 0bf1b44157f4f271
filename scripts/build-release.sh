#!/usr/bin/env bash
# Builds the release `causeway` and `causeway-proxy` and installs them under PREFIX in the layout
# the container image uses, so the image and CI build with the same flags from this one place:
#   PREFIX/bin/causeway
#   PREFIX/bin/causeway-proxy          (the data plane alone; `causeway proxy` execs it)
#   PREFIX/share/causeway/Manifests/   (`causeway dev` looks there, next to the binary's prefix)
#
#   scripts/build-release.sh PREFIX
#
# --static-swift-stdlib links the Swift runtime and Foundation into the binary, so the runtime
# image needs no Swift toolchain, only the C libraries listed in the Dockerfile. The build goes
# to its own scratch path (CAUSEWAY_RELEASE_SCRATCH, default .build-static) so it neither waits
# on nor invalidates a developer's debug build in .build.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:?usage: scripts/build-release.sh PREFIX}
scratch=${CAUSEWAY_RELEASE_SCRATCH:-.build-static}
flags=(-c release --static-swift-stdlib --scratch-path "$scratch")
products=(causeway causeway-proxy)

# One product per build: the second compiles nothing new, it only links.
for product in "${products[@]}"; do swift build "${flags[@]}" --product "$product"; done
bin=$(swift build "${flags[@]}" --show-bin-path)

mkdir -p "$prefix/bin" "$prefix/share/causeway"
for product in "${products[@]}"; do
  install -m 0755 "$bin/$product" "$prefix/bin/$product"
  # Debug sections only: the symbol table stays, so a crash backtrace still names functions.
  strip --strip-debug "$prefix/bin/$product"
done
rm -rf "$prefix/share/causeway/Manifests"
cp -R Manifests "$prefix/share/causeway/Manifests"
for product in "${products[@]}"; do
  echo "build-release: $prefix/bin/$product ($(du -h "$prefix/bin/$product" | cut -f1))"
done
