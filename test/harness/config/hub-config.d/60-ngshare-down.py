# "ngshare-down": an exchange service that is registered with the hub but whose process is not
# running (its port is closed), for the browser tests of a stopped exchange (browser-states.test.ts):
# the proxy answers /services/ngshare-down/ with the hub's 503 error page, exactly what students
# see while the real service is stopped. Only on the shared hub (work folder runs/main-*).
# Provided by jupyterhub_config.py: c, settings, hub_major.
import socket
from pathlib import Path

if Path(settings["workDir"]).name.startswith("main-"):  # noqa: F821
    _sock = socket.socket()
    _sock.bind(("127.0.0.1", 0))
    _down_port = _sock.getsockname()[1]
    _sock.close()  # nothing listens there from now on
    c.JupyterHub.services.append(  # noqa: F821
        {"name": "ngshare-down", "url": "http://127.0.0.1:%d" % _down_port}
    )
