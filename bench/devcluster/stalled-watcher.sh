#!/usr/bin/env bash
# DevCluster memory under a stalled watcher: starts `causeway dev` (release binary, plain HTTP),
# opens a watch on ConfigMaps that is never read, writes N ConfigMap updates, and prints the
# server's RSS before and after. The real kube-apiserver closes such a watcher; so must we.
#   bench/devcluster/stalled-watcher.sh [binary] [updates]
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="${1:-.build-release/release/causeway}"
updates="${2:-20000}"
work="$(mktemp -d /tmp/stalled-watcher.XXXXXX)"
server_pid=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    # Stop only what this script started, by its PID.
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

rss() { awk '/^VmRSS:/ { printf "%d MiB", $2 / 1024 }' "/proc/$server_pid/status"; }

"$binary" dev --insecure-http --port 0 --no-controller --kubeconfig "$work/kubeconfig" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
    grep -q "listening on" "$work/server.log" 2>/dev/null && break
    sleep 0.1
done
url="$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.log" | head -1)"
[[ -n "$url" ]] || { echo "causeway dev did not start:"; cat "$work/server.log"; exit 1; }
port="${url##*:}"
base="$url/api/v1/namespaces/default/configmaps"
echo "causeway dev at $url (pid $server_pid)"

payload="$(head -c 3000 /dev/zero | tr '\0' 'x')"
curl -sS -o /dev/null -w "create: %{http_code}\n" -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"churn\"},\"data\":{\"n\":\"0\"}}" "$base"

# The stalled watcher: bash holds the socket open and never reads from it.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/v1/configmaps?watch=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3
sleep 0.5
echo "RSS before: $(rss)"

# One curl process per 1,000 updates, requests chained with --next on one kept-alive connection.
started=$(date +%s.%N)
for ((batch = 0; batch < updates; batch += 1000)); do
    config="$work/batch.cfg"
    : >"$config"
    for ((i = batch; i < batch + 1000 && i < updates; i++)); do
        ((i == batch)) || echo next >>"$config"
        printf 'url = "%s/churn"\nrequest = "PATCH"\nheader = "Content-Type: application/merge-patch+json"\ndata = "{\\"data\\":{\\"n\\":\\"%d\\",\\"pad\\":\\"%s\\"}}"\noutput = "/dev/null"\n' \
            "$base" "$i" "$payload" >>"$config"
    done
    curl -sS -K "$config"
done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
echo "updates: $updates in ${elapsed} s"
echo "RSS after: $(rss)"
resource_version="$(curl -sS "$base/churn" | grep -o '"resourceVersion":"[0-9]*"' | head -1)"
echo "final object $resource_version"
# Does the server still hold the stalled watch? (ss shows the server's side of the connection.)
if ss -tn "( sport = :$port )" 2>/dev/null | grep -q ESTAB; then echo "stalled watch connection: still open"; else echo "stalled watch connection: closed by server"; fi
sleep 2
echo "RSS 2 s later: $(rss)"
