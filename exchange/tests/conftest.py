"""Shared fixtures: a small in-memory stand-in of the service's REST API on 127.0.0.1, and a
jest-shaped summary for scripts/sum-results.js when NGSHARE_PYTEST_JSON names a file."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class FakeService:
    """Answers ``routes[(method, path)] = (status, body)``; records every request."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                service.requests.append((self.command, self.path, dict(self.headers), body))
                status, answer = service.routes.get(
                    (self.command, path), (404, {"success": False, "message": "Not found"})
                )
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}/services/ngshare".format(self.server.server_port)
        prefix = "/services/ngshare"
        self.prefix = prefix
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def route(self, method, path, status, body):
        self.routes[(method, self.prefix + path)] = (status, body)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    s = FakeService()
    yield s
    s.close()


@pytest.fixture(scope="session")
def real_service():
    """The real ngshare-ts service of this checkout (see real_service.py), shared by the session."""
    from real_service import RealService, service_available

    if not service_available():
        pytest.skip("the service is not built here (npm run build) or node is missing")
    s = RealService()
    yield s
    s.close()


@pytest.fixture
def hub_env(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "tok-123")
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    monkeypatch.delenv("PROXY_PUBLIC_SERVICE_HOST", raising=False)


_counts = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _counts[report.outcome] = _counts.get(report.outcome, 0) + 1


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("NGSHARE_PYTEST_JSON")
    if out:
        with open(out, "w") as fh:
            json.dump(
                {
                    "numPassedTests": _counts["passed"],
                    "numFailedTests": _counts["failed"] + (1 if exitstatus not in (0, 1) else 0),
                    "numPendingTests": _counts["skipped"],
                    "testResults": [],
                },
                fh,
            )
