#!/usr/bin/env bash
# The mesh data path's cost, measured the way the issue defines it: a client pod calls a server
# pod (nginx, a fixed 23-byte body) once directly and once through both sidecars —
# client → client sidecar (outbound capture) → mTLS → server sidecar (inbound capture) → nginx —
# in the SAME pair of network namespaces, in the same run, the two paths interleaved:
#   1. latency p50/p99/p99.9 at fixed rates (h2load --rps, see below), and the latency the mesh
#      adds per hop (meshed − direct);
#   2. CPU of each sidecar per 1,000 req/s (utime + stime from /proc/PID/stat: vCPU at that rate);
#   3. requests/s at saturation (wrk -t1 -c64) and CPU µs per request in each sidecar;
#   4. each sidecar's RSS idle, under load and after load;
# then the issue's goals, marked met / not met from this run's figures.
#
# Topology (as Tests/EndToEndTests/Support/PodNetwork.swift): a node network namespace with bridge
# br0 and a veth to the host (10.241.0.0/30, masqueraded), pods "client" 10.242.0.10 and
# "server" 10.242.0.11 on the bridge. The control plane runs as in production: `causeway dev
# --no-controller` holds namespace `bench` (label causeway.dev/mesh=enabled), Service `server`
# (cluster IP 10.96.77.10:80 → 8080) and its EndpointSlice; `causeway controller` delivers the
# sidecars' config (proxy key mesh/bench) and signs their workload certificates. Both pods get
# `causeway init` capture and `causeway proxy --mode sidecar` as UID 15337.
# The direct path: nginx also listens on 8081, which both pods' capture excludes (inbound and
# outbound), so direct calls go pod to pod without a sidecar while the sidecars stay up — the two
# paths can then alternate, and a busy machine drifts both alike. The sidecars' CPU during the
# direct runs is printed as a check that they stayed out of it.
#
# Fixed rate: h2load --h1 --rps. Each keep-alive connection sends at most 50 req/s (one request
# per 20 ms, above h2load's 10 ms timer floor) and the connections start 1/rate apart (-r 1
# --rate-period), so requests arrive evenly, not in bursts. Latency is from when a request is sent
# to the end of its response, from h2load's per-request log; it is not corrected for coordinated
# omission, which matters only for a stall longer than 20 ms (the max latency is printed; a max
# above 20 ms is flagged).
#
# Usage: sudo bench/sidecar/run.sh   (DURATION=10s RATES="500 1000" CONNECTIONS=64 to override;
#                                    CAUSEWAY_BIN=path skips the release build; KEEP_WORK=1 keeps
#                                    the logs)
# Needs root (network namespaces, iptables, setpriv) and (Debian packages) nginx, nghttp2-client
# (h2load), wrk, iproute2, iptables, util-linux (setpriv), curl, kubectl, python3; a Swift toolchain.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "bench/sidecar/run.sh needs root: it creates network namespaces, installs iptables capture" >&2
    echo "and runs the sidecars as UID 15337. Run it as root (e.g. sudo bench/sidecar/run.sh)." >&2
    exit 1
fi

