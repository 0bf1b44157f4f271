#!/usr/bin/env bash
# Compares Causeway with a direct connection, nginx (reverse proxy) and HAProxy, all in one run,
# against the same nginx backend on loopback, each proxy adding the same headers (X-Forwarded-*,
# X-Request-Id, the client's Host). Prints requests/s, p50/p99 latency, Causeway's ratio to each,
# proxy CPU µs per request, a connection-churn run (`churn`: a new connection every 10 requests),
# latency at a fixed offered load (half of Causeway's peak, the same for every target) with the
# p50/p99 each proxy adds to a direct connection, h2c downstream (h2load) and h2c upstream (HTTP/1.1
# in, HTTP/2 to the backend: Causeway and HAProxy; nginx cannot), and Causeway's RSS idle, under load
# and after it.
#
# Usage: bench/proxy/run.sh            (DURATION=10s CONNECTIONS=64 THREADS=1 to override)
# Needs (Debian packages): nginx, haproxy, wrk, nghttp2-client (h2load); a Swift toolchain.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
# Every proxy gets the same number of worker threads/processes (one core each by default).
THREADS=${THREADS:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

. "$ROOT/bench/common.sh"
require_tools nginx:nginx haproxy:haproxy wrk:wrk h2load:nghttp2-client python3:python3

build_causeway

WORK=$(mktemp -d /tmp/causeway-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as an unprivileged user and must read the files
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT


BACKEND=$(free_port); BACKEND_H2=$(free_port)
NGINX_PROXY=$(free_port); NGINX_PROXY_H2=$(free_port)
HAPROXY=$(free_port); HAPROXY_H2=$(free_port)
CAUSEWAY_PORT=$(free_port); ADMIN=$(free_port)
# HTTP/1.1 in, h2c to the backend (nginx cannot proxy to an HTTP/2 upstream; HAProxy can).
CAUSEWAY_UP_H2=$(free_port); HAPROXY_UP_H2=$(free_port)

mkdir -p "$WORK/www" "$WORK/nginx-backend" "$WORK/nginx-proxy"
printf 'hello from the backend\n' > "$WORK/www/small"
head -c 1024 /dev/zero | tr '\0' 'a' > "$WORK/www/1k"
head -c 65536 /dev/zero | tr '\0' 'b' > "$WORK/www/64k"

{ nginx_preamble "$WORK/nginx-backend" "$THREADS"; cat <<CONF
    server {
        listen 127.0.0.1:$BACKEND;
        listen 127.0.0.1:$BACKEND_H2 http2;
        root $WORK/www;
        location / { default_type text/plain; }
    }
}
CONF
} > "$WORK/nginx-backend/nginx.conf"

{ nginx_preamble "$WORK/nginx-proxy" "$THREADS"; cat <<CONF
    upstream backend { server 127.0.0.1:$BACKEND; keepalive 128; }
    server {
        listen 127.0.0.1:$NGINX_PROXY;
        listen 127.0.0.1:$NGINX_PROXY_H2 http2;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The same request rewrites Causeway makes, so each proxy does the same work.
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Request-Id \$request_id;
        }
    }
}
CONF
} > "$WORK/nginx-proxy/nginx.conf"

# The same request rewrites Causeway makes, so each proxy does the same work.
HAPROXY_REWRITES='    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    http-request set-header X-Request-Id %[uuid] unless { req.hdr(x-request-id) -m found }'
cat > "$WORK/haproxy.cfg" <<CONF
global
    nbthread $THREADS
    maxconn 4000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    http-reuse always
frontend fe
    bind 127.0.0.1:$HAPROXY
    bind 127.0.0.1:$HAPROXY_H2 proto h2
    default_backend be
backend be
$HAPROXY_REWRITES
    server s1 127.0.0.1:$BACKEND maxconn 1000
frontend fe_up_h2
    bind 127.0.0.1:$HAPROXY_UP_H2
    default_backend be_h2
backend be_h2
$HAPROXY_REWRITES
    server s1 127.0.0.1:$BACKEND_H2 proto h2 maxconn 1000
CONF

cat > "$WORK/causeway.yaml" <<CONF
version: bench
listeners:
  - name: http
    address: 127.0.0.1
    port: $CAUSEWAY_PORT
    virtualHosts:
      - name: default
        routes:
          - name: bench
            rules:
              - backendRefs: [{backend: nginx}]
  - name: up-h2
    address: 127.0.0.1
    port: $CAUSEWAY_UP_H2
    virtualHosts:
      - name: default
        routes:
          - name: bench-h2
            rules:
              - backendRefs: [{backend: nginx-h2}]
backends:
  - name: nginx
    endpoints: [{host: 127.0.0.1, port: $BACKEND}]
  - name: nginx-h2
    protocol: h2c
    endpoints: [{host: 127.0.0.1, port: $BACKEND_H2}]
