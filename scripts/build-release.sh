#!/usr/bin/env bash
# Builds the release `causeway` and installs it under PREFIX in the layout the container image
# uses, so the image and CI build with the same flags from this one place:
#   PREFIX/bin/causeway
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
flags=(-c release --product causeway --static-swift-stdlib --scratch-path "$scratch")

swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)

mkdir -p "$prefix/bin" "$prefix/share/causeway"
install -m 0755 "$bin/causeway" "$prefix/bin/causeway"
# Debug sections only: the symbol table stays, so a crash backtrace still names functions.
strip --strip-debug "$prefix/bin/causeway"
rm -rf "$prefix/share/causeway/Manifests"
cp -R Manifests "$prefix/share/causeway/Manifests"
echo "build-release: $prefix/bin/causeway ($(du -h "$prefix/bin/causeway" | cut -f1))"
