"""nbgrader collect: the latest submission of each student into <course root>/submitted/."""

import fnmatch
import os
import shutil

from nbgrader.exchange.abc import ExchangeCollect as ABCExchangeCollect
from nbgrader.utils import parse_utc

from .exchange import Exchange


class ExchangeCollect(Exchange, ABCExchangeCollect):
    def init_src(self):
        self.require_course()
        cd = self.coursedir
        self.what = "Cannot collect {} of course '{}'".format(cd.assignment_id, cd.course_id)
        answer = self.call(
            "GET",
            "/submissions/{}/{}".format(cd.course_id, cd.assignment_id),
            self.what,
            role="instructor",
        )
        wanted = cd.student_id if cd.student_id else "*"
        excluded = set(filter(None, (cd.student_id_exclude or "").split(",")))
        by_student = {}
        for sub in answer.get("submissions", []):
            sid = sub.get("student_id", "")
            if not fnmatch.fnmatchcase(sid, wanted) or sid in excluded:
                continue
            by_student.setdefault(sid, []).append(
                {"student_id": sid, "timestamp": parse_utc(sub["timestamp"]), "raw": sub["timestamp"]}
            )
        duedate = self._duedate() if self.before_duedate else None
        self.src_records = []
        for sid in sorted(by_student):
            records = sorted(by_student[sid], key=lambda r: r["timestamp"], reverse=True)
            chosen = records[0]
            if duedate is not None:
                on_time = [r for r in records if r["timestamp"] <= duedate]
                if on_time:
                    chosen = on_time[0]
            self.src_records.append(chosen)

    def _duedate(self):
        """The gradebook's due date of the assignment (naive UTC), or None."""
        from nbgrader.api import Gradebook, MissingEntry

        cd = self.coursedir
        with Gradebook(cd.db_url, cd.course_id) as gb:
            try:
                return gb.find_assignment(cd.assignment_id).duedate
            except MissingEntry:
                return None

    def init_dest(self):
        pass

    def copy_files(self):
        cd = self.coursedir
        A = cd.assignment_id
        if not self.src_records:
            self.log.warning("No submissions of '%s' for course '%s' to collect", A, cd.course_id)
        else:
            self.log.info(
                "Processing %d submissions of '%s' for course '%s'",
                len(self.src_records),
                A,
                cd.course_id,
            )
        for rec in self.src_records:
            sid = rec["student_id"]
            dest = cd.format_path(cd.submitted_directory, sid, A)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            updating = False
            if os.path.isdir(dest):
                existing = cd.get_existing_timestamp(dest)
                newer = existing is None or rec["timestamp"] > existing
                if self.update and newer:
                    updating = True
                elif self.before_duedate and existing != rec["timestamp"]:
                    updating = True
                else:
                    if self.update:
                        self.log.info("No newer submission to collect: %s %s", sid, A)
                    else:
                        self.log.info(
                            "Submission already exists, use --update to update: %s %s", sid, A
                        )
                    continue
            answer = self.call(
                "GET",
                "/submission/{}/{}/{}".format(cd.course_id, A, sid),
                "{} (submission of {})".format(self.what, sid),
                params={"timestamp": rec["raw"]},
                role="instructor",
            )
            # write next to the destination, then swap: a failed download leaves the old copy
            staging = dest + ".collecting"
            shutil.rmtree(staging, ignore_errors=True)
            os.makedirs(staging)
            try:
                self.decode_dir(answer.get("files", []), staging)
                with open(os.path.join(staging, "timestamp.txt"), "w") as fh:
                    fh.write(answer.get("timestamp", rec["raw"]))
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            if updating:
                self.log.info("Updating submission: %s %s", sid, A)
                shutil.rmtree(dest)
            else:
                self.log.info("Collecting submission: %s %s", sid, A)
            os.rename(staging, dest)
