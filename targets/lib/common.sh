# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Shared helpers for the start/stop scripts (bash). Source it; do not run it.
# After `target_init NAME "$@"`: NAME, STATE, USERS, PASS, LIB and t0 are set.
LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_ROOT=/tmp/imapgate-targets
STATE_MARK=.imapgate-target     # marks a directory that `fresh_state` may delete

target_init() {
    NAME=$1; STATE=${2:-$STATE_ROOT/$NAME}
    case $STATE in /*) ;; *) STATE=$PWD/$STATE ;; esac
    USERS=${IMAP_USERS:-user1 user2 user3 user4 user5}
    PASS=${IMAP_PASSWORD:-pass}
    t0=$(date +%s.%N)
}

need() {   # need FILE: the install script has run
    [ -e "$1" ] || { echo "$NAME: $1 missing; run $(dirname "$0")/install first" >&2; exit 1; }
}

# port_free PORT: fail if something already accepts connections on 127.0.0.1:PORT
port_free() {
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
        echo "$NAME: port $1 already in use (a previous instance? run stop)" >&2; return 1
    fi
}

# fresh_state: stop a previous instance in $STATE, keep its logs in $STATE.last/, then
# recreate $STATE empty with a self-signed certificate. Refuses to delete a non-empty directory it did not create.
fresh_state() {
    "$(dirname "$0")/stop" "$STATE" >/dev/null 2>&1 || true
    if [ -d "$STATE" ] && [ ! -e "$STATE/$STATE_MARK" ] && [ -n "$(ls -A "$STATE")" ]; then
        echo "$NAME: $STATE is not empty and is not a target state dir; refusing to delete it" >&2
        exit 1
    fi
    # The last instance's logs survive a restart (a crash's trace is in them): $STATE.last/
    if compgen -G "$STATE/*.log" >/dev/null; then
        rm -rf "$STATE.last"; mkdir -p "$STATE.last"; cp -p "$STATE"/*.log "$STATE.last/"
    fi
    rm -rf "$STATE"; mkdir -p "$STATE"; chmod 755 "$STATE"
    echo "$NAME" > "$STATE/$STATE_MARK"
    make_cert "$STATE"
}

# make_cert DIR: DIR/cert.pem + DIR/key.pem, self-signed EC P-256, CN=localhost,
# SAN localhost + 127.0.0.1
make_cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
    chmod 644 "$1/cert.pem"; chmod 640 "$1/key.pem"
}

# spawn LOG CMD...: run CMD detached (own session, no inherited stdio) and record its
# pid in $STATE/pid
spawn() {
    local log=$1; shift
    setsid "$@" </dev/null >>"$log" 2>&1 &
    echo $! > "$STATE/pid"
}

# wait_pidfile FILE: wait (≤10 s) for a daemonizing server to write its pid file
wait_pidfile() {
    local _
    for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done
    echo "$NAME: no pid file $1 after 10 s" >&2; return 1
}

# wait_greeting PORT [tls]: wait (≤30 s) for "* OK" on 127.0.0.1:PORT; gives up at once
# if the recorded server process dies. Prints the greeting.
wait_greeting() {
    local tls=(); [ "${2:-}" = tls ] && tls=(--tls)
    python3 "$LIB/greeting.py" --port "$1" "${tls[@]}" --timeout 30 --pid "$(cat "$STATE/pid")"
}

# started PORTS...: record the instance's sessions/namespace, report, print the main pid
started() {
    python3 "$LIB/instance.py" record "$STATE"
    echo "$NAME started in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')s:" \
        "$* state $STATE" >&2
    cat "$STATE/pid"
}

# stop_instance: TERM every process of the instance in $STATE, KILL what is left after
# 10 s. Processes are found by recorded pid, never by name.
stop_instance() {
    python3 "$LIB/instance.py" stop "$STATE" --timeout "${STOP_TIMEOUT:-10}"
}
