#!/usr/bin/env bash
# Builds the release binary the way the container image does (scripts/build-release.sh) and
# checks, without a Docker engine, what the image's runtime stage relies on:
#   - both binaries run (`causeway --help`, `causeway-proxy --help`), and `causeway proxy`
#     hands over to `causeway-proxy`;
#   - the Swift runtime and Foundation are inside them (no libswift*/libFoundation* to load);
#   - every shared library they load directly belongs to a package the runtime stage installs
#     or to one debian:bookworm-slim already has, and nothing is missing;
#   - the Dockerfile's runtime stage installs exactly the packages declared below;
#   - `causeway dev`, run from elsewhere, finds the Manifests installed next to the binary.
#
#   scripts/check-release-binary.sh [PREFIX]     (default: a temporary directory)
#   CAUSEWAY_SKIP_BUILD=1 ...                    checks an existing PREFIX without rebuilding
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# What the runtime stage of the Dockerfile installs with apt-get.
runtime_packages=(ca-certificates libcurl4)
# Libraries debian:bookworm-slim carries already (priority required, or needed by apt itself).
base_packages=(libc6 libgcc-s1 libstdc++6 zlib1g)

fail() { echo "check-release-binary: FAIL: $*" >&2; exit 1; }

prefix=${1:-}
if [ -z "$prefix" ]; then
  prefix=$(mktemp -d)
  trap 'rm -rf "$prefix"' EXIT
fi
if [ "${CAUSEWAY_SKIP_BUILD:-0}" != 1 ]; then
  started=$(date +%s)
  scripts/build-release.sh "$prefix"
  echo "check-release-binary: release build took $(( $(date +%s) - started )) s"
fi
binary="$prefix/bin/causeway"
proxy_binary="$prefix/bin/causeway-proxy"
[ -x "$binary" ] || fail "$binary was not built"
[ -x "$proxy_binary" ] || fail "$proxy_binary was not built"

# 1. They run, and `causeway proxy` is the lean binary.
"$binary" --help >/dev/null || fail "causeway --help exited with $?"
"$proxy_binary" --help >/dev/null || fail "causeway-proxy --help exited with $?"
proxy_help=$("$binary" proxy --help) || fail "causeway proxy --help exited with $?"
grep -q 'USAGE: causeway-proxy' <<<"$proxy_help" || fail "causeway proxy did not hand over to causeway-proxy"

owner() {
  local path=$1 candidate
  for candidate in "$path" "/usr$path" "${path#/usr}" "$(readlink -f "$path")" "/usr$(readlink -f "$path")"; do
    dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1 && return 0
  done
  return 1
}
allowed=" ${runtime_packages[*]} ${base_packages[*]} "
for executable in "$binary" "$proxy_binary"; do
  name=$(basename "$executable")
  # 2. The Swift runtime is static.
  libraries=$(ldd "$executable")
  echo "check-release-binary: shared libraries of $name:"
  echo "$libraries" | sed 's/^/    /'
  if echo "$libraries" | grep -Eq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime'; then
    fail "$name links the Swift runtime dynamically; build with --static-swift-stdlib"
  fi
  if echo "$libraries" | grep -q 'not found'; then
    fail "some shared libraries of $name are missing on this machine"
  fi

  # 3. Each library the binary names (DT_NEEDED) comes from an allowed package. Libraries those
  #    pull in come with their packages' own dependencies, which apt installs.
  needed=$(readelf -d "$executable" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  for soname in $needed; do
    # ldd prints "soname => path (address)", or just "path (address)" for the dynamic loader.
    path=$(echo "$libraries" | awk -v so="$soname" '($1 == so && $2 == "=>") { print $3; exit } (substr($1, length($1) - length(so)) == "/" so) { print $1; exit }')
    [ -n "$path" ] || fail "cannot resolve $soname"
    package=$(owner "$path") || fail "no Debian package owns $path ($soname)"
    case "$allowed" in
      *" $package "*) echo "check-release-binary: $name: $soname <- $package" ;;
      *) fail "$name: $soname comes from $package, which the runtime stage does not install (add it to the Dockerfile and to runtime_packages)" ;;
    esac
  done
done

# 4. The Dockerfile's runtime stage installs the same packages.
declared=$(awk '/^FROM /{ runtime = ($2 ~ /^debian:bookworm-slim/) } runtime' Dockerfile \
  | sed -e ':join' -e '/\\$/{N; s/\\\n//; b join}' \
  | grep -o 'apt-get install[^&;]*' | tr ' ' '\n' | grep -v -e '^-' -e '^apt-get$' -e '^install$' -e '^$' | sort -u | tr '\n' ' ')
expected=$(printf '%s\n' "${runtime_packages[@]}" | sort -u | tr '\n' ' ')
[ "$declared" = "$expected" ] || fail "the Dockerfile's runtime stage installs [$declared], this script expects [$expected]"

# 5. `causeway dev` finds share/causeway/Manifests from the binary's prefix.
scratch=$(mktemp -d)
(cd "$scratch" && exec "$binary" dev --port 0 --kubeconfig "$scratch/kubeconfig" >"$scratch/dev.log" 2>&1) &
dev=$!
deadline=$(( $(date +%s) + 30 ))
until grep -q 'listening on' "$scratch/dev.log" 2>/dev/null || ! kill -0 "$dev" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; do
  sleep 0.2
done
kill "$dev" 2>/dev/null || true
wait "$dev" 2>/dev/null || true
if ! grep -Eq 'installed [0-9]+ objects' "$scratch/dev.log"; then
  cat "$scratch/dev.log" >&2
  rm -rf "$scratch"
  fail "causeway dev did not install the Manifests from $prefix/share/causeway"
fi
rm -rf "$scratch"

echo "check-release-binary: ok (causeway $(du -h "$binary" | cut -f1), causeway-proxy $(du -h "$proxy_binary" | cut -f1), runtime packages: ${runtime_packages[*]})"
