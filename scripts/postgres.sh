# Sourced by scripts/test: a throw-away PostgreSQL server for the tests, on 127.0.0.1 only.
# Sourced, not executed. Call simpul_pg_start after `trap simpul_pg_stop EXIT`; it exports
# SIMPUL_TEST_POSTGRES_URL (postgresql+psycopg://simpul@127.0.0.1:PORT/simpul_test).
# SIMPUL_TEST_POSTGRES=off skips all of this (the URL stays unset; postgres tests skip, or fail
# under CI_REQUIRE_POSTGRES=1). The server never runs as root: PostgreSQL refuses to, and the
# tests check it. Needs bash, util-linux (runuser) or su, and python3 for a free port.

# State of this shell only (never taken from the environment: a nested scripts/test must not
# adopt, and then stop, its parent's server). Sourcing twice keeps it.
if [ "${_SIMPUL_PG_SOURCED:-}" != "$$" ]; then
    _SIMPUL_PG_SOURCED="$$"
    SIMPUL_PG_TMP=""    # the cluster's temp dir while a server of ours is up
    SIMPUL_PG_BIN=""    # directory of initdb, pg_ctl, postgres
    SIMPUL_PG_USER=""   # the unprivileged user running the server
fi

simpul_pg_die() {
    echo "simpul: PostgreSQL test server: $*" >&2
    echo "simpul: (set SIMPUL_TEST_POSTGRES=off to run the tests without PostgreSQL)" >&2
    exit 1
}

# A directory holding a usable initdb, pg_ctl and postgres.
_simpul_pg_usable() {
    [ -n "$1" ] && [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]
}

# PATH first (resolving symlinks: Debian's /usr/bin entries are pg_wrapper links), then
# /usr/lib/postgresql/*/bin, newest version first.
_simpul_pg_find() {
    local initdb dir
    if initdb="$(command -v initdb 2>/dev/null)"; then
        for dir in "$(dirname "$initdb")" "$(dirname "$(readlink -f "$initdb")")"; do
            if _simpul_pg_usable "$dir"; then SIMPUL_PG_BIN="$dir"; return 0; fi
        done
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r); do
        if _simpul_pg_usable "$dir"; then SIMPUL_PG_BIN="$dir"; return 0; fi
    done
    return 1
}

_simpul_pg_install() {
    if [ "$(id -u)" -ne 0 ]; then
        simpul_pg_die "initdb/pg_ctl not found (looked in PATH and /usr/lib/postgresql/*/bin).
  Install PostgreSQL, e.g. 'sudo apt-get install postgresql', or run scripts/test as root
  on Debian/Ubuntu to have it installed."
    fi
    command -v apt-get >/dev/null 2>&1 \
        || simpul_pg_die "initdb/pg_ctl not found and apt-get is not available to install them"
    echo "simpul: PostgreSQL not found; installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
        || simpul_pg_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
        || simpul_pg_die "apt-get install -y postgresql failed"
    _simpul_pg_find || simpul_pg_die "postgresql installed but initdb/pg_ctl still not found"
}

# The unprivileged user that owns the cluster and runs the server.
_simpul_pg_pick_user() {
    if [ "$(id -u)" -ne 0 ]; then
        SIMPUL_PG_USER="$(id -un)"
    elif getent passwd postgres >/dev/null; then
        SIMPUL_PG_USER=postgres
    else
        if ! getent passwd simpul-pg >/dev/null; then
            useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin simpul-pg \
                || simpul_pg_die "cannot create the system user simpul-pg (useradd failed)"
        fi
        SIMPUL_PG_USER=simpul-pg
    fi
}

