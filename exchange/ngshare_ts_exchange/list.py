"""nbgrader list: released assignments, submissions on the service (--inbound), the local
submission cache (--cached), and unreleasing (--remove).

The returned structure is the one nbgrader's own exchange returns, which the Assignments
panel and the formgrader read. On ngshare-ts it also carries the service's deadlines
(``due``, ``hard``) and late flags (``late``, ``seconds_late``): lines gain
"(due 2030-01-17 12:30 EST)" and "(late by 2 h 5 min)", in the local time zone.
"""

import glob
import hashlib
import json
import os
import re
import shutil
from datetime import datetime, timezone

from nbgrader.exchange.abc import ExchangeList as ABCExchangeList
from traitlets import Bool

from .exchange import Exchange


def _md5(path):
    with open(path, "rb") as fh:
        return hashlib.md5(fh.read()).hexdigest()


def _instant(iso):
    """An ISO 8601 instant of the service ("2030-01-17T17:30:00.000Z") as an aware datetime."""
    text = iso.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    # Python < 3.11 takes at most 6 fractional digits and needs them as 3 or 6
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$", text)
    if m:
        frac = (m.group(2) or "").ljust(6, "0")[:6]
        text = m.group(1) + ("." + frac if m.group(2) else "") + m.group(3)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _local_time(iso):
    """The instant in this machine's time zone (TZ), as nbgrader users read dates."""
    return _instant(iso).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def _duration(seconds):
    """'2 d 3 h', '5 h 12 min', '7 min', '40 s': how late, at a useful precision."""
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return "{} d {} h".format(days, hours) if hours else "{} d".format(days)
    if hours:
        return "{} h {} min".format(hours, minutes) if minutes else "{} h".format(hours)
    if minutes:
        return "{} min".format(minutes)
    return "{} s".format(secs)


def _top_level_notebooks(paths):
    """notebook ids of the top-level ``*.ipynb`` of a file list (as nbgrader globs them)."""
    return sorted(p[: -len(".ipynb")] for p in paths if p.endswith(".ipynb") and "/" not in p)


