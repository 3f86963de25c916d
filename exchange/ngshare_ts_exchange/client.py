"""The service's REST API as one small client.

Every call either returns the decoded JSON envelope of a success or raises
:class:`ServiceError`, whose text is one sentence a user can act on. Nothing here
knows about nbgrader; the exchange classes add what the call was for.
"""

import json
import os
import re
from urllib.parse import quote

import requests

#: What ngshare_exchange (and this plugin) uses inside zero-to-jupyterhub when no URL is configured.
K8S_DEFAULT_URL = "http://proxy-public/services/ngshare"

# kinds of ServiceError
TOKEN_MISSING = "token-missing"
UNREACHABLE = "unreachable"
UNAVAILABLE = "unavailable"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
NOT_FOUND = "not-found"
TOO_LARGE = "too-large"
REFUSED = "refused"
BAD_ANSWER = "bad-answer"


class ServiceError(Exception):
    """A call the service refused, or that did not reach it. ``str(e)`` is one line."""

    def __init__(self, kind, message, status=None, server_message=None):
        super().__init__(message)
        self.kind = kind
        self.status = status
        #: the service's own ``message`` field, when it sent one
        self.server_message = server_message


def env_token():
    """The single-user server's hub token, as JupyterHub sets it."""
    return os.environ.get("JUPYTERHUB_API_TOKEN") or None


def env_username():
    """The hub user name: ``JUPYTERHUB_USER``, else ``USER`` (as ngshare_exchange reads it)."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("USER") or ""


def default_url():
    """The URL to use when none is configured, or None."""
    if "PROXY_PUBLIC_SERVICE_HOST" in os.environ:
        return K8S_DEFAULT_URL
    return None


def _reason(err):
    """'connection refused' out of requests' nested exception text."""
    text = str(err)
    m = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if m:
        return m.group(1).strip().rstrip(".").lower()
    m = re.search(r"(Name or service not known|Temporary failure in name resolution)", text)
    if m:
        return m.group(1).lower()
    return type(err).__name__


