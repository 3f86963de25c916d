"""The real `nbgrader` commands with this plugin, against the stand-in service."""

import base64
import os
import subprocess

import pytest

from nbgrader_run import BIN, assert_one_line_failure, run


def test_fetch_writes_the_released_files(tmp_path, service):
    files = [
        {"path": "p1.ipynb", "content": base64.encodebytes(b"{}").decode(), "checksum": "x"},
        {"path": "data/v.bin", "content": base64.b64encode(bytes(range(256))).decode()},
    ]
    service.route("GET", "/assignment/c1/ps1", 200, {"success": True, "files": files})
    r = run(tmp_path, service.url, "fetch_assignment", "ps1", "--course", "c1")
    assert r.returncode == 0, r.stdout + r.stderr
    dest = tmp_path / "home" / "ps1"
    assert (dest / "p1.ipynb").read_bytes() == b"{}"
    assert (dest / "data" / "v.bin").read_bytes() == bytes(range(256))


def test_not_released(tmp_path, service):
    service.route("GET", "/assignment/c1/ps1", 404, {"success": False, "message": "Assignment not found"})
    r = run(tmp_path, service.url, "fetch_assignment", "ps1", "--course", "c1")
    assert_one_line_failure(r, "assignment 'ps1' is not released in course 'c1'")


def test_not_a_member(tmp_path, service):
    service.route("GET", "/assignment/c1/ps1", 403, {"success": False, "message": "Permission denied"})
    r = run(tmp_path, service.url, "fetch_assignment", "ps1", "--course", "c1")
    assert_one_line_failure(r, "you (alice) are not a member of course 'c1'")


def test_token_missing(tmp_path, service):
    r = run(tmp_path, service.url, "list", token=None)
    assert_one_line_failure(r, "No JupyterHub API token")


def test_service_unreachable(tmp_path):
    r = run(tmp_path, "http://127.0.0.1:9/services/ngshare", "list")
    assert_one_line_failure(r, "cannot be reached")


def test_submit_refused_is_a_failure(tmp_path, service):
    (tmp_path / "home" / "ps1").mkdir(parents=True)
    (tmp_path / "home" / "ps1" / "p1.ipynb").write_text("{}")
    service.route("GET", "/assignment/c1/ps1", 200, {"success": True, "files": [{"path": "p1.ipynb"}]})
    service.route("POST", "/submission/c1/ps1", 404, {"success": False, "message": "Student not found"})
    r = run(tmp_path, service.url, "submit", "ps1", "--course", "c1")
    assert_one_line_failure(r, "you (alice) are not a student of course 'c1'")
    assert not (tmp_path / "home" / ".local" / "share" / "jupyter" / "nbgrader_cache" / "c1").exists() or not list(
        (tmp_path / "home" / ".local" / "share" / "jupyter" / "nbgrader_cache" / "c1").iterdir()
    )


def test_too_large(tmp_path, service):
    (tmp_path / "home" / "ps1").mkdir(parents=True)
    (tmp_path / "home" / "ps1" / "p1.ipynb").write_text("{}")
    service.route("GET", "/assignment/c1/ps1", 200, {"success": True, "files": [{"path": "p1.ipynb"}]})
    service.route("POST", "/submission/c1/ps1", 413, {"success": False, "message": "Request body is larger than this server accepts (100 MiB)"})
    r = run(tmp_path, service.url, "submit", "ps1", "--course", "c1")
    assert_one_line_failure(r, "Too large")


def test_course_management_failure_is_one_line(tmp_path, service):
    service.route("POST", "/course/c9", 403, {"success": False, "message": "Permission denied"})
    home = tmp_path / "home"
    run(tmp_path, service.url, "--version")  # writes the config
    r = subprocess.run(
        [os.path.join(BIN, "ngshare-course-management"), "create_course", "c9"],
        cwd=str(home), capture_output=True, text=True, timeout=60,
        env={"PATH": BIN + ":/usr/bin:/bin", "HOME": str(home), "USER": "alice",
             "JUPYTERHUB_API_TOKEN": "t"},
    )
    assert r.returncode == 255
    assert "Traceback" not in r.stderr
    assert "Cannot create course c9: Permission denied" in r.stderr


@pytest.mark.parametrize("sub", ["create_course", "add_instructor", "remove_instructor",
                                 "add_student", "add_students", "remove_students"])
def test_course_management_subcommands(sub):
    r = subprocess.run([os.path.join(BIN, "ngshare-course-management"), sub, "-h"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "COURSE_ID" in r.stdout


def test_unexpected_answer_is_one_line_not_a_traceback(tmp_path, service):
    """The catch-all: a success whose `files` is not a list (a broken proxy, a bug) is one line."""
    service.route("GET", "/assignment/c1/ps1", 200, {"success": True, "files": 5})
    r = run(tmp_path, service.url, "fetch_assignment", "ps1", "--course", "c1")
    assert_one_line_failure(r, "ExchangeFetchAssignment stopped on an unexpected error (TypeError")
