#!/usr/bin/env bash
# Cached Python environments for the nbgrader semester test (nbgrader-semester.test.ts) and for
# fixtures/make-ngshare06-data.sh. Idempotent; nothing is downloaded when the caches are current.
#   test/.cache/venv-nbgrader  : requirements-nbgrader.txt, then requirements-nbgrader-nodeps.txt
#                                with --no-deps (nbgrader 0.9 + ngshare_exchange, as on a real
#                                single-user image)
#   test/.cache/venv-ngshare06 : requirements-ngshare06.txt (the original ngshare 0.6)
# A venv is rebuilt only when the hash of its requirement files (+ Python version) changes.
# Called by scripts/setup-e2e.sh; can be run on its own. Environment: PYTHON (default python3).
set -euo pipefail

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$TEST_DIR/.cache"
PYTHON="${PYTHON:-python3}"
REVISION=2 # bump to force a rebuild
mkdir -p "$CACHE"
log() { printf '[nbgrader-setup] %s\n' "$*" >&2; }
t0=$(date +%s)
PYVER="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"

ensure() { # venv-dir import-check requirements-file [nodeps-file]
  local venv="$1" check="$2" req="$3" nodeps="${4:-}" want
  want="$(cat "$req" ${nodeps:+"$nodeps"} | sha256sum | cut -c1-32) $PYVER r$REVISION"
  if [ "$(cat "$venv/.req-hash" 2>/dev/null)" = "$want" ] && [ -x "$venv/bin/python" ]; then
    return
  fi
  log "creating ${venv#$TEST_DIR/} (cached until its requirement files change)"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  if [ -n "$nodeps" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$nodeps" >&2
  fi
  if [ "$venv" = "$CACHE/venv-nbgrader" ]; then
    # Speed only: jsonschema imports rfc3987_syntax (an optional extra pulled in through
    # jupyter_events) at startup, which builds a lark grammar and costs ~1.5 s per nbgrader command.
    # Without it jsonschema skips the "iri" format check; nothing in nbgrader depends on it.
    "$venv/bin/pip" uninstall --quiet --yes rfc3987-syntax lark >&2 || true
  fi
  USER=setup "$venv/bin/python" -c "$check" || { log "${venv#$TEST_DIR/} is broken"; exit 1; }
  echo "$want" > "$venv/.req-hash"
}

ensure "$CACHE/venv-nbgrader" 'import nbgrader, ngshare_exchange' "$TEST_DIR/requirements-nbgrader.txt" "$TEST_DIR/requirements-nbgrader-nodeps.txt"
ensure "$CACHE/venv-ngshare06" 'import ngshare.ngshare' "$TEST_DIR/requirements-ngshare06.txt"
log "ready in $(( $(date +%s) - t0 )) s"
