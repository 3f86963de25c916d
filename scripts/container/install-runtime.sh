#!/bin/sh
# Runtime stage of the Containerfile: put `ngshare` on PATH (BIN) for the bundle in DIR and check
# that it starts.
#   usage: install-runtime.sh DIR BIN
set -eu
DIR="$1"
BIN="$2"
mkdir -p "$BIN"
ln -sf "$DIR/service/bin/ngshare.js" "$BIN/ngshare"
chmod 0755 "$DIR/service/bin/ngshare.js"
"$BIN/ngshare" --version
