#!/usr/bin/env python3
"""Writes ../Descriptors+Generated.swift: the field tables KubeProtobuf decodes with.

Reads the facts (field numbers, protobuf types, JSON names, pointer-ness, omitempty, inline
embedding) from the `generated.proto` and Go type files of k8s.io/api and k8s.io/apimachinery,
and keeps only the messages reachable from the root kinds below.

Usage: generate-descriptors.py <kubernetes/api checkout> <kubernetes/apimachinery checkout> [source label]
The optional label (e.g. "kubernetes/api@10b39a3, kubernetes/apimachinery@eed236c") is written into
the header so a regeneration can be compared against the same sources.
"""
import os, re, sys

API, MACHINERY = sys.argv[1], sys.argv[2]
SOURCE_LABEL = sys.argv[3] if len(sys.argv) > 3 else "unrecorded checkouts"

# proto package -> (short alias used in the table, Go package directory)
PACKAGES = {
    "k8s.io.apimachinery.pkg.apis.meta.v1": ("meta", f"{MACHINERY}/pkg/apis/meta/v1"),
    "k8s.io.apimachinery.pkg.runtime": ("runtime", f"{MACHINERY}/pkg/runtime"),
    "k8s.io.apimachinery.pkg.runtime.schema": ("schema", f"{MACHINERY}/pkg/runtime/schema"),
    "k8s.io.apimachinery.pkg.api.resource": ("resource", f"{MACHINERY}/pkg/api/resource"),
    "k8s.io.apimachinery.pkg.util.intstr": ("intstr", f"{MACHINERY}/pkg/util/intstr"),
}
for group_dir in ["core/v1", "apps/v1", "batch/v1", "rbac/v1", "authentication/v1", "authorization/v1",
                  "policy/v1", "scheduling/v1", "networking/v1", "coordination/v1", "discovery/v1",
                  "certificates/v1", "autoscaling/v1", "autoscaling/v2"]:
    group, version = group_dir.split("/")
    alias = group if version == "v1" else group + version
    PACKAGES["k8s.io.api." + group_dir.replace("/", ".")] = (alias, f"{API}/{group_dir}")

