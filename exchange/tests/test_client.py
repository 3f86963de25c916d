import pytest

from ngshare_ts_exchange import client as api
from ngshare_ts_exchange.client import ServiceClient, ServiceError


def make(service, token="tok-123"):
    return ServiceClient(service.url, token=token, username="alice", timeout=(2, 5))


def test_success_sends_the_hub_token_and_user(service):
    service.route("POST", "/submission/c/ps1", 200, {"success": True, "timestamp": "t"})
    answer = make(service).post("/submission/c/ps1", {"files": "[]"})
    assert answer["timestamp"] == "t"
    method, path, headers, body = service.requests[-1]
    assert headers["Authorization"] == "token tok-123"
    assert b"user=alice" in body


def test_paths_are_quoted(service):
    service.route("GET", "/assignments/my%20course", 200, {"success": True, "assignments": []})
    assert make(service).get("/assignments/my course")["assignments"] == []


@pytest.mark.parametrize(
    "status,kind",
    [(403, api.FORBIDDEN), (404, api.NOT_FOUND), (409, api.REFUSED), (413, api.TOO_LARGE),
     (401, api.UNAUTHORIZED), (503, api.UNAVAILABLE)],
)
def test_refusals_carry_the_service_message(service, status, kind):
    service.route("GET", "/courses", status, {"success": False, "message": "Permission denied"})
    with pytest.raises(ServiceError) as err:
        make(service).get("/courses")
    assert err.value.kind == kind
    assert err.value.server_message == "Permission denied"
    assert "\n" not in str(err.value)


def test_non_json_answers(service):
    service.route("GET", "/courses", 502, b"<html>Bad gateway</html>")
    with pytest.raises(ServiceError) as err:
        make(service).get("/courses")
    assert err.value.kind == api.UNAVAILABLE
    assert "HTTP 502" in str(err.value)


def test_missing_token():
    with pytest.raises(ServiceError) as err:
        ServiceClient("http://127.0.0.1:9/x", token=None).get("/courses")
    assert err.value.kind == api.TOKEN_MISSING
    assert "JUPYTERHUB_API_TOKEN" in str(err.value)


def test_unreachable_service():
    with pytest.raises(ServiceError) as err:
        ServiceClient("http://127.0.0.1:9/services/ngshare", token="t", timeout=(2, 2)).get("/courses")
    assert err.value.kind == api.UNREACHABLE
    assert "cannot be reached" in str(err.value)


def test_no_url():
    with pytest.raises(ServiceError) as err:
        ServiceClient("", token="t")
    assert "configureExchange" in str(err.value)


BIG = {"files": "[" + '"' + "/" * (100 * 1024) + '"]'}


def content_type(service):
    return service.requests[-1][2]["Content-Type"]


def test_large_uploads_are_multipart_when_the_service_is_ngshare_ts(service):
    service.route("GET", "/version", 200, {"success": True, "name": "ngshare-ts", "version": "0"})
    service.route("POST", "/submission/c/ps1", 200, {"success": True, "timestamp": "t"})
    c = make(service)
    c.post("/submission/c/ps1", BIG)
    assert content_type(service).startswith("multipart/form-data")
    c.post("/submission/c/ps1", {"files": "[]"})  # small: form-encoded as ngshare_exchange does
    assert content_type(service) == "application/x-www-form-urlencoded"


def test_large_uploads_fall_back_to_form_encoding_elsewhere(service):
    """ngshare 0.6 has no /version (404 here): form encoding, which every ngshare reads."""
    service.route("POST", "/submission/c/ps1", 200, {"success": True, "timestamp": "t"})
    make(service).post("/submission/c/ps1", BIG)
    assert content_type(service) == "application/x-www-form-urlencoded"
    assert ("GET", "/services/ngshare/version") in [(m, p) for m, p, _, _ in service.requests]
