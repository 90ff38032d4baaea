# A throwaway PostgreSQL server for the test suite: initdb into a temporary
# directory, listen on 127.0.0.1 only (random free port, no Unix socket in
# shared places), trust auth for the local test user, removed on exit.
# Sourced by bin/test; defines start_test_postgres (sets PG_TEST_URL) and
# stop_test_postgres (the caller's exit trap).

pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    fi
    # Debian installs the server binaries off PATH, one folder per version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    return 1
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_test_postgres() {
    local bindir
    bindir=$(pg_bindir) || die "PostgreSQL server binaries not found (apt-get install -y postgresql)"
    PG_DIR=$(mktemp -d /tmp/phnews-pg.XXXXXX)
    PG_PORT=$(free_port)
    # PostgreSQL refuses to run as root: use the postgres system user then.
    local as=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (apt-get install -y postgresql)"
        chown postgres "$PG_DIR"
        as=(runuser -u postgres --)
    fi
    PG_AS=("${as[@]}")
    PG_CTL="$bindir/pg_ctl"
    "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
        { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    "${as[@]}" "$PG_CTL" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start >/dev/null || { cat "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
    PG_TEST_URL="postgres://postgres@127.0.0.1:$PG_PORT/phnews"
    say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

stop_test_postgres() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        "${PG_AS[@]}" "$PG_CTL" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
