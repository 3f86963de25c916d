# ngshare-ts a second time, as "ngshare-scale" (/services/ngshare-scale/), on a PostgreSQL database
# and an S3 bucket of its own (SeaweedFS in the tests) and no folder at all: the deployment with no
# shared filesystem, on which the nbgrader semester runs once (nbgrader-semester.test.ts).
# Registered when test/harness/global-setup.ts made the database and bucket (scale-backend.ts),
# i.e. when NGSHARE_TEST_PG_URL and NGSHARE_TEST_S3_URL are set (scripts/test-all.sh).
# Provided by jupyterhub_config.py: c, settings, hub_major.
import socket

_scale = settings.get("scaleService")  # noqa: F821
if _scale:
    _sock = socket.socket()
    _sock.bind(("127.0.0.1", 0))
    _port = _sock.getsockname()[1]
    _sock.close()
    c.JupyterHub.services.append(  # noqa: F821
        {
            "name": _scale["name"],
            "url": "http://127.0.0.1:%d" % _port,
            "command": _scale["command"],
            "environment": _scale["environment"],
            "oauth_no_confirm": True,
        }
    )