def _one_line(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ServiceClient:
    """Calls ``<base_url>/<path>`` with the hub token in ``Authorization: token …``."""

    def __init__(self, base_url, token=None, username="", timeout=(10.0, 600.0), session=None):
        if not base_url:
            raise ServiceError(
                UNREACHABLE,
                "No exchange URL is configured: add `configureExchange(c, "
                "'http://127.0.0.1:8000/services/ngshare')` (from ngshare_ts_exchange) "
                "to nbgrader_config.py",
            )
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.username = username
        self.timeout = timeout
        self.session = session or requests.Session()
        self._info = None

    def url(self, path):
        return self.base_url + quote(path, safe="/")

    # --- the calls --------------------------------------------------------------------------
    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, fields):
        return self.request("POST", path, fields=fields)

    def delete(self, path, fields=None):
        return self.request("DELETE", path, fields=fields)

    def request(self, method, path, params=None, fields=None):
        """One API call. ``fields`` go in the body (form-encoded, or multipart for big ones)."""
        if not self.token:
            raise ServiceError(
                TOKEN_MISSING,
                "No JupyterHub API token: JUPYTERHUB_API_TOKEN is not set (run nbgrader in a "
                "terminal of your JupyterHub server, or set it to a token the hub issued for you)",
            )
        headers = {"Authorization": "token " + self.token}
        kwargs = {"params": params, "headers": headers, "timeout": self.timeout}
        if fields is not None:
            fields = dict(fields)
            if self.username and "user" not in fields:
                fields["user"] = self.username  # what ngshare_exchange sends; ignored in hub mode
            if self.use_multipart(fields):
                # multipart keeps base64 as it is; form encoding turns each '+', '/', '=' into 3 bytes
                kwargs["files"] = {k: (None, v) for k, v in fields.items()}
            else:
                kwargs["data"] = fields
        try:
            response = self.session.request(method, self.url(path), allow_redirects=False, **kwargs)
        except requests.exceptions.Timeout:
            raise ServiceError(
                UNREACHABLE,
                "The exchange service at {} did not answer in time ({} s); try again, "
                "or check that the service is running".format(self.base_url, int(self.timeout[1])),
            ) from None
        except requests.exceptions.RequestException as err:
            raise ServiceError(
                UNREACHABLE,
                "The exchange service cannot be reached at {} ({}); check the URL given to "
                "configureExchange in nbgrader_config.py and that the service is running".format(
                    self.base_url, _reason(err)
                ),
            ) from None
        return self._envelope(response, path)

    def use_multipart(self, fields):
        """Multipart for uploads of real size to ngshare-ts (detected through ``/version``)."""
        size = sum(len(v) for v in fields.values() if isinstance(v, str))
        return size > 64 * 1024 and self.is_ngshare_ts()

    # --- what the service is ------------------------------------------------------------------
    def info(self):
        """``GET <base>/version`` of ngshare-ts, or {} for a service without it (ngshare 0.6)."""
        if self._info is None:
            self._info = {}
            try:
                r = self.session.get(self.url("/version"), timeout=self.timeout, allow_redirects=False)
                body = r.json() if r.status_code == 200 else {}
                if isinstance(body, dict) and body.get("success") is True and "name" in body:
                    self._info = body
            except (requests.exceptions.RequestException, ValueError):
                pass
        return self._info

    def is_ngshare_ts(self):
        return self.info().get("name") == "ngshare-ts"

    # --- answers -----------------------------------------------------------------------------
    def _envelope(self, response, path):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "success" not in body:
            raise self._non_json(status, path, response)
        if body.get("success") is True:
            return body
        message = _one_line(body.get("message") or "no reason given")
        if status == 401:
            raise ServiceError(
                UNAUTHORIZED,
                "The exchange service refused your hub token ({}); it is invalid or has expired: "
                "restart your server from the hub's control panel".format(message),
                status,
                message,
            )
        if status == 413:
            raise ServiceError(
                TOO_LARGE, "Too large for the exchange service: {}".format(message), status, message
            )
        if status in (502, 503, 504):
            raise ServiceError(
                UNAVAILABLE,
                "The exchange service is unavailable: {}".format(message),
                status,
                message,
            )
        if status == 403:
            return_kind = FORBIDDEN
        elif status == 404:
            return_kind = NOT_FOUND
        else:
            return_kind = REFUSED
        raise ServiceError(return_kind, message, status, message)

    def _non_json(self, status, path, response):
        where = self.base_url
        if status in (301, 302, 303, 307):
            return ServiceError(
                UNAUTHORIZED,
                "The exchange service at {} sent a login redirect instead of an answer: it did "
                "not accept your hub token (JUPYTERHUB_API_TOKEN)".format(where),
                status,
            )
        if status in (401, 403):
            return ServiceError(
                UNAUTHORIZED,
                "The exchange service at {} refused the request (HTTP {}): your hub token is "
                "missing, invalid or expired".format(where, status),
                status,
            )
        if status == 404:
            return ServiceError(
                UNREACHABLE,
                "No exchange service answers at {} (HTTP 404 for {}); check the URL given to "
                "configureExchange in nbgrader_config.py".format(where, path),
                status,
            )
        if status == 413:
            return ServiceError(
                TOO_LARGE,
                "Too large: the server in front of the exchange at {} refused the upload "
                "(HTTP 413)".format(where),
                status,
            )
        if status in (502, 503, 504):
            return ServiceError(
                UNAVAILABLE,
                "The exchange service at {} is not available (HTTP {}): it is stopped or "
                "restarting; try again shortly or ask your hub administrator".format(where, status),
                status,
            )
        if status >= 500:
            return ServiceError(
                UNAVAILABLE,
                "The exchange service at {} failed with HTTP {}; ask your hub administrator to "
                "look at its log".format(where, status),
                status,
            )
        return ServiceError(
            BAD_ANSWER,
            "The exchange service at {} answered HTTP {} without a JSON body: {}".format(
                where, status, _one_line(response.text, 120) or "(empty)"
            ),
            status,
        )


def dumps_files(entries):
    """The ``files`` field: a JSON list of ``{"path", "content"}`` (base64)."""
    return json.dumps(entries)