# (apiVersion, kind) served as protobuf -> root message.
ROOTS = [
    ("v1", k, "core." + k) for k in [
        "Namespace", "ConfigMap", "Secret", "ServiceAccount", "Service", "Pod", "PodTemplate",
        "Endpoints", "Event", "PersistentVolumeClaim", "ResourceQuota", "LimitRange",
        "ReplicationController", "Binding"]
] + [("apps/v1", k, "apps." + k) for k in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]] \
  + [("batch/v1", k, "batch." + k) for k in ["Job", "CronJob"]] \
  + [("rbac.authorization.k8s.io/v1", k, "rbac." + k) for k in ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]] \
  + [("authentication.k8s.io/v1", k, "authentication." + k) for k in ["TokenRequest", "TokenReview", "SelfSubjectReview"]] \
  + [("authorization.k8s.io/v1", k, "authorization." + k) for k in [
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview", "LocalSubjectAccessReview"]] \
  + [("certificates.k8s.io/v1", "CertificateSigningRequest", "certificates.CertificateSigningRequest")] \
  + [("autoscaling/v1", k, "autoscaling." + k) for k in ["Scale", "HorizontalPodAutoscaler"]] \
  + [("autoscaling/v2", "HorizontalPodAutoscaler", "autoscalingv2.HorizontalPodAutoscaler")] \
  + [("policy/v1", k, "policy." + k) for k in ["PodDisruptionBudget", "Eviction"]] \
  + [("scheduling.k8s.io/v1", "PriorityClass", "scheduling.PriorityClass")] \
  + [("networking.k8s.io/v1", k, "networking." + k) for k in ["Ingress", "IngressClass", "NetworkPolicy"]] \
  + [("coordination.k8s.io/v1", "Lease", "coordination.Lease")] \
  + [("discovery.k8s.io/v1", "EndpointSlice", "discovery.EndpointSlice")]

# Typed clients send DeleteOptions (e.g. helm deleting its release Secrets) in the group version of
# the resource they delete; the API server also accepts it as meta.k8s.io/v1.
ROOTS += [(api_version, "DeleteOptions", "meta.DeleteOptions")
          for api_version in ["meta.k8s.io/v1"] + sorted({v for v, _, _ in ROOTS})]

# Decoded by hand-written code (their JSON form is not an object of their fields).
SPECIAL = {"meta.Time", "meta.MicroTime", "meta.FieldsV1", "resource.Quantity", "intstr.IntOrString",
           "runtime.RawExtension"}
# Special in JSON but not decoded yet (Go duration strings): reaching one must fail the generation.
UNSUPPORTED = {"meta.Duration"}
SCALARS = {"string", "bytes", "int32", "int64", "bool", "double", "float"}

def qualify(type_name, package):
    if type_name in SCALARS:
        return type_name
    if "." in type_name:
        pkg, _, name = type_name.lstrip(".").rpartition(".")
        return (PACKAGES[pkg][0] if pkg in PACKAGES else pkg) + "." + name
    return PACKAGES[package][0] + "." + type_name

# --- generated.proto ---------------------------------------------------------------------------
messages = {}  # alias.Name -> list of (number, proto name, type, repeated, map value type or None)
field_re = re.compile(r"^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)")
map_re = re.compile(r"^\s*map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)")
for package, (alias, directory) in PACKAGES.items():
    path = os.path.join(directory, "generated.proto")
    if not os.path.exists(path):
        continue
    current = None
    for line in open(path):
        m = re.match(r"^message (\w+) \{", line)
        if m:
            current = alias + "." + m.group(1)
            messages[current] = []
            continue
        if line.startswith("}"):
            current = None
            continue
        if current is None:
            continue
        m = field_re.match(line)
        if m:
            label, typ, name, num = m.groups()
            messages[current].append((int(num), name, qualify(typ, package), label == "repeated", None))
            continue
        m = map_re.match(line)
        if m:
            key, value, name, num = m.groups()
            assert key == "string", line
            messages[current].append((int(num), name, "map", False, qualify(value, package)))

# --- Go types: json name, omitempty, pointer, inline, per protobuf field number ------------------
go_fields = {}   # alias.Name -> {number: (json name, omitempty, pointer, inline)}
go_slices = set()  # alias.Name of named slice types (`type ExtraValue []string`)
tag_re = re.compile(r'(\w+):"([^"]*)"')
for package, (alias, directory) in PACKAGES.items():
    for file in sorted(os.listdir(directory)):
        if not file.endswith(".go") or file.endswith("_test.go") or file.startswith("zz_") or file.startswith("generated"):
            continue
        struct = None
        for line in open(os.path.join(directory, file)):
            m = re.match(r"^type (\w+) \[\]", line)
            if m:
                go_slices.add(alias + "." + m.group(1))
            m = re.match(r"^type (\w+) struct \{", line)
            if m:
                struct = alias + "." + m.group(1)
                go_fields[struct] = {}
                continue
            if struct and line.startswith("}"):
                struct = None
                continue
            if not struct or "`" not in line or line.strip().startswith("//"):
                continue
            before, tag = line.split("`")[0], line.split("`")[1]
            tags = dict(tag_re.findall(tag))
            if "protobuf" not in tags or tags["protobuf"] == "-":
                continue
            number = int(tags["protobuf"].split(",")[1])
            tokens = before.split()
            embedded = len(tokens) == 1
            go_type = tokens[-1]
            json_parts = tags.get("json", "").split(",")
            json_name = json_parts[0]
            inline = embedded and (json_name == "" or "inline" in json_parts)
            go_fields[struct][number] = (json_name, "omitempty" in json_parts, go_type.startswith("*"), inline)

# Fields whose type lives in a package not listed above (alpha APIs) are left out: the decoder
# skips them like any unknown field.
for name, fields in messages.items():
    def resolvable(t):
        return t is None or t in SCALARS or t == "map" or t.split(".")[0] in {a for a, _ in PACKAGES.values()}
    kept = [f for f in fields if resolvable(f[2]) and resolvable(f[4])]
    for f in fields:
        if f not in kept:
            print(f"note: {name} field {f[0]} ({f[1]}) has a type outside the listed packages; left out", file=sys.stderr)
    messages[name] = kept

# --- reachability and output --------------------------------------------------------------------
reached, queue = set(), [root for _, _, root in ROOTS]
while queue:
    name = queue.pop()
    if name in reached or name in SPECIAL:
        continue
    if name in UNSUPPORTED:
        sys.exit(f"{name} is reachable but WellKnownTypes.swift does not decode it yet")
    if name not in messages:
        sys.exit(f"unknown message {name}")
    reached.add(name)
    for _, _, typ, _, value in messages[name]:
        for t in (typ, value):
            if t and t not in SCALARS and t != "map":
                queue.append(t)

out = []
for name in sorted(reached):
    fields = messages[name]
    if name in go_slices:
        assert len(fields) == 1 and fields[0][:2] == (1, "items") and fields[0][3], name
        out.append(f"list {name} {fields[0][2]}")
        continue
    out.append(f"message {name}")
    known = go_fields.get(name)
    if known is None:
        print(f"warning: no Go struct for {name}; using proto names", file=sys.stderr)
    for num, proto_name, typ, repeated, value in sorted(fields):
        json_name, omitempty, pointer, inline = (known or {}).get(num, (proto_name, True, False, False))
        if known is not None and num not in known:
            print(f"warning: {name} field {num} ({proto_name}) has no Go field", file=sys.stderr)
        if json_name == "-":
            continue
        flags = ("r" if repeated else "") + ("p" if pointer else "") + ("o" if omitempty else "") + ("i" if inline else "")
        type_token = f"map:{value}" if typ == "map" else typ
        out.append(f"{num} {json_name or '-'} {type_token} {flags or '-'}")

roots = "\n".join(f'        ("{v}", "{k}", "{m}"),' for v, k, m in ROOTS)
body = "\n".join(out)
swift = f'''// Generated by Generator/generate-descriptors.py from the generated.proto and Go type files of
// k8s.io/api and k8s.io/apimachinery ({SOURCE_LABEL}). Do not edit by hand; rerun the script.
//
// One line per message ("message <name>", or "list <name> <element>" for a named slice type) followed
// by one line per field: "<number> <json name, or - when inlined> <type> <flags>", where a type is a
// scalar (string, bytes, int32, int64, bool, double, float), a message name, or "map:<value type>"
// (keys are strings), and flags are r (repeated), p (Go pointer: presence matters),
// o (omitempty), i (embedded inline), or - for none.

extension DescriptorTable {{
    /// (apiVersion, kind, root message) of every kind the decoder accepts.
    static let generatedRoots: [(apiVersion: String, kind: String, message: String)] = [
{roots}
    ]

    static let generatedSchema = """
{body}
"""
}}
'''
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Descriptors+Generated.swift")
open(target, "w").write(swift)
print(f"{len(reached)} messages, {sum(1 for l in out if l[0].isdigit())} fields -> {os.path.normpath(target)}", file=sys.stderr)
