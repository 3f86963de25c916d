"""The real `nbgrader` commands with this plugin against the real ngshare-ts service (hub mode, a
stand-in hub for the token check; see real_service.py): every refusal ends the command with a
non-zero exit and one line naming the cause, and large files go as multipart."""

import json
import os
import subprocess
import uuid

import pytest

from ngshare_ts_exchange import client as api
from ngshare_ts_exchange.client import ServiceClient, ServiceError
from nbgrader_run import BIN, assert_one_line_failure, run
from real_service import HUB_FAILS, MAX_BODY_MIB, free_port, token_of

#: 1 MiB of 0xff: its base64 is all '/', which form encoding triples (%2F) to 4 MiB, over the
#: test service's 2 MiB limit; as multipart it stays 1.4 MiB
SLASHY = b"\xff" * (1024 * 1024)


def client(svc, user):
    return ServiceClient(svc.url, token=token_of(user), username=user, timeout=(5, 60))


@pytest.fixture(scope="module")
def course(real_service):
    """Course with instructor `teach`, student `alice`; `bob` has a hub account only."""
    cid = "c-" + uuid.uuid4().hex[:8]
    client(real_service, "admin").post("/course/" + cid, {"instructors": '["teach"]'})
    client(real_service, "teach").post(
        "/student/{}/alice".format(cid), {"first_name": "A", "last_name": "L", "email": "a@x"}
    )
    return cid


def instructor_home(tmp_path, assignment, files):
    """`teach`'s home with an nbgrader course folder whose release/<assignment> holds `files`."""
    home = tmp_path / "teach"
    root = home / "course"
    for rel, data in files.items():
        target = root / "release" / assignment / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    return home, root


def write_instructor_config(home, root, cid, url):
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        "c = get_config()\nfrom ngshare_ts_exchange import configureExchange\n"
        "configureExchange(c, {!r})\nc.CourseDirectory.root = {!r}\n"
        "c.CourseDirectory.course_id = {!r}\n".format(url, str(root), cid)
    )


def teach(tmp_path, svc, cid, root, *args):
    """`nbgrader *args` as the instructor, in the course folder (config written by run())."""
    home = root.parent
    env = {"PATH": BIN + os.pathsep + "/usr/bin:/bin", "HOME": str(home), "USER": "teach",
           "JUPYTERHUB_USER": "teach", "JUPYTERHUB_API_TOKEN": token_of("teach"),
           "PYTHONWARNINGS": "ignore"}
    write_instructor_config(home, root, cid, svc.url)
    return subprocess.run([os.path.join(BIN, "nbgrader"), *args], cwd=str(root), env=env,
                          capture_output=True, text=True, timeout=120)


def alice(tmp_path, svc, *args, **kw):
    return run(tmp_path, svc.url, *args, user="alice", home=tmp_path / "alice",
               token=kw.pop("token", token_of("alice")), **kw)


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_semester_round_trip_with_a_large_binary_file(tmp_path, real_service, course):
    """release -> fetch -> submit (a file whose upload fits only as multipart) -> collect."""
    nb = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    _, root = instructor_home(tmp_path, "big", {"p1.ipynb": nb})
    ok(teach(tmp_path, real_service, course, root, "release_assignment", "big"))
    ok(alice(tmp_path, real_service, "fetch_assignment", "big", "--course", course))
    work = tmp_path / "alice" / "big"
    assert (work / "p1.ipynb").read_bytes() == nb
    (work / "data").mkdir()
    (work / "data" / "blob.bin").write_bytes(SLASHY)
    r = ok(alice(tmp_path, real_service, "submit", "big", "--course", course))
    assert "Submitted as: {} big ".format(course) in r.stdout + r.stderr
    ok(teach(tmp_path, real_service, course, root, "collect", "big"))
    got = root / "submitted" / "alice" / "big"
    assert (got / "data" / "blob.bin").read_bytes() == SLASHY
    assert (got / "p1.ipynb").read_bytes() == nb


