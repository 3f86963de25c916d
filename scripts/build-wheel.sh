#!/usr/bin/env bash
# Build the ngshare-ts wheel: bundled Node service (service/lib + production node_modules,
# native sqlite3 included) + prebuilt JupyterLab extension as shared data.
#
# usage: scripts/build-wheel.sh [--no-npm-build] [--allow-missing-labextension] [--out DIR]
#
#   --no-npm-build                 don't run `npm run build` (use existing service/lib and
#                                  ngshare_ts/labextension, e.g. after the root `npm run build`)
#   --allow-missing-labextension   build a wheel without the labextension if it is not built
#   --out DIR                      where the wheel goes (default: dist/)
#
# Production dependencies are installed with `npm ci --omit=dev` into a staging copy of the
# workspace manifests (build/wheel-stage/), never into the repo's node_modules. npm runs are
# serialised with flock /tmp/ngshare-npm.lock (team rule). The native sqlite3 addon is copied
# from the repo's node_modules when it is the same version, else compiled in the staging dir.
# The Python build backend (hatchling) lives in a cached venv: test/.cache/build-venv.
# Environment: PYTHON (default python3), NGSHARE_WHEEL_PLAT (override the platform tag).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/dist"
NPM_BUILD=1
ALLOW_NO_LABEXT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-npm-build) NPM_BUILD=0 ;;
    --allow-missing-labextension) ALLOW_NO_LABEXT=1 ;;
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build-wheel: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

PYTHON="${PYTHON:-python3}"
STAGE="$ROOT/build/wheel-stage"
SERVICE_OUT="$ROOT/ngshare_ts/_service"
LABEXT_OUT="$ROOT/ngshare_ts/labextension"
BUILD_VENV="$ROOT/test/.cache/build-venv"
HATCHLING_REQ='hatchling>=1.18,<2'
NPM_LOCK=/tmp/ngshare-npm.lock
log() { printf '[build-wheel] %s\n' "$*" >&2; }
t0=$(date +%s)

cd "$ROOT"

# 1. Build the JavaScript parts ---------------------------------------------------------
if [ "$NPM_BUILD" = 1 ]; then
  log "npm run build -w @ngshare-ts/service"
  npm run build -w @ngshare-ts/service
  if node -e 'process.exit(require("./extension/package.json").scripts?.build ? 0 : 1)' 2>/dev/null; then
    log "npm run build -w @ngshare-ts/labextension"
    if ! npm run build -w @ngshare-ts/labextension; then
      [ "$ALLOW_NO_LABEXT" = 1 ] || { log "labextension build failed"; exit 1; }
      log "WARNING: labextension build failed; continuing (--allow-missing-labextension)"
    fi
  fi
fi
[ -f service/lib/cli.js ] || { log "service/lib/cli.js missing: run npm run build -w @ngshare-ts/service"; exit 1; }
if [ ! -f "$LABEXT_OUT/package.json" ]; then
  if [ "$ALLOW_NO_LABEXT" = 1 ]; then
    log "WARNING: $LABEXT_OUT not built; the wheel will NOT contain the JupyterLab extension"
    export NGSHARE_ALLOW_NO_LABEXTENSION=1
  else
    log "ngshare_ts/labextension is not built (npm run build -w @ngshare-ts/labextension)."
    log "Pass --allow-missing-labextension to build a service-only wheel."
    exit 1
  fi
fi

# 2. Production node_modules in a staging dir -------------------------------------------
log "staging production dependencies in ${STAGE#$ROOT/}"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp package.json package-lock.json "$STAGE/"
for ws in $(node -e 'console.log(require("./package.json").workspaces.join(" "))'); do
  mkdir -p "$STAGE/$ws"
  cp "$ws/package.json" "$STAGE/$ws/"
done
(
  cd "$STAGE"
  # --ignore-scripts: native addons are handled below; --omit=optional drops node-gyp & co.
  flock "$NPM_LOCK" npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
    --loglevel=error -w @ngshare-ts/service
)
# workspace links are not wanted in the bundle
rm -rf "$STAGE/node_modules/@ngshare-ts" "$STAGE/node_modules/.package-lock.json"

