"""`nbgrader list` with the service's deadlines and late flags: the real nbgrader with this plugin
against the real ngshare-ts service (see real_service.py), and against a stand-in without the
v2 API (as ngshare 0.6 is), where the listing stays the plain one."""

import json
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ngshare_ts_exchange.list import _duration, _instant
from nbgrader_run import run
from real_service import token_of
from test_real_service import client, instructor_home, ok, teach

NY = {"TZ": "America/New_York"}


def iso(when):
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def course(real_service, tmp_path_factory):
    """Instructor `teach`, students `alice` and `carl`; four released assignments:
    ps-soft (due 2030-01-17 17:30 UTC, alice extended by a day), ps-hard (hard, 2030-07-01
    04:00 UTC), ps-late (due 26 h 3 min ago; alice and carl submitted since) and ps-none."""
    cid = "d-" + uuid.uuid4().hex[:8]
    client(real_service, "admin").post("/course/" + cid, {"instructors": '["teach"]'})
    t = client(real_service, "teach")
    for s in ("alice", "carl"):
        t.post("/student/{}/{}".format(cid, s), {"first_name": s, "last_name": "X", "email": ""})
    tmp = tmp_path_factory.mktemp("deadlines")
    names = ("ps-soft", "ps-hard", "ps-late", "ps-none")
    for name in names:
        _, root = instructor_home(tmp, name, {"p1.ipynb": b"{}"})
        ok(teach(tmp, real_service, cid, root, "release_assignment", name))
    t.post("/v2/deadline/{}/ps-soft".format(cid), {"due": "2030-01-17T17:30:00Z"})
    t.post("/v2/extension/{}/ps-soft/alice".format(cid), {"due": "2030-01-18T17:30:00Z"})
    t.post("/v2/deadline/{}/ps-hard".format(cid), {"due": "2030-07-01T04:00:00Z", "hard": "true"})
    past = datetime.now(timezone.utc) - timedelta(hours=26, minutes=3)
    t.post("/v2/deadline/{}/ps-late".format(cid), {"due": iso(past)})
    for student in ("alice", "carl"):
        home = tmp / student
        ok(run(tmp, real_service.url, "fetch_assignment", "ps-late", "--course", cid,
               user=student, home=home, token=token_of(student)))
        ok(run(tmp, real_service.url, "submit", "ps-late", "--course", cid,
               user=student, home=home, token=token_of(student)))
    return {"id": cid, "homes": tmp, "names": names}


def student(course, svc, who, *args):
    return ok(run(course["homes"], svc.url, *args, user=who, home=course["homes"] / who,
                  token=token_of(who), env_extra=NY))


def lines_of(result, marker):
    return [ln.split("] ", 1)[-1] for ln in (result.stdout + result.stderr).splitlines()
            if marker in ln]


def test_students_see_their_own_due_dates_in_their_time_zone(real_service, course):
    cid = course["id"]
    out = lines_of(student(course, real_service, "alice", "list", "--course", cid), cid + " ")
    # alice: her extension (18th), EST in January, EDT in July
    assert out == [
        "{} ps-soft (due 2030-01-18 12:30 EST)".format(cid),
        "{} ps-hard (due 2030-07-01 00:00 EDT, no late submissions)".format(cid),
        "{} ps-late (already downloaded) (due {})".format(
            cid, _local_time_in_ny(course, real_service, "ps-late")),
        "{} ps-none".format(cid),
    ]
    carl = lines_of(student(course, real_service, "carl", "list", "--course", cid), "ps-soft")
    assert carl == ["{} ps-soft (due 2030-01-17 12:30 EST)".format(cid)]


def _local_time_in_ny(course, svc, name):
    answer = client(svc, "teach").get("/v2/deadlines/" + course["id"])
    due = [d["due"] for d in answer["deadlines"] if d["assignment_id"] == name][0]
    return _instant(due).astimezone(ZoneInfo(NY["TZ"])).strftime("%Y-%m-%d %H:%M %Z")


def test_json_listing_carries_due_and_hard(real_service, course):
    r = student(course, real_service, "alice", "list", "--course", course["id"], "--json")
    listing = json.loads([ln for ln in r.stdout.splitlines() if ln.startswith("[")][-1])
    by_name = {a["assignment_id"]: a for a in listing}
    assert [a["assignment_id"] for a in listing] == list(course["names"])
    assert by_name["ps-soft"]["due"].startswith("2030-01-18T17:30:00")
    assert by_name["ps-soft"]["hard"] is False
    assert by_name["ps-hard"]["hard"] is True
    assert "due" not in by_name["ps-none"]


def test_instructors_see_late_submissions(real_service, course, tmp_path):
    cid = course["id"]
    _, root = instructor_home(tmp_path, "unused", {"x.ipynb": b"{}"})
    r = ok(teach(tmp_path, real_service, cid, root, "list", "--inbound", "--json"))
    late = [ln for ln in (r.stdout + r.stderr).splitlines() if " ps-late " in ln]
    assert len(late) == 2, r.stdout + r.stderr
    for ln in late:
        assert "(late by 1 d 2 h) (no feedback available)" in ln, ln
    listing = json.loads([ln for ln in r.stdout.splitlines() if ln.startswith("[")][-1])
    subs = [s for a in listing for s in a["submissions"] if a["assignment_id"] == "ps-late"]
    assert sorted(s["student_id"] for s in subs) == ["alice", "carl"]
    for s in subs:
        assert s["late"] is True
        assert 26 * 3600 <= s["seconds_late"] < 27 * 3600


def test_a_student_sees_the_late_flag_of_their_cached_submission(real_service, course):
    r = student(course, real_service, "carl", "list", "--cached", "--course", course["id"])
    late = lines_of(r, " ps-late ")
    assert len(late) == 1 and "(late by 1 d 2 h)" in late[0], r.stdout + r.stderr


def test_a_service_without_deadlines_gives_the_plain_listing(tmp_path, service):
    service.route("GET", "/courses", 200, {"success": True, "courses": ["c1"]})
    service.route("GET", "/assignments/c1", 200, {"success": True, "assignments": ["b", "a"]})
    for a in ("a", "b"):
        service.route("GET", "/assignment/c1/" + a, 200,
                      {"success": True, "files": [{"path": "p.ipynb"}]})
    r = run(tmp_path, service.url, "list")
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert lines_of(r, "c1 ") == ["c1 b", "c1 a"], out  # the service's order
    assert "WARNING" not in out and "ERROR" not in out, out
    assert not any("/v2/" in path for _, path, _, _ in service.requests)


@pytest.mark.parametrize(
    "seconds, words",
    [(0, "0 s"), (59, "59 s"), (60, "1 min"), (3599, "59 min"), (3600, "1 h"),
     (3600 + 120, "1 h 2 min"), (86400, "1 d"), (93780, "1 d 2 h"), (90061, "1 d 1 h")],
)
def test_duration(seconds, words):
    assert _duration(seconds) == words


def test_instant_reads_the_services_dates():
    assert _instant("2030-01-17T17:30:00.000Z") == datetime(2030, 1, 17, 17, 30, tzinfo=timezone.utc)
    assert _instant("2030-01-17T12:30:00-05:00") == datetime(2030, 1, 17, 17, 30, tzinfo=timezone.utc)
    assert _instant("2030-01-17T17:30:00.1234567Z").microsecond == 123456
