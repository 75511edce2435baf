# shellcheck shell=bash
# A real OpenSSH server for the ssh:// tests, on 127.0.0.1 only.
#
#   source tests/sshd.sh; sshd_start; ...; sshd_stop     (tests/run)
#   bash tests/sshd.sh start|stop|status                  (by hand)
#
# It listens on a free port (something else may hold 22), with a host key and
# a user key generated into $BOSUN_SSHD_DIR, and writes an ssh_config there
# (a Host alias, the user key, its own known_hosts) that the tests hand to
# bosun through BOSUN_SSH_CONFIG: nothing in the real ~/.ssh is read or
# written. A server an earlier `start` left running is reused. Like the
# engines, a server that cannot start is an error, never a skip.
#
# Exported for the tests:
#   BOSUN_TEST_SSH_HOST    ssh://bosun-test-alias (the alias: HostName, Port, User, key from the config)
#   BOSUN_TEST_SSH_CONFIG  that ssh_config file
#   BOSUN_TEST_SSH_DIR     the folder with the keys (host_ed25519, user_ed25519, known_hosts)
#   BOSUN_TEST_SSH_PORT    the port sshd listens on

BOSUN_SSHD_DIR=${BOSUN_SSHD_DIR:-${TMPDIR:-/tmp}/bosun-sshd}
_bosun_started_sshd=

_sshd_log() { printf 'sshd: %s\n' "$*" >&2; }

_sshd_die() {
    printf '\nsshd: ERROR: %s\n' "$*" >&2
    if [ -s "$BOSUN_SSHD_DIR/sshd.log" ]; then
        printf 'sshd: last lines of %s:\n' "$BOSUN_SSHD_DIR/sshd.log" >&2
        tail -n 15 "$BOSUN_SSHD_DIR/sshd.log" | sed 's/^/    /' >&2
    fi
    exit 1
}

_sshd_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True when pid $1 is alive and is an sshd (a recycled pid never gets our signal).
_sshd_alive() {
    [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "sshd"
}

# True when a server answers on port $1 with the host key we generated.
_sshd_answers() {
    local got
    got=$(ssh-keyscan -T 3 -t ed25519 -p "$1" 127.0.0.1 2>/dev/null | awk '{print $3}')
    [ -n "$got" ] && [ "$got" = "$(awk '{print $2}' "$BOSUN_SSHD_DIR/host_ed25519.pub")" ]
}

_sshd_keys() {
    local d=$BOSUN_SSHD_DIR
    mkdir -p "$d"
    chmod 700 "$d"
    [ -s "$d/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C bosun-test-host -f "$d/host_ed25519" >/dev/null
    [ -s "$d/user_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C bosun-test-user -f "$d/user_ed25519" >/dev/null
    # A key the server does not know, for the "wrong key" tests.
    [ -s "$d/other_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C bosun-test-other -f "$d/other_ed25519" >/dev/null
    cp "$d/user_ed25519.pub" "$d/authorized_keys"
    chmod 600 "$d/authorized_keys"
}

# The server's config for port $1; the tests start scratch servers from the same template.
_sshd_config() {
    local d=$BOSUN_SSHD_DIR
    cat >"$d/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $d/host_ed25519
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
MaxSessions 64
LogLevel VERBOSE
EOF
}

_sshd_client_config() {
    local d=$BOSUN_SSHD_DIR
    cat >"$d/ssh_config" <<EOF
Host bosun-test-alias
    HostName 127.0.0.1
    Port $1
    User root
    IdentityFile $d/user_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $d/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
EOF
    printf '[127.0.0.1]:%s %s\n' "$1" "$(cut -d' ' -f1,2 "$d/host_ed25519.pub")" >"$d/known_hosts"
}

_sshd_export() {
    export BOSUN_TEST_SSH_HOST=ssh://bosun-test-alias
    export BOSUN_TEST_SSH_CONFIG=$BOSUN_SSHD_DIR/ssh_config
    export BOSUN_TEST_SSH_DIR=$BOSUN_SSHD_DIR
    export BOSUN_TEST_SSH_PORT=$1
}

sshd_start() {
    command -v /usr/sbin/sshd >/dev/null || _sshd_die "/usr/sbin/sshd is missing (apt-get install openssh-server)"
    _sshd_keys
    local pid port
    pid=$(cat "$BOSUN_SSHD_DIR/sshd.pid" 2>/dev/null || true)
    port=$(cat "$BOSUN_SSHD_DIR/port" 2>/dev/null || true)
    if _sshd_alive "$pid" && [ -n "$port" ] && _sshd_answers "$port"; then
        _sshd_log "reusing the server on 127.0.0.1:$port (pid $pid)"
        _sshd_client_config "$port"
        _sshd_export "$port"
        return 0
    fi
    port=$(_sshd_free_port)
    _sshd_config "$port"
    _sshd_client_config "$port"
    mkdir -p /run/sshd # sshd's privilege separation folder
    rm -f "$BOSUN_SSHD_DIR/sshd.pid"
    /usr/sbin/sshd -f "$BOSUN_SSHD_DIR/sshd_config" -E "$BOSUN_SSHD_DIR/sshd.log" ||
        _sshd_die "sshd did not start on 127.0.0.1:$port"
    local i
    for ((i = 0; i < 40; i++)); do
        if _sshd_answers "$port"; then
            _bosun_started_sshd=$(cat "$BOSUN_SSHD_DIR/sshd.pid")
            echo "$port" >"$BOSUN_SSHD_DIR/port"
            _sshd_log "started on 127.0.0.1:$port (pid $_bosun_started_sshd)"
            _sshd_export "$port"
            # The key login must work before any test relies on it.
            ssh -F "$BOSUN_SSHD_DIR/ssh_config" -o BatchMode=yes -T bosun-test-alias true 2>>"$BOSUN_SSHD_DIR/sshd.log" ||
                _sshd_die "sshd answers on 127.0.0.1:$port but the key login fails"
            return 0
        fi
        sleep 0.25
    done
    _sshd_die "sshd started but does not answer on 127.0.0.1:$port"
}

# Stops only the server this shell started.
sshd_stop() {
    if _sshd_alive "$_bosun_started_sshd"; then
        kill "$_bosun_started_sshd" 2>/dev/null || true
        _sshd_log "stopped (pid $_bosun_started_sshd)"
    fi
    _bosun_started_sshd=
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case ${1:-} in
    start)
        sshd_start
        echo "export BOSUN_TEST_SSH_HOST=$BOSUN_TEST_SSH_HOST BOSUN_TEST_SSH_CONFIG=$BOSUN_TEST_SSH_CONFIG" \
            "BOSUN_TEST_SSH_DIR=$BOSUN_TEST_SSH_DIR BOSUN_TEST_SSH_PORT=$BOSUN_TEST_SSH_PORT"
        ;;
    stop)
        _bosun_started_sshd=$(cat "$BOSUN_SSHD_DIR/sshd.pid" 2>/dev/null || true)
        sshd_stop
        ;;
    status)
        pid=$(cat "$BOSUN_SSHD_DIR/sshd.pid" 2>/dev/null || true)
        port=$(cat "$BOSUN_SSHD_DIR/port" 2>/dev/null || true)
        if _sshd_alive "$pid" && _sshd_answers "$port"; then echo "sshd on 127.0.0.1:$port (pid $pid)"; else echo "sshd not running"; fi
        ;;
    *)
        echo "usage: bash tests/sshd.sh start|stop|status" >&2
        exit 2
        ;;
    esac
fi
