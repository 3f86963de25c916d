"""nbgrader fetch_feedback: the feedback of each of the student's submissions.

The submissions are those in the local cache (as nbgrader and ngshare_exchange do) and,
new here, those the service lists for the student, so feedback also reaches a student
who submitted from another server or whose home folder was reset.
"""

import glob
import os

from nbgrader.exchange.abc import ExchangeFetchFeedback as ABCExchangeFetchFeedback

from . import client as api
from .client import ServiceError
from .exchange import Exchange


class ExchangeFetchFeedback(Exchange, ABCExchangeFetchFeedback):
    def init_src(self):
        self.require_course()
        cd = self.coursedir
        if not cd.assignment_id:
            self.fail("Must provide assignment name: nbgrader fetch_feedback ASSIGNMENT --course COURSE")
        self.what = "Cannot fetch feedback of {} from course '{}'".format(cd.assignment_id, cd.course_id)
        pattern = os.path.join(self.cache, cd.course_id, "{}+{}+*".format(self.username, cd.assignment_id))
        timestamps = set()
        for path in glob.glob(pattern):
            timestamps.add(os.path.basename(path).split("+", 2)[2])
        try:
            answer = self.service.request(
                "GET", "/submissions/{}/{}/{}".format(cd.course_id, cd.assignment_id, self.username)
            )
            timestamps.update(s["timestamp"] for s in answer.get("submissions", []))
        except ServiceError as err:
            if err.kind not in (api.NOT_FOUND,) or not timestamps:
                self.fail("{}: {}".format(self.what, self.explain(err, "member", cd.course_id)))
        self.timestamps = sorted(timestamps)

    def init_dest(self):
        root = self.local_assignment_root()
        self.dest_path = os.path.abspath(os.path.join(self.assignment_dir, root, "feedback"))

    def copy_files(self):
        cd = self.coursedir
        self.log.info("Fetching feedback from server")
        if not self.timestamps:
            self.log.warning("No submissions of %s found: no feedback to fetch", cd.assignment_id)
        fetched = 0
        for ts in self.timestamps:
            answer = self.call(
                "GET",
                "/feedback/{}/{}/{}".format(cd.course_id, cd.assignment_id, self.username),
                self.what,
                params={"timestamp": ts, "list_only": "false"},
            )
            files = answer.get("files", [])
            if not files:
                self.log.info("No feedback yet for the submission of %s", ts)
                continue
            dest = os.path.join(self.dest_path, ts)
            for path in self.decode_dir(files, dest):
                self.log.info("Fetched feedback: %s", os.path.relpath(path, self.dest_path))
            fetched += 1
        if self.timestamps and not fetched:
            self.log.warning("No feedback has been released for your submissions of %s", cd.assignment_id)
