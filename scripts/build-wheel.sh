#!/usr/bin/env bash
# Build the ngshare-ts wheel: bundled Node service (service/lib + production node_modules,
# native sqlite3 included) + prebuilt JupyterLab extension as shared data.
#
# usage: scripts/build-wheel.sh [--no-npm-build] [--allow-missing-labextension] [--out DIR]
#        scripts/build-wheel.sh --stage-only
#
#   --no-npm-build                 don't run `npm run build` (use existing service/lib and
#                                  ngshare_ts/labextension, e.g. after the root `npm run build`)
#   --allow-missing-labextension   build a wheel without the labextension if it is not built
#   --out DIR                      where the wheel goes (default: dist/)
#   --stage-only                   build and stage ngshare_ts/_service and the labextension, no
#                                  wheel: what `pip install .` runs through hatch_build.py (it
#                                  also runs `npm ci` first when node_modules is missing)
#
# Production dependencies are installed with `npm ci --omit=dev` into a staging copy of the
# workspace manifests (build/wheel-stage/), never into the repo's node_modules. npm runs are
# serialised with flock /tmp/ngshare-npm.lock (team rule). The native sqlite3 addon is copied
# from the repo's node_modules when it is the same version, else compiled in the staging dir.
# The Python build backend (hatchling) lives in a cached venv: test/.cache/build-venv.
# On Linux the wheel is retagged manylinux_2_NN (auditwheel show) so that PyPI takes it.
# Environment: PYTHON (default python3), NGSHARE_WHEEL_PLAT (set the platform tag, no retag),
# NGSHARE_WHEEL_REBUILD_NATIVE=1 (always compile native addons in the staging dir).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/dist"
NPM_BUILD=1
ALLOW_NO_LABEXT=0
STAGE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-npm-build) NPM_BUILD=0 ;;
    --allow-missing-labextension) ALLOW_NO_LABEXT=1 ;;
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --stage-only) STAGE_ONLY=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
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
# auditwheel names the manylinux tag the native addon allows; wheel retags the file with it
RETAG_REQ=('auditwheel>=6,<7' 'wheel>=0.40,<1')
NPM_LOCK=/tmp/ngshare-npm.lock
log() { printf '[build-wheel] %s\n' "$*" >&2; }
t0=$(date +%s)

cd "$ROOT"
command -v node >/dev/null && command -v npm >/dev/null || {
  log "Node.js (>= 20) and npm are needed to build ngshare-ts from source (only to build; the"
  log "installed package runs on any Node.js >= 20, or on the [node] extra's)."
  exit 1
}

# 0. npm dependencies (a fresh clone, e.g. pip install git+URL) -----------------------------
if [ "$NPM_BUILD" = 1 ] && [ ! -d node_modules/typescript ]; then
  log "npm ci (build dependencies of the service and the labextension)"
  flock "$NPM_LOCK" npm ci --no-audit --no-fund --loglevel=error --include-workspace-root \
    -w @ngshare-ts/service -w @ngshare-ts/labextension
