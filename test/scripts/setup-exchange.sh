#!/usr/bin/env bash
# Cached environment for the exchange plugin (exchange/, distribution ngshare-ts-exchange):
#   test/.cache/exchange-dist/ : the plugin's sdist + wheel, built with `python -m build exchange`
#                                (rebuilt when exchange/ changes)
#   test/.cache/venv-exchange  : a clean venv with a plain `pip install nbgrader <wheel>` (no
#                                --no-deps, as the docs tell admins) + pytest, checked with
#                                `pip check`; rebuilt when requirements-exchange.txt or the Python
#                                version changes, the plugin reinstalled when its wheel changes.
# Called by scripts/setup-e2e.sh and by scripts/test-all.sh's "exchange plugin tests" stage;
# idempotent, nothing is downloaded when the caches are current. Environment: PYTHON (python3).
set -euo pipefail

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(dirname "$TEST_DIR")"
CACHE="$TEST_DIR/.cache"
PYTHON="${PYTHON:-python3}"
REVISION=1 # bump to force a rebuild
VENV="$CACHE/venv-exchange"
DIST="$CACHE/exchange-dist"
mkdir -p "$CACHE"
log() { printf '[exchange-setup] %s\n' "$*" >&2; }
t0=$(date +%s)
PYVER="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
pip() { "$VENV/bin/pip" --disable-pip-version-check "$@"; }

# 1. the venv: nbgrader's side of a single-user image, plus pytest and `build`
want="$(sha256sum < "$TEST_DIR/requirements-exchange.txt" | cut -c1-32) $PYVER r$REVISION"
if [ "$(cat "$VENV/.req-hash" 2>/dev/null)" != "$want" ] || [ ! -x "$VENV/bin/python" ]; then
  log "creating ${VENV#$ROOT/} (cached until requirements-exchange.txt changes)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  pip install --quiet --upgrade pip >&2
  # `build` goes into its own folder, so the venv holds nothing the plugin does not bring
  pip install --quiet --target "$CACHE/exchange-build-tool" 'build>=1,<2' >&2
  rm -f "$DIST/.hash"
  echo "$want" > "$VENV/.req-hash.pending"
fi

# 2. the plugin's sdist and wheel, from exchange/ (python -m build, isolated build env)
src_hash="$(cd "$ROOT/exchange" && find . -type f ! -path '*/__pycache__/*' ! -path './dist/*' \
  ! -path './build/*' ! -name '*.pyc' ! -path '*.egg-info*' ! -path './.pytest_cache/*' -print0 |
  sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)"
if [ "$(cat "$DIST/.hash" 2>/dev/null)" != "$src_hash" ] || ! compgen -G "$DIST/*.whl" >/dev/null; then
  log "building the ngshare-ts-exchange wheel (python -m build exchange)"
  rm -rf "$DIST"
  PYTHONPATH="$CACHE/exchange-build-tool" "$VENV/bin/python" -m build --outdir "$DIST" "$ROOT/exchange" >/dev/null
  rm -rf "$ROOT/exchange/build" "$ROOT/exchange/"*.egg-info
  echo "$src_hash" > "$DIST/.hash"
  rm -f "$VENV/.wheel-hash"
fi
WHEEL="$(ls "$DIST"/ngshare_ts_exchange-*.whl | head -1)"

# 3. install: the plain way on a fresh venv; on a wheel change, replace only the plugin
if [ -f "$VENV/.req-hash.pending" ]; then
  log "pip install -r requirements-exchange.txt $(basename "$WHEEL") (with dependencies)"
  pip install --quiet -r "$TEST_DIR/requirements-exchange.txt" "$WHEEL" >&2
  mv "$VENV/.req-hash.pending" "$VENV/.req-hash"
  echo "$src_hash" > "$VENV/.wheel-hash"
elif [ "$(cat "$VENV/.wheel-hash" 2>/dev/null)" != "$src_hash" ]; then
  log "reinstalling $(basename "$WHEEL") into ${VENV#$ROOT/}"
  pip uninstall --quiet --yes ngshare-ts-exchange >&2
  pip install --quiet "$WHEEL" >&2
  echo "$src_hash" > "$VENV/.wheel-hash"
fi
pip check >&2 || { log "pip check failed in ${VENV#$ROOT/}"; exit 1; }
USER=setup "$VENV/bin/python" -c 'import nbgrader, ngshare_ts_exchange' ||
  { log "${VENV#$ROOT/} is broken"; exit 1; }
log "ready in $(( $(date +%s) - t0 )) s"
