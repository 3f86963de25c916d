#!/usr/bin/env bash
# `pip install .` from a copy of the tracked files (what a fresh clone holds: no node_modules, no
# build output) into a clean venv, for pip-source-install.test.ts. The Python build (hatch_build.py)
# must run npm itself. Cached: redone only when a tracked file changes.
#   test/.cache/pip-source/src   the copy (git ls-files), then built in place by pip
#   test/.cache/pip-source/venv  the venv pip installed it into
#   test/.cache/pip-source/build.log, seconds.txt
# Called by scripts/setup-e2e.sh; can be run on its own. Environment: PYTHON (default python3).
set -euo pipefail

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$TEST_DIR/.." && pwd)"
OUT="$TEST_DIR/.cache/pip-source"
PYTHON="${PYTHON:-python3}"
REVISION=1 # bump to force a rebuild
log() { printf '[pip-source-setup] %s\n' "$*" >&2; }

cd "$ROOT"
# tracked files that exist in the work tree (a deleted, not yet committed file is skipped)
files() { git ls-files -z | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done; }
want="$(files | xargs -0 sha256sum | sha256sum | cut -c1-32) r$REVISION"
if [ "$(cat "$OUT/.hash" 2>/dev/null)" = "$want" ] && [ -x "$OUT/venv/bin/ngshare" ]; then
  exit 0
fi
log "pip install . from a copy of the tracked files (cached until a tracked file changes)"
rm -rf "$OUT"
mkdir -p "$OUT/src"
files | tar --null -T - -cf - | tar -xf - -C "$OUT/src"
"$PYTHON" -m venv "$OUT/venv"
t0=$(date +%s)
if ! "$OUT/venv/bin/pip" install --disable-pip-version-check -v "$OUT/src" > "$OUT/build.log" 2>&1; then
  tail -n 60 "$OUT/build.log" >&2
  log "pip install . failed (log: ${OUT#$ROOT/}/build.log)"
  exit 1
fi
echo $(($(date +%s) - t0)) > "$OUT/seconds.txt"
log "pip install . took $(cat "$OUT/seconds.txt") s"
echo "$want" > "$OUT/.hash"
