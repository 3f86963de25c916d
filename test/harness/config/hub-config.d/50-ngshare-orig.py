# The original ngshare 0.6 as a second managed service, "ngshare-orig" (/services/ngshare-orig/),
# next to ngshare-ts, for the side-by-side nbgrader semester (nbgrader-semester.test.ts).
# Only on the shared hub (work folder runs/main-*) and only when test/.cache/venv-ngshare06 exists
# (scripts/setup-nbgrader.sh). Its data lives in <workDir>/ngshare-orig/. It runs in real hub mode
# (tokens resolved with GET $JUPYTERHUB_API_URL/user) through test/fixtures/ngshare06_launch.py,
# which binds it to 127.0.0.1.
# Provided by jupyterhub_config.py: c, settings, hub_major.
import socket
from pathlib import Path

_test_dir = Path(__file__).resolve().parents[3]
_python = _test_dir / ".cache" / "venv-ngshare06" / "bin" / "python"
_work = Path(settings["workDir"])  # noqa: F821

if _python.exists() and _work.name.startswith("main-"):
    _sock = socket.socket()
    _sock.bind(("127.0.0.1", 0))
    _port = _sock.getsockname()[1]
    _sock.close()
    _data = _work / "ngshare-orig"
    _data.mkdir(parents=True, exist_ok=True)
    _cmd = settings["ngshareCommand"]  # noqa: F821
    _admins = _cmd[_cmd.index("--admins") + 1] if "--admins" in _cmd else "admin"
    c.JupyterHub.services.append(  # noqa: F821
        {
            "name": "ngshare-orig",
            "url": "http://127.0.0.1:%d" % _port,
            "command": [
                str(_python),
                str(_test_dir / "fixtures" / "ngshare06_launch.py"),
                "--admins",
                _admins,
                "--database",
                "sqlite:///" + str(_data / "ngshare.db"),
                "--storage",
                str(_data / "files"),
            ],
            "oauth_no_confirm": True,
        }
    )
