#!/usr/bin/env bash
# Builds docs/ as an HTML site with Sphinx and MyST (the Markdown files as they are, README.md as
# the start page) into build/docs-site/, and fails on any warning: a relative link to a missing
# page or file, a missing #anchor, a bad table or code block. Sphinx and myst-parser come from
# PyPI (pinned) into the cached venv test/.cache/docs-venv on the first run; nothing else is
# downloaded. `--external` also checks the external links (Sphinx's linkcheck; needs the
# network, so npm test leaves it out).
#   usage: npm run docs [-- --external]     then open build/docs-site/index.html
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPHINX_VERSION=9.0.4
MYST_VERSION=5.2.0
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/test/.cache/docs-venv"
OUT="$ROOT/build/docs-site"
log() { printf '[build-docs] %s\n' "$*" >&2; }

if ! "$VENV/bin/python" - "$SPHINX_VERSION" "$MYST_VERSION" 2>/dev/null <<'PY'
import sys, sphinx, myst_parser
sys.exit(sphinx.__version__ != sys.argv[1] or myst_parser.__version__ != sys.argv[2])
PY
then
  log "pip install sphinx==$SPHINX_VERSION myst-parser==$MYST_VERSION into ${VENV#$ROOT/} (first run only)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "sphinx==$SPHINX_VERSION" "myst-parser==$MYST_VERSION"
fi

rm -rf "$OUT" "$ROOT/build/docs-doctrees" # fresh: warnings of unchanged pages count too
# -W: warnings are errors; -n: every reference must resolve; -q: only problems are printed
"$VENV/bin/sphinx-build" -q -W --keep-going -n -b html -c "$ROOT/scripts/docs" \
  -d "$ROOT/build/docs-doctrees" "$ROOT/docs" "$OUT"
# the start page is docs/README.md (as on GitHub); index.html leads there
printf '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=README.html"><a href="README.html">ngshare-ts documentation</a>\n' \
  > "$OUT/index.html"
log "OK: $(find "$OUT" -name '*.html' | wc -l) pages in ${OUT#$ROOT/}/ (links and anchors checked)"
if [ "${1:-}" = "--external" ]; then
  "$VENV/bin/sphinx-build" -q -W --keep-going -b linkcheck -c "$ROOT/scripts/docs" \
    -d "$ROOT/build/docs-doctrees" "$ROOT/docs" "$ROOT/build/docs-linkcheck"
  log "OK: external links answer"
fi
