"""The base class every exchange operation of this plugin derives from.

It holds the configuration (service URL, local folders), the service client, the
encoding of folders into the service's ``files`` field and back, and the one rule of
this plugin: a call the service refuses or that fails ends the command through
``self.fail`` with one sentence naming the cause, so nbgrader exits non-zero.
"""

import base64
import fnmatch
import os
import shutil
from textwrap import dedent

from jupyter_core.paths import jupyter_data_dir
from nbgrader.exchange.abc import Exchange as ABCExchange
from nbgrader.exchange.abc import ExchangeError
from traitlets import Bool, Float, Unicode, default

from . import client as api
from .client import ServiceClient, ServiceError


def _role_sentence(role, user, course_id):
    if role == "instructor":
        return "you ({}) are not an instructor of course '{}'".format(user, course_id)
    if role == "admin":
        return "only an ngshare administrator may do this (you are {})".format(user)
    return "you ({}) are not a member of course '{}'".format(user, course_id)


class Exchange(ABCExchange):
    """Configuration and helpers shared by every operation."""

    ngshare_url = Unicode(
        "",
        help=dedent(
            """
            URL of the exchange service, without a trailing slash, as reached from the
            user's server: e.g. http://127.0.0.1:8000/services/ngshare. Empty: the
            zero-to-jupyterhub default http://proxy-public/services/ngshare when
            PROXY_PUBLIC_SERVICE_HOST is set (as ngshare_exchange does).
            """
        ),
    ).tag(config=True)

    # ngshare_exchange's name for the same setting, so its configuration keeps working
    _ngshare_url = Unicode("", help="Alias of ngshare_url (ngshare_exchange's name).").tag(
        config=True
    )

    connect_timeout = Float(10.0, help="Seconds to wait for a connection to the service.").tag(
        config=True
    )
    read_timeout = Float(
        600.0, help="Seconds to wait for the service's answer (large uploads take a while)."
    ).tag(config=True)

    assignment_dir = Unicode(
        ".",
        help=dedent(
            """
            Local path for storing student assignments. Defaults to '.', which is
            normally Jupyter's root_dir.
            """
        ),
    ).tag(config=True)

    cache = Unicode(
        "",
        help=dedent(
            """
            Local cache of the student's submissions (used by `nbgrader list --cached`
            and `fetch_feedback`). Defaults to $JUPYTER_DATA_DIR/nbgrader_cache, the
            same folder as nbgrader's and ngshare_exchange's, so switching plugins keeps it.
            """
        ),
    ).tag(config=True)

    @default("cache")
    def _cache_default(self):
        return os.path.join(jupyter_data_dir(), "nbgrader_cache")

    path_includes_course = Bool(
        False,
        help=dedent(
            """
            Whether the student's local path is prefixed with the course: ./course123/ps1
            instead of ./ps1.
            """
        ),
    ).tag(config=True)

    # --- the service ----------------------------------------------------------------------
    @property
    def username(self):
        return api.env_username()

    @property
    def service_url(self):
        return self.ngshare_url or self._ngshare_url or api.default_url() or ""

    @property
    def service(self):
        if getattr(self, "_service", None) is None:
            try:
                self._service = ServiceClient(
                    self.service_url,
                    token=api.env_token(),
                    username=self.username,
                    timeout=(self.connect_timeout, self.read_timeout),
                )
            except ServiceError as err:
                self.fail(str(err))
        return self._service

    def call(self, method, path, action, params=None, fields=None, role="member", course_id=None):
        """One API call for ``action`` ("Cannot fetch ps1 from course 'c'"); fails on refusal."""
        course_id = course_id if course_id is not None else self.coursedir.course_id
        try:
            return self.service.request(method, path, params=params, fields=fields)
        except ServiceError as err:
            self.fail("{}: {}".format(action, self.explain(err, role, course_id)))

    def explain(self, err, role, course_id):
        """The cause of a refusal, in words (the service's own message in brackets)."""
        said = err.server_message
        if err.kind == api.FORBIDDEN:
            return "{} (the exchange answered: {})".format(
                _role_sentence(role, self.username, course_id), said
            )
        if err.kind == api.NOT_FOUND:
            if said == "Course not found":
                return "course '{}' does not exist on the exchange ({})".format(course_id, said)
            if said == "Assignment not found":
                return "assignment '{}' is not released in course '{}' ({})".format(
                    self.coursedir.assignment_id, course_id, said
                )
            if said == "Student not found" and role == "member":
                return "you ({}) are not a student of course '{}' ({})".format(
                    self.username, course_id, said
                )
            return "the exchange answered: {}".format(said)
        if err.kind == api.REFUSED:
            return "the exchange answered: {}".format(said)
        return str(err)

    def fail(self, msg):
        # one line: nbgrader logs it at CRITICAL and exits non-zero
        super().fail(" ".join(str(msg).split()))

    # --- folders <-> the service's `files` ---------------------------------------------------
    def is_ignored(self, name, is_dir, size=0, rel=""):
        """nbgrader's rules: CourseDirectory.ignore / include / max_file_size (in kB)."""
        cd = self.coursedir
        if any(fnmatch.fnmatch(name, g) for g in (cd.ignore or [])):
            self.log.debug("Ignoring excluded file '%s' (see CourseDirectory.ignore)", rel or name)
            return True
        if is_dir:
            return False
        if cd.include and not any(fnmatch.fnmatch(name, g) for g in cd.include):
            self.log.debug("Ignoring non included file '%s' (see CourseDirectory.include)", rel)
            return True
        if cd.max_file_size and size > 1000 * cd.max_file_size:
            self.log.warning(
                "Ignoring file too large '%s' (see config option CourseDirectory.max_file_size)",
                rel or name,
            )
            return True
        return False

    def encode_dir(self, src_dir, ignore=True):
        """Every file under ``src_dir`` as ``{"path": "a/b.txt", "content": base64}``."""
        entries = []
        total = 0
        for dirpath, dirnames, filenames in os.walk(src_dir):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, src_dir)
            if ignore:
                dirnames[:] = [d for d in dirnames if not self.is_ignored(d, True)]
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = name if rel_dir == "." else os.path.join(rel_dir, name)
                rel = rel.replace(os.sep, "/")
                if not os.path.isfile(full):
                    continue
                if ignore and self.is_ignored(name, False, os.path.getsize(full), rel):
                    continue
                with open(full, "rb") as fh:
                    data = fh.read()
                total += len(data)
                entries.append({"path": rel, "content": base64.b64encode(data).decode("ascii")})
        self.upload_size = total
        return entries

    def safe_target(self, dest_dir, rel):
        """``dest_dir/rel``, refusing paths that would leave ``dest_dir``."""
        parts = [p for p in str(rel).replace("\\", "/").split("/") if p not in ("",)]
        if not parts or any(p in (".", "..") for p in parts) or str(rel).startswith("/"):
            self.fail("The exchange sent a file with an unsafe path: {!r}".format(rel))
        return os.path.join(dest_dir, *parts)

    def decode_dir(self, entries, dest_dir, noclobber=False, ignore=False):
        """Write the service's ``files`` under ``dest_dir``; returns the paths written."""
        written = []
        for entry in entries:
            target = self.safe_target(dest_dir, entry.get("path", ""))
            if noclobber and os.path.exists(target):
                continue
            try:
                data = base64.b64decode(entry.get("content") or "")
            except (ValueError, TypeError):
                self.fail("The exchange sent undecodable content for {!r}".format(entry.get("path")))
            name = os.path.basename(target)
            if ignore and self.is_ignored(name, False, len(data), entry.get("path")):
                continue
            if noclobber:
                self.log.info("Replacing missing file %s", os.path.relpath(target, dest_dir))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
            written.append(target)
        return written

    def copy_local(self, src, dest):
        """Local copy with nbgrader's ignore rules (the student's submission cache)."""

        def ignore(directory, names):
            out = []
            for n in names:
                full = os.path.join(directory, n)
                is_dir = os.path.isdir(full)
                size = 0 if is_dir else os.path.getsize(full)
                if self.is_ignored(n, is_dir, size, n):
                    out.append(n)
            return out

        shutil.copytree(src, dest, ignore=ignore)

    def upload_action_hint(self, err):
        """Extra words for an upload that failed: its size, which matters for "too large"."""
        size = getattr(self, "upload_size", 0)
        if err.kind in (api.TOO_LARGE, api.UNREACHABLE) and size > 1024 * 1024:
            return " (the upload holds {:.1f} MiB of files)".format(size / 1048576.0)
        return ""

    def upload(self, path, action, fields, role="member"):
        """A POST with files; a connection cut during a big upload is reported as too large."""
        try:
            return self.service.request("POST", path, fields=fields)
        except ServiceError as err:
            size = getattr(self, "upload_size", 0)
            if err.kind == api.UNREACHABLE and size > 8 * 1024 * 1024:
                # a server that refuses a body by its length may close the connection mid-upload
                err = ServiceError(
                    api.TOO_LARGE,
                    "the connection was closed during the upload, most likely because it is larger "
                    "than the exchange service accepts (ngshare-ts: --max-body-size, 100 MiB by "
                    "default); {}".format(err),
                )
                self.fail("{}: {}{}".format(action, str(err), self.upload_action_hint(err)))
            self.fail(
                "{}: {}{}".format(
                    action, self.explain(err, role, self.coursedir.course_id), self.upload_action_hint(err)
                )
            )

    # --- nbgrader's lifecycle ----------------------------------------------------------------
    def start(self):
        try:
            return super().start()
        except ExchangeError:
            raise
        except OSError as err:
            # a local file problem (permissions, disk full): one line, not a traceback
            self.fail("{}: {}".format(type(self).__name__, err))
        except Exception as err:  # noqa: BLE001 - the catch-all: never a traceback or silence
            self.log.debug("Unexpected error in %s", type(self).__name__, exc_info=True)
            self.fail(
                "{} stopped on an unexpected error ({}: {}); run the command again with --debug "
                "for the details and report them to your course's administrator".format(
                    type(self).__name__, type(err).__name__, err
                )
            )

    def init_src(self):
        raise NotImplementedError

    def init_dest(self):
        raise NotImplementedError

    def copy_files(self):
        raise NotImplementedError

    def require_course(self):
        if not self.coursedir.course_id:
            self.fail("No course id specified. Re-run with --course flag.")

    def local_assignment_root(self, course_id=None, assignment_id=None):
        course_id = course_id if course_id is not None else self.coursedir.course_id
        assignment_id = assignment_id if assignment_id is not None else self.coursedir.assignment_id
        if self.path_includes_course:
            return os.path.join(course_id, assignment_id)
        return assignment_id