CONF

nginx -c "$WORK/nginx-backend/nginx.conf" -p "$WORK/nginx-backend" & PIDS+=($!)
nginx -c "$WORK/nginx-proxy/nginx.conf" -p "$WORK/nginx-proxy" & NGINX_PID=$!; PIDS+=($NGINX_PID)
haproxy -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 & HAPROXY_PID=$!; PIDS+=($HAPROXY_PID)
"$CAUSEWAY" proxy --config "$WORK/causeway.yaml" --admin-port "$ADMIN" --threads "$THREADS" --access-log off \
    > "$WORK/causeway.log" 2>&1 & CAUSEWAY_PID=$!; PIDS+=($CAUSEWAY_PID)
for named in backend:$BACKEND backend-h2:$BACKEND_H2 nginx:$NGINX_PROXY nginx-h2:$NGINX_PROXY_H2 \
    haproxy:$HAPROXY haproxy-h2:$HAPROXY_H2 causeway:$CAUSEWAY_PORT causeway-up-h2:$CAUSEWAY_UP_H2 haproxy-up-h2:$HAPROXY_UP_H2; do
    wait_port "${named##*:}" || {
        echo "${named%%:*} did not start; logs:"
        cat "$WORK"/nginx-*/error.log "$WORK/haproxy.log" "$WORK/causeway.log" 2>/dev/null | tail -20
        exit 1
    }
done

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# A process and its children (nginx's master and workers).
rss_tree_kib() { local total=0 pid; for pid in "$1" $(pgrep -P "$1"); do total=$((total + $(rss_kib "$pid"))); done; echo "$total"; }
RSS_IDLE=$(rss_kib $CAUSEWAY_PID)
PEER_RSS_IDLE="nginx $(( $(rss_tree_kib $NGINX_PID) / 1024 )) MiB (master and worker), haproxy $(( $(rss_tree_kib $HAPROXY_PID) / 1024 )) MiB"
CAUSEWAY_EXE=$(readlink "/proc/$CAUSEWAY_PID/exe")

declare -A RPS P50 P99 CPU_US
# wrk prints latency with units (us/ms/s); normalise to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'; }

