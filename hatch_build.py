"""Hatch build hook for the ngshare-ts wheel.

* in a source checkout (``pip install .``, ``pip install git+URL``, ``python -m build``) it first
  builds the service and the labextension with Node.js and npm by running
  ``scripts/build-wheel.sh --stage-only`` (``npm ci`` when node_modules is missing, ``tsc``, the
  labextension build, production node_modules). Node.js is needed only at build time.
  scripts/build-wheel.sh, which stages first, sets NGSHARE_BUNDLE_STAGED=1 to skip this;
* force-includes the staged service (ngshare_ts/_service: service/lib + production
  node_modules, prepared by scripts/build-wheel.sh); it is git-ignored build output;
* maps the prebuilt labextension (ngshare_ts/labextension) and install.json to
  share/jupyter/labextensions/@ngshare-ts/labextension/;
* marks the wheel as platform-specific (native sqlite3 addon): py3-none-<platform>.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LABEXT_NAME = "@ngshare-ts/labextension"


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        pkg = root / "ngshare_ts"

        service = pkg / "_service"
        script = root / "scripts" / "build-wheel.sh"
        if os.environ.get("NGSHARE_BUNDLE_STAGED") != "1" and script.is_file():
            if not shutil.which("node") or not shutil.which("npm"):
                raise RuntimeError(
                    "Building ngshare-ts from source needs Node.js >= 20 and npm on PATH (only to "
                    "build: they compile the service and the JupyterLab extension). Install them, "
                    "e.g. `apt-get install nodejs npm`, and run pip again."
                )
            self.app.display_info("building the service and the labextension with npm")
            subprocess.run(["bash", str(script), "--stage-only"], cwd=root, check=True)
        if not (service / "service" / "lib" / "cli.js").is_file():
            raise RuntimeError(
                "ngshare_ts/_service/service/lib/cli.js is missing: install from a source checkout "
                "(pip install . or pip install git+URL) or build the wheel with "
                "scripts/build-wheel.sh; both build the service and stage its node_modules."
            )
        build_data["force_include"][str(service)] = "ngshare_ts/_service"

        labext = pkg / "labextension"
        dest = "share/jupyter/labextensions/" + LABEXT_NAME
        if (labext / "package.json").is_file():
            build_data["shared_data"][str(labext)] = dest
            if not (labext / "install.json").is_file():  # the extension build may write it
                build_data["shared_data"][str(pkg / "install.json")] = dest + "/install.json"
        elif os.environ.get("NGSHARE_ALLOW_NO_LABEXTENSION") == "1":
            self.app.display_warning(
                "ngshare_ts/labextension is missing; building WITHOUT the JupyterLab extension "
                "(NGSHARE_ALLOW_NO_LABEXTENSION=1)."
            )
        else:
            raise RuntimeError(
                "ngshare_ts/labextension/package.json is missing: run "
                "`npm run build -w @ngshare-ts/labextension` first, or set "
                "NGSHARE_ALLOW_NO_LABEXTENSION=1 to build a wheel without the extension."
            )

        plat = os.environ.get("NGSHARE_WHEEL_PLAT") or sysconfig.get_platform()
        plat = plat.replace("-", "_").replace(".", "_")
        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-" + plat
