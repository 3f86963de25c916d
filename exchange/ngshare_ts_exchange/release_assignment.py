"""nbgrader release_assignment: upload <course root>/release/<assignment> to the service."""

import glob
import os
from difflib import get_close_matches

from nbgrader.exchange.abc import ExchangeReleaseAssignment as ABCExchangeReleaseAssignment

from .client import dumps_files
from .exchange import Exchange


class ExchangeReleaseAssignment(Exchange, ABCExchangeReleaseAssignment):
    def _load_config(self, cfg, **kwargs):
        if "ExchangeRelease" in cfg:  # nbgrader's old section name
            self.log.warning("Use ExchangeReleaseAssignment in config, not ExchangeRelease.")
            cfg.ExchangeReleaseAssignment.merge(cfg.ExchangeRelease)
            del cfg.ExchangeRelease
        super()._load_config(cfg, **kwargs)

    def init_src(self):
        cd = self.coursedir
        self.src_path = cd.format_path(cd.release_directory, ".", cd.assignment_id)
        if os.path.isdir(self.src_path):
            return
        source = cd.format_path(cd.source_directory, ".", cd.assignment_id)
        if os.path.isdir(source):
            self.fail(
                'Assignment found in "{}" but not "{}", run `nbgrader generate_assignment` '
                "first.".format(source, self.src_path)
            )
        others = glob.glob(cd.format_path(cd.release_directory, ".", "*"))
        close = get_close_matches(self.src_path, others, n=1)
        hint = " Did you mean: {}".format(close[0]) if close else ""
        self.fail("Assignment not found at: {}.{}".format(self.src_path, hint))

    def init_dest(self):
        self.require_course()
        cd = self.coursedir
        self.dest_path = "/assignment/{}/{}".format(cd.course_id, cd.assignment_id)

    def copy_files(self):
        cd = self.coursedir
        C, A = cd.course_id, cd.assignment_id
        what = "Cannot release {} to course '{}'".format(A, C)
        released = self.call("GET", "/assignments/{}".format(C), what, role="instructor")
        if A in released.get("assignments", []):
            if not self.force:
                self.fail("Destination already exists, add --force to overwrite: {} {}".format(C, A))
            self.log.info("Overwriting files: %s %s", C, A)
            self.log.warning(
                "Re-releasing %s deletes its submissions and feedback on the exchange", A
            )
            self.call("DELETE", self.dest_path, what, role="instructor")
        files = self.encode_dir(self.src_path)
        self.log.info("Uploading %d files (%d bytes) of %s", len(files), self.upload_size, A)
        self.upload(self.dest_path, what, {"files": dumps_files(files)}, role="instructor")
        self.log.info("Released as: %s %s", C, A)
