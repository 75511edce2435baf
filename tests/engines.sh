# shellcheck shell=bash
# Real container engines for the test suite: Docker and Podman, each with the
# test image "bosun-test:latest" built locally (no registry is reachable).
#
#   source tests/engines.sh; engines_start; ...; engines_stop   (tests/run)
#   bash tests/engines.sh start|stop|status                     (by hand)
#
# An engine that already answers on its socket is reused and never stopped:
# other sessions may be using it. engines_stop only stops what this shell
# started; "engines.sh stop" stops what an earlier "engines.sh start" started
# (it reads the pid files). We never skip an engine that is missing: tests
# against an engine that silently is not there prove nothing, so every
# failure here exits non-zero with the engine's own log, with or without CI.
#
# The BOSUN_* variables below exist so the script itself can be tested without
# touching the engines other people are using; the defaults are the real setup.

BOSUN_DOCKER_SOCK=${BOSUN_DOCKER_SOCK:-/var/run/docker.sock}
BOSUN_PODMAN_SOCK=${BOSUN_PODMAN_SOCK:-/run/podman/podman.sock}
BOSUN_TEST_IMAGE=${BOSUN_TEST_IMAGE:-bosun-test:latest}
BOSUN_CONTAINERS_CONF=${BOSUN_CONTAINERS_CONF:-/etc/containers/containers.conf}
BOSUN_ENGINES_DIR=${BOSUN_ENGINES_DIR:-${TMPDIR:-/tmp}/bosun-engines}
# dockerd's own pid file: it refuses to start while this names a live process,
# and we read it to tell "a dockerd is still starting" from "the socket is stale".
BOSUN_DOCKERD_PIDFILE=${BOSUN_DOCKERD_PIDFILE:-/var/run/docker.pid}
# Extra dockerd flags (word-split), for a scratch daemon next to the real one.
# Never pass --bridge=none there: dockerd then deletes the host's docker0,
# which breaks networking for the real daemon.
BOSUN_DOCKERD_ARGS=${BOSUN_DOCKERD_ARGS:-}
BOSUN_ENGINE_WAIT=${BOSUN_ENGINE_WAIT:-30}   # seconds to wait for an engine

# Pids of engines started by this shell; only these are stopped by engines_stop.
_bosun_started_docker=
_bosun_started_podman=

_engines_log() { printf 'engines: %s\n' "$*" >&2; }

_engines_die() {
    printf '\nengines: ERROR: %s\n\n' "$*" >&2
    exit 1
}

# True when the engine behind a unix socket answers its API. --max-time keeps
# a wedged engine from hanging the whole run.
_engines_ping() {
    [ -S "$1" ] && [ "$(curl -sf --max-time 5 --unix-socket "$1" http://d/_ping 2>/dev/null)" = OK ]
}

# The program name (argv[0] without its directory) of pid $1, if alive.
_engines_prog() {
    local argv=()
    if [ -n "$1" ]; then mapfile -d '' argv 2>/dev/null <"/proc/$1/cmdline" || true; fi
    local prog=${argv[0]:-}
    printf '%s' "${prog##*/}"
}

# True when pid $1 is alive and runs program $2, so that a recycled pid never
# gets a signal meant for an engine.
_engines_pid_is() {
    [ -n "$1" ] && [ "$(_engines_prog "$1")" = "$2" ]
}

_engines_fail_with_log() { # message, log file
    if [ -s "$2" ]; then
        printf '\nengines: last lines of %s:\n' "$2" >&2
        tail -n 25 "$2" | sed 's/^/    /' >&2
    fi
    _engines_die "$1"
}

# Wait for an engine to answer; give up early if the process we started died.
_engines_wait() { # name, socket, pid-or-empty, log
    local i
    for ((i = 0; i < BOSUN_ENGINE_WAIT * 4; i++)); do
        _engines_ping "$2" && return 0
        if [ -n "$3" ] && ! kill -0 "$3" 2>/dev/null; then
            _engines_fail_with_log "$1 exited during start-up (socket $2)" "$4"
        fi
        sleep 0.25
    done
    _engines_fail_with_log "$1 did not answer on $2 within ${BOSUN_ENGINE_WAIT}s" "$4"
}

