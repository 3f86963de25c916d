"""nbgrader release_feedback: upload feedback/<student>/<assignment>/*.html per submission."""

import base64
import glob
import os
import re

from nbgrader.exchange.abc import ExchangeReleaseFeedback as ABCExchangeReleaseFeedback

from .client import dumps_files
from .exchange import Exchange


class ExchangeReleaseFeedback(Exchange, ABCExchangeReleaseFeedback):
    def init_src(self):
        cd = self.coursedir
        student_id = cd.student_id if cd.student_id else "*"
        self.src_path = cd.format_path(cd.feedback_directory, student_id, cd.assignment_id)

    def init_dest(self):
        self.require_course()

    def copy_files(self):
        cd = self.coursedir
        excluded = set(filter(None, (cd.student_id_exclude or "").split(",")))
        regexp = re.escape(os.path.sep).join(
            [
                cd.format_path(cd.feedback_directory, "(?P<student_id>.*)", cd.assignment_id, escape=True),
                "(?P<notebook_id>.*).html",
            ]
        )
        staged = {}  # (student, timestamp) -> [(notebook_id, path)]
        for html in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            m = re.match(regexp, html)
            if m is None:
                self.log.error("Could not match '%s' with regexp '%s'", html, regexp)
                continue
            sid, nb = m.group("student_id"), m.group("notebook_id")
            if sid in excluded:
                self.log.debug("Skipping student '%s'", sid)
                continue
            ts_file = os.path.join(os.path.dirname(html), "timestamp.txt")
            if not os.path.isfile(ts_file):
                self.fail(
                    "Cannot release feedback for {}: {} is missing (collect and autograde the "
                    "submission first)".format(sid, ts_file)
                )
            with open(ts_file) as fh:
                timestamp = fh.read().strip()
            staged.setdefault((sid, timestamp), []).append((nb, html))
        if not staged:
            self.log.warning("No feedback to release in %s", self.src_path)
        for (sid, timestamp), notebooks in sorted(staged.items()):
            entries = []
            for nb, html in sorted(notebooks):
                self.log.info(
                    "Releasing feedback for student '%s' on assignment '%s/%s/%s' (%s)",
                    sid,
                    cd.course_id,
                    cd.assignment_id,
                    nb,
                    timestamp,
                )
                with open(html, "rb") as fh:
                    entries.append(
                        {"path": nb + ".html", "content": base64.b64encode(fh.read()).decode("ascii")}
                    )
            self.upload_size = sum(os.path.getsize(h) for _, h in notebooks)
            self.upload(
                "/feedback/{}/{}/{}".format(cd.course_id, cd.assignment_id, sid),
                "Cannot release feedback of {} for {} in course '{}'".format(
                    cd.assignment_id, sid, cd.course_id
                ),
                {"timestamp": timestamp, "files": dumps_files(entries)},
                role="instructor",
            )
        if staged:
            self.log.info("Feedback released.")