# 3. Native addons (sqlite3) --------------------------------------------------------------
while IFS= read -r gyp; do
  pkgdir="$(dirname "$gyp")"
  rel="${pkgdir#$STAGE/node_modules/}"
  ver="$(node -p "require('$pkgdir/package.json').version")"
  repo_pkg="$ROOT/node_modules/$rel"
  if [ -f "$repo_pkg/package.json" ] && [ "$(node -p "require('$repo_pkg/package.json').version")" = "$ver" ] \
     && compgen -G "$repo_pkg/build/Release/*.node" >/dev/null; then
    log "native addon $rel@$ver: reusing the build from the repo's node_modules"
    mkdir -p "$pkgdir/build/Release"
    cp "$repo_pkg"/build/Release/*.node "$pkgdir/build/Release/"
  else
    log "native addon $rel@$ver: compiling in the staging dir"
    (cd "$STAGE" && flock "$NPM_LOCK" npm rebuild --no-audit --no-fund "$rel")
  fi
  # keep only the compiled addon: drop sources, bundled sqlite tarball, object files
  find "$pkgdir/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  find "$pkgdir/build/Release" -mindepth 1 ! -name '*.node' -exec rm -rf {} +
  rm -rf "$pkgdir/deps" "$pkgdir/src"
  (cd "$pkgdir" && node -e "require('./package.json').main && require('.')") \
    || { log "native addon $rel does not load"; exit 1; }
done < <(find "$STAGE/node_modules" -maxdepth 3 -name binding.gyp -not -path '*/node-addon-api/*')

# 4. Slim the bundle (docs, typings, tests, source maps) ---------------------------------
find "$STAGE/node_modules" \( -name '*.md' -o -name '*.markdown' -o -name '*.d.ts' -o -name '*.d.mts' \
  -o -name '*.d.cts' -o -name '*.map' -o -name '*.ts.map' -o -name '.eslintrc*' -o -name '.prettierrc*' \
  -o -name '.travis.yml' -o -name '.editorconfig' -o -name 'tsconfig*.json' -o -name '*.gyp' -o -name '*.gypi' \) \
  -type f -delete
find "$STAGE/node_modules" -type d \( -name '.github' -o -name '__tests__' -o -name 'test' -o -name 'tests' \
  -o -name 'example' -o -name 'examples' -o -name 'benchmark' -o -name 'benchmarks' -o -name 'docs' \) \
  -prune -exec rm -rf {} +
# node-addon-api is only needed to compile the addon
rm -rf "$STAGE/node_modules/node-addon-api"

# 5. Assemble ngshare_ts/_service ---------------------------------------------------------
log "assembling ngshare_ts/_service"
rm -rf "$SERVICE_OUT"
mkdir -p "$SERVICE_OUT"
cp service/package.json "$SERVICE_OUT/"
for d in lib bin assets; do
  [ -e "service/$d" ] && cp -a "service/$d" "$SERVICE_OUT/$d"
done
find "$SERVICE_OUT/lib" \( -name '*.map' -o -name '*.d.ts' -o -name '*.tsbuildinfo' \) -type f -delete
mv "$STAGE/node_modules" "$SERVICE_OUT/node_modules"
# smoke test: the bundled service loads its dependencies (incl. the sqlite3 addon)
(cd "$SERVICE_OUT" && node -e "require('sqlite3'); require('knex')" ) \
  || { log "bundled node_modules are not loadable"; exit 1; }

# 6. Python build backend in a cached venv, then the wheel --------------------------------
if [ ! -x "$BUILD_VENV/bin/python" ] || ! "$BUILD_VENV/bin/python" -c 'import hatchling' 2>/dev/null; then
  log "creating build venv ${BUILD_VENV#$ROOT/}"
  rm -rf "$BUILD_VENV"
  "$PYTHON" -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/pip" install --quiet --disable-pip-version-check "$HATCHLING_REQ"
fi
mkdir -p "$OUT"
version="$(node -p 'require("./package.json").version')"
rm -f "$OUT"/ngshare_ts-"$version"-*.whl
log "building wheel"
"$BUILD_VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-build-isolation --no-deps \
  -w "$OUT" "$ROOT"
wheel="$(ls -t "$OUT"/ngshare_ts-"$version"-*.whl | head -1)"
size=$(stat -c %s "$wheel")
log "built $(basename "$wheel"): $((size / 1024)) KiB in $(( $(date +%s) - t0 )) s"
echo "$wheel"