# Start a daemon in its own session so that Ctrl-C in the test run does not
# reach it and it survives as long as we want, with all output in a log file
# (an inherited stdout would keep a pipe like "tests/run | tee" open forever).
# The wrapper writes its own pid before exec, so the pid file names the daemon
# whether or not setsid had to fork. Sets _engines_spawned.
_engines_spawn() { # name, log, pidfile, command...
    local name=$1 log=$2 pidfile=$3 i
    shift 3
    rm -f "$pidfile"
    # A fresh log per start, so a failure shows this start's reason only.
    printf '=== %s: %s\n' "$(date '+%F %T')" "$*" >"$log"
    # From /: an engine's children inherit its working directory, and Podman's conmon writes a file
    # named `oom` there when a container is OOM-killed (it used to land in the checkout).
    # shellcheck disable=SC2016  # $$ and $@ belong to the inner bash
    setsid bash -c 'echo $$ >"$0"; cd / && exec "$@"' "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
    for ((i = 0; i < 40; i++)); do
        [ -s "$pidfile" ] && break
        sleep 0.05
    done
    [ -s "$pidfile" ] || _engines_fail_with_log "could not start $name" "$log"
    _engines_spawned=$(cat "$pidfile")
}

_engines_stop_pid() { # name, pid, program, pidfile
    local name=$1 pid=$2 prog=$3 pidfile=$4 i
    [ -n "$pid" ] || return 0
    if _engines_pid_is "$pid" "$prog"; then
        _engines_log "stopping $name (pid $pid), which this script started"
        kill -TERM "$pid" 2>/dev/null || true
        # dockerd shuts its containerd down on TERM; give it time to do so.
        for ((i = 0; i < 80; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            _engines_log "$name (pid $pid) ignored TERM for 20s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [ -f "$pidfile" ] && [ "$(cat "$pidfile" 2>/dev/null)" = "$pid" ]; then
        rm -f "$pidfile"
    fi
}

# ---------------------------------------------------------------- Docker ---

_engines_start_docker() {
    local log="$BOSUN_ENGINES_DIR/dockerd.log" pidfile="$BOSUN_ENGINES_DIR/dockerd.pid"
    local other pid
    if _engines_ping "$BOSUN_DOCKER_SOCK"; then
        _engines_log "docker: reusing the engine already answering on $BOSUN_DOCKER_SOCK"
        return 0
    fi
    command -v dockerd >/dev/null || _engines_die "dockerd is not installed (apt-get install docker.io)"
    # A dockerd that is alive but not answering yet is still starting
    # (another session, or the package's init script): wait for it rather
    # than pull its socket away or start a second one over the same state.
    other=$(cat "$BOSUN_DOCKERD_PIDFILE" 2>/dev/null || true)
    if _engines_pid_is "$other" dockerd; then
        _engines_log "docker: dockerd pid $other is running but not answering yet; waiting"
        _engines_wait "dockerd (pid $other, not started by us)" "$BOSUN_DOCKER_SOCK" "$other" /dev/null
        return 0
    fi
    # Nobody owns the socket file (left by a killed daemon); clear it.
    rm -f "$BOSUN_DOCKER_SOCK"
    _engines_log "docker: starting dockerd (log: $log)"
    # shellcheck disable=SC2086  # BOSUN_DOCKERD_ARGS is a list of flags
    _engines_spawn dockerd "$log" "$pidfile" dockerd \
        -H "unix://$BOSUN_DOCKER_SOCK" --pidfile "$BOSUN_DOCKERD_PIDFILE" $BOSUN_DOCKERD_ARGS
    pid=$_engines_spawned
    _bosun_started_docker=$pid
    _engines_wait "dockerd (pid $pid)" "$BOSUN_DOCKER_SOCK" "$pid" "$log"
    _engines_log "docker: dockerd is up (pid $pid)"
}

# ---------------------------------------------------------------- Podman ---

# This machine has no systemd and no CAP_SYS_RESOURCE. Podman's defaults
# assume both: it would raise rlimits past what we may set, log events to
# journald and create cgroups through systemd, and every container would fail
# to start. The merge only adds keys that are missing, next to any settings
# the user already has; a differing value is reported, not overwritten.
_engines_podman_conf() {
    python3 - "$BOSUN_CONTAINERS_CONF" <<'PY' || _engines_die "cannot prepare $BOSUN_CONTAINERS_CONF (see above)"
import os, re, sys, tempfile, tomllib

path = sys.argv[1]
want = {
    "containers": {"default_ulimits": '["nofile=4096:4096", "nproc=4096:4096"]'},
    "engine": {"events_logger": '"file"', "cgroup_manager": '"cgroupfs"'},
}
text = ""
if os.path.exists(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
try:
    data = tomllib.loads(text)
except tomllib.TOMLDecodeError as e:
    sys.exit(f"{path} is not valid TOML ({e}); fix it by hand")

lines = text.splitlines(keepends=True)
added = []
for section, keys in want.items():
    have = data.get(section, {})
    missing = []
    for key, value in keys.items():
        if key not in have:
            missing.append(f"{key} = {value}\n")
        elif have[key] != tomllib.loads(f"v = {value}")["v"]:
            print(f"engines: warning: {path} has [{section}] {key} = {have[key]!r}, "
                  f"the tests need {value}; leaving it alone", file=sys.stderr)
    if not missing:
        continue
    header = re.compile(rf"^\s*\[\s*{section}\s*\]\s*(#.*)?$")
    at = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if at is not None:
        # Right under the header, so the keys land in that table whatever follows.
        if not lines[at].endswith("\n"):
            lines[at] += "\n"
        lines[at + 1:at + 1] = missing
    elif section in data:
        sys.exit(f"{path} defines [{section}] in a form this script cannot edit; "
                 f"add these by hand: {'; '.join(m.strip() for m in missing)}")
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines += (["\n"] if lines else []) + [f"[{section}]\n"] + missing
    added += [f"[{section}] {m.split(' =')[0]}" for m in missing]

if added:
    out = "".join(lines)
    check = tomllib.loads(out)  # never write a file podman cannot read
    assert all(k in check[s] for s, keys in want.items() for k in keys)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".containers.conf.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(out)
    os.chmod(tmp, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644)
    os.replace(tmp, path)
    print(f"engines: added to {path}: {', '.join(added)}", file=sys.stderr)
PY
}

# Pids of "podman system service" processes serving our socket. One started
# without an address serves the default socket.
_engines_podman_services() {
    local p argv cmd
    for p in /proc/[0-9]*; do
        [ "$(_engines_prog "${p#/proc/}")" = podman ] || continue
        mapfile -d '' argv 2>/dev/null <"$p/cmdline" || continue
        cmd=" ${argv[*]} "
        case $cmd in
        *" system service "*"unix://$BOSUN_PODMAN_SOCK "*) echo "${p#/proc/}" ;;
        *" system service "*unix://*) ;;
        *" system service "*)
            if [ "$BOSUN_PODMAN_SOCK" = /run/podman/podman.sock ]; then echo "${p#/proc/}"; fi ;;
        esac
    done
    return 0
}

_engines_start_podman() {
    local log="$BOSUN_ENGINES_DIR/podman.log" pidfile="$BOSUN_ENGINES_DIR/podman.pid"
    local other pid
    command -v podman >/dev/null || _engines_die "podman is not installed (apt-get install podman)"
    # Also needed when the service is reused: our "podman run" check and the
    # service read the same file.
    _engines_podman_conf
    if _engines_ping "$BOSUN_PODMAN_SOCK"; then
        _engines_log "podman: reusing the service already answering on $BOSUN_PODMAN_SOCK"
        return 0
    fi
    other=$(_engines_podman_services | head -n 1)
    if [ -n "$other" ]; then
        _engines_log "podman: service pid $other is running but not answering yet; waiting"
        _engines_wait "podman service (pid $other, not started by us)" "$BOSUN_PODMAN_SOCK" "$other" /dev/null
        return 0
    fi
    # Nobody serves the socket file (left by a killed service); clear it.
    rm -f "$BOSUN_PODMAN_SOCK"
    # /run is a tmpfs: the directory is gone after every boot, and without
    # systemd nobody else creates it.
    mkdir -p "$(dirname "$BOSUN_PODMAN_SOCK")"
    _engines_log "podman: starting the API service (log: $log)"
    _engines_spawn "podman service" "$log" "$pidfile" \
        podman system service --time=0 "unix://$BOSUN_PODMAN_SOCK"
    pid=$_engines_spawned
    _bosun_started_podman=$pid
    _engines_wait "podman service (pid $pid)" "$BOSUN_PODMAN_SOCK" "$pid" "$log"
    _engines_log "podman: service is up (pid $pid)"
}

# ------------------------------------------------------------ Test image ---

# A registry-free image: the host's static busybox and a link per applet is
# enough for a shell, sleep, top, logs and exec, which is what the tests need.
_engines_rootfs_tar() { # output tar
    local root applet
    [ -x /bin/busybox ] || _engines_die "/bin/busybox is missing (apt-get install busybox-static)"
    root=$(mktemp -d "$BOSUN_ENGINES_DIR/rootfs.XXXXXX")
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
    chmod 1777 "$root/tmp"
    chmod 0700 "$root/root"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    # nobody lets tests run exec as a non-root user.
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$1" .
    rm -rf "$root"
}

# Docker and Podman both run containers through the API the tests use, so
# the check goes through the socket too: it proves the short image name
# resolves there and that the (possibly reused) service can start containers.
_engines_api_run() { # name, socket
    local base="http://d" out id code
    out=$(curl -sS --max-time 30 --unix-socket "$2" -H 'Content-Type: application/json' \
        -d "{\"Image\": \"$BOSUN_TEST_IMAGE\", \"Cmd\": [\"true\"]}" "$base/containers/create" 2>&1) ||
        _engines_die "$1: creating a container through $2 failed: $out"
    id=$(printf '%s' "$out" | sed -n 's/.*"Id" *: *"\([0-9a-f]*\)".*/\1/p')
    [ -n "$id" ] || _engines_die "$1: cannot create a $BOSUN_TEST_IMAGE container through $2: $out"
    out=$(curl -sS --max-time 30 --unix-socket "$2" -X POST "$base/containers/$id/start" 2>&1 &&
        curl -sS --max-time 30 --unix-socket "$2" -X POST "$base/containers/$id/wait" 2>&1) || true
    curl -s --max-time 30 --unix-socket "$2" -X DELETE "$base/containers/$id?force=true" >/dev/null 2>&1 || true
    code=$(printf '%s' "$out" | sed -n 's/.*"StatusCode" *: *\([0-9]*\).*/\1/p')
    [ "$code" = 0 ] || _engines_die "$1: a $BOSUN_TEST_IMAGE container started through $2 did not exit 0: $out"
}

# Bump when the rootfs recipe above changes, so images left by an earlier
# run are rebuilt rather than reused.
BOSUN_TEST_IMAGE_RECIPE=2

_engines_image_current() { # cli...
    "$@" image inspect --format '{{json .Config.Labels}}' "$BOSUN_TEST_IMAGE" 2>/dev/null |
        grep -q "\"bosun.test.recipe\":\"$BOSUN_TEST_IMAGE_RECIPE\""
}

_engines_images() {
    local docker=(docker -H "unix://$BOSUN_DOCKER_SOCK") tar="" out
    local changes=(--change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin:/usr/bin:/sbin'
        --change "LABEL bosun.test.recipe=$BOSUN_TEST_IMAGE_RECIPE")
    if ! _engines_image_current "${docker[@]}"; then
        tar="$BOSUN_ENGINES_DIR/rootfs.tar"
        _engines_rootfs_tar "$tar"
        _engines_log "docker: importing $BOSUN_TEST_IMAGE"
        out=$("${docker[@]}" import "${changes[@]}" "$tar" "$BOSUN_TEST_IMAGE" 2>&1) ||
            _engines_die "docker import of $BOSUN_TEST_IMAGE failed: $out"
    fi
    # Podman stores it as localhost/<name>; short names resolve to that, in
    # the CLI and in the Docker-compatible API alike.
    if ! _engines_image_current podman; then
        if [ -z "$tar" ]; then
            tar="$BOSUN_ENGINES_DIR/rootfs.tar"
            _engines_rootfs_tar "$tar"
        fi
        _engines_log "podman: importing $BOSUN_TEST_IMAGE"
        out=$(podman import --quiet "${changes[@]}" "$tar" "$BOSUN_TEST_IMAGE" 2>&1) ||
            _engines_die "podman import of $BOSUN_TEST_IMAGE failed: $out"
    fi
    [ -z "$tar" ] || rm -f "$tar"

    out=$("${docker[@]}" run --rm "$BOSUN_TEST_IMAGE" true 2>&1) ||
        _engines_die "docker cannot run $BOSUN_TEST_IMAGE: $out"
    out=$(podman run --rm "$BOSUN_TEST_IMAGE" true 2>&1) ||
        _engines_die "podman cannot run $BOSUN_TEST_IMAGE: $out"
    _engines_api_run docker "$BOSUN_DOCKER_SOCK"
    _engines_api_run podman "$BOSUN_PODMAN_SOCK"
    _engines_log "both engines run $BOSUN_TEST_IMAGE"
}

# ------------------------------------------------------------ Entry points ---

engines_start() {
    command -v curl >/dev/null || _engines_die "curl is not installed"
    mkdir -p "$BOSUN_ENGINES_DIR"
    # Two test runs starting at once would both find no engine and both start
    # one; the lock makes the second wait and then reuse the first one's.
    # It is released before the tests run, so test runs themselves overlap.
    exec {_bosun_lock}>"$BOSUN_ENGINES_DIR/lock"
    flock "$_bosun_lock"
    _engines_start_docker
    _engines_start_podman
    _engines_images
    flock -u "$_bosun_lock"
    exec {_bosun_lock}>&-
}

# Stop only the engines this shell started. Podman first: its containers
# don't depend on Docker, but a quick exit matters less than a clean one.
engines_stop() {
    _engines_stop_pid "podman service" "$_bosun_started_podman" podman \
        "$BOSUN_ENGINES_DIR/podman.pid"
    _engines_stop_pid dockerd "$_bosun_started_docker" dockerd \
        "$BOSUN_ENGINES_DIR/dockerd.pid"
    _bosun_started_podman=
    _bosun_started_docker=
}

_engines_status() {
    local name sock
    for name in docker podman; do
        if [ $name = docker ]; then sock=$BOSUN_DOCKER_SOCK; else sock=$BOSUN_PODMAN_SOCK; fi
        if _engines_ping "$sock"; then
            printf '%-7s up on %s; image %s: HTTP %s\n' $name "$sock" "$BOSUN_TEST_IMAGE" \
                "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" \
                    "http://d/images/$BOSUN_TEST_IMAGE/json")"
        else
            printf '%-7s not answering on %s\n' $name "$sock"
        fi
    done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case ${1:-} in
    start)
        # On failure, undo what this call started; on success leave it running
        # for "stop" (the pid files remember it).
        trap '[ $? -eq 0 ] || engines_stop' EXIT
        engines_start
        _engines_status
        ;;
    stop)
        _bosun_started_podman=$(cat "$BOSUN_ENGINES_DIR/podman.pid" 2>/dev/null || true)
        _bosun_started_docker=$(cat "$BOSUN_ENGINES_DIR/dockerd.pid" 2>/dev/null || true)
        [ -n "$_bosun_started_podman$_bosun_started_docker" ] ||
            _engines_log "no engine was started by this script; nothing to stop"
        engines_stop
        ;;
    status) _engines_status ;;
    *)
        echo "usage: bash tests/engines.sh start|stop|status" >&2
        exit 2
        ;;
    esac
fi
