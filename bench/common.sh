# Helpers the benchmark scripts share (sourced, not run).

# A loopback TCP port nothing listens on right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits up to 10 s for something to listen on loopback port $1.
wait_port() {
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "port $1 never opened" >&2; return 1
}

# On-CPU nanoseconds of processes and their children (nginx's workers), every thread, from
# /proc/PID/task/*/schedstat: steady on a shared machine where requests/s is not.
cpu_ns() {
    local pids="$*" pid child stat total=0
    for pid in "$@"; do for child in $(pgrep -P "$pid"); do pids="$pids $child"; done; done
    for pid in $pids; do
        for stat in /proc/"$pid"/task/*/schedstat; do
            total=$((total + $(cut -d' ' -f1 "$stat" 2>/dev/null || echo 0)))
        done
    done
    echo "$total"
}

# The start of an nginx.conf for a benchmark peer or backend, up to and inside `http {`: foreground,
# files under $1, $2 worker processes (default 1), no access log, keep-alive without a request cap.
# The caller appends its servers and the closing brace.
nginx_preamble() {
    cat <<CONF
worker_processes ${2:-1};
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
    keepalive_requests 1000000;
CONF
}

# Exits with what to install unless every `command:package` pair is on PATH.
require_tools() {
    local missing=() tool
    for tool in "$@"; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool%%:*} (${tool##*:})")
    done
    if ((${#missing[@]})); then
        echo "missing tools:"; printf '  %s\n' "${missing[@]}"
        echo "CAUSEWAY_BENCH=1 scripts/setup.sh installs the Debian packages among them"
        exit 1
    fi
}

# Sets CAUSEWAY to $CAUSEWAY_BIN when given, else to a release build in $ROOT/.build-release
# (a debug build's figures mean little).
build_causeway() {
    if [ -n "${CAUSEWAY_BIN:-}" ]; then
        CAUSEWAY=$CAUSEWAY_BIN
    else
        command -v swift >/dev/null 2>&1 || { echo "swift (a Swift toolchain) is needed to build, or set CAUSEWAY_BIN" >&2; exit 1; }
        echo "== building Causeway (release, scratch path .build-release)"
        # Both binaries, as the image ships them: `causeway proxy` execs `causeway-proxy`.
        for product in causeway causeway-proxy; do
            (cd "$ROOT" && swift build -c release --scratch-path .build-release --product "$product" 2>&1 | tail -1)
        done
        CAUSEWAY="$ROOT/.build-release/release/causeway"
    fi
    [ -x "$CAUSEWAY" ] || { echo "no causeway binary at $CAUSEWAY" >&2; exit 1; }
}
