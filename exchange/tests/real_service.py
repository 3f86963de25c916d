"""The real ngshare-ts service (``node service/bin/ngshare.js`` of this checkout) in hub mode, on
127.0.0.1, with a small stand-in for JupyterHub's token check (``GET /hub/api/user``), so the
plugin's refusals are the service's own answers. Used by the ``real_service`` fixture.

The service must be built (``npm run build``); from an sdist without the checkout, or with no
``node``, the tests that need it are skipped.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICE_BIN = os.path.join(ROOT, "service", "bin", "ngshare.js")
PREFIX = "/services/ngshare/"
#: the stand-in hub answers 500 for this token: the service then says 503
HUB_FAILS = "hub-fails"
#: --max-body-size of the test service, in MiB
MAX_BODY_MIB = 2


def token_of(user):
    return "tok-" + user


def service_available():
    return shutil.which("node") is not None and os.path.isfile(
        os.path.join(ROOT, "service", "lib", "cli.js")
    )


class StandInHub:
    """``GET /hub/api/user``: token ``tok-<name>`` is user ``<name>``; anything else is refused."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                auth = self.headers.get("Authorization", "")
                token = auth[len("token "):] if auth.startswith("token ") else ""
                if self.path.rstrip("/") == "/hub/api":
                    self._send(200, {"version": "5.3.0-stand-in"})
                elif self.path == "/hub/api/user" and token == HUB_FAILS:
                    self._send(500, {"message": "stand-in failure"})
                elif self.path == "/hub/api/user" and token.startswith("tok-"):
                    name = token[len("tok-"):]
                    self._send(200, {"kind": "user", "name": name, "admin": False, "scopes": []})
                else:
                    self._send(403, {"message": "Invalid token"})

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.api_url = "http://127.0.0.1:{}/hub/api".format(self.server.server_port)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealService:
    """One service process with its own database and storage folder; ``admin`` is its admin."""

    def __init__(self):
        self.hub = StandInHub()
        self.dir = tempfile.mkdtemp(prefix="ngshare-ts-exchange-test-")
        port = free_port()
        self.url = "http://127.0.0.1:{}{}".format(port, PREFIX.rstrip("/"))
        env = dict(os.environ)
        env.update(
            JUPYTERHUB_API_TOKEN="service-token",
            JUPYTERHUB_SERVICE_NAME="ngshare",
        )
        env.pop("JUPYTERHUB_SERVICE_URL", None)
        self.log = open(os.path.join(self.dir, "service.log"), "wb")
        self.proc = subprocess.Popen(
            [
                "node", SERVICE_BIN,
                "--jupyterhub_api_url", self.hub.api_url,
                "--host", "127.0.0.1", "--port", str(port), "--prefix", PREFIX,
                "--database", "sqlite:///" + os.path.join(self.dir, "ngshare.db"),
                "--storage", os.path.join(self.dir, "files"),
                "--admins", "admin",
                "--max-body-size", str(MAX_BODY_MIB),
                "--auth-cache-ttl", "0",
            ],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while True:
            try:
                with urlopen(self.url + "/version", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.close()
                raise RuntimeError("the service did not start; see its log:\n" + self.log_text())
            time.sleep(0.2)

    def log_text(self):
        with open(os.path.join(self.dir, "service.log"), encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.hub.close()
        shutil.rmtree(self.dir, ignore_errors=True)
