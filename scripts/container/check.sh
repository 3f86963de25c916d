#!/usr/bin/env bash
# Checks the Containerfile. With a container builder that can pull the base images (buildah or
# podman), it builds the image and runs `ngshare --version` in it. Without one (no registry
# access, as on the CI machine), it runs the Containerfile's two stage scripts on this machine:
# scripts/container/build.sh into a scratch /opt/ngshare, install-runtime.sh into a scratch bin,
# then starts `ngshare` as UID 65535 (the image's USER) and checks /healthz. In both cases it checks
# what the Helm chart relies on: the entrypoint, the non-root user, the port, the image name.
#   usage: scripts/container/check.sh [--no-npm-build]   (after `npm run build`)
#   NGSHARE_CONTAINER_BUILDER=buildah|podman|none  (default: try buildah, then podman)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CF="$ROOT/Containerfile"
VALUES="$ROOT/helm/ngshare-ts/values.yaml"
log() { printf '[check-container] %s\n' "$*" >&2; }
fail() { printf '[check-container] FAIL: %s\n' "$*" >&2; exit 1; }
NO_NPM_BUILD=0
[ "${1:-}" = --no-npm-build ] && NO_NPM_BUILD=1

# --- what the chart relies on -------------------------------------------------------------
grep -qx 'ENTRYPOINT \["ngshare"\]' "$CF" || fail 'ENTRYPOINT ["ngshare"] missing'
grep -qx 'USER 65535:65535' "$CF" || fail 'USER 65535:65535 missing (non-root, the chart runAsUser)'
[ "$(grep -c '^FROM ' "$CF")" = 2 ] || fail "expected two stages (FROM lines)"
grep -q '^RUN bash scripts/container/build.sh /opt/ngshare$' "$CF" || fail "build stage script"
grep -q '^RUN sh /tmp/install-runtime.sh /opt/ngshare /usr/local/bin' "$CF" || fail "runtime stage script"
repo=$(sed -n '/^image:/,/^[a-z]/s/^  repository: *//p' "$VALUES" | tr -d "'\"")
version=$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")
grep -q "buildah bud -t $repo:$version " "$CF" || fail "Containerfile header does not name the chart's image $repo:$version"
grep -q "^  command: \['ngshare'\]" "$VALUES" || fail "chart image.command is not ['ngshare']"
grep -q "^containerPort: 8080" "$VALUES" || fail "chart containerPort is not the image's EXPOSE 8080"
grep -qx 'EXPOSE 8080' "$CF" || fail "EXPOSE 8080 missing"
log "Containerfile matches the chart: $repo:$version, entrypoint ngshare, USER 65535, port 8080"

# --- a real build, when a builder can pull the base images ---------------------------------
builder="${NGSHARE_CONTAINER_BUILDER:-}"
if [ -z "$builder" ]; then
  for b in buildah podman; do
    if command -v "$b" >/dev/null && timeout 60 "$b" pull -q docker.io/library/node:20-bookworm-slim >/dev/null 2>&1; then
      builder=$b
      break
    fi
  done
fi
if [ -n "$builder" ] && [ "$builder" != none ]; then
  log "building with $builder"
  tag="localhost/ngshare-ts-check:$version"
  if [ "$builder" = buildah ]; then buildah bud -q -t "$tag" -f "$CF" "$ROOT"; else podman build -q -t "$tag" -f "$CF" "$ROOT"; fi
  if [ "$builder" = buildah ]; then
    ctr=$(buildah from -q "$tag")
    out=$(buildah run "$ctr" -- ngshare --version)
    buildah rm "$ctr" >/dev/null
  else
    out=$(podman run --rm "$tag" --version)
  fi
  [ "$out" = "$version" ] || fail "image says version '$out', expected $version"
  log "OK: image $tag built, ngshare --version = $out"
  exit 0
fi
log "no container builder can pull docker.io here: running the stage scripts on this machine"

# --- the stage scripts, without a builder --------------------------------------------------
SCRATCH="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
chmod 755 "$SCRATCH"
if [ "$NO_NPM_BUILD" = 1 ]; then
  NGSHARE_STAGE_NO_NPM_BUILD=1 bash "$ROOT/scripts/container/build.sh" "$SCRATCH/opt/ngshare"
else
  bash "$ROOT/scripts/container/build.sh" "$SCRATCH/opt/ngshare"
fi
# nothing from the work tree may be needed at run time: the bundle is self-contained
[ ! -e "$SCRATCH/opt/ngshare/service/src" ] || fail "TypeScript sources in the bundle"
out=$(sh "$ROOT/scripts/container/install-runtime.sh" "$SCRATCH/opt/ngshare" "$SCRATCH/bin")
[ "$out" = "$version" ] || fail "install-runtime.sh: ngshare --version said '$out'"
mkdir -p "$SCRATCH/srv"
chown 65535:65535 "$SCRATCH/srv" 2>/dev/null || true
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
as_user=()
if [ "$(id -u)" = 0 ]; then as_user=(setpriv --reuid=65535 --regid=65535 --clear-groups); fi
(cd "$SCRATCH/srv" && exec "${as_user[@]}" env -i PATH="$SCRATCH/bin:$(dirname "$(command -v node)"):/usr/bin:/bin" \
  NODE_ENV=production ngshare --vngshare --host 127.0.0.1 --port "$port" \
  --database "sqlite:///$SCRATCH/srv/ngshare.db" --storage "$SCRATCH/srv/files" >"$SCRATCH/log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$SCRATCH/log" >&2; fail "ngshare exited"; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/api/version" | grep -q "\"version\":\"$version\"" || { cat "$SCRATCH/log" >&2; fail "no /api/version"; }
[ -f "$SCRATCH/srv/ngshare.db" ] || fail "no database written"
if [ "$(id -u)" = 0 ]; then
  [ "$(stat -c %u "$SCRATCH/srv/ngshare.db")" = 65535 ] || fail "the database is not owned by UID 65535"
fi
log "OK: stage scripts built a $(du -sh "$SCRATCH/opt/ngshare" | cut -f1) bundle; ngshare ran as UID $([ "$(id -u)" = 0 ] && echo 65535 || id -u) and served /healthz"