fi

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
# A copy of the workspace root restricted to the service workspace: the lock is filtered so that
# the other workspaces (whose manifests may be ahead of the lock while teammates work) don't matter.
mkdir -p "$STAGE/service"
cp service/package.json "$STAGE/service/"
node - "$STAGE" <<'NODE'
const fs = require('fs');
const path = require('path');
const stage = process.argv[2];
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const others = pkg.workspaces.filter(w => w !== 'service');
pkg.workspaces = ['service'];
delete pkg.scripts;
const root = lock.packages[''];
root.workspaces = ['service'];
for (const key of Object.keys(lock.packages)) {
  const entry = lock.packages[key];
  const linksOther = entry.link && others.includes(entry.resolved);
  if (others.some(w => key === w || key.startsWith(w + '/')) || linksOther) {
    delete lock.packages[key];
  }
}
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
fs.writeFileSync(path.join(stage, 'package-lock.json'), JSON.stringify(lock, null, 2));
NODE
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
  rel="${pkgdir#$STAGE/}"
  name="$(node -p "require('$pkgdir/package.json').name")"
  ver="$(node -p "require('$pkgdir/package.json').version")"
  repo_pkg="$ROOT/$rel"
  if [ "${NGSHARE_WHEEL_REBUILD_NATIVE:-0}" != 1 ] && [ -f "$repo_pkg/package.json" ] && [ "$(node -p "require('$repo_pkg/package.json').version")" = "$ver" ] \
     && compgen -G "$repo_pkg/build/Release/*.node" >/dev/null; then
    log "native addon $name@$ver: reusing the build from the repo's $rel"
    mkdir -p "$pkgdir/build/Release"
    cp "$repo_pkg"/build/Release/*.node "$pkgdir/build/Release/"
  else
    log "native addon $name@$ver: compiling in the staging dir"
    (cd "$STAGE" && flock "$NPM_LOCK" npm rebuild --no-audit --no-fund "$name")
  fi
  # keep only the compiled addon: drop sources, bundled sqlite tarball, object files
  find "$pkgdir/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  find "$pkgdir/build/Release" -mindepth 1 ! -name '*.node' -exec rm -rf {} +
  rm -rf "$pkgdir/deps" "$pkgdir/src"
  (cd "$pkgdir" && node -e "require('.')") || { log "native addon $name does not load"; exit 1; }
done < <(find "$STAGE/node_modules" "$STAGE/service" -maxdepth 4 -name binding.gyp -not -path '*/node-addon-api/*')

# 4. Slim the bundle (docs, typings, tests, source maps) ---------------------------------
find "$STAGE/node_modules" "$STAGE/service" \( -name '*.md' -o -name '*.markdown' -o -name '*.d.ts' -o -name '*.d.mts' \
  -o -name '*.d.cts' -o -name '*.map' -o -name '*.ts.map' -o -name '.eslintrc*' -o -name '.prettierrc*' \
  -o -name '.travis.yml' -o -name '.editorconfig' -o -name 'tsconfig*.json' -o -name '*.gyp' -o -name '*.gypi' \) \
  -type f -delete
find "$STAGE/node_modules" "$STAGE/service" -type d \( -name '.github' -o -name '__tests__' -o -name 'test' -o -name 'tests' \
  -o -name 'example' -o -name 'examples' -o -name 'benchmark' -o -name 'benchmarks' -o -name 'docs' \) \
  -prune -exec rm -rf {} +
# node-addon-api is only needed to compile the addon
rm -rf "$STAGE/node_modules/node-addon-api"

# 5. Assemble ngshare_ts/_service ---------------------------------------------------------
log "assembling ngshare_ts/_service"
# Same layout as the workspace: _service/node_modules (hoisted) + _service/service/{lib,...,node_modules}
# (packages npm nested under the workspace because their versions differ from the hoisted ones).
rm -rf "$SERVICE_OUT"
mkdir -p "$SERVICE_OUT/service"
cp service/package.json "$SERVICE_OUT/service/"
for d in lib bin assets; do
  if [ -e "service/$d" ]; then cp -a "service/$d" "$SERVICE_OUT/service/$d"; fi
done
find "$SERVICE_OUT/service/lib" \( -name '*.map' -o -name '*.d.ts' -o -name '*.tsbuildinfo' \
  -o -name '*.test.js' \) -type f -delete
find "$SERVICE_OUT/service/lib" -type d \( -name '__tests__' -o -name 'test-support' \) -prune -exec rm -rf {} +
mv "$STAGE/node_modules" "$SERVICE_OUT/node_modules"
if [ -d "$STAGE/service/node_modules" ]; then
  mv "$STAGE/service/node_modules" "$SERVICE_OUT/service/node_modules"
fi
# smoke test: every production dependency of the service resolves from the bundle
(cd "$SERVICE_OUT/service" && node -e '
  const deps = Object.keys(require("./package.json").dependencies || {});
  for (const d of deps) require.resolve(d, { paths: [__dirname + "/lib"] });
  require("sqlite3");
  console.error("[build-wheel] bundle resolves " + deps.length + " dependencies");
') || { log "bundled node_modules are incomplete"; exit 1; }

if [ "$STAGE_ONLY" = 1 ]; then
  log "staged ngshare_ts/_service and ngshare_ts/labextension in $(( $(date +%s) - t0 )) s"
  exit 0
fi

# 6. Python build backend in a cached venv, then the wheel --------------------------------
if [ ! -x "$BUILD_VENV/bin/python" ] || ! "$BUILD_VENV/bin/python" -c 'import hatchling, auditwheel, wheel' 2>/dev/null; then
  log "creating build venv ${BUILD_VENV#$ROOT/}"
  rm -rf "$BUILD_VENV"
  "$PYTHON" -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/pip" install --quiet --disable-pip-version-check "$HATCHLING_REQ" "${RETAG_REQ[@]}"
fi
mkdir -p "$OUT"
version="$(node -p 'require("./package.json").version')"
rm -f "$OUT"/ngshare_ts-"$version"-*.whl
log "building wheel"
NGSHARE_BUNDLE_STAGED=1 "$BUILD_VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-build-isolation --no-deps \
  -w "$OUT" "$ROOT"
wheel="$(ls -t "$OUT"/ngshare_ts-"$version"-*.whl | head -1)"

# 7. manylinux tag ----------------------------------------------------------------------------
# The wheel is built with this machine's platform tag (linux_x86_64), which PyPI refuses and pip
# only takes from a file. auditwheel reads the glibc/libstdc++ symbol versions the sqlite3 addon
# needs and names the manylinux tag that promises them (manylinux_2_34_x86_64 when built on
# Debian 12): pip then installs it on any Linux with that glibc or newer.
if [ -z "${NGSHARE_WHEEL_PLAT:-}" ] && [[ "$(basename "$wheel")" == *-linux_* ]]; then
  shown="$("$BUILD_VENV/bin/auditwheel" show "$wheel" 2>&1)" || { log "auditwheel show failed:"; echo "$shown" >&2; exit 1; }
  tag="$(printf '%s' "$shown" | tr '\n' ' ' | sed -n 's/.*following platform tag: *"\([^"]*\)".*/\1/p')"
  case "$tag" in
    manylinux_*)
      log "retagging as $tag (auditwheel show)"
      "$BUILD_VENV/bin/python" -m wheel tags --remove --platform-tag "$tag" "$wheel" >/dev/null
      wheel="$(ls -t "$OUT"/ngshare_ts-"$version"-*.whl | head -1)"
      ;;
    *) log "WARNING: auditwheel names no manylinux tag; keeping $(basename "$wheel")"; echo "$shown" >&2 ;;
  esac
fi
size=$(stat -c %s "$wheel")
log "built $(basename "$wheel"): $((size / 1024)) KiB in $(( $(date +%s) - t0 )) s"
echo "$wheel"
