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
