#!/usr/bin/env bash
# The sidecar injector under the load a busy cluster gives it: AdmissionReviews of a realistic
# Deployment pod (bench/webhook/review.json, two containers, probes, volumes) at a FIXED rate
# over HTTPS keep-alive connections, the way kube-apiserver calls webhooks. Prints p50/p99
# latency (measured from when each request was due, so queueing counts) and CPU per review for
# `causeway webhook`, and the same for nginx answering a static AdmissionReview of the same size
# over the same TLS: the floor of an HTTPS round trip, measured in the same run.
#
# Usage: bench/webhook/run.sh        (RATE=200 DURATION=10 CONNECTIONS=8 THREADS=1 to override;
#                                    CAUSEWAY_BIN=path skips the release build)
# Needs (Debian packages): nginx, openssl, curl, python3; a Swift toolchain. Goal: p99 <= 2 ms.
set -euo pipefail

RATE=${RATE:-200}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
# Event-loop threads of `causeway webhook` and nginx worker processes.
THREADS=${THREADS:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/webhook"

. "$ROOT/bench/common.sh"
require_tools nginx:nginx openssl:openssl curl:curl python3:python3

build_causeway

WORK=$(mktemp -d /tmp/causeway-webhook-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as an unprivileged user and must read the files
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT


# One ECDSA P-256 CA and a serving certificate for localhost, used by both servers.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=bench-ca" \
    -keyout "$WORK/ca.key" -out "$WORK/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$WORK/tls.key" -out "$WORK/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$WORK/ext.cnf"
openssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
    -extfile "$WORK/ext.cnf" -out "$WORK/tls.crt" 2>/dev/null
chmod 644 "$WORK"/*

WEBHOOK=$(free_port); NGINX=$(free_port)
"$CAUSEWAY" webhook --tls-cert-file "$WORK/tls.crt" --tls-key-file "$WORK/tls.key" --address 127.0.0.1 --port "$WEBHOOK" \
    --threads "$THREADS" --log-level warning > "$WORK/webhook.log" 2>&1 &
WEBHOOK_PID=$!; PIDS+=("$WEBHOOK_PID")
wait_port "$WEBHOOK"

# Causeway's answer, checked once: the pod is injected. nginx then returns these very bytes.
curl -sS --cacert "$WORK/ca.crt" -H 'content-type: application/json' --data-binary @"$HERE/review.json" \
    "https://localhost:$WEBHOOK/inject" -o "$WORK/response.json"
grep -q '"patchType":"JSONPatch"' "$WORK/response.json" || { echo "causeway did not inject the pod:"; cat "$WORK/response.json"; exit 1; }
mkdir -p "$WORK/nginx" "$WORK/www"
cp "$WORK/response.json" "$WORK/www/inject"
chmod 644 "$WORK/www/inject"
{ nginx_preamble "$WORK/nginx" "$THREADS"; cat <<CONF
    keepalive_timeout 300s;
    client_body_buffer_size 64k;
    server {
        listen 127.0.0.1:$NGINX ssl;
        ssl_certificate $WORK/tls.crt;
        ssl_certificate_key $WORK/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        # A POST to a static file is 405, which error_page turns into the file itself (a GET
        # after nginx has read and discarded the review): the answer straight from memory.
        location = /inject {
            root $WORK/www;
            types { }
            default_type application/json;
            error_page 405 =200 \$uri;
        }
    }
}
CONF
} > "$WORK/nginx/nginx.conf"
nginx -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
wait_port "$NGINX"

drive() {  # port, duration -> JSON on stdout
    python3 "$HERE/drive.py" --port "$1" --cacert "$WORK/ca.crt" --body "$HERE/review.json" --rate "$RATE" \
        --duration "$2" --connections "$CONNECTIONS" --expect '"allowed":true'
}

measure() {  # name, port, pid
    drive "$2" 2 > /dev/null   # warm-up: connections, caches, the allocator
    local before after
    before=$(cpu_ns "$3")
    drive "$2" "$DURATION" > "$WORK/$1.json"
    after=$(cpu_ns "$3")
    python3 - "$WORK/$1.json" "$before" "$after" "$1" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
cpu_us = (int(sys.argv[3]) - int(sys.argv[2])) / 1000 / max(1, result["completed"])
result["cpuUsPerReview"] = cpu_us
json.dump(result, open(sys.argv[1], "w"))
print(f'{sys.argv[4]:<18} {result["rate"]:7.1f}/s  p50 {result["p50ms"]:6.3f} ms  p90 {result["p90ms"]:6.3f} ms  '
      f'p99 {result["p99ms"]:6.3f} ms  max {result["maxms"]:7.3f} ms  cpu {cpu_us:6.1f} us/review  '
      f'failures {result["failures"]}' + (f' (first: {result["firstFailure"]})' if result["failures"] else ''))
PY
}

echo "== $RATE reviews/s for ${DURATION} s over $CONNECTIONS HTTPS connections; review $(wc -c < "$HERE/review.json") bytes," \
     "answer $(wc -c < "$WORK/response.json") bytes; $THREADS thread(s)/worker(s) each"
measure causeway-webhook "$WEBHOOK" "$WEBHOOK_PID"
measure nginx-static "$NGINX" "$NGINX_PID"
RSS=$(awk '/VmRSS/ {print $2}' /proc/"$WEBHOOK_PID"/status)

python3 - "$WORK/causeway-webhook.json" "$WORK/nginx-static.json" "$RSS" <<'PY'
import json, sys
causeway, nginx = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print(f'causeway webhook RSS after the run: {int(sys.argv[3]) / 1024:.1f} MiB')
print(f'ratio to nginx (static answer): p50 {causeway["p50ms"] / nginx["p50ms"]:.2f}x, p99 {causeway["p99ms"] / nginx["p99ms"]:.2f}x, '
      f'cpu {causeway["cpuUsPerReview"] / max(0.001, nginx["cpuUsPerReview"]):.2f}x; '
      f'injection adds {causeway["p50ms"] - nginx["p50ms"]:+.3f} ms at p50, {causeway["cpuUsPerReview"] - nginx["cpuUsPerReview"]:+.1f} us of CPU per review')
goal = causeway["p99ms"] <= 2.0 and causeway["failures"] == 0
print(f'goal p99 <= 2 ms at {causeway["rate"]:.0f} reviews/s: {"met" if goal else "NOT met"} ({causeway["p99ms"]:.3f} ms)')
PY