DURATION=${DURATION:-10s}
SECS=${DURATION%s}
[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || { echo "DURATION must be whole seconds (e.g. 10s), got '$DURATION'" >&2; exit 1; }
RATES=${RATES:-500 1000}
for rate in $RATES; do
    [[ "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "RATES must be whole requests per second, got '$rate'" >&2; exit 1; }
done
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

. "$ROOT/bench/common.sh"
require_tools nginx:nginx h2load:nghttp2-client wrk:wrk ip:iproute2 iptables:iptables setpriv:util-linux curl:curl kubectl:kubectl python3:python3

build_causeway


PROXY_UID=15337
HOST_IP=10.241.0.1
NODE_IP=10.241.0.2
BRIDGE_IP=10.242.0.1
CLIENT_IP=10.242.0.10
SERVER_IP=10.242.0.11
SERVICE_IP=10.96.77.10
DIRECT_PORT=8081  # nginx's second port, outside both pods' capture

# Only one run at a time owns these addresses; a run that was killed leaves namespaces named
# causeway-sb<hex>-* and a host link sbh<hex> behind, removed here (under the lock).
exec 9>/tmp/causeway-sidecar-bench.lock
flock -n 9 || { echo "another bench/sidecar/run.sh is running (lock /tmp/causeway-sidecar-bench.lock)" >&2; exit 1; }
for ns in $(ip netns list | awk '{print $1}' | grep -E '^causeway-sb[0-9a-f]{4}-' || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
done
for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^sbh[0-9a-f]{4}$' || true); do
    ip link del "$link" 2>/dev/null || true
done

ID=$(printf '%04x' $((RANDOM % 65536)))
NODE_NS="causeway-sb$ID-node"
CLIENT_NS="causeway-sb$ID-client"
SERVER_NS="causeway-sb$ID-server"
HOST_LINK="sbh$ID"
WORK=$(mktemp -d /tmp/causeway-sidecar-bench.XXXXXX)
chmod 755 "$WORK"  # the sidecars (UID 15337) read tokens and the CA from here
KUBECTL=(kubectl --kubeconfig "$WORK/kubeconfig" --cache-dir "$WORK/kube-cache")
# Every causeway process ends itself if this script dies without cleaning up.
export CAUSEWAY_PARENT_PID=$$

PIDS=()
NAMESPACES=()
stop_pid() { # SIGTERM, then SIGKILL 20 s later
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "pid $pid ignored SIGTERM for 20 s; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
    for ((i = ${#NAMESPACES[@]} - 1; i >= 0; i--)); do ip netns del "${NAMESPACES[$i]}" 2>/dev/null || true; done
    ip link del "$HOST_LINK" 2>/dev/null || true
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_logs() {
    local log
    for log in "$WORK"/*.log "$WORK"/nginx/error.log; do
        [ -s "$log" ] || continue
        echo "--- $(basename "$log") (last 15 lines)" >&2; tail -n 15 "$log" >&2
    done
}
fail() { echo "error: $*" >&2; show_logs; exit 1; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- the network: a node namespace with a bridge, pods on it (PodNetwork.swift's layout) -------
echo "== network namespaces (node $NODE_NS, pods client $CLIENT_IP and server $SERVER_IP)"
ip netns add "$NODE_NS"; NAMESPACES+=("$NODE_NS")
ip link add "$HOST_LINK" type veth peer name "sbn$ID"
ip link set "sbn$ID" netns "$NODE_NS"
ip addr add "$HOST_IP/30" dev "$HOST_LINK"
ip link set "$HOST_LINK" up
in_ns "$NODE_NS" ip addr add "$NODE_IP/30" dev "sbn$ID"
in_ns "$NODE_NS" ip link set "sbn$ID" up
in_ns "$NODE_NS" ip link set lo up
in_ns "$NODE_NS" ip link add br0 type bridge
in_ns "$NODE_NS" ip addr add "$BRIDGE_IP/24" dev br0
in_ns "$NODE_NS" ip link set br0 up
in_ns "$NODE_NS" ip route add default via "$HOST_IP"
in_ns "$NODE_NS" sysctl -q -w net.ipv4.ip_forward=1
in_ns "$NODE_NS" iptables -t nat -A POSTROUTING -o "sbn$ID" -j MASQUERADE
add_pod() { # netns address short-name
    local outside="sbp$ID$3"
    ip netns add "$1"; NAMESPACES+=("$1")
    ip link add "$outside" type veth peer name eth0 netns "$1"
    ip link set "$outside" netns "$NODE_NS"
    in_ns "$NODE_NS" ip link set "$outside" master br0
    in_ns "$NODE_NS" ip link set "$outside" up
    in_ns "$1" ip addr add "$2/24" dev eth0
    in_ns "$1" ip link set eth0 up
    in_ns "$1" ip link set lo up
    in_ns "$1" ip route add default via "$BRIDGE_IP"
}
add_pod "$CLIENT_NS" "$CLIENT_IP" c
add_pod "$SERVER_NS" "$SERVER_IP" s

# --- the app: nginx in the server pod, a fixed body, on all addresses ---------------------------
mkdir -p "$WORK/nginx"
{ nginx_preamble "$WORK/nginx"; cat <<CONF
    keepalive_timeout 300s;
    server {
        listen 0.0.0.0:8080;
        listen 0.0.0.0:$DIRECT_PORT;
        location / { default_type text/plain; return 200 "hello from the backend\n"; }
    }
}
CONF
} > "$WORK/nginx/nginx.conf"
# Started with `ip netns exec` itself (not through a function): it execs into nginx, so $! is
# nginx's master process.
ip netns exec "$SERVER_NS" nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" > "$WORK/nginx.log" 2>&1 & NGINX_PID=$!; PIDS+=($NGINX_PID)
wait_port_in() { # netns port
    for _ in $(seq 1 200); do
        in_ns "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
wait_port_in "$SERVER_NS" 8080 || fail "nginx did not start in the server pod"
BODY=$(in_ns "$CLIENT_NS" curl -sS --max-time 5 "http://$SERVER_IP:$DIRECT_PORT/") || fail "client pod cannot reach nginx in the server pod"
[ "$BODY" = "hello from the backend" ] || fail "unexpected answer from nginx: $BODY"

# --- the control plane: causeway dev (API server) and causeway controller (config + CA) ---------
echo "== control plane (causeway dev --no-controller, causeway controller)"
"$CAUSEWAY" dev --no-controller --port 0 --kubeconfig "$WORK/kubeconfig" > "$WORK/dev.log" 2>&1 & DEV_PID=$!; PIDS+=($DEV_PID)
for _ in $(seq 1 400); do grep -q "listening on" "$WORK/dev.log" 2>/dev/null && break; sleep 0.05; done
grep -q "listening on" "$WORK/dev.log" || fail "causeway dev did not start"
"${KUBECTL[@]}" apply --server-side -f "$ROOT/Manifests/gateway-api/standard" -f "$ROOT/Manifests/crds" > "$WORK/apply.out" 2>&1 \
    || fail "applying the CRDs failed: $(tail -5 "$WORK/apply.out")"
"${KUBECTL[@]}" create namespace causeway-system > /dev/null
CONFIG_PORT=$(free_port)
"$CAUSEWAY" controller --kubeconfig "$WORK/kubeconfig" --namespace causeway-system --identity sidecar-bench \
    --ops-port 0 --config-port "$CONFIG_PORT" --serving-name "$HOST_IP" > "$WORK/controller.log" 2>&1 & CONTROLLER_PID=$!; PIDS+=($CONTROLLER_PID)

"${KUBECTL[@]}" apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: bench, labels: {causeway.dev/mesh: enabled}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: client, namespace: bench}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: server, namespace: bench}
---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: bench}
spec:
  clusterIP: $SERVICE_IP
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: server-1, namespace: bench, labels: {kubernetes.io/service-name: server}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- addresses: ["$SERVER_IP"]
  conditions: {ready: true}
  targetRef: {kind: Pod, namespace: bench, name: server}
YAML

for _ in $(seq 1 400); do
    "${KUBECTL[@]}" get secret causeway-control-plane-ca -n causeway-system -o jsonpath='{.data.tls\.crt}' 2>/dev/null \
        | base64 -d > "$WORK/control-plane-ca.crt" 2>/dev/null || true
    [ -s "$WORK/control-plane-ca.crt" ] && break
    sleep 0.05
done
[ -s "$WORK/control-plane-ca.crt" ] || fail "the controller did not create Secret causeway-control-plane-ca"
wait_port "$CONFIG_PORT" || fail "the controller's configuration server did not open port $CONFIG_PORT"
for sa in client server; do
    "${KUBECTL[@]}" create token "$sa" -n bench --duration 1h --audience causeway-control-plane > "$WORK/$sa.token"
    "${KUBECTL[@]}" create token "$sa" -n bench --duration 1h --audience causeway-ca > "$WORK/$sa-ca.token"
    printf 'app="%s"\n' "$sa" > "$WORK/$sa.labels"
done
chmod 644 "$WORK"/*.token "$WORK"/*.labels "$WORK/control-plane-ca.crt"

# --- capture and sidecars, as the injector runs them (causeway-init, then causeway-proxy) -------
echo "== causeway init and causeway proxy --mode sidecar in both pods"
start_sidecar() { # netns service-account
    in_ns "$1" "$CAUSEWAY" init --proxy-uid "$PROXY_UID" --outbound-port 15001 --inbound-port 15006 \
        --exclude-inbound-ports "15021,15000,$DIRECT_PORT" --exclude-outbound-ports "$DIRECT_PORT" > "$WORK/$2-init.log" 2>&1 \
        || fail "causeway init failed in the $2 pod"
    ip netns exec "$1" setpriv --reuid="$PROXY_UID" --regid="$PROXY_UID" --clear-groups \
        "$CAUSEWAY" proxy --mode sidecar --control-plane "https://$HOST_IP:$CONFIG_PORT" --proxy-key mesh/bench --pod "$2" \
        --token-file "$WORK/$2.token" --ca-file "$WORK/control-plane-ca.crt" --ca-token-file "$WORK/$2-ca.token" \
        --namespace bench --service-account "$2" --pod-labels-file "$WORK/$2.labels" \
        --admin-port 15000 --health-port 15021 --threads 1 --access-log off > "$WORK/$2-sidecar.log" 2>&1 &
}
# `ip netns exec` and `setpriv` exec into the proxy: $! is the sidecar's own PID.
start_sidecar "$CLIENT_NS" client; CLIENT_PID=$!; PIDS+=($CLIENT_PID)
start_sidecar "$SERVER_NS" server; SERVER_PID=$!; PIDS+=($SERVER_PID)
for pod in client:$CLIENT_NS server:$SERVER_NS; do
    ready=""
    for _ in $(seq 1 300); do
        [ "$(in_ns "${pod#*:}" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:15021/ready)" = 200 ] && { ready=1; break; }
        sleep 0.1
    done
    [ -n "$ready" ] || fail "the ${pod%%:*} sidecar never became ready"
done
for pid in "$CLIENT_PID" "$SERVER_PID"; do
    [ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$CAUSEWAY")" ] || fail "PID $pid is not a sidecar (the CPU and RSS figures would be wrong)"
done
meshed_ok=""
for _ in $(seq 1 300); do
    BODY=$(in_ns "$CLIENT_NS" curl -s --max-time 2 "http://$SERVICE_IP/" || true)
    [ "$BODY" = "hello from the backend" ] && { meshed_ok=1; break; }
    sleep 0.1
done
[ -n "$meshed_ok" ] || fail "the client pod never reached Service $SERVICE_IP through the sidecars (last answer: $BODY)"
BODY=$(in_ns "$CLIENT_NS" curl -sS --max-time 5 "http://$SERVER_IP:$DIRECT_PORT/") || fail "the direct path broke once capture was installed"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# On-CPU nanoseconds of one process, from utime + stime in /proc/PID/stat (10 ms ticks): unlike
# a sum over /proc/PID/task/*/schedstat (common.sh's cpu_ns), it keeps the time of threads that
# exited in between — the sidecars' helper threads come and go, and a first version of this
# script saw negative deltas.
CLK_TCK=$(getconf CLK_TCK)
proc_cpu_ns() { sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$CLK_TCK" '{ printf "%.0f", ($12 + $13) * 1e9 / hz }'; }
# busy and total jiffies of the whole machine (all CPUs), to show how busy it was during a phase
machine_jiffies() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
busy_pct() { awk -v b0="$1" -v t0="$2" -v b1="$3" -v t1="$4" 'BEGIN { printf "%.0f%%", (t1 > t0) ? 100 * (b1 - b0) / (t1 - t0) : 0 }'; }
alive() { kill -0 "$CLIENT_PID" 2>/dev/null || fail "the client sidecar exited"; kill -0 "$SERVER_PID" 2>/dev/null || fail "the server sidecar exited"; }
sleep 1
RSS_IDLE_CLIENT=$(rss_kib "$CLIENT_PID"); RSS_IDLE_SERVER=$(rss_kib "$SERVER_PID")

# inbound connections the server sidecar took, by outcome (mtls / plaintext)
inbound_count() {
    in_ns "$SERVER_NS" curl -s --max-time 5 http://127.0.0.1:15000/metrics \
        | awk -v o="$1" '$1 == "causeway_sidecar_connections_total{direction=\"inbound\",outcome=\"" o "\"}" {print $2; f=1} END {if (!f) print 0}'
}

# --- fixed-rate latency ---------------------------------------------------------------------------
declare -A ACH P50 P99 P999 MAX CPU_C CPU_S VCPU_C VCPU_S BUSY
# h2load at a fixed rate: N connections at <= 50 req/s each, started 1/rate apart.
fixed_rate() { # url rate seconds logfile → h2load output
    local url=$1 rate=$2 secs=$3 log=$4 clients per period
    clients=$(( (rate + 49) / 50 ))
    per=$(awk -v r="$rate" -v c="$clients" 'BEGIN { printf "%.4f", r / c }')
    period=$(( 1000 / rate )); (( period >= 1 )) || period=1
    rm -f "$log"
    in_ns "$CLIENT_NS" h2load --h1 -N 30s -c "$clients" -n $((rate * secs)) --rps "$per" -r 1 --rate-period "${period}ms" \
        ${log:+--log-file "$log"} "$url" 2>&1
}
# p50 p99 p99.9 max (ms), achieved req/s, and failures, from h2load's per-request log
latency_stats() {
    python3 - "$1" <<'PY'
import math, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
ok = sorted(int(r[2]) for r in rows if r[1] == "200")
bad = len(rows) - len(ok)
starts = [int(r[0]) for r in rows]
span = (max(starts) - min(starts)) / 1e6 if len(starts) > 1 else 0
def pct(p):
    return ok[max(0, math.ceil(p / 100 * len(ok)) - 1)] / 1000
rate = len(rows) / span if span > 0 else 0
print(f"{pct(50):.3f} {pct(99):.3f} {pct(99.9):.3f} {ok[-1] / 1000:.3f} {rate:.0f} {bad}")
PY
}
measure_rate() { # path(direct|meshed) rate
    local path=$1 rate=$2 url out c0 s0 c1 s1 t0 t1 m0 mt0 m1 mt1 n log="$WORK/h2load-$1-$2.tsv"
    if [ "$path" = direct ]; then url="http://$SERVER_IP:$DIRECT_PORT/"; else url="http://$SERVICE_IP/"; fi
    echo "== $path at $rate req/s (${WARMUP}s warm-up, ${SECS}s measured)"
    fixed_rate "$url" "$rate" "$WARMUP" "" > /dev/null
    read -r m0 mt0 <<<"$(machine_jiffies)"
    c0=$(proc_cpu_ns "$CLIENT_PID"); s0=$(proc_cpu_ns "$SERVER_PID"); t0=$(date +%s%N)
    out=$(fixed_rate "$url" "$rate" "$SECS" "$log")
    t1=$(date +%s%N); c1=$(proc_cpu_ns "$CLIENT_PID"); s1=$(proc_cpu_ns "$SERVER_PID")
    read -r m1 mt1 <<<"$(machine_jiffies)"
    BUSY["$path$rate"]=$(busy_pct "$m0" "$mt0" "$m1" "$mt1")
    alive
    grep -q "^requests:" <<<"$out" || fail "h2load failed: $out"
    if ! grep -q " 0 failed, 0 errored, 0 timeout" <<<"$out"; then echo "  note: $(grep '^requests:' <<<"$out")"; fi
    [ -s "$log" ] || fail "h2load wrote no per-request log"
    read -r P50["$path$rate"] P99["$path$rate"] P999["$path$rate"] MAX["$path$rate"] ACH["$path$rate"] n <<<"$(latency_stats "$log")"
    (( n == 0 )) || echo "  note: $n requests without a 200"
    n=$(wc -l < "$log")
    # CPU seconds per 1,000 requests = vCPU per 1,000 req/s at this rate.
    CPU_C["$path$rate"]=$(awk -v d=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.3f", d / 1e9 / n * 1000 }')
    CPU_S["$path$rate"]=$(awk -v d=$((s1 - s0)) -v n="$n" 'BEGIN { printf "%.3f", d / 1e9 / n * 1000 }')
    VCPU_C["$path$rate"]=$(awk -v d=$((c1 - c0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", d / t }')
    VCPU_S["$path$rate"]=$(awk -v d=$((s1 - s0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", d / t }')
}

MTLS0=$(inbound_count mtls); PLAIN0=$(inbound_count plaintext)
for rate in $RATES; do
    measure_rate direct "$rate"
    measure_rate meshed "$rate"
done

# --- saturation: wrk, 64 connections --------------------------------------------------------------
declare -A RPS WP50 WP99 US_C US_S WBUSY
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'; }
RSS_PEAK_CLIENT=0; RSS_PEAK_SERVER=0
measure_wrk() { # path
    local path=$1 url out c0 s0 c1 s1 m0 mt0 m1 mt1 n sampler
    if [ "$path" = direct ]; then url="http://$SERVER_IP:$DIRECT_PORT/"; else url="http://$SERVICE_IP/"; fi
    echo "== $path at saturation (wrk -t1 -c$CONNECTIONS, ${WARMUP}s warm-up, ${SECS}s measured)"
    in_ns "$CLIENT_NS" wrk -t1 -c8 -d"${WARMUP}s" "$url" > /dev/null
    # RSS under load: the largest of one sample a second.
    ( while :; do echo "$(rss_kib "$CLIENT_PID") $(rss_kib "$SERVER_PID")"; sleep 1; done ) > "$WORK/rss-$path" 2>/dev/null & sampler=$!
    read -r m0 mt0 <<<"$(machine_jiffies)"
    c0=$(proc_cpu_ns "$CLIENT_PID"); s0=$(proc_cpu_ns "$SERVER_PID")
    out=$(in_ns "$CLIENT_NS" wrk -t1 -c"$CONNECTIONS" -d"${SECS}s" --latency "$url")
    c1=$(proc_cpu_ns "$CLIENT_PID"); s1=$(proc_cpu_ns "$SERVER_PID")
    read -r m1 mt1 <<<"$(machine_jiffies)"
    WBUSY[$path]=$(busy_pct "$m0" "$mt0" "$m1" "$mt1")
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    alive
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "  note: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')"; fi
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    [ -n "$n" ] && (( n > 0 )) || fail "wrk made no requests: $out"
    RPS[$path]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    WP50[$path]=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    WP99[$path]=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    US_C[$path]=$(awk -v d=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.1f", d / 1000 / n }')
    US_S[$path]=$(awk -v d=$((s1 - s0)) -v n="$n" 'BEGIN { printf "%.1f", d / 1000 / n }')
    if [ "$path" = meshed ]; then
        read -r RSS_PEAK_CLIENT RSS_PEAK_SERVER <<<"$(awk '$1 > c {c = $1} $2 > s {s = $2} END {print c + 0, s + 0}' "$WORK/rss-$path")"
    fi
}
measure_wrk direct
measure_wrk meshed

sleep 1
RSS_AFTER_CLIENT=$(rss_kib "$CLIENT_PID"); RSS_AFTER_SERVER=$(rss_kib "$SERVER_PID")
# What the RSS is made of: anonymous memory (heap, stacks) against pages of the binary and
# libraries (shared by every sidecar on a node through the page cache).
rss_split() { awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END { printf "anonymous %.1f MiB, file-backed %.1f MiB", a / 1024, f / 1024 }' "/proc/$1/status"; }
SPLIT_CLIENT=$(rss_split "$CLIENT_PID"); SPLIT_SERVER=$(rss_split "$SERVER_PID")
MTLS1=$(inbound_count mtls); PLAIN1=$(inbound_count plaintext)

# --- report -----------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", a - b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo
echo "Causeway sidecar benchmark — client pod → server pod (nginx, 1 worker, 23-byte body), network namespaces on a bridge"
echo "machine: $(nproc) CPU(s), $(uname -sr); sidecars: --threads 1, mTLS with workload certificates from the mesh CA"
echo "direct = client pod → server pod IP:$DIRECT_PORT, no sidecar; meshed = client pod → Service $SERVICE_IP:80 → client sidecar → mTLS → server sidecar → nginx :8080"
echo "server sidecar inbound connections during the run: $((MTLS1 - MTLS0)) mTLS, $((PLAIN1 - PLAIN0)) plaintext"
echo
echo "Fixed rate (h2load --h1, <= 50 req/s per keep-alive connection, connections started 1/rate apart; ${SECS}s each; latency send → end of response)"
printf '%-10s %-8s %10s %9s %9s %9s %9s   %-22s %-22s %s\n' "rate" "path" "achieved" "p50 ms" "p99 ms" "p99.9 ms" "max ms" \
    "client sidecar CPU" "server sidecar CPU" "machine busy"
for rate in $RATES; do
    for path in direct meshed; do
        k="$path$rate"
        printf '%-10s %-8s %10s %9s %9s %9s %9s   %-22s %-22s %s\n' "$rate/s" "$path" "${ACH[$k]}/s" "${P50[$k]}" "${P99[$k]}" "${P999[$k]}" "${MAX[$k]}" \
            "${CPU_C[$k]} vCPU/1k rps" "${CPU_S[$k]} vCPU/1k rps" "${BUSY[$k]}"
    done
    printf '%-10s %-8s %10s %9s %9s %9s %9s\n' "" "added" "" "$(added "${P50[meshed$rate]}" "${P50[direct$rate]}")" \
        "$(added "${P99[meshed$rate]}" "${P99[direct$rate]}")" "$(added "${P999[meshed$rate]}" "${P999[direct$rate]}")" ""
    printf '%-10s %-8s %10s %9s %9s %9s\n' "" "ratio" "" "$(ratio "${P50[meshed$rate]}" "${P50[direct$rate]}")" \
        "$(ratio "${P99[meshed$rate]}" "${P99[direct$rate]}")" "$(ratio "${P999[meshed$rate]}" "${P999[direct$rate]}")"
    for path in direct meshed; do
        awk -v m="${MAX[$path$rate]}" 'BEGIN { exit !(m > 20) }' \
            && echo "  note: $path at $rate/s had a request slower than 20 ms (${MAX[$path$rate]} ms): coordinated omission may understate its tail"
    done
done
echo "(sidecar CPU = CPU-seconds per 1,000 requests = vCPU per 1,000 req/s; during direct runs it is the sidecars' idle cost."
echo " machine busy = all of this machine's CPUs, this bench and anything else running, during the measured seconds)"
echo
echo "Saturation (wrk -t1 -c$CONNECTIONS -d${SECS}s, HTTP/1.1 keep-alive)"
printf '%-8s %12s %9s %9s %24s %24s %14s\n' "path" "requests/s" "p50 ms" "p99 ms" "client sidecar µs/req" "server sidecar µs/req" "machine busy"
for path in direct meshed; do
    printf '%-8s %12s %9s %9s %24s %24s %14s\n' "$path" "${RPS[$path]}" "${WP50[$path]}" "${WP99[$path]}" "${US_C[$path]}" "${US_S[$path]}" "${WBUSY[$path]}"
done
printf '%-14s %6s %9s %9s\n' "meshed/direct" "$(ratio "${RPS[meshed]}" "${RPS[direct]}")" "$(ratio "${WP50[meshed]}" "${WP50[direct]}")" \
    "$(ratio "${WP99[meshed]}" "${WP99[direct]}")"
echo
echo "Sidecar RSS (VmRSS)   idle      under load (peak, 1 s samples)   after load"
printf '  client sidecar    %6s MiB  %6s MiB                        %6s MiB\n' "$(mib "$RSS_IDLE_CLIENT")" "$(mib "$RSS_PEAK_CLIENT")" "$(mib "$RSS_AFTER_CLIENT")"
printf '  server sidecar    %6s MiB  %6s MiB                        %6s MiB\n' "$(mib "$RSS_IDLE_SERVER")" "$(mib "$RSS_PEAK_SERVER")" "$(mib "$RSS_AFTER_SERVER")"
echo "  after load: client sidecar $SPLIT_CLIENT; server sidecar $SPLIT_SERVER"

# Goals (issue #10). One hop = one service-to-service call through both sidecars.
echo
echo "Goals (issue #10), from this run's figures:"
worst_added=""; worst_added_at=""
for rate in $RATES; do
    a=$(added "${P99[meshed$rate]}" "${P99[direct$rate]}")
    if [ -z "$worst_added" ] || awk -v a="$a" -v w="$worst_added" 'BEGIN { exit !(a > w) }'; then worst_added=$a; worst_added_at=$rate; fi
done
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g ? "met" : "NOT met") }'; }
worst_cpu=0; worst_cpu_at=""
for rate in $RATES; do
    for side in client server; do
        if [ $side = client ]; then v=${CPU_C[meshed$rate]}; else v=${CPU_S[meshed$rate]}; fi
        if awk -v a="$v" -v w="$worst_cpu" 'BEGIN { exit !(a > w) }'; then worst_cpu=$v; worst_cpu_at="$side sidecar at $rate/s"; fi
    done
done
worst_rss=$RSS_AFTER_CLIENT; worst_rss_of=client
for v in "client:$RSS_PEAK_CLIENT" "server:$RSS_PEAK_SERVER" "server:$RSS_AFTER_SERVER"; do
    (( ${v#*:} > worst_rss )) && { worst_rss=${v#*:}; worst_rss_of=${v%%:*}; }
done
printf '  %-46s %-48s %s\n' "added p99 per hop <= +0.1 ms" "worst: $worst_added ms (at $worst_added_at/s)" "$(verdict "$worst_added" 0.1)"
printf '  %-46s %-48s %s\n' "CPU <= 0.1 vCPU per 1,000 req/s, each sidecar" "worst: $worst_cpu ($worst_cpu_at)" "$(verdict "$worst_cpu" 0.1)"
printf '  %-46s %-48s %s\n' "RSS <= 20 MiB, each sidecar" "worst: $(mib "$worst_rss") MiB ($worst_rss_of sidecar, under or after load)" \
    "$(verdict "$(mib "$worst_rss")" 20)"
echo "  (the issue's reference points, not measured here: Istio's sidecar 0.20 vCPU per 1,000 req/s; Linkerd 17–26 MB)"

echo
problems=0
for side in client server; do
    lines=$(grep -c -i -E 'error|warning|critical|fatal' "$WORK/$side-sidecar.log" || true)
    if (( lines > 0 )); then
        problems=1
        echo "$side sidecar log: $lines error/warning line(s); first ones:"
        grep -i -E 'error|warning|critical|fatal' "$WORK/$side-sidecar.log" | head -5 | cut -c1-300 | sed 's/^/  /'
    fi
done
(( problems )) || echo "sidecar logs: no errors or warnings"
(( MTLS1 - MTLS0 > 0 )) || echo "WARNING: the server sidecar took no mTLS connection: the meshed figures are not of the mesh path"
(( PLAIN1 - PLAIN0 == 0 )) || echo "WARNING: the server sidecar accepted plaintext connections during the run"