def test_form_encoding_of_the_same_upload_is_too_large(real_service, course):
    """What multipart avoids: the same files form-encoded exceed the service's limit (413)."""
    import base64
    import json

    c = client(real_service, "teach")
    c._info = {}  # as for a service without /version (ngshare 0.6): no multipart
    files = json.dumps([{"path": "blob.bin", "content": base64.b64encode(SLASHY).decode()}])
    assert not c.use_multipart({"files": files})
    with pytest.raises(ServiceError) as err:
        c.post("/assignment/{}/formenc".format(course), {"files": files})
    assert err.value.kind in (api.TOO_LARGE, api.UNREACHABLE)
    c2 = client(real_service, "teach")
    assert c2.use_multipart({"files": files})
    assert c2.post("/assignment/{}/formenc".format(course), {"files": files})["success"] is True


def test_not_a_member(tmp_path, real_service, course):
    _, root = instructor_home(tmp_path, "ps1", {"p1.ipynb": b"{}"})
    ok(teach(tmp_path, real_service, course, root, "release_assignment", "ps1", "--force"))
    r = run(tmp_path, real_service.url, "fetch_assignment", "ps1", "--course", course,
            user="bob", home=tmp_path / "bob", token=token_of("bob"))
    assert_one_line_failure(r, "you (bob) are not a member of course '{}'".format(course))


def test_not_an_instructor(tmp_path, real_service, course):
    r = alice(tmp_path, real_service, "collect", "ps1", "--course", course)
    out = r.stdout + r.stderr
    assert r.returncode != 0 and "Traceback" not in out, out
    assert "you (alice) are not an instructor of course '{}'".format(course) in out


def test_assignment_not_released(tmp_path, real_service, course):
    r = alice(tmp_path, real_service, "fetch_assignment", "nope", "--course", course)
    assert_one_line_failure(r, "assignment 'nope' is not released in course '{}'".format(course))


def test_course_does_not_exist(tmp_path, real_service):
    r = alice(tmp_path, real_service, "fetch_assignment", "ps1", "--course", "no-such-course")
    assert_one_line_failure(r, "course 'no-such-course' does not exist on the exchange")


def test_hub_token_missing(tmp_path, real_service):
    r = alice(tmp_path, real_service, "list", token=None)
    assert_one_line_failure(r, "No JupyterHub API token: JUPYTERHUB_API_TOKEN is not set")


def test_hub_token_refused(tmp_path, real_service):
    r = alice(tmp_path, real_service, "list", token="not-a-hub-token")
    assert_one_line_failure(r, "The exchange service refused your hub token")


def test_hub_down_behind_the_service(tmp_path, real_service):
    r = alice(tmp_path, real_service, "list", token=HUB_FAILS)
    assert_one_line_failure(r, "The exchange service is unavailable")


def test_service_unreachable(tmp_path):
    url = "http://127.0.0.1:{}/services/ngshare".format(free_port())
    r = alice(tmp_path, type("S", (), {"url": url})(), "list")
    assert_one_line_failure(r, "The exchange service cannot be reached at " + url)


def test_file_too_large(tmp_path, real_service, course):
    _, root = instructor_home(tmp_path, "huge",
                              {"p1.ipynb": b"{}", "big.bin": os.urandom((MAX_BODY_MIB + 1) << 20)})
    r = teach(tmp_path, real_service, course, root, "release_assignment", "huge")
    assert_one_line_failure(r, "Cannot release huge to course '{}': Too large".format(course))


