# Shared by bin/run and bin/test: the project's virtualenv with the pinned
# requirements, created or brought up to date only when needed.
# Sourced from the project root; defines PY (the venv's python).

PROJECT_DIR=$(pwd)
VENV="$PROJECT_DIR/.venv"
PY="$VENV/bin/python"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ ! -x "$PY" ]; then
        local python
        python=$(find_python) || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)."
        say "creating $VENV with $python"
        "$python" -m venv "$VENV" || die "could not create the virtualenv (on Debian: apt-get install python3-venv)"
    fi
    # Reinstall only when requirements.txt changed since the last install.
    local stamp="$VENV/.requirements.sha256" wanted
    wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        say "installing pinned requirements"
        "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt ||
            die "pip could not install requirements.txt"
        echo "$wanted" > "$stamp"
    fi
}
