"""nbgrader submit: upload the student's folder; the service stamps the submission."""

import glob
import os
from difflib import get_close_matches

from nbgrader.exchange.abc import ExchangeSubmit as ABCExchangeSubmit
from nbgrader.utils import find_all_notebooks

from .client import dumps_files
from .exchange import Exchange


class ExchangeSubmit(Exchange, ABCExchangeSubmit):
    def init_src(self):
        cd = self.coursedir
        root = self.local_assignment_root()
        self.src_path = os.path.abspath(os.path.join(self.assignment_dir, root))
        cd.assignment_id = os.path.split(self.src_path)[-1]
        if not os.path.isdir(self.src_path):
            others = glob.glob(os.path.join(os.path.dirname(self.src_path), "*"))
            close = get_close_matches(self.src_path, others, n=1)
            hint = " Did you mean: {}".format(close[0]) if close else ""
            self.fail("Assignment not found at: {}.{}".format(self.src_path, hint))

    def init_dest(self):
        self.require_course()
        cd = self.coursedir
        if cd.student_id not in ("*", "", self.username):
            self.fail(
                "Submitting for another student (--student {}) is not possible with this "
                "exchange: the service records the hub user who submits".format(cd.student_id)
            )
        if self.authenticator is not None and not self.authenticator.has_access(
            self.username, cd.course_id
        ):
            self.fail("You do not have access to this course.")
        self.cache_path = os.path.join(self.cache, cd.course_id)

    def check_filename_diff(self, what):
        cd = self.coursedir
        answer = self.call(
            "GET",
            "/assignment/{}/{}".format(cd.course_id, cd.assignment_id),
            what,
            params={"list_only": "true"},
        )
        released = sorted(
            f["path"] for f in answer.get("files", []) if f.get("path", "").endswith(".ipynb")
        )
        submitted = find_all_notebooks(self.src_path)
        expected = ["{}: {}".format(n, "FOUND" if n in submitted else "MISSING") for n in released]
        got = ["{}: {}".format(n, "OK" if n in released else "EXTRA") for n in submitted]
        missing = any(x.endswith("MISSING") for x in expected)
        extra = any(x.endswith("EXTRA") for x in got)
        if not (missing or extra):
            return
        diff = "Expected:\n\t{}\nSubmitted:\n\t{}".format("\n\t".join(expected), "\n\t".join(got))
        if missing and self.strict:
            self.fail(
                "Assignment {} not submitted. There are missing notebooks for the submission: "
                "{}".format(cd.assignment_id, ", ".join(n for n in released if n not in submitted))
            )
        self.log.warning(
            "Possible missing notebooks and/or extra notebooks submitted for assignment %s:\n%s",
            cd.assignment_id,
            diff,
        )

    def copy_files(self):
        cd = self.coursedir
        what = "Cannot submit {} to course '{}'".format(cd.assignment_id, cd.course_id)
        self.log.info("Source: %s", self.src_path)
        self.check_filename_diff(what)
        files = self.encode_dir(self.src_path)
        answer = self.upload(
            "/submission/{}/{}".format(cd.course_id, cd.assignment_id),
            what,
            {"files": dumps_files(files)},
        )
        timestamp = answer.get("timestamp")
        if not timestamp:
            self.fail("{}: the exchange did not return a submission timestamp".format(what))
        self.timestamp = timestamp
        # the local cache (nbgrader list --cached, fetch_feedback), same layout as nbgrader's
        cache_dir = os.path.join(
            self.cache_path, "{}+{}+{}".format(self.username, cd.assignment_id, timestamp)
        )
        os.makedirs(self.cache_path, exist_ok=True)
        self.copy_local(self.src_path, cache_dir)
        with open(os.path.join(cache_dir, "timestamp.txt"), "w") as fh:
            fh.write(timestamp)
        self.log.info("Submitted as: %s %s %s", cd.course_id, cd.assignment_id, timestamp)