def test_course_management_refusal_names_the_cause(tmp_path, real_service, course):
    home = tmp_path / "alice"
    alice(tmp_path, real_service, "--version")  # writes the nbgrader_config.py
    r = subprocess.run(
        [os.path.join(BIN, "ngshare-course-management"), "create_course", "c-x"],
        cwd=str(home), capture_output=True, text=True, timeout=60,
        env={"PATH": BIN + ":/usr/bin:/bin", "HOME": str(home), "USER": "alice",
             "JUPYTERHUB_API_TOKEN": token_of("alice")},
    )
    assert r.returncode == 255, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines == [
        "Cannot create course c-x: Permission denied (alice is not an ngshare administrator)"
    ], r.stderr
    r = subprocess.run(
        [os.path.join(BIN, "ngshare-course-management"), "add_student", course, "carol"],
        cwd=str(home), capture_output=True, text=True, timeout=60,
        env={"PATH": BIN + ":/usr/bin:/bin", "HOME": str(home), "USER": "alice",
             "JUPYTERHUB_API_TOKEN": token_of("alice")},
    )
    assert r.returncode == 255 and "Traceback" not in r.stderr, r.stderr
    assert "Permission denied (alice is neither an instructor of course {} nor an ngshare " \
        "administrator)".format(course) in r.stderr


FORMGRADER_COLLECT = """
import json, sys
from traitlets.config import Config
from nbgrader.apps.api import NbGraderAPI
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from ngshare_ts_exchange import configureExchange

url, root, course_id, assignment_id = sys.argv[1:5]
c = Config()
configureExchange(c, url)
c.CourseDirectory.root = root
c.CourseDirectory.course_id = course_id
# what the formgrader's "Collect" button calls (nbgrader.server_extensions.formgrader)
coursedir = CourseDirectory(config=c)
api = NbGraderAPI(coursedir, Authenticator(config=c), config=c)
result = api.collect(assignment_id)
print(json.dumps({"result": result}))
"""


def formgrader_collect(svc, cid, root, user, assignment):
    """NbGraderAPI.collect in a process of its own, as the formgrader runs it for `user`."""
    env = {"PATH": BIN + os.pathsep + "/usr/bin:/bin", "HOME": str(root.parent), "USER": user,
           "JUPYTERHUB_USER": user, "JUPYTERHUB_API_TOKEN": token_of(user),
           "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([os.path.join(BIN, "python"), "-c", FORMGRADER_COLLECT, svc.url, str(root),
                        cid, assignment], cwd=str(root), env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])["result"]


def test_formgrader_collect_path(tmp_path, real_service, course):
    """The formgrader's Collect button (NbGraderAPI.collect) through this plugin: the latest
    submission lands in submitted/, and a refusal comes back as success false with the cause."""
    nb = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    _, root = instructor_home(tmp_path, "fg", {"p1.ipynb": nb})
    ok(teach(tmp_path, real_service, course, root, "release_assignment", "fg"))
    ok(alice(tmp_path, real_service, "fetch_assignment", "fg", "--course", course))
    work = tmp_path / "alice" / "fg"
    (work / "answer.txt").write_text("first\n")
    ok(alice(tmp_path, real_service, "submit", "fg", "--course", course))
    (work / "answer.txt").write_text("second\n")
    second = ok(alice(tmp_path, real_service, "submit", "fg", "--course", course))
    stamp = (second.stdout + second.stderr).split("Submitted as: {} fg ".format(course))[1]
    stamp = stamp.splitlines()[0].strip()

    result = formgrader_collect(real_service, course, root, "teach", "fg")
    assert result["success"] is True, result
    assert "Collecting submission: alice fg" in result["log"], result
    got = root / "submitted" / "alice" / "fg"
    assert (got / "answer.txt").read_text() == "second\n"
    assert (got / "timestamp.txt").read_text() == stamp
    assert (got / "p1.ipynb").read_bytes() == nb

    # pressed again: nothing newer, the collected copy stays
    again = formgrader_collect(real_service, course, root, "teach", "fg")
    assert again["success"] is True and "No newer submission to collect" in again["log"], again

    # the button pressed by someone who is not an instructor: refused, with the cause, no traceback
    _, other_root = instructor_home(tmp_path / "alice-course", "fg", {"p1.ipynb": nb})
    refused = formgrader_collect(real_service, course, other_root, "alice", "fg")
    assert refused["success"] is False, refused
    said = refused.get("log", "") + refused.get("error", "")
    assert "you (alice) are not an instructor of course '{}'".format(course) in said, refused
    assert not (other_root / "submitted").exists()