run_wrk() { # name port path [proxy PIDs whose CPU to count]
    local out before after requests
    wrk -t1 -c8 -d2s "http://127.0.0.1:$2$3" > /dev/null  # warm up pools and caches
    before=$(cpu_ns "${@:4}")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2$3")
    after=$(cpu_ns "${@:4}")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    CPU_US["$1$3"]=$(awk -v d=$((after - before)) -v n="$requests" -v has=$(( $# > 3 )) \
        'BEGIN { if (has && n > 0) printf "%.1f", d / 1000 / n; else print "-" }')
    RPS["$1$3"]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    P50["$1$3"]=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    P99["$1$3"]=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "  note ($1$3): $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')"; fi
}

# Connection churn: every tenth request asks to close, so clients reconnect all the time (where
# accept, TLS-free handshakes and per-connection setup show; SwiftNIO servers are weakest here).
cat > "$WORK/churn.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then return wrk.format(nil, nil, { ["Connection"] = "close" }) end
  return wrk.format()
end
LUA

run_churn() { # name port [proxy PIDs]
    local out before after requests
    before=$(cpu_ns "${@:3}")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/churn.lua" "http://127.0.0.1:$2/small")
    after=$(cpu_ns "${@:3}")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    CPU_US["$1churn"]=$(awk -v d=$((after - before)) -v n="$requests" -v has=$(( $# > 2 )) \
        'BEGIN { if (has && n > 0) printf "%.1f", d / 1000 / n; else print "-" }')
    RPS["$1churn"]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    P50["$1churn"]=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    P99["$1churn"]=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
}

# A fixed offered load: each connection waits RATE_DELAY_MS between its requests (wrk's delay hook),
# so every target gets the same request rate and the latency percentiles compare like with like.
cat > "$WORK/rate.lua" <<'LUA'
local d = tonumber(os.getenv("RATE_DELAY_MS"))
delay = function() return d end
LUA

run_rate() { # name port
    local out
    out=$(RATE_DELAY_MS=$RATE_DELAY_MS wrk -t1 -c"$RATE_CONNECTIONS" -d"$DURATION" --latency -s "$WORK/rate.lua" "http://127.0.0.1:$2/small")
    RPS["$1rate"]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    P50["$1rate"]=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    P99["$1rate"]=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
}

run_h2load() { # name port [proxy PIDs]
    local out before after requests
    before=$(cpu_ns "${@:3}")
    out=$(h2load -c 16 -m 10 -D "${DURATION%s}" "http://127.0.0.1:$2/small" 2>&1)
    after=$(cpu_ns "${@:3}")
    requests=$(awk '/^requests:/ {print $8}' <<<"$out")
    CPU_US["$1h2"]=$(awk -v d=$((after - before)) -v n="$requests" -v has=$(( $# > 2 )) \
        'BEGIN { if (has && n > 0) printf "%.1f", d / 1000 / n; else print "-" }')
    RPS["$1h2"]=$(awk '/^finished in/ {print $4}' <<<"$out")
    P50["$1h2"]=$(awk '/time for request:/ {print $6}' <<<"$out")  # h2load reports the mean, not percentiles
    P99["$1h2"]=$(awk '/time for request:/ {print $5}' <<<"$out")  # and the max
    local failed; failed=$(awk '/^requests:/ {print $10}' <<<"$out")
    [[ "$failed" == "0" ]] || echo "  note ($1 h2): $(grep '^requests:' <<<"$out")"
}

TARGETS=(direct causeway nginx haproxy)
declare -A PORT=([direct]=$BACKEND [causeway]=$CAUSEWAY_PORT [nginx]=$NGINX_PROXY [haproxy]=$HAPROXY)
declare -A PROXY_PID=([causeway]=$CAUSEWAY_PID [nginx]=$NGINX_PID [haproxy]=$HAPROXY_PID)
declare -A PORT_H2=([direct]=$BACKEND_H2 [causeway]=$CAUSEWAY_PORT [nginx]=$NGINX_PROXY_H2 [haproxy]=$HAPROXY_H2)

RSS_LOAD=0
for path in /small /1k /64k; do
    for target in "${TARGETS[@]}"; do
        echo "== wrk $target $path"
        if [[ $target == causeway ]]; then
            ( sleep 5; rss_kib $CAUSEWAY_PID > "$WORK/rss" ) &
            run_wrk "$target" "${PORT[$target]}" "$path" "${PROXY_PID[$target]}"
            wait $! 2>/dev/null || true
            sample=$(cat "$WORK/rss"); (( sample > RSS_LOAD )) && RSS_LOAD=$sample
        else
            run_wrk "$target" "${PORT[$target]}" "$path" ${PROXY_PID[$target]:-}
        fi
    done
done
for target in "${TARGETS[@]}"; do
    echo "== wrk $target /small, a new connection every 10 requests"
    run_churn "$target" "${PORT[$target]}" ${PROXY_PID[$target]:-}
done
# About half of Causeway's peak at 128 B, offered to every target: RATE_CONNECTIONS x 1000 / delay ms
# (the delay is whole milliseconds; each connection also waits for its response).
RATE_CONNECTIONS=${RATE_CONNECTIONS:-16}
RATE_DELAY_MS=$(awk -v r="${RPS[causeway/small]}" -v c="$RATE_CONNECTIONS" 'BEGIN { d = int(c * 1000 / (r / 2) + 0.5); if (d < 1) d = 1; print d }')
for target in "${TARGETS[@]}"; do
    echo "== wrk $target /small at a fixed offered load ($RATE_CONNECTIONS connections, one request each per $RATE_DELAY_MS ms)"
    run_rate "$target" "${PORT[$target]}"
done
for target in "${TARGETS[@]}"; do
    echo "== h2load $target (h2c prior knowledge, 16 connections x 10 streams)"
    run_h2load "$target" "${PORT_H2[$target]}" ${PROXY_PID[$target]:-}
done
# HTTP/1.1 from the client, h2c to the backend: the upstream HTTP/2 path.
for target in causeway haproxy; do
    echo "== wrk $target /small, h2c to the backend"
    port=$CAUSEWAY_UP_H2; [[ $target == haproxy ]] && port=$HAPROXY_UP_H2
    run_wrk "$target-up-h2" "$port" /small "${PROXY_PID[$target]}"
done

# Heap allocations per proxied request (malloc, calloc and realloc calls, counted by uprobes on
# libc) over one HTTP/1.1 keep-alive run per proxy. Needs perf and root; skipped otherwise.
declare -A ALLOCS
ADDED_PROBES=()
allocation_probes() {
    command -v perf >/dev/null 2>&1 && [[ $(id -u) == 0 ]] || return 1
    LIBC=$(ldd "$CAUSEWAY" | awk '/libc.so.6/ {print $3}')
    for fn in malloc calloc realloc; do
        perf probe -l 2>/dev/null | grep -q "probe_libc:$fn " && continue
        perf probe -q -x "$LIBC" "$fn" >/dev/null 2>&1 || return 1
        ADDED_PROBES+=("probe_libc:$fn")
    done
}
if allocation_probes; then
    for target in causeway nginx haproxy; do
        pids=$(for pid in ${PROXY_PID[$target]} $(pgrep -P "${PROXY_PID[$target]}"); do echo -n "$pid,"; done)
        echo "== allocations per request: $target"
        perf stat -x, -e probe_libc:malloc,probe_libc:calloc,probe_libc:realloc -p "${pids%,}" -o "$WORK/allocs" -- sleep 6 &
        sleep 1
        h2load --h1 -n 20000 -c 8 "http://127.0.0.1:${PORT[$target]}/small" > /dev/null 2>&1
        wait $!
        ALLOCS[$target]=$(awk -F, '/probe_libc/ { n += $1 } END { printf "%.1f", n / 20000 }' "$WORK/allocs")
    done
    for probe in "${ADDED_PROBES[@]}"; do perf probe -q -d "$probe" >/dev/null 2>&1 || true; done
fi

# The idle-memory trimmer gives freed heap back after a quiet period of 5 to 10 s.
sleep 12
RSS_AFTER=$(rss_kib $CAUSEWAY_PID)

echo
echo "Causeway proxy benchmark — loopback, nginx backend, wrk -t1 -c$CONNECTIONS -d$DURATION (HTTP/1.1 keep-alive), $THREADS worker thread(s) per proxy"
echo "machine: $(nproc) CPU(s), $(uname -sr)"
printf '%-10s %-8s %12s %10s %10s %16s %14s\n' target body "requests/s" "p50 ms" "p99 ms" "causeway ratio" "proxy CPU µs/req"
for path in /small /1k /64k; do
    for target in "${TARGETS[@]}"; do
        key="$target$path"; ratio=$(awk -v c="${RPS[causeway$path]}" -v t="${RPS[$key]}" 'BEGIN { if (t>0) printf "%.2f", c/t; else print "-" }')
        printf '%-10s %-8s %12s %10s %10s %16s %14s\n' "$target" "$path" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$ratio" "${CPU_US[$key]}"
    done
done
for target in "${TARGETS[@]}"; do
    key="${target}churn"; ratio=$(awk -v c="${RPS[causewaychurn]}" -v t="${RPS[$key]}" 'BEGIN { if (t>0) printf "%.2f", c/t; else print "-" }')
    printf '%-10s %-8s %12s %10s %10s %16s %14s\n' "$target" "churn" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$ratio" "${CPU_US[$key]}"
done
printf '%-10s %-8s %12s %10s %10s %16s %14s\n' target proto "requests/s" "mean" "max" "causeway ratio" "proxy CPU µs/req"
for target in "${TARGETS[@]}"; do
    key="${target}h2"; ratio=$(awk -v c="${RPS[causewayh2]}" -v t="${RPS[$key]}" 'BEGIN { if (t>0) printf "%.2f", c/t; else print "-" }')
    printf '%-10s %-8s %12s %10s %10s %16s %14s\n' "$target" "h2c" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$ratio" "${CPU_US[$key]}"
done
printf '%-10s %-8s %12s %10s %10s %16s %14s\n' target upstream "requests/s" "p50 ms" "p99 ms" "causeway ratio" "proxy CPU µs/req"
for target in causeway haproxy; do
    key="$target-up-h2/small"; ratio=$(awk -v c="${RPS[causeway-up-h2/small]}" -v t="${RPS[$key]}" 'BEGIN { if (t>0) printf "%.2f", c/t; else print "-" }')
    printf '%-10s %-8s %12s %10s %10s %16s %14s\n' "$target" "h2c" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$ratio" "${CPU_US[$key]}"
done
printf '%-10s %-8s %12s %10s %10s %16s\n' target load "requests/s" "p50 ms" "p99 ms" "added p50/p99 ms"
for target in "${TARGETS[@]}"; do
    key="${target}rate"
    added=$(awk -v p50="${P50[$key]}" -v p99="${P99[$key]}" -v d50="${P50[directrate]}" -v d99="${P99[directrate]}" \
        'BEGIN { printf "%+.3f/%+.3f", p50 - d50, p99 - d99 }')
    printf '%-10s %-8s %12s %10s %10s %16s\n' "$target" "fixed" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$added"
done
if [[ ${#ALLOCS[@]} -gt 0 ]]; then
    echo "heap allocations per proxied HTTP/1.1 keep-alive request (malloc+calloc+realloc calls, 128 B):" \
        "causeway ${ALLOCS[causeway]}, nginx ${ALLOCS[nginx]}, haproxy ${ALLOCS[haproxy]}"
else
    echo "heap allocations per request: not measured (needs perf and root)"
fi
echo "causeway proxy ran as $(basename "$CAUSEWAY_EXE") (the lean data-plane binary when it is installed next to causeway)"
echo "idle RSS of the peers, same run: $PEER_RSS_IDLE"
echo "causeway RSS: idle $((RSS_IDLE / 1024)) MiB, under load (peak sample) $((RSS_LOAD / 1024)) MiB, 12 s after the last run $((RSS_AFTER / 1024)) MiB"