class ExchangeList(Exchange, ABCExchangeList):
    # nbgrader's `list --json` flag sets this, but nbgrader 0.9's own exchange ignores it
    as_json = Bool(False, help="Print the listing as JSON on standard output.").tag(config=True)

    def init_src(self):
        pass

    def init_dest(self):
        cd = self.coursedir
        self.course_pattern = cd.course_id or "*"
        self.assignment_pattern = cd.assignment_id or "*"
        self.student_pattern = cd.student_id or "*"
        if self.cached:
            pattern = os.path.join(
                self.cache,
                self.course_pattern,
                "{}+{}+*".format(self.student_pattern, self.assignment_pattern),
            )
            self.assignments = sorted(glob.glob(pattern))
            return
        if self.inbound and self.remove:
            self.fail("Removing submissions is not possible: the exchange keeps every submission")
        courses = self._courses()
        self.assignments = []
        for course_id in courses:
            self.assignments += [
                {"course_id": course_id, "assignment_id": a} for a in self._assignments(course_id)
            ]

    # --- service queries ----------------------------------------------------------------------
    def _courses(self):
        if self.coursedir.course_id:
            return [self.coursedir.course_id]
        answer = self.call("GET", "/courses", "Cannot list your courses", course_id="")
        return sorted(answer.get("courses", []))

    def _assignments(self, course_id):
        role = "instructor" if self.inbound else "member"
        if self.coursedir.assignment_id:
            if self.remove or self.inbound:
                return [self.coursedir.assignment_id]
        answer = self.call(
            "GET",
            "/assignments/{}".format(course_id),
            "Cannot list the assignments of course '{}'".format(course_id),
            role=role,
            course_id=course_id,
        )
        names = answer.get("assignments", [])
        if self.coursedir.assignment_id:
            names = [a for a in names if a == self.coursedir.assignment_id]
        return names  # in the service's order (release order), as ngshare_exchange lists them

    # --- deadlines (ngshare-ts's v2 API; a service without it has none) ------------------------
    def _optional(self, path):
        """A v2 answer, or None where the service does not offer it (ngshare 0.6) or refuses."""
        if not self.service.is_ngshare_ts():
            return None
        try:
            return self.service.request("GET", path)
        except Exception as err:  # noqa: BLE001 - deadlines are extra; the listing goes on
            self.log.debug("No deadlines from %s: %s", path, err)
            return None

    def _deadlines(self, course_id):
        """assignment id -> {"due": ISO, "hard": bool}: the due date that binds this user."""
        cache = self.__dict__.setdefault("_deadline_cache", {})
        if course_id not in cache:
            answer = self._optional("/v2/deadlines/{}".format(course_id)) or {}
            out = {}
            for d in answer.get("deadlines", []):
                due = d.get("due")
                if not due:
                    continue
                own = [e["due"] for e in d.get("extensions", []) if e.get("student_id") == self.username]
                if own and _instant(own[0]) > _instant(due):
                    due = own[0]
                out[d["assignment_id"]] = {"due": due, "hard": bool(d.get("hard"))}
            cache[course_id] = out
        return cache[course_id]

    def _lateness(self, course_id, assignment_id):
        """(student id, timestamp) -> {"due", "late", "seconds_late"} of each submission."""
        if assignment_id not in self._deadlines(course_id):
            return {}
        cache = self.__dict__.setdefault("_lateness_cache", {})
        key = (course_id, assignment_id)
        if key not in cache:
            answer = self._optional("/v2/deadline/{}/{}".format(course_id, assignment_id)) or {}
            cache[key] = {
                (s["student_id"], s["timestamp"]): {
                    "due": s["due"],
                    "late": bool(s["late"]),
                    "seconds_late": s["seconds_late"],
                }
                for s in answer.get("submissions", [])
            }
        return cache[key]

    def _add_deadline(self, info):
        if self.remove:  # unreleasing: no deadline to show, and none to ask for
            return info
        deadline = self._deadlines(info["course_id"]).get(info["assignment_id"])
        if deadline:
            info.update(deadline)
        return info

    def _add_lateness(self, info):
        key = (info["student_id"], info["timestamp"])
        found = self._lateness(info["course_id"], info["assignment_id"]).get(key)
        if found:
            info.update(found)
        return info

    def _released_notebooks(self, course_id, assignment_id):
        answer = self.call(
            "GET",
            "/assignment/{}/{}".format(course_id, assignment_id),
            "Cannot list the files of {} in course '{}'".format(assignment_id, course_id),
            params={"list_only": "true"},
            course_id=course_id,
        )
        return _top_level_notebooks([f.get("path", "") for f in answer.get("files", [])])

    def _feedback_checksums(self, course_id, assignment_id, student_id, timestamp, strict):
        path = "/feedback/{}/{}/{}".format(course_id, assignment_id, student_id)
        params = {"list_only": "true", "timestamp": timestamp}
        if strict:
            answer = self.call(
                "GET",
                path,
                "Cannot check the feedback of {} in course '{}'".format(assignment_id, course_id),
                params=params,
                course_id=course_id,
            )
        else:
            # --cached lists local folders: one that the service no longer knows has no feedback
            try:
                answer = self.service.request("GET", path, params=params)
            except Exception as err:  # noqa: BLE001 - reported, and the listing goes on
                self.log.warning(
                    "No feedback status for %s %s %s: %s", course_id, assignment_id, timestamp, err
                )
                return {}
        out = {}
        for f in answer.get("files", []):
            p = f.get("path", "")
            if p.endswith(".html") and "/" not in p:
                out[p[: -len(".html")]] = f.get("checksum")
        return out

    def _submissions(self, course_id, assignment_id):
        """Every submission on the service (instructor), with notebooks and feedback status."""
        path = "/submissions/{}/{}".format(course_id, assignment_id)
        if self.student_pattern not in ("*", ""):
            path += "/" + self.student_pattern
        what = "Cannot list the submissions of {} in course '{}'".format(assignment_id, course_id)
        answer = self.call("GET", path, what, role="instructor", course_id=course_id)
        out = []
        for sub in answer.get("submissions", []):
            sid, ts = sub["student_id"], sub["timestamp"]
            files = self.call(
                "GET",
                "/submission/{}/{}/{}".format(course_id, assignment_id, sid),
                what,
                params={"list_only": "true", "timestamp": ts},
                role="instructor",
                course_id=course_id,
            ).get("files", [])
            checksums = self._feedback_checksums(course_id, assignment_id, sid, ts, True)
            out.append(
                {
                    "course_id": course_id,
                    "assignment_id": assignment_id,
                    "student_id": sid,
                    "timestamp": ts,
                    "notebooks": [
                        {"notebook_id": nb, "feedback_checksum": checksums.get(nb)}
                        for nb in _top_level_notebooks([f.get("path", "") for f in files])
                    ],
                }
            )
        return out

    # --- nbgrader's structure -------------------------------------------------------------------
    def parse_cached(self, path):
        m = re.match(
            r".*/(?P<course_id>[^/]*)/(?P<student_id>[^/+]*)\+(?P<assignment_id>[^/+]*)\+(?P<timestamp>[^/]*)$",
            path,
        )
        if m is None:
            return None
        return m.groupdict()

    def local_dir(self, info):
        if self.path_includes_course:
            return os.path.join(self.assignment_dir, info["course_id"], info["assignment_id"])
        return os.path.join(self.assignment_dir, info["assignment_id"])

    def feedback_info(self, info, notebook_ids, exchange_checksums):
        """Fill in nbgrader's feedback keys for one submission."""
        assignment_dir = self.local_dir(info)
        notebooks = []
        for nb in notebook_ids:
            local = os.path.join(assignment_dir, "feedback", info["timestamp"], nb + ".html")
            has_local = os.path.isfile(local)
            remote = exchange_checksums.get(nb)
            has_remote = bool(remote)
            entry = {
                "notebook_id": nb,
                "has_local_feedback": has_local,
                "has_exchange_feedback": has_remote,
                "local_feedback_path": local if has_local else None,
                "feedback_updated": bool(has_local and has_remote and _md5(local) != remote),
            }
            if self.cached:
                entry["path"] = os.path.abspath(os.path.join(info["path"], nb + ".ipynb"))
            notebooks.append(entry)
        info["notebooks"] = notebooks
        if notebooks:
            info["has_local_feedback"] = all(n["has_local_feedback"] for n in notebooks)
            info["has_exchange_feedback"] = all(n["has_exchange_feedback"] for n in notebooks)
            info["feedback_updated"] = any(n["feedback_updated"] for n in notebooks)
        else:
            info["has_local_feedback"] = False
            info["has_exchange_feedback"] = False
            info["feedback_updated"] = False
        if info["has_local_feedback"]:
            info["local_feedback_path"] = os.path.join(
                os.path.abspath(assignment_dir), "feedback", info["timestamp"]
            )
        else:
            info["local_feedback_path"] = None
        return info

    def parse_assignments(self):
        if self.cached:
            items = []
            for path in self.assignments:
                info = self.parse_cached(path)
                if info is None:
                    continue
                info["status"] = "removed" if self.remove else "submitted"
                info["path"] = path
                nbs = sorted(
                    os.path.splitext(os.path.basename(p))[0]
                    for p in glob.glob(os.path.join(path, "*.ipynb"))
                )
                sums = self._feedback_checksums(
                    info["course_id"], info["assignment_id"], info["student_id"], info["timestamp"], False
                )
                items.append(self._add_lateness(self.feedback_info(info, nbs, sums)))
            return self._group(items)
        if self.inbound:
            items = []
            for a in self.assignments:
                for sub in self._submissions(a["course_id"], a["assignment_id"]):
                    info = {k: sub[k] for k in ("course_id", "assignment_id", "student_id", "timestamp")}
                    info["status"] = "submitted"
                    sums = {n["notebook_id"]: n["feedback_checksum"] for n in sub["notebooks"]}
                    nbs = [n["notebook_id"] for n in sub["notebooks"]]
                    items.append(self._add_lateness(self.feedback_info(info, nbs, sums)))
            return self._group(items)
        out = []
        for a in self.assignments:
            info = dict(a)
            local = self.local_dir(info)
            if self.remove:
                info["status"] = "removed"
                nbs = []
            elif os.path.exists(local):
                info["status"] = "fetched"
                info["path"] = os.path.abspath(local)
                nbs = sorted(glob.glob(os.path.join(info["path"], "*.ipynb")))
            else:
                info["status"] = "released"
                nbs = self._released_notebooks(info["course_id"], info["assignment_id"])
            if info["status"] == "fetched":
                info["notebooks"] = [
                    {"notebook_id": os.path.splitext(os.path.basename(p))[0], "path": os.path.abspath(p)}
                    for p in nbs
                ]
            else:
                info["notebooks"] = [{"notebook_id": nb} for nb in nbs]
            if not info["notebooks"] and not self.remove:
                self.log.warning(
                    'No notebooks found for assignment "%s" in course "%s"',
                    info["assignment_id"],
                    info["course_id"],
                )
            out.append(self._add_deadline(info))
        return out

    def _group(self, items):
        groups = {}
        for info in items:
            key = (info["course_id"], info["student_id"], info["assignment_id"])
            groups.setdefault(key, []).append(info)
        out = []
        for key in sorted(groups):
            subs = sorted(groups[key], key=lambda x: x["timestamp"])
            out.append(
                {
                    "course_id": key[0],
                    "student_id": key[1],
                    "assignment_id": key[2],
                    "status": subs[0]["status"],
                    "submissions": subs,
                }
            )
        return out

    # --- output ------------------------------------------------------------------------------------
    def format_inbound_assignment(self, info):
        msg = "{course_id} {student_id} {assignment_id} {timestamp}".format(**info)
        if info.get("late"):
            msg += " (late by {})".format(_duration(info["seconds_late"]))
        if info["status"] == "submitted":
            if info["has_local_feedback"] and not info["feedback_updated"]:
                msg += " (feedback already fetched)"
            elif info["has_exchange_feedback"]:
                msg += " (feedback ready to be fetched)"
            else:
                msg += " (no feedback available)"
        return msg

    def format_outbound_assignment(self, info):
        msg = "{course_id} {assignment_id}".format(**info)
        if os.path.exists(self.local_dir(info)):
            msg += " (already downloaded)"
        if info.get("due"):
            hard = ", no late submissions" if info.get("hard") else ""
            msg += " (due {}{})".format(_local_time(info["due"]), hard)
        return msg

    def copy_files(self):
        pass

    def list_files(self):
        assignments = self.parse_assignments()
        if self.inbound or self.cached:
            self.log.info("Submitted assignments:")
            for a in assignments:
                for info in a["submissions"]:
                    self.log.info(self.format_inbound_assignment(info))
        else:
            self.log.info("Released assignments:")
            for info in assignments:
                self.log.info(self.format_outbound_assignment(info))
        if self.as_json:
            print(json.dumps(assignments))
        return assignments

    def remove_files(self):
        assignments = self.parse_assignments()
        if self.cached:
            self.log.info("Removing submitted assignments:")
            for a in assignments:
                for info in a["submissions"]:
                    self.log.info(self.format_inbound_assignment(info))
            for path in self.assignments:
                shutil.rmtree(path)
            return assignments
        self.log.info("Removing released assignments:")
        for info in assignments:
            self.log.info(self.format_outbound_assignment(info))
            self.log.warning(
                "Unreleasing %s deletes its submissions and feedback on the exchange",
                info["assignment_id"],
            )
            self.call(
                "DELETE",
                "/assignment/{}/{}".format(info["course_id"], info["assignment_id"]),
                "Cannot unrelease {} of course '{}'".format(info["assignment_id"], info["course_id"]),
                role="instructor",
                course_id=info["course_id"],
            )
        return assignments
