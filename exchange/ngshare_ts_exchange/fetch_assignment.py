"""nbgrader fetch_assignment: download a released assignment into the student's folder."""

import os

from nbgrader.exchange.abc import ExchangeFetchAssignment as ABCExchangeFetchAssignment

from .exchange import Exchange


class ExchangeFetchAssignment(Exchange, ABCExchangeFetchAssignment):
    def _load_config(self, cfg, **kwargs):
        if "ExchangeFetch" in cfg:  # nbgrader's old section name
            self.log.warning("Use ExchangeFetchAssignment in config, not ExchangeFetch.")
            cfg.ExchangeFetchAssignment.merge(cfg.ExchangeFetch)
            del cfg.ExchangeFetch
        super()._load_config(cfg, **kwargs)

    def init_src(self):
        self.require_course()
        cd = self.coursedir
        if self.authenticator is not None and not self.authenticator.has_access(
            cd.student_id, cd.course_id
        ):
            self.fail("You do not have access to this course.")
        self.src_path = "/assignment/{}/{}".format(cd.course_id, cd.assignment_id)

    def init_dest(self):
        root = self.local_assignment_root()
        self.dest_path = os.path.abspath(os.path.join(self.assignment_dir, root))
        if os.path.isdir(self.dest_path) and not self.replace_missing_files:
            self.fail(
                "You already have a copy of the assignment in this directory: {}".format(root)
            )

    def copy_files(self):
        cd = self.coursedir
        what = "Cannot fetch {} from course '{}'".format(cd.assignment_id, cd.course_id)
        answer = self.call("GET", self.src_path, what)
        files = answer.get("files", [])
        if os.path.isdir(self.dest_path):
            # --replace: only what is missing, with nbgrader's ignore rules
            self.decode_dir(files, self.dest_path, noclobber=True, ignore=True)
        else:
            os.makedirs(self.dest_path)
            self.decode_dir(files, self.dest_path)
        self.log.info("Fetched as: %s %s", cd.course_id, cd.assignment_id)
