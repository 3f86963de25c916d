#!/usr/bin/env bash
# Build stage of the Containerfile: compile the service and stage it with its production
# node_modules (scripts/build-wheel.sh --stage-only), then copy the bundle to DEST.
#   usage: scripts/container/build.sh DEST
set -euo pipefail
DEST="${1:?usage: build.sh DEST}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
args=(--stage-only --allow-missing-labextension) # the image needs no labextension
# after `npm run build` (scripts/container/check.sh --no-npm-build): reuse service/lib
[ "${NGSHARE_STAGE_NO_NPM_BUILD:-0}" = 1 ] && args+=(--no-npm-build)
bash "$ROOT/scripts/build-wheel.sh" "${args[@]}"
rm -rf "$DEST"
mkdir -p "$DEST"
cp -a "$ROOT/ngshare_ts/_service/." "$DEST/"
echo "[container-build] service bundle in $DEST ($(du -sh "$DEST" | cut -f1))" >&2