# Run a command as SIMPUL_PG_USER, from inside the temp dir (root's cwd may be unreachable).
_simpul_pg_as_user() {
    if [ "$(id -u)" -ne 0 ]; then
        (cd "$SIMPUL_PG_TMP" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$SIMPUL_PG_TMP" && runuser -u "$SIMPUL_PG_USER" -- "$@")
    else
        local cmd
        cmd="$(printf '%q ' "$@")"
        (cd "$SIMPUL_PG_TMP" && su -s /bin/sh "$SIMPUL_PG_USER" -c "$cmd")
    fi
}

_simpul_pg_free_port() {
    local py=python3
    [ -n "${VENV:-}" ] && [ -x "$VENV/bin/python" ] && py="$VENV/bin/python"
    "$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

_simpul_pg_c_utf8() {
    command -v locale >/dev/null 2>&1 || return 0   # cannot tell: let initdb try
    locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'
}

# Servers of runs that were killed (SIGKILL, power cut) before their trap ran: the run's
# pid is gone. Only our own temp dirs, only ones this user may remove.
_simpul_pg_reap_stale() {
    local dir pid owner
    for dir in /tmp/simpul-pg.*; do
        [ -f "$dir/owner.pid" ] && [ -w "$dir" ] || continue
        pid="$(cat "$dir/owner.pid" 2>/dev/null)" || continue
        [ -n "$pid" ] && [ -d "/proc/$pid" ] && continue
        if [ -f "$dir/data/postmaster.pid" ]; then
            owner="$(stat -c %U "$dir/data" 2>/dev/null)" || owner=""
            if [ "$(id -u)" -ne 0 ]; then
                (cd "$dir" && "$SIMPUL_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -s stop) \
                    >/dev/null 2>&1 || true
            elif [ -n "$owner" ] && [ "$owner" != root ]; then
                (cd "$dir" && runuser -u "$owner" -- "$SIMPUL_PG_BIN/pg_ctl" -D "$dir/data" \
                    -m immediate -s stop) >/dev/null 2>&1 || true
            fi
        fi
        rm -rf "$dir" 2>/dev/null || true
    done
}

simpul_pg_start() {
    if [ "${SIMPUL_TEST_POSTGRES:-on}" = off ]; then
        return 0
    fi
    # Idempotent: a second call in the same run keeps the server that is already up.
    if [ -n "$SIMPUL_PG_TMP" ] && [ -f "$SIMPUL_PG_TMP/data/postmaster.pid" ]; then
        return 0
    fi
    _simpul_pg_find || _simpul_pg_install
    _simpul_pg_pick_user
    _simpul_pg_reap_stale

    # Under /tmp, not $TMPDIR: root's TMPDIR may not be reachable by the server's user.
    SIMPUL_PG_TMP="$(mktemp -d /tmp/simpul-pg.XXXXXXXX)" \
        || simpul_pg_die "cannot create a temp dir under /tmp"
    echo "$$" > "$SIMPUL_PG_TMP/owner.pid"
    chmod 700 "$SIMPUL_PG_TMP"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$SIMPUL_PG_USER:" "$SIMPUL_PG_TMP" \
            || simpul_pg_die "cannot hand $SIMPUL_PG_TMP to user $SIMPUL_PG_USER"
    fi
    local data="$SIMPUL_PG_TMP/data" log="$SIMPUL_PG_TMP/server.log" locale=C
    _simpul_pg_c_utf8 && locale=C.UTF-8
    if ! _simpul_pg_as_user "$SIMPUL_PG_BIN/initdb" -D "$data" --auth=trust --username=simpul \
            -E UTF8 --locale="$locale" >"$SIMPUL_PG_TMP/initdb.log" 2>&1; then
        if [ "$locale" = C ]; then
            cat "$SIMPUL_PG_TMP/initdb.log" >&2
            simpul_pg_die "initdb failed (as user $SIMPUL_PG_USER, $SIMPUL_PG_BIN)"
        fi
        rm -rf "$data"
        _simpul_pg_as_user "$SIMPUL_PG_BIN/initdb" -D "$data" --auth=trust --username=simpul \
            -E UTF8 --locale=C >"$SIMPUL_PG_TMP/initdb.log" 2>&1 \
            || { cat "$SIMPUL_PG_TMP/initdb.log" >&2
                 simpul_pg_die "initdb failed (as user $SIMPUL_PG_USER, $SIMPUL_PG_BIN)"; }
    fi
    # fsync/synchronous_commit/full_page_writes off: a throw-away cluster, speed over
    # durability. No TCP except loopback; the unix socket stays inside the temp dir.
    cat >> "$data/postgresql.conf" <<EOF

# --- scripts/postgres.sh: throw-away test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SIMPUL_PG_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    # The free port can be taken between finding and binding it: try a few.
    local port="" attempt started=no
    for attempt in 1 2 3; do
        port="$(_simpul_pg_free_port)" || simpul_pg_die "cannot find a free port (python3?)"
        if _simpul_pg_as_user "$SIMPUL_PG_BIN/pg_ctl" -D "$data" -l "$log" -o "-p $port" \
                -w -t 60 -s start >/dev/null 2>&1; then
            started=yes
            break
        fi
    done
    if [ "$started" != yes ]; then
        tail -n 20 "$log" >&2 2>/dev/null || true
        simpul_pg_die "pg_ctl start failed (as user $SIMPUL_PG_USER, log above)"
    fi

    local createdb="$SIMPUL_PG_BIN/createdb"
    [ -x "$createdb" ] || createdb="$(command -v createdb)" \
        || simpul_pg_die "createdb not found next to $SIMPUL_PG_BIN/pg_ctl nor in PATH"
    "$createdb" -h 127.0.0.1 -p "$port" -U simpul simpul_test >"$SIMPUL_PG_TMP/createdb.log" 2>&1 \
        || { cat "$SIMPUL_PG_TMP/createdb.log" >&2
             simpul_pg_die "createdb simpul_test failed on 127.0.0.1:$port"; }

    export SIMPUL_TEST_POSTGRES_URL="postgresql+psycopg://simpul@127.0.0.1:$port/simpul_test"
    echo "simpul: PostgreSQL test server on 127.0.0.1:$port" >&2
}

# EXIT trap: stop the server and remove the temp dir, whatever happened. Never fails.
simpul_pg_stop() {
    [ -n "${SIMPUL_PG_TMP:-}" ] && [ -d "$SIMPUL_PG_TMP" ] || return 0
    if [ -f "$SIMPUL_PG_TMP/data/postmaster.pid" ] && [ -n "$SIMPUL_PG_BIN" ]; then
        _simpul_pg_as_user "$SIMPUL_PG_BIN/pg_ctl" -D "$SIMPUL_PG_TMP/data" -m fast -w -t 30 \
            -s stop >/dev/null 2>&1 \
        || _simpul_pg_as_user "$SIMPUL_PG_BIN/pg_ctl" -D "$SIMPUL_PG_TMP/data" -m immediate \
            -s stop >/dev/null 2>&1 \
        || echo "simpul: could not stop the PostgreSQL test server in $SIMPUL_PG_TMP" >&2
    fi
    rm -rf "$SIMPUL_PG_TMP" || true
    SIMPUL_PG_TMP=""
    return 0
}
