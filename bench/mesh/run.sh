#!/usr/bin/env bash
# The mesh's identity costs, each beside a peer measured in the same run:
#   1. ECDSA P-256 workload certificates signed per second through the CA endpoint (CSR + token
#      over HTTPS, TokenReview cached), and CPU per signing, beside `openssl speed`'s raw
#      P-256 signatures per second on this machine (the one signature every certificate needs);
#   2. mTLS handshakes per second into a proxy's mesh listener, beside nginx verifying client
#      certificates against the same trust bundle with the same server certificate;
#   3. requests/s and CPU per request through a proxy pair talking mTLS, beside the same pair
#      in plaintext.
#
# Usage: bench/mesh/run.sh          (DURATION=10s CONNECTIONS=32 to override)
# Needs (Debian packages): wrk, openssl, nginx, curl, kubectl; a Swift toolchain.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

. "$ROOT/bench/common.sh"
require_tools wrk:wrk openssl:openssl nginx:nginx curl:curl kubectl:kubectl python3:python3

build_causeway

WORK=$(mktemp -d /tmp/causeway-mesh-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_ready() { # admin port
    for _ in $(seq 1 200); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready")" = 200 ] && return 0
        sleep 0.05
    done
    echo "proxy with admin port $1 never became ready" >&2; return 1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
per() { awk -v ns="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", ns / 1000 / n; else print "-" }'; }

echo "== causeway dev (API server, controller and CA in one process)"
"$CAUSEWAY" dev --port 0 --kubeconfig "$WORK/kubeconfig" --manifests "$ROOT/Manifests" > "$WORK/dev.log" 2>&1 & DEV_PID=$!; PIDS+=($DEV_PID)
for _ in $(seq 1 200); do grep -q "serving proxy configurations" "$WORK/dev.log" 2>/dev/null && break; sleep 0.05; done
CA_PORT=$(grep "serving proxy configurations" "$WORK/dev.log" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$CA_PORT" ] || { echo "causeway dev did not start:"; tail -20 "$WORK/dev.log"; exit 1; }
export KUBECONFIG="$WORK/kubeconfig"
for _ in $(seq 1 100); do kubectl get meshconfig default >/dev/null 2>&1 && break; sleep 0.1; done
kubectl create namespace bench >/dev/null
kubectl create serviceaccount client -n bench >/dev/null
kubectl create serviceaccount server -n bench >/dev/null
kubectl create token client -n bench --audience causeway-ca --duration 1h > "$WORK/client.token"
kubectl create token server -n bench --audience causeway-ca --duration 1h > "$WORK/server.token"
kubectl get secret causeway-control-plane-ca -n causeway-system -o jsonpath='{.data.tls\.crt}' | base64 -d > "$WORK/cp-ca.crt"

# A workload certificate for "server", through the CA endpoint like any proxy: nginx presents it.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/server.key" 2>/dev/null
openssl req -new -key "$WORK/server.key" -subj / -out "$WORK/server.csr" \
    -addext "subjectAltName=URI:spiffe://cluster.local/ns/bench/sa/server" 2>/dev/null
python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$WORK/server.csr" > "$WORK/sign.json"
curl -sf --cacert "$WORK/cp-ca.crt" -H "authorization: Bearer $(cat "$WORK/server.token")" --data-binary @"$WORK/sign.json" \
    "https://127.0.0.1:$CA_PORT/v1/certificates" > "$WORK/signed.json"
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
answer = json.load(open(f"{work}/signed.json"))
open(f"{work}/server-chain.pem", "w").write(answer["certificateChain"])
open(f"{work}/bundle.pem", "w").write(answer["trustBundle"])
PY
# And one for "client", which openssl s_time presents.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/client.key" 2>/dev/null
openssl req -new -key "$WORK/client.key" -subj / -out "$WORK/client.csr" \
    -addext "subjectAltName=URI:spiffe://cluster.local/ns/bench/sa/client" 2>/dev/null
python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$WORK/client.csr" > "$WORK/client-sign.json"
curl -sf --cacert "$WORK/cp-ca.crt" -H "authorization: Bearer $(cat "$WORK/client.token")" --data-binary @"$WORK/client-sign.json" \
    "https://127.0.0.1:$CA_PORT/v1/certificates" | python3 -c 'import json,sys; print(json.load(sys.stdin)["certificateChain"], end="")' \
    > "$WORK/client-chain.pem"

echo
echo "== 1. certificates signed per second through the CA endpoint (wrk -t2 -c$CONNECTIONS, $DURATION)"
cat > "$WORK/sign.lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $(cat "$WORK/server.token")"
wrk.body = [[$(cat "$WORK/sign.json")]]
LUA
wrk -t2 -c8 -d2s -s "$WORK/sign.lua" "https://127.0.0.1:$CA_PORT/v1/certificates" > /dev/null
before=$(cpu_ns "$DEV_PID")
out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/sign.lua" "https://127.0.0.1:$CA_PORT/v1/certificates")
after=$(cpu_ns "$DEV_PID")
SIGN_RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
SIGN_N=$(awk '/requests in/ {print $1}' <<<"$out")
if grep -q "Non-2xx" <<<"$out"; then echo "FAILED requests:"; echo "$out"; exit 1; fi
RAW=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ {printf "%.0f", $(NF-1)}')
printf "  %-44s %10s/s   CPU %s µs per signing (whole causeway dev process)\n" "Causeway CA (CSR check + sign + JSON, HTTPS)" "$SIGN_RPS" "$(per $((after - before)) "$SIGN_N")"
printf "  %-44s %10s/s   (one core)\n" "openssl speed ecdsap256 (raw signatures)" "$RAW"
printf "  ratio CA / raw signature: %s   goal: >= 2,000 signings/s\n" "$(ratio "$SIGN_RPS" "$RAW")"

echo
echo "== 2. mTLS handshakes per second (openssl s_time -new, client certificate, 5 s)"
BACKEND=$(free_port); MESH_IN=$(free_port); PLAIN_IN=$(free_port); NGINX_MTLS=$(free_port)
OUT_MTLS=$(free_port); OUT_PLAIN=$(free_port)
mkdir -p "$WORK/www" "$WORK/nginx"
printf 'hello from the backend\n' > "$WORK/www/small"
{ nginx_preamble "$WORK/nginx"; cat <<CONF
    server {
        listen 127.0.0.1:$BACKEND;
        root $WORK/www;
        location / { default_type text/plain; }
    }
    server {
        listen 127.0.0.1:$NGINX_MTLS ssl;
        ssl_certificate $WORK/server-chain.pem;
        ssl_certificate_key $WORK/server.key;
        ssl_client_certificate $WORK/bundle.pem;
        ssl_verify_client on;
        ssl_verify_depth 3;
        ssl_session_cache off;
        ssl_session_tickets off;
        root $WORK/www;
        location / { default_type text/plain; }
    }
}
CONF
} > "$WORK/nginx/nginx.conf"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & NGINX_PID=$!; PIDS+=($NGINX_PID)

proxy() { # name serviceAccount config adminPort
    "$CAUSEWAY" proxy --config "$3" --admin-port "$4" --threads 1 --access-log off \
        --mesh-identity --ca-address "https://127.0.0.1:$CA_PORT" --ca-file "$WORK/cp-ca.crt" \
        --ca-token-file "$WORK/$2.token" --namespace bench --service-account "$2" --pod "$1" > "$WORK/$1.log" 2>&1 &
}
cat > "$WORK/server-mtls.yaml" <<CONF
version: bench
listeners:
  - {name: mesh-in, address: 127.0.0.1, port: $MESH_IN, mtls: {}, virtualHosts: [{name: any, routes: [{name: r, rules: [{backendRefs: [{backend: origin}]}]}]}]}
backends:
  - {name: origin, endpoints: [{host: 127.0.0.1, port: $BACKEND}]}
CONF
cat > "$WORK/server-plain.yaml" <<CONF
version: bench
listeners:
  - {name: plain-in, address: 127.0.0.1, port: $PLAIN_IN, virtualHosts: [{name: any, routes: [{name: r, rules: [{backendRefs: [{backend: origin}]}]}]}]}
backends:
  - {name: origin, endpoints: [{host: 127.0.0.1, port: $BACKEND}]}
CONF
cat > "$WORK/client-mtls.yaml" <<CONF
version: bench
listeners:
  - {name: out, address: 127.0.0.1, port: $OUT_MTLS, virtualHosts: [{name: any, routes: [{name: r, rules: [{backendRefs: [{backend: server}]}]}]}]}
backends:
  - {name: server, endpoints: [{host: 127.0.0.1, port: $MESH_IN}], mtls: {identities: ["spiffe://cluster.local/ns/bench/sa/server"]}}
CONF
cat > "$WORK/client-plain.yaml" <<CONF
version: bench
listeners:
  - {name: out, address: 127.0.0.1, port: $OUT_PLAIN, virtualHosts: [{name: any, routes: [{name: r, rules: [{backendRefs: [{backend: server}]}]}]}]}
backends:
  - {name: server, endpoints: [{host: 127.0.0.1, port: $PLAIN_IN}]}
CONF
A1=$(free_port); A2=$(free_port); A3=$(free_port); A4=$(free_port)
proxy server-mtls server "$WORK/server-mtls.yaml" "$A1"; SERVER_MTLS=$!; PIDS+=($SERVER_MTLS)
proxy server-plain server "$WORK/server-plain.yaml" "$A2"; SERVER_PLAIN=$!; PIDS+=($SERVER_PLAIN)
proxy client-mtls client "$WORK/client-mtls.yaml" "$A3"; CLIENT_MTLS=$!; PIDS+=($CLIENT_MTLS)
proxy client-plain client "$WORK/client-plain.yaml" "$A4"; CLIENT_PLAIN=$!; PIDS+=($CLIENT_PLAIN)
for port in "$BACKEND" "$NGINX_MTLS"; do wait_port "$port"; done
for admin in "$A1" "$A2" "$A3" "$A4"; do wait_ready "$admin" || { tail -n 20 "$WORK"/*.log; exit 1; }; done

handshakes() { # port pid → "handshakes/s cpu-µs-per-handshake"
    local before after out count
    before=$(cpu_ns "$2")
    out=$(openssl s_time -connect "127.0.0.1:$1" -new -time 5 -cert "$WORK/client-chain.pem" -key "$WORK/client.key" \
        -CAfile "$WORK/bundle.pem" 2>&1 || true)
    after=$(cpu_ns "$2")
    count=$(awk '/connections in/ && /real seconds/ {print $1; exit}' <<<"$out")
    awk -v n="${count:-0}" -v ns=$((after - before)) 'BEGIN { printf "%.0f %.1f", n / 5, (n > 0 ? ns / 1000 / n : 0) }'
}
read -r HS_CW HS_CW_CPU <<<"$(handshakes "$MESH_IN" "$SERVER_MTLS")"
read -r HS_NG HS_NG_CPU <<<"$(handshakes "$NGINX_MTLS" "$NGINX_PID")"
printf "  %-44s %8s/s   CPU %s µs per handshake\n" "Causeway proxy, mesh listener" "$HS_CW" "$HS_CW_CPU"
printf "  %-44s %8s/s   CPU %s µs per handshake (nginx master+worker)\n" "nginx, ssl_verify_client on" "$HS_NG" "$HS_NG_CPU"
printf "  ratio Causeway / nginx: %s\n" "$(ratio "$HS_CW" "$HS_NG")"

echo
echo "== 3. a proxy pair: client proxy -> server proxy -> nginx (wrk -t1 -c$CONNECTIONS, $DURATION)"
pair() { # port pids... → "rps cpu-µs-per-request"
    local port=$1; shift
    local before after out n rps
    wrk -t1 -c8 -d2s "http://127.0.0.1:$port/small" > /dev/null
    before=$(cpu_ns "$@")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$port/small")
    after=$(cpu_ns "$@")
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "errors through the pair on $port:" >&2; echo "$out" >&2; fi
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    echo "$rps $(per $((after - before)) "$n")"
}
read -r MTLS_RPS MTLS_CPU <<<"$(pair "$OUT_MTLS" "$CLIENT_MTLS" "$SERVER_MTLS")"
read -r PLAIN_RPS PLAIN_CPU <<<"$(pair "$OUT_PLAIN" "$CLIENT_PLAIN" "$SERVER_PLAIN")"
printf "  %-44s %8s req/s   CPU %s µs per request (both proxies)\n" "pair with mTLS" "$MTLS_RPS" "$MTLS_CPU"
printf "  %-44s %8s req/s   CPU %s µs per request (both proxies)\n" "same pair in plaintext" "$PLAIN_RPS" "$PLAIN_CPU"
printf "  mTLS / plaintext: %s req/s, %s CPU per request\n" "$(ratio "$MTLS_RPS" "$PLAIN_RPS")" "$(ratio "$MTLS_CPU" "$PLAIN_CPU")"
